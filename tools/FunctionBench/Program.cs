namespace CostNotifier.FunctionBench;

/// <summary>
/// Two roles in one program. <c>invoke</c> is the measured process (<see cref="FunctionHost"/>); anything else runs
/// the benchmark (<see cref="Bench"/>), which starts one measured process per run.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // The measured role must not touch the orchestrating code: that would load assemblies the package should
        // provide before the function asks for them.
        if (args.Length > 0 && args[0] == FunctionHost.Command)
        {
            return FunctionHost.Run(args.AsSpan(1));
        }

        return await Bench.RunAsync(args);
    }
}
