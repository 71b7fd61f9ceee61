using System.CommandLine;
using CostNotifier.Cli.Embedded;
using CostNotifier.Domain;
using FluentValidation;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Cli;

/// <summary>What every command shares: its streams, the clock, common options and error handling.</summary>
public sealed class CliContext(TextWriter output, TextWriter error, TimeProvider time)
{
    /// <summary>Standard output: results only.</summary>
    public TextWriter Output { get; } = output;

    /// <summary>Standard error: errors and progress.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>The <c>--data-dir</c> option.</summary>
    public Option<string?> DataDir { get; } = new("--data-dir")
    {
        Description = "Data directory of the embedded default (default: $COSTNOTIFIER_DATA_DIR, else $XDG_DATA_HOME/costnotifier, else ~/.local/share/costnotifier).",
    };

    /// <summary>The <c>--verbose</c> option.</summary>
    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Also print the pipeline's JSON log lines to standard error.",
    };

    /// <summary>The data directory in effect.</summary>
    public static string ResolveDataDirectory(string? explicitDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return Path.GetFullPath(explicitDirectory);
        }

        if (Environment.GetEnvironmentVariable("COSTNOTIFIER_DATA_DIR") is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment);
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(dataHome, "costnotifier");
    }

    /// <summary>Opens the embedded stack named by the command line; logs go to a file, or also to stderr with --verbose.</summary>
    public EmbeddedStack OpenEmbedded(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var directory = ResolveDataDirectory(parsed.GetValue(DataDir));
        Directory.CreateDirectory(Path.Combine(directory, "logs"));
        var logFile = new StreamWriter(Path.Combine(directory, "logs", "costnotifier.log"), append: true) { AutoFlush = true };
        TextWriter log = parsed.GetValue(Verbose) ? new TeeWriter(logFile, Error) : logFile;
        return EmbeddedStack.Open(directory, Time, log, LogLevel.Information);
    }

    /// <summary>Parses a date option value: <c>yyyy-MM-dd</c> or <c>yesterday</c>.</summary>
    public ReportDate ParseDate(string? text, string option) =>
        text is null or "yesterday"
            ? ReportDate.Yesterday(Time)
            : ReportDate.TryParse(text, out var date)
                ? date
                : throw new FormatException($"{option} '{text}' is not a valid date: use yyyy-MM-dd or 'yesterday'.");

    /// <summary>
    /// Runs a command body and turns exceptions into one clear line and an exit code: 2 for bad input, 1 for
    /// anything else.
    /// </summary>
    public async Task<int> GuardAsync(Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FormatException or ValidationException or UnknownReportException or ArgumentException)
        {
            await Error.WriteLineAsync("error: " + OneLine(ex)).ConfigureAwait(false);
            return CliApp.Usage;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await Error.WriteLineAsync("error: " + OneLine(ex)).ConfigureAwait(false);
            return CliApp.Failure;
        }
    }

    private static string OneLine(Exception ex) => ex switch
    {
        ValidationException validation when validation.Errors.Any() => string.Join("; ", validation.Errors.Select(e => e.ErrorMessage)),
        _ => ex.Message.ReplaceLineEndings(" "),
    };

    private sealed class TeeWriter(TextWriter first, TextWriter second) : TextWriter
    {
        public override System.Text.Encoding Encoding => first.Encoding;

        public override void Write(char value)
        {
            first.Write(value);
            second.Write(value);
        }

        public override void WriteLine(string? value)
        {
            first.WriteLine(value);
            second.WriteLine(value);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                first.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
