using CostNotifier.Claims;
using CostNotifier.Configuration;
using CostNotifier.Domain;
using CostNotifier.EmailSending;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Aws.Hosting;

/// <summary>Where a function reads its report definitions from.</summary>
public enum ReportsSource
{
    /// <summary>The JSON in <c>COSTNOTIFIER_REPORTS</c>: for a few dozen reports (Lambda's environment holds 4 KB).</summary>
    Variable,

    /// <summary>The version published to the event table: for any number of reports and accounts.</summary>
    Table,
}

/// <summary>
/// The settings a function reads from its environment (set by Terraform). Reading is lazy per value, so a function
/// fails only on the variables it actually needs, with the variable's name in the message.
/// </summary>
public sealed class FunctionSettings(Func<string, string?> read)
{
    /// <summary>Settings from the process environment.</summary>
    public static FunctionSettings FromEnvironment() => new(Environment.GetEnvironmentVariable);

    /// <summary>Settings from a dictionary (tests, the CLI).</summary>
    public static FunctionSettings From(IReadOnlyDictionary<string, string?> values) =>
        new(name => values.TryGetValue(name, out var value) ? value : null);

    /// <summary>The stack name (Terraform's name prefix), the <c>Stack</c> metric dimension.</summary>
    public string Stack => Optional("COSTNOTIFIER_STACK") ?? "costnotifier";

    /// <summary>The variable that says where the functions read the reports from.</summary>
    public const string ReportsSourceVariable = "COSTNOTIFIER_REPORTS_SOURCE";

    /// <summary>The variable holding the reports as JSON when they come from the environment.</summary>
    public const string ReportsVariable = "COSTNOTIFIER_REPORTS";

    /// <summary>
    /// Where the reports come from, from <c>COSTNOTIFIER_REPORTS_SOURCE</c>: <c>variable</c> (the default,
    /// <c>COSTNOTIFIER_REPORTS</c>) or <c>table</c> (the version published to the event table).
    /// </summary>
    public ReportsSource ReportsSource =>
        Optional(ReportsSourceVariable) switch
        {
            null or "variable" => ReportsSource.Variable,
            "table" => ReportsSource.Table,
            var text => throw new InvalidOperationException(
                $"{ReportsSourceVariable} '{text}' must be variable (the reports in {ReportsVariable}) or table (the version published to the event table with `costnotifier reports publish`)."),
        };

