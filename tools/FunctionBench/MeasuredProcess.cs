using System.Diagnostics;
using CostNotifier.TestSupport;

namespace CostNotifier.FunctionBench;

/// <summary>
/// One measured run: a Runtime API emulator, the packaged function started on it exactly as Lambda's runtime starts it
/// (<see cref="PackagedFunction.Start"/>, no host in between), a cold event, then a warm one; the process's peak
/// memory is read before it is killed, as Lambda would end the sandbox.
/// </summary>
internal static class MeasuredProcess
{
    /// <summary>How long a function may take to answer one event, its initialisation included.</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(2);

    /// <summary>How long an answer may still arrive after the process was seen to exit (it posts, then exits).</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(1);

    public static async Task<(MeasuredRun? Run, string? Failure)> RunAsync(
        PackagedFunction package,
        FunctionPackage function,
        PreparedRun prepared,
        IReadOnlyDictionary<string, string> extraEnvironment,
        CancellationToken cancellationToken)
    {
        await using var runtimeApi = RuntimeApiServer.Start("costnotifier-" + function.Name);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in prepared.Environment.Concat(extraEnvironment))
        {
            environment[name] = value;
        }

        await using var process = package.Start(runtimeApi.Address, environment);
        var startedAt = process.StartedTimestamp;

        // Queued before the process can ask, so it is handed out at the first invocation/next, as on a cold start.
        var coldQueuedAt = Stopwatch.GetTimestamp();
        var cold = await AnswerAsync(runtimeApi, process, function, prepared.ColdEvent, cancellationToken);
        if (cold.Failure is not null)
        {
            return (null, "the cold invocation " + cold.Failure);
        }

        var firstNext = runtimeApi.FirstNextTimestamp
            ?? throw new InvalidOperationException("The function answered without asking for an event.");

        var warmQueuedAt = Stopwatch.GetTimestamp();
        var warm = await AnswerAsync(runtimeApi, process, function, prepared.WarmEvent, cancellationToken);
        if (warm.Failure is not null)
        {
            return (null, "the warm invocation " + warm.Failure);
        }

        // Read while the process still waits for its next event: after both answers, before it is killed.
        var peakBytes = process.PeakMemoryBytes();

        // An event is handed out when it is queued or when the function asks for it, whichever is later.
        var nexts = runtimeApi.Requests.Where(r => r.Method == "GET" && r.Path.EndsWith("/invocation/next", StringComparison.Ordinal)).ToList();
        var coldHandedOut = Math.Max(coldQueuedAt, firstNext);
        var warmHandedOut = Math.Max(warmQueuedAt, nexts.Count > 1 ? nexts[1].Timestamp : warmQueuedAt);

        var run = new MeasuredRun(
            function.Name,
            package.Kind,
            Milliseconds(startedAt, firstNext),
            Milliseconds(startedAt, cold.Outcome!.AnsweredTimestamp),
            Milliseconds(coldHandedOut, cold.Outcome.AnsweredTimestamp),
            Milliseconds(warmHandedOut, warm.Outcome!.AnsweredTimestamp),
            peakBytes);
        var problem = await prepared.VerifyAsync(cold.Outcome.Text, warm.Outcome.Text);
        return problem is null ? (run, null) : (null, $"the invocations did not do their work: {problem}{Tail(process)}");
    }

    /// <summary>
    /// Queues <paramref name="payload"/> and waits for its answer; a failure (an error answer, an init error, the
    /// process ending or taking too long) is described with the end of the process's output.
    /// </summary>
    private static async Task<(InvocationOutcome? Outcome, string? Failure)> AnswerAsync(
        RuntimeApiServer runtimeApi, FunctionProcess process, FunctionPackage function, byte[] payload, CancellationToken cancellationToken)
    {
        var answer = runtimeApi.InvokeAsync(payload, DateTimeOffset.UtcNow + function.Timeout, cancellationToken: cancellationToken);
        using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var exited = process.WaitForExitAsync(waiting.Token);
            var timedOut = Task.Delay(AnswerTimeout, waiting.Token);
            var first = await Task.WhenAny(answer, exited, timedOut);
            await waiting.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            if (first == exited && !answer.IsCompleted)
            {
                // The process may have posted its init error or answer just before exiting.
                await Task.WhenAny(answer, Task.Delay(ExitGrace, cancellationToken));
            }
        }

        if (!answer.IsCompleted)
        {
            return (null, process.HasExited
                ? $"got no answer: the process exited with code {process.ExitCode}{Tail(process)}"
                : $"got no answer within {AnswerTimeout.TotalMinutes:0} minutes{Tail(process)}");
        }

        var outcome = await answer;
        return outcome.Answer switch
        {
            InvocationAnswer.Response => (outcome, null),
            InvocationAnswer.InitError => (null, $"failed: the function could not initialise: {outcome.Text}{Tail(process)}"),
            _ => (null, $"failed with {outcome.ErrorType}: {outcome.Text}{Tail(process)}"),
        };
    }

    private static double Milliseconds(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private static string Tail(FunctionProcess process) =>
        Tail("standard error", process.StandardError) + Tail("standard output", process.StandardOutput);

    private static string Tail(string stream, IReadOnlyList<string> lines) =>
        lines.Count == 0
            ? string.Empty
            : $"{Environment.NewLine}  its {stream} ends with:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", lines.TakeLast(10));
}
