using System.Text;
using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.Runtime;

/// <summary>
/// One Lambda execution environment: a packaged function extracted from its zip, started as Lambda's runtime starts
/// it, and the Runtime API emulator it polls. Every wait fails with the function's own output when the process exits
/// first or the wait times out, so a broken package or runtime loop shows why instead of hanging the run.
/// </summary>
internal sealed class LambdaSandbox : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private LambdaSandbox(PackagedFunction package, RuntimeApiServer runtime, FunctionProcess process)
    {
        Package = package;
        Runtime = runtime;
        Process = process;
    }

    /// <summary>The extracted package.</summary>
    public PackagedFunction Package { get; }

    /// <summary>The Runtime API the function polls, with every request it made.</summary>
    public RuntimeApiServer Runtime { get; }

    /// <summary>The function's process.</summary>
    public FunctionProcess Process { get; }

    /// <summary>
    /// Extracts <paramref name="function"/>'s <paramref name="kind"/> package and starts it with
    /// <paramref name="settings"/> on top of Lambda's variables, optionally under <paramref name="launcher"/>.
    /// </summary>
    public static async Task<LambdaSandbox> StartAsync(
        string kind, string function, IReadOnlyDictionary<string, string?> settings, IReadOnlyList<string>? launcher = null)
    {
        var package = PackagedFunction.Extract(kind, function);
        var runtime = RuntimeApiServer.Start("costnotifier-" + function);
        try
        {
            return new LambdaSandbox(package, runtime, package.Start(runtime.Address, settings, launcher));
        }
        catch
        {
            await runtime.DisposeAsync();
            package.Dispose();
            throw;
        }
    }

    /// <summary>Waits until the function has initialised and asks for its first event.</summary>
    public Task WaitUntilReadyAsync() => WhileRunningAsync(Runtime.FirstNextAsync(), StartTimeout, "asking for its first event");

    /// <summary>Invokes the function with <paramref name="payload"/> and waits for its answer.</summary>
    public Task<InvocationOutcome> InvokeAsync(string payload, DateTimeOffset deadline) =>
        WhileRunningAsync(
            Runtime.InvokeAsync(Encoding.UTF8.GetBytes(payload), deadline),
            deadline - DateTimeOffset.UtcNow + StartTimeout,
            "answering the invocation");

    /// <summary>Waits for the function to post <c>init/error</c>.</summary>
    public Task<RuntimeInitError> InitErrorAsync() => WhileRunningAsync(Runtime.InitErrorAsync(), StartTimeout, "reporting its init error");

    /// <summary>Waits for the process to exit by itself; fails with its output when it does not.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var waiting = new CancellationTokenSource(timeout);
        try
        {
            return await Process.WaitForExitAsync(waiting.Token);
        }
        catch (OperationCanceledException) when (waiting.IsCancellationRequested)
        {
            throw new TimeoutException($"The {Describe()} was still running {timeout.TotalSeconds:0} s later.{Environment.NewLine}{Diagnostics()}");
        }
    }

    /// <summary>What the function wrote and what it asked the Runtime API, for a failure message.</summary>
    public string Diagnostics() =>
        $"{Process.Output()}{Environment.NewLine}--- Runtime API requests ---{Environment.NewLine}{string.Join(Environment.NewLine, Runtime.Requests)}";

    /// <summary>Kills the process, stops the Runtime API and deletes the extracted package.</summary>
    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        await Runtime.DisposeAsync();
        Package.Dispose();
    }

    private string Describe() => $"{Package.Kind} {Package.Name} (pid {Process.Id})";

    private async Task<T> WhileRunningAsync<T>(Task<T> awaited, TimeSpan timeout, string what)
    {
        using var waiting = new CancellationTokenSource(timeout);
        var exit = Process.WaitForExitAsync(waiting.Token);
        await Task.WhenAny(awaited, exit);
        if (awaited.IsCompleted)
        {
            return await awaited;
        }

        try
        {
            var code = await exit;
            throw new InvalidOperationException(
                $"The {Describe()} exited with code {code} before {what}.{Environment.NewLine}{Diagnostics()}");
        }
        catch (OperationCanceledException) when (waiting.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The {Describe()} was not done {what} after {timeout.TotalSeconds:0} s.{Environment.NewLine}{Diagnostics()}");
        }
    }
}
