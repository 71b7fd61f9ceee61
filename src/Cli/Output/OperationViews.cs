namespace CostNotifier.Cli.Output;

/// <summary>What <c>run</c> did, per report-day, read back from the event store.</summary>
/// <param name="Trigger">Why the report-days were requested.</param>
/// <param name="Reports">Each report-day.</param>
/// <param name="Queues">The queues afterwards.</param>
/// <param name="OutboxDirectory">Where the emails were written.</param>
/// <param name="CostSource"><c>sample</c> or <c>aws</c> (the account's Cost Explorer); left out where not known.</param>
/// <param name="CostSourceRequests">Requests (pages) made to the cost source; each Cost Explorer one costs $0.01.</param>
public sealed record RunSummary(
    string Trigger,
    IReadOnlyList<RunReportPeriod> Reports,
    IReadOnlyList<QueueSummary> Queues,
    string? OutboxDirectory,
    string? CostSource = null,
    int? CostSourceRequests = null)
{
    /// <summary>The collector messages the run's report periods travelled in: periods asking the same question share one.</summary>
    public int? CollectorMessages { get; init; }
}

/// <summary>One report period of a run.</summary>
/// <remarks>
/// <c>Date</c> names the period: the usage day of a daily report, the ISO week (yyyy-Www) or month (yyyy-MM) of a
/// digest. <c>CostSourceRequests</c> is what the snapshot this request settled on cost (pages included).
/// </remarks>
public sealed record RunReportPeriod(
    string ReportId,
    string Date,
    string RequestId,
    long? SnapshotVersion,
    decimal? Total,
    decimal? TotalExact,
    string? Currency,
    bool? Estimated,
    IReadOnlyList<string> EmailedRecipients,
    IReadOnlyList<string> FailedRecipients,
    string? EmailDirectory,
    IReadOnlyList<string> SentNow,
    IReadOnlyList<string> EmailFiles)
{
    /// <summary>daily, weekly or monthly.</summary>
    public string Cadence { get; init; } = "daily";

    /// <summary>Billable cost-source requests of the collection this request settled on; null without a snapshot.</summary>
    public int? CostSourceRequests { get; init; }

    /// <summary>Chat destinations (<c>slack:</c>/<c>teams:</c> keys) the request's report was posted to.</summary>
    public IReadOnlyList<string> PostedChannels { get; init; } = [];

    /// <summary>Chat destinations that refused the report for good.</summary>
    public IReadOnlyList<string> FailedChannels { get; init; } = [];

    /// <summary>The payload files this run wrote for chat destinations (.slack.json, .teams.json).</summary>
    public IReadOnlyList<string> ChatFiles { get; init; } = [];

    /// <summary>For a per-account report: what happened to the accounts' shares; null for any other report.</summary>
    public AccountSharesSummary? Accounts { get; init; }
}

/// <summary>The accounts' shares of one period of a per-account report, as one request left them.</summary>
/// <param name="Collected">Accounts whose share has a snapshot from this request.</param>
/// <param name="Emailed">Account emails sent for this request (to owners or the default recipients).</param>
/// <param name="EmailsFailed">Account emails refused for good.</param>
/// <param name="Skipped">Accounts with cost but nobody to tell (unowned, skipped by configuration).</param>
/// <param name="SentNow">Account emails this run wrote.</param>
public sealed record AccountSharesSummary(int Collected, int Emailed, int EmailsFailed, int Skipped, int SentNow);

/// <summary>How many messages wait in a queue and its dead-letter queue.</summary>
public sealed record QueueSummary(string Queue, int Waiting, int InFlight, int DeadLettered);

/// <summary>What <c>replay</c> put on the collector queue.</summary>
/// <param name="RequestId">The request id every message carries.</param>
/// <param name="DryRun">Whether nothing was enqueued.</param>
/// <param name="Messages">The report-days enqueued (or, in a dry run, planned).</param>
/// <param name="Queue">The queue they went to.</param>
/// <param name="NotEnqueued">After a partial failure, the report-days that were not enqueued; otherwise absent.</param>
public sealed record EnqueueSummary(
    string RequestId,
    bool DryRun,
    IReadOnlyList<EnqueuedMessage> Messages,
    string? Queue = null,
    IReadOnlyList<EnqueuedMessage>? NotEnqueued = null)
{
    /// <summary>
    /// The collector messages the periods travel in (periods asking the same question share one); each costs the
    /// deployed collector one Cost Explorer request, plus one per extra page. Null in a dry run.
    /// </summary>
    public int? CollectorMessages { get; init; }

    /// <summary>Cost Explorer requests this command made itself: none, the deployed collector makes them.</summary>
    public int CostSourceRequests { get; init; }
}

/// <summary>One enqueued report-day.</summary>
/// <param name="ReportId">The report.</param>
/// <param name="Date">The usage day.</param>
/// <param name="MessageId">The queue's message id; null in a dry run or when the queue did not say.</param>
/// <param name="EnvelopeId">The message envelope's id, when known.</param>
public sealed record EnqueuedMessage(string ReportId, string Date, string? MessageId, string? EnvelopeId = null);

/// <summary>A message waiting in a dead-letter queue.</summary>
public sealed record DeadLetterView(
    string Queue,
    string MessageId,
    int ReceiveCount,
    string? Reason,
    DateTimeOffset? DeadLetteredAt,
    string? ReportId,
    string? Date,
    string Body)
{
    /// <summary>A view of a dead-lettered message; report and date are read from the body when it is an envelope.</summary>
    public static DeadLetterView From(string queue, string messageId, int receiveCount, string? reason, DateTimeOffset? deadLetteredAt, string body)
    {
        string? reportId = null;
        string? date = null;
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("payload", out var payload)
                && payload.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                reportId = Text(payload, "reportId");
                date = Text(payload, "period") ?? Text(payload, "date");
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // An unreadable body is one reason a message ends here; show it as it is.
        }

        return new DeadLetterView(queue, messageId, receiveCount, reason, deadLetteredAt, reportId, date, body);
    }

    private static string? Text(System.Text.Json.JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
}
