namespace CostNotifier.Testing.Faults;

/// <summary>
/// Runs several workers "at once", deterministically. Each worker parks at a gate before every external call; the
/// interleaver releases one parked worker at a time, chosen by a seeded random source, and that worker runs — inline,
/// on the interleaver's thread — until its next gate, its end or its death. Every shared state of the pipeline
/// lives behind those calls (event store, claims, queues, email), so this explores the interleavings that matter and
/// replays any of them exactly from the seed. When no worker is parked but some still run, they wait for the clock
/// (a retry delay): the interleaver advances it in small steps.
/// </summary>
/// <remarks>
/// Inline resumption needs continuations that do not hop threads: production code awaits with
/// <c>ConfigureAwait(false)</c>, the embedded adapters complete synchronously, and the interleaver must itself run
/// outside any synchronization context (use <c>Task.Run</c>).
/// </remarks>
public sealed class Interleaver(Random random, Action<TimeSpan> advanceClock)
{
    /// <summary>How far the clock moves when every live worker waits for it.</summary>
    public static readonly TimeSpan ClockStep = TimeSpan.FromMilliseconds(100);

    private const int MaxStalls = 2_000;
    private readonly List<WorkerContext> _workers = [];

    /// <summary>Gates opened so far: one per external call made by any worker.</summary>
    public long Steps { get; private set; }

    /// <summary>Times the clock was advanced for a waiting worker.</summary>
    public long ClockAdvances { get; private set; }

    /// <summary>Adds a worker, parked before its first step.</summary>
    public void Spawn(WorkerContext worker, Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(body);
        _workers.Add(worker);
        worker.Flow = WorkerContext.RunAsync(worker, async () =>
        {
            await YieldAsync(worker).ConfigureAwait(false);
            await body().ConfigureAwait(false);
        });
    }

    /// <summary>Runs every spawned worker until each has finished or died.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var stalls = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parked = _workers.Where(w => w.Gate is not null).ToList();
            if (parked.Count > 0)
            {
                stalls = 0;
                var next = parked[random.Next(parked.Count)];
                var gate = next.Gate!;
                next.Gate = null;
                Steps++;
                gate.SetResult();
                continue;
            }

            if (_workers.FirstOrDefault(w => w.Flow is { IsFaulted: true }) is { } failed)
            {
                _workers.Clear();
                throw new InvalidOperationException($"Worker '{failed.Name}' failed outside the pipeline's own error handling.", failed.Flow!.Exception);
            }

            if (!_workers.Any(w => !w.IsDead && w.Flow is { IsCompleted: false }))
            {
                _workers.Clear();
                return;
            }

            if (++stalls > MaxStalls)
            {
                throw new TimeoutException($"Workers {string.Join(", ", _workers.Where(w => !w.IsDead && !w.Flow!.IsCompleted))} neither finished nor reached an external call.");
            }

            advanceClock(ClockStep);
            ClockAdvances++;
            if (stalls % 50 == 0)
            {
                // Something genuinely asynchronous (file I/O) is under way on another thread.
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal Task YieldAsync(WorkerContext worker)
    {
        var gate = new TaskCompletionSource();
        worker.Gate = gate;
        return gate.Task;
    }
}
