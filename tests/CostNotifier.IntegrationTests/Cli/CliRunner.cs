using CostNotifier.Cli;

namespace CostNotifier.IntegrationTests.Cli;

/// <summary>What one in-process run of the CLI printed and returned.</summary>
internal sealed record CliResult(int Exit, string Output, string Error)
{
    public override string ToString() => $"exit {Exit}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>Runs <c>costnotifier</c> in-process with an explicit environment, so parallel tests share nothing.</summary>
internal static class CliRunner
{
    public static async Task<CliResult> RunAsync(
        IEnumerable<string> args, CliEnvironment environment, TimeProvider time, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync([.. args], output, error, time, environment, cancellationToken);
        return new CliResult(exit, output.ToString(), error.ToString());
    }
}
