namespace CostNotifier.Testing.Faults;

/// <summary>Applies the current worker's fault decision around one external call.</summary>
public static class SeamCall
{
    /// <summary>
    /// Runs <paramref name="call"/> at <paramref name="seam"/>. Outside a worker it just runs. Inside one it may
    /// throw before the call (transient, throttling, timeout), or let the call take effect and then throw a timeout
    /// (ambiguous) or kill the worker (crash). <paramref name="effect"/> sees every call that took effect, before
    /// any fault that follows it is reported.
    /// </summary>
    public static async Task<T> RunAsync<T>(Seam seam, string operation, Func<Task<T>> call, Action<WorkerContext, T>? effect = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        var worker = WorkerContext.Current;
        if (worker is null)
        {
            return await call().ConfigureAwait(false);
        }

        var session = worker.Session;
        var fault = await session.DecideAsync(worker, seam, operation).ConfigureAwait(false);
        if (fault is FaultKind.Transient or FaultKind.Throttling or FaultKind.Timeout)
        {
            session.Injected(worker, seam, fault.Value, operation);
            throw session.ExceptionFor(seam, fault.Value, operation);
        }

        var result = await call().ConfigureAwait(false);
        effect?.Invoke(worker, result);
        switch (fault)
        {
            case FaultKind.AmbiguousTimeout:
                session.Injected(worker, seam, FaultKind.AmbiguousTimeout, operation);
                throw session.ExceptionFor(seam, FaultKind.AmbiguousTimeout, operation + ", after it took effect");
            case FaultKind.Crash:
                session.Injected(worker, seam, FaultKind.Crash, operation);
                await worker.DieAsync().ConfigureAwait(false);
                break;
        }

        return result;
    }

    /// <summary>As <see cref="RunAsync{T}"/> for a call without a result.</summary>
    public static Task RunAsync(Seam seam, string operation, Func<Task> call, Action<WorkerContext>? effect = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        return RunAsync<bool>(
            seam,
            operation,
            async () =>
            {
                await call().ConfigureAwait(false);
                return true;
            },
            effect is null ? null : (worker, _) => effect(worker));
    }
}
