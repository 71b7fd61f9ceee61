namespace CostNotifier.Testing.Faults;

/// <summary>
/// One simulated invocation (a Lambda invocation, or one pass of the embedded runner over a batch), carried in the
/// async flow so every fault seam below it knows whose call it is. Calls made outside any worker (the test's own
/// reads and assertions) are never faulted.
/// </summary>
public sealed class WorkerContext
{
    private static readonly AsyncLocal<WorkerContext?> Ambient = new();
    private static readonly Task Never = new TaskCompletionSource().Task;
    private readonly TaskCompletionSource _died = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(Seam Seam, FaultKind Kind)> _faults = [];

    public WorkerContext(string name, FaultSession session)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(session);
        Name = name;
        Session = session;
    }

    /// <summary>The worker of the current async flow, or null outside any.</summary>
    public static WorkerContext? Current => Ambient.Value;

    /// <summary>A readable name for traces, e.g. <c>round 12 collector #2</c>.</summary>
    public string Name { get; }

    /// <summary>The schedule's fault decisions and ledger.</summary>
    public FaultSession Session { get; }

    /// <summary>True once an injected crash killed this worker.</summary>
    public bool IsDead { get; private set; }

    /// <summary>Completes when the worker dies; never completes for a worker that finishes normally.</summary>
    public Task Died => _died.Task;

    /// <summary>The faults injected into this worker so far, in order.</summary>
    public IReadOnlyList<(Seam Seam, FaultKind Kind)> Faults => _faults;

    /// <summary>The gate the worker is parked at, when it runs under an <see cref="Interleaver"/>.</summary>
    internal TaskCompletionSource? Gate { get; set; }

    /// <summary>The worker's whole flow, when it runs under an <see cref="Interleaver"/>.</summary>
    internal Task? Flow { get; set; }

    /// <summary>True once <see cref="End"/> ran.</summary>
    internal bool HasEnded { get; private set; }

    /// <summary>Makes <paramref name="worker"/> the current worker of the calling async method and everything it calls.</summary>
    public static void Enter(WorkerContext? worker) => Ambient.Value = worker;

    /// <summary>Runs <paramref name="body"/> as <paramref name="worker"/> and reports its end to the ledger.</summary>
    public static async Task RunAsync(WorkerContext worker, Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(body);
        Enter(worker);
        try
        {
            await body().ConfigureAwait(false);
        }
        finally
        {
            worker.End();
        }
    }

    /// <summary>Records that the invocation is over (finished, failed or died); idempotent.</summary>
    public void End()
    {
        lock (_faults)
        {
            if (HasEnded)
            {
                return;
            }

            HasEnded = true;
        }

        Session.Ledger.InvocationEnded(this);
    }

    /// <summary>
    /// Kills the worker: returns a task that never completes, so the flow that awaits it stops for good — as a
    /// killed process does, without running <c>finally</c> blocks or deleting anything from its queue.
    /// </summary>
    internal Task DieAsync()
    {
        IsDead = true;
        End();
        _died.TrySetResult();
        return Never;
    }

    internal void NoteFault(Seam seam, FaultKind kind)
    {
        lock (_faults)
        {
            _faults.Add((seam, kind));
        }
    }

    internal int FaultCount
    {
        get
        {
            lock (_faults)
            {
                return _faults.Count;
            }
        }
    }

    internal List<(Seam Seam, FaultKind Kind)> FaultsSince(int index)
    {
        lock (_faults)
        {
            return _faults.Skip(index).ToList();
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
