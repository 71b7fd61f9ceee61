using CostNotifier.LambdaRuntime;

namespace CostNotifier.Notifier;

/// <summary>The process Lambda starts: builds the function once, then answers events from the Runtime API.</summary>
internal static class Program
{
    private static Task<int> Main() => LambdaRuntimeHost.RunAsync(() => new NotifierFunction().HandleAsync);
}
