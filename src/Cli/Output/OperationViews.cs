namespace CostNotifier.Cli.Output;

/// <summary>What <c>run</c> did, per report-day, read back from the event store.</summary>
public sealed record RunSummary(
    string Trigger,
    IReadOnlyList<RunReportDay> Reports,
    IReadOnlyList<QueueSummary> Queues,
    string? OutboxDirectory);

/// <summary>One report-day of a run.</summary>
public sealed record RunReportDay(
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
    string? EmailDirectory);

/// <summary>How many messages wait in a queue and its dead-letter queue.</summary>
public sealed record QueueSummary(string Queue, int Waiting, int InFlight, int DeadLettered);

/// <summary>What <c>replay</c> (or a scheduled enqueue) put on the collector queue.</summary>
public sealed record EnqueueSummary(string RequestId, bool DryRun, IReadOnlyList<EnqueuedMessage> Messages);

/// <summary>One enqueued report-day.</summary>
public sealed record EnqueuedMessage(string ReportId, string Date, string? MessageId);

/// <summary>A message waiting in a dead-letter queue.</summary>
public sealed record DeadLetterView(
    string Queue,
    string MessageId,
    int ReceiveCount,
    string? Reason,
    DateTimeOffset? DeadLetteredAt,
    string? ReportId,
    string? Date,
    string Body);
