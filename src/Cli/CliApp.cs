using System.CommandLine;
using CostNotifier.Cli.Commands;

namespace CostNotifier.Cli;

/// <summary>The <c>costnotifier</c> operator CLI. Exit codes: 0 success, 1 failure, 2 bad usage or input.</summary>
public static class CliApp
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The operation failed (a report not sent, a queue unreachable).</summary>
    public const int Failure = 1;

    /// <summary>The command line or its input is wrong.</summary>
    public const int Usage = 2;

    /// <summary>Parses <paramref name="args"/> and runs the command, reading settings from the process environment.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken) =>
        RunAsync(args, output, error, time, CliEnvironment.Process, cancellationToken);

    /// <summary>Parses <paramref name="args"/> and runs the command with exactly the given environment.</summary>
    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, TimeProvider time, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var context = new CliContext(output, error, time, environment);
        var root = new RootCommand("CostNotifier: daily AWS cost reports by email, and the tools to operate them.")
        {
            RunCommand.Create(context),
            ReplayCommand.Create(context),
            SnapshotsCommand.Create(context),
            EventsCommand.Create(context),
            DeadLetterCommands.CreateDlq(context),
            DeadLetterCommands.CreateRedrive(context),
            StackCommand.Create(context),
            ReportsCommand.Create(context),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'costnotifier --help' for usage.").ConfigureAwait(false);
            return Usage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken).ConfigureAwait(false);
    }
}