    /// <summary>The configured reports, from <c>COSTNOTIFIER_REPORTS</c> (JSON).</summary>
    public ReportCatalog Reports()
    {
        var json = Optional(ReportsVariable)
            ?? throw new InvalidOperationException(
                $"Environment variable {ReportsVariable} is not set: it holds the reports when {ReportsSourceVariable} is variable (the default); set {ReportsSourceVariable}=table to read the version published to the event table.");
        try
        {
            return ReportConfiguration.Parse(json);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"COSTNOTIFIER_REPORTS: {ex.Message}", ex);
        }
    }

    /// <summary>The DynamoDB event table.</summary>
    public string EventsTable => Required("COSTNOTIFIER_EVENTS_TABLE");

    /// <summary>The collector queue URL.</summary>
    public string? CollectorQueueUrl => Optional("COSTNOTIFIER_COLLECTOR_QUEUE_URL");

    /// <summary>The collector dead-letter queue URL.</summary>
    public string? CollectorDeadLetterQueueUrl => Optional("COSTNOTIFIER_COLLECTOR_DLQ_URL");

    /// <summary>The notifier queue URL.</summary>
    public string? NotifierQueueUrl => Optional("COSTNOTIFIER_NOTIFIER_QUEUE_URL");

    /// <summary>The notifier dead-letter queue URL.</summary>
    public string? NotifierDeadLetterQueueUrl => Optional("COSTNOTIFIER_NOTIFIER_DLQ_URL");

    /// <summary>The verified sender address: one plain address in ASCII, as SES takes it.</summary>
    public string SenderAddress
    {
        get
        {
            var address = Required("COSTNOTIFIER_SENDER_ADDRESS");
            return ReportConfiguration.EmailAddressProblem(address) is { } problem
                ? throw new InvalidOperationException($"COSTNOTIFIER_SENDER_ADDRESS '{address}' {problem}.")
                : address;
        }
    }

    /// <summary>The SES configuration set, if any.</summary>
    public string? SesConfigurationSet => Optional("COSTNOTIFIER_SES_CONFIGURATION_SET");

    /// <summary>
    /// The account's SES sending quota in emails per second, from <c>COSTNOTIFIER_SES_MAX_SEND_RATE</c> (a decimal
    /// number greater than 0 and at most 1000); <see cref="EmailSendRate.DefaultMaxSendRate"/> when unset.
    /// </summary>
    public decimal SesMaxSendRate =>
        Optional(EmailSendRate.MaxSendRateVariable) is { } text ? EmailSendRate.ParseMaxSendRate(text) : EmailSendRate.DefaultMaxSendRate;

    /// <summary>
    /// The most notifier invocations Lambda runs at once for the work queue, from
    /// <c>COSTNOTIFIER_NOTIFIER_MAX_CONCURRENCY</c> (Terraform passes the event source mapping's own maximum
    /// concurrency; a whole number from 2 to 1000); <see cref="EmailSendRate.DefaultMaxConcurrency"/> when unset.
    /// </summary>
    public int NotifierMaxConcurrency =>
        Optional(EmailSendRate.MaxConcurrencyVariable) is { } text ? EmailSendRate.ParseMaxConcurrency(text) : EmailSendRate.DefaultMaxConcurrency;

    /// <summary>
    /// The emails per second one notifier container may send: <see cref="SesMaxSendRate"/> shared evenly by the
    /// <see cref="NotifierMaxConcurrency"/> containers that can run at once, so together they stay within the quota.
    /// </summary>
    public decimal EmailSendRatePerContainer
    {
        get
        {
            var rate = EmailSendRate.PerProcess(SesMaxSendRate, NotifierMaxConcurrency);
            return rate >= SendRateLimiter.MinimumPermitsPerSecond
                ? rate
                : throw new InvalidOperationException(
                    $"{EmailSendRate.MaxSendRateVariable} ({SesMaxSendRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}) divided by "
                    + $"{EmailSendRate.MaxConcurrencyVariable} ({NotifierMaxConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture)}) leaves each notifier less than one email in thirty days.");
        }
    }

    /// <summary>
    /// Where a Slack bot destination's <c>chat.postMessage</c> is called, from <c>COSTNOTIFIER_SLACK_API_URL</c> (a
    /// proxy, or a stand-in in tests); null for Slack's own (<c>https://slack.com/api/</c>).
    /// </summary>
    public Uri? SlackApiUrl =>
        Optional("COSTNOTIFIER_SLACK_API_URL") is not { } text
            ? null
            : Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
                ? url
                : throw new InvalidOperationException($"COSTNOTIFIER_SLACK_API_URL '{text}' must be an absolute https URL (http only to a loopback address).");

    /// <summary>
    /// Whether a chat webhook URL read from SSM may be plain http when it points at a loopback address, from
    /// <c>COSTNOTIFIER_CHAT_HTTP_TO_LOOPBACK</c> (<c>true</c> or <c>false</c>, default false). Only tests that stand
    /// in for Slack and Teams on the machine set it; an http webhook anywhere else is refused whatever it says.
    /// </summary>
    public bool ChatHttpToLoopback =>
        Optional("COSTNOTIFIER_CHAT_HTTP_TO_LOOPBACK") switch
        {
            null or "false" => false,
            "true" => true,
            var text => throw new InvalidOperationException($"COSTNOTIFIER_CHAT_HTTP_TO_LOOPBACK '{text}' must be true or false."),
        };

    /// <summary>The Cost Explorer metric.</summary>
    public string CostMetric => Optional("COSTNOTIFIER_COST_METRIC") ?? "UnblendedCost";

    /// <summary>
    /// How long a worker's claim lives, from <c>COSTNOTIFIER_CLAIM_SECONDS</c> (Terraform sets twice the function's
    /// timeout: longer than any live invocation, shorter than the queue's 6 × timeout visibility);
    /// <see cref="Claim.DefaultDuration"/> when unset.
    /// </summary>
    public TimeSpan ClaimDuration =>
        Optional("COSTNOTIFIER_CLAIM_SECONDS") is not { } text
            ? Claim.DefaultDuration
            : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds is >= 10 and <= 7200
                ? TimeSpan.FromSeconds(seconds)
                : throw new InvalidOperationException($"COSTNOTIFIER_CLAIM_SECONDS '{text}' must be a whole number of seconds from 10 to 7200.");

    /// <summary>
    /// The receives the function's queue allows before its redrive policy dead-letters a message, from
    /// <c>COSTNOTIFIER_MAX_RECEIVE_COUNT</c> (Terraform passes the queue's own <c>maxReceiveCount</c>); null when unset.
    /// Knowing it, a message still failing on its last receive is dead-lettered with its reason.
    /// </summary>
    public int? MaxReceiveCount =>
        Optional("COSTNOTIFIER_MAX_RECEIVE_COUNT") is not { } text
            ? null
            : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= 1000
                ? count
                : throw new InvalidOperationException($"COSTNOTIFIER_MAX_RECEIVE_COUNT '{text}' must be a whole number from 1 to 1000.");

    /// <summary>The minimum log level, from <c>COSTNOTIFIER_LOG_LEVEL</c> (default Information).</summary>
    public LogLevel LogLevel =>
        Enum.TryParse<LogLevel>(Optional("COSTNOTIFIER_LOG_LEVEL"), ignoreCase: true, out var level) ? level : LogLevel.Information;

    /// <summary>A variable that must be set.</summary>
    public string Required(string name) =>
        Optional(name) ?? throw new InvalidOperationException($"Environment variable {name} is not set.");

    /// <summary>A variable that may be unset (null when empty).</summary>
    public string? Optional(string name) => read(name) is { Length: > 0 } value ? value.Trim() : null;
}
