using System.CommandLine;
using Amazon.Runtime;
using CostNotifier.Cli.Composition;
using CostNotifier.Cli.Output;
using CostNotifier.Cli.Targets;
using CostNotifier.Cli.Targets.Aws;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Observability;
using FluentValidation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CostNotifier.Cli;

/// <summary>What every command shares: its streams, the clock, the environment, common options and error handling.</summary>
public sealed class CliContext(TextWriter output, TextWriter error, TimeProvider time, CliEnvironment environment)
{
    private TargetOptions? _targets;
    private ProgressReporter? _progress;

    /// <summary>A context over the process environment.</summary>
    public CliContext(TextWriter output, TextWriter error, TimeProvider time)
        : this(output, error, time, CliEnvironment.Process)
    {
    }

    /// <summary>Standard output: results only.</summary>
    public TextWriter Output { get; } = output;

    /// <summary>Standard error: errors and progress.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>The environment variables this run reads.</summary>
    public CliEnvironment Environment { get; } = environment ?? throw new ArgumentNullException(nameof(environment));

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

    /// <summary>The <c>--target</c> option and the options of a deployed stack.</summary>
    public TargetOptions Targets => _targets ??= new TargetOptions(DataDir);

    /// <summary>Progress on standard error: rewritten in place on a terminal, plain lines otherwise.</summary>
    public ProgressReporter Progress =>
        _progress ??= new ProgressReporter(Error, ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected);

    /// <summary>The data directory in effect.</summary>
    public string ResolveDataDirectory(string? explicitDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return Path.GetFullPath(explicitDirectory);
        }

        if (Environment.Get("COSTNOTIFIER_DATA_DIR") is { } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment);
        }

        var dataHome = Environment.Get("XDG_DATA_HOME")
            ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(dataHome, "costnotifier");
    }

    /// <summary>
    /// Opens what the command line names: the embedded data directory, or a deployed stack (nothing is contacted
    /// until a command needs it).
    /// </summary>
    public IOperatorTarget OpenTarget(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        if (!Targets.IsAws(parsed))
        {
            return new LocalTarget(OpenEmbedded(parsed));
        }

        var settings = AwsTargetSettings.Resolve(parsed, Targets, Environment);
        var loggers = Loggers(parsed);
        return new AwsTarget(settings, Time, Environment, loggers);
    }

    /// <summary>Where the AWS clients log: standard error as JSON lines with --verbose, nowhere otherwise.</summary>
    public ILoggerFactory Loggers(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.GetValue(Verbose)
            ? LoggerFactory.Create(logging => logging.AddProvider(new JsonLineLoggerProvider(Error, LogLevel.Information, Time)))
            : NullLoggerFactory.Instance;
    }

    /// <summary>
    /// Opens the embedded stack named by the command line; logs go to a file, or also to stderr with --verbose.
    /// Emails are paced when <c>COSTNOTIFIER_SES_MAX_SEND_RATE</c> is set (see <see cref="EmailSendRate"/>).
    /// <paramref name="costSource"/> replaces the sample cost data (e.g. with the account's Cost Explorer).
    /// </summary>
    public EmbeddedStack OpenEmbedded(ParseResult parsed, ICostSource? costSource = null)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var directory = ResolveDataDirectory(parsed.GetValue(DataDir));
        Directory.CreateDirectory(Path.Combine(directory, "logs"));
        var logFile = new StreamWriter(Path.Combine(directory, "logs", "costnotifier.log"), append: true) { AutoFlush = true };
        TextWriter log = parsed.GetValue(Verbose) ? new TeeWriter(logFile, Error) : logFile;
        return EmbeddedStack.Open(directory, Time, log, LogLevel.Information, costSource, emailSendRate: EmailSendRate());
    }

    /// <summary>
    /// The email send rate the embedded stack paces its outbox at, from <c>COSTNOTIFIER_SES_MAX_SEND_RATE</c>; null
    /// (no pacing) when unset, so local runs stay fast.
    /// </summary>
    public decimal? EmailSendRate() =>
        Environment.Get(EmailSending.EmailSendRate.MaxSendRateVariable) is { } text ? EmailSending.EmailSendRate.ParseMaxSendRate(text) : null;

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
        catch (Exception ex) when (ex is FormatException or ValidationException or UnknownReportException or ArgumentException or ReportsUnknownException)
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
        AmazonServiceException or AmazonClientException or HttpRequestException => AwsErrorText.Describe(ex),
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
