namespace CostNotifier.FunctionBench;

/// <summary>Runs the benchmark (<see cref="Bench"/>), which starts each packaged function as Lambda's runtime does.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => Bench.RunAsync(args);
}
