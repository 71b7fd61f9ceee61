namespace CostNotifier.ScaleBench;

/// <summary>
/// Runs the benchmark (<see cref="Bench"/>) or, started again by it with <c>--role</c>, one of the measured
/// functions (<see cref="FunctionRole"/>).
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args) =>
        args is ["--role", var role, ..] ? FunctionRole.RunAsync(role) : Bench.RunAsync(args);
}
