using CostNotifier.Domain;

namespace CostNotifier.Messaging;

/// <summary>
/// The JSON envelope every queue message travels in. <see cref="Payload"/> is interpreted according to
/// <see cref="Type"/> and <see cref="Version"/>.
/// </summary>
/// <param name="Type">Message type name, e.g. <c>ReportRequested</c>.</param>
/// <param name="Version">Schema version of the payload.</param>
/// <param name="Id">Unique id of this message.</param>
/// <param name="CorrelationId">Id shared by every message and log line caused by one request.</param>
/// <param name="OccurredAt">When the message was created.</param>
/// <param name="Payload">The type-specific body.</param>
public sealed record MessageEnvelope(
    string Type,
    int Version,
    string Id,
    string CorrelationId,
    DateTimeOffset OccurredAt,
    System.Text.Json.JsonElement Payload);

/// <summary>Asks the collector to collect one report period.</summary>
/// <param name="ReportId">The report.</param>
/// <param name="Period">The usage day, ISO week or month (yyyy-MM-dd, yyyy-Www or yyyy-MM on the wire); its cadence is the report's.</param>
/// <param name="Trigger">Why it was requested.</param>
/// <param name="RequestId">Identifies the request: redeliveries share it, a replay gets a new one.</param>
public sealed record ReportRequested(ReportId ReportId, ReportPeriod Period, Trigger Trigger, RequestId RequestId) : IReportPeriodMessage;

/// <summary>
/// Asks the collector to collect several report periods whose reports ask Cost Explorer the same question (the same
/// grouping, filter and granularity): the collector fetches it once over all their windows and collects each period
/// from that answer, so a backfill of a year or a schedule of many alike reports costs a handful of requests.
/// </summary>
/// <param name="Requests">The report periods, each as its own <see cref="ReportRequested"/> would ask; 1 to <see cref="MaxRequests"/>.</param>
public sealed record ReportsRequested(IReadOnlyList<ReportRequested> Requests)
{
    /// <summary>The most report periods one message carries (about 150 bytes each, well inside SQS's 256 KiB).</summary>
    public const int MaxRequests = 400;
}

/// <summary>Tells the notifier that a snapshot is stored and can be emailed.</summary>
/// <param name="ReportId">The report.</param>
/// <param name="Period">The usage day, ISO week or month (yyyy-MM-dd, yyyy-Www or yyyy-MM on the wire).</param>
/// <param name="SnapshotVersion">The stream version of the snapshot to send.</param>
/// <param name="RequestId">The request that collected it; emails are sent once per request and recipient.</param>
/// <param name="Trigger">Why the request was made.</param>
public sealed record CostSnapshotReady(ReportId ReportId, ReportPeriod Period, long SnapshotVersion, RequestId RequestId, Trigger Trigger) : IReportPeriodMessage;

/// <summary>A message about one report period of one request.</summary>
public interface IReportPeriodMessage
{
    /// <summary>The report.</summary>
    ReportId ReportId { get; }

    /// <summary>The usage day, week or month.</summary>
    ReportPeriod Period { get; }

    /// <summary>The request.</summary>
    RequestId RequestId { get; }
}

/// <summary>Message type names and the versions this build understands.</summary>
public static class MessageTypes
{
    /// <summary>Type name of <see cref="Messaging.ReportRequested"/>.</summary>
    public const string ReportRequested = "ReportRequested";

    /// <summary>Type name of <see cref="Messaging.ReportsRequested"/>.</summary>
    public const string ReportsRequested = "ReportsRequested";

    /// <summary>Type name of <see cref="Messaging.CostSnapshotReady"/>.</summary>
    public const string CostSnapshotReady = "CostSnapshotReady";

    /// <summary>
    /// The payload version this build writes: 2 carries a <c>period</c> (a day, ISO week or month) where 1 carried
    /// a <c>date</c>. Version 1 is still read, as a daily period.
    /// </summary>
    public const int CurrentVersion = 2;

    /// <summary>The oldest payload version this build reads.</summary>
    public const int OldestReadVersion = 1;
}

/// <summary>The logical queues of the pipeline.</summary>
public enum PipelineQueue
{
    /// <summary>Carries <see cref="ReportRequested"/> to the collector.</summary>
    Collector,

    /// <summary>Carries <see cref="CostSnapshotReady"/> to the notifier.</summary>
    Notifier,

    /// <summary>
    /// Carries the email provider's sending events (SES: send, delivery, bounce, complaint, reject, rendering
    /// failure, delivery delay) to the notifier, which records them on the report period's stream.
    /// </summary>
    Delivery,
}

/// <summary>Version 1 of <see cref="ReportRequested"/>: a <c>date</c> instead of a period.</summary>
internal sealed record ReportRequestedV1(ReportId ReportId, ReportDate Date, Trigger Trigger, RequestId RequestId)
{
    public ReportRequested Current => new(ReportId, Date, Trigger, RequestId);
}

/// <summary>Version 1 of <see cref="CostSnapshotReady"/>: a <c>date</c> instead of a period.</summary>
internal sealed record CostSnapshotReadyV1(ReportId ReportId, ReportDate Date, long SnapshotVersion, RequestId RequestId, Trigger Trigger)
{
    public CostSnapshotReady Current => new(ReportId, Date, SnapshotVersion, RequestId, Trigger);
}
