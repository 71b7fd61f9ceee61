using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using CostNotifier.Domain;

namespace CostNotifier.Events;

/// <summary>
/// A fact recorded in a report period stream (a day, an ISO week or a month). Closed to this assembly: each event is a record of primitives in this
/// file, its stable, versioned stored name is declared once in the <c>JsonDerivedType</c> list on this type (renaming
/// a CLR type never changes what is stored), and <see cref="ReportPeriodState.Apply"/> folds it. A change to an event's
/// stored shape bumps its version and adds a reader of the old form to <see cref="EventUpcasters"/>.
/// </summary>
[JsonDerivedType(typeof(CostSnapshotCollected), "CostSnapshotCollected.v2")]
[JsonDerivedType(typeof(CostSnapshotRevised), "CostSnapshotRevised.v2")]
[JsonDerivedType(typeof(CostSnapshotConfirmed), "CostSnapshotConfirmed.v1")]
[JsonDerivedType(typeof(NotificationSent), "NotificationSent.v1")]
[JsonDerivedType(typeof(NotificationFailed), "NotificationFailed.v1")]
[JsonDerivedType(typeof(NotificationAccepted), "NotificationAccepted.v1")]
[JsonDerivedType(typeof(NotificationDelivered), "NotificationDelivered.v1")]
[JsonDerivedType(typeof(NotificationBounced), "NotificationBounced.v1")]
[JsonDerivedType(typeof(NotificationComplained), "NotificationComplained.v1")]
[JsonDerivedType(typeof(NotificationDelayed), "NotificationDelayed.v1")]
[JsonDerivedType(typeof(NotificationRejected), "NotificationRejected.v1")]
public abstract record ReportPeriodEvent
{
    private protected ReportPeriodEvent()
    {
    }
}

/// <summary>The cost of one group in the report's period, with its comparison amounts.</summary>
/// <param name="Key">Service name, account id or <c>tagkey$value</c>, exactly as the cost source returned it.</param>
/// <param name="Amount">The period's amount; 0 for a group that had cost only in a comparison period.</param>
/// <param name="PreviousDay">The amount in the period before (the day before, for a daily report), null when the group had no cost then.</param>
/// <param name="SameWeekdayLastWeek">
/// The amount in the period compared further back (the same weekday a week before, for a daily report; see
/// <see cref="DigestFigures.ComparisonPeriod"/> for a digest), null when the group had no cost then.
/// </param>
public sealed record GroupLine(string Key, decimal Amount, decimal? PreviousDay, decimal? SameWeekdayLastWeek);

/// <summary>The total of one day, or of one period of a digest's trend.</summary>
/// <param name="Date">The day (yyyy-MM-dd), or the period (yyyy-Www, yyyy-MM).</param>
/// <param name="Total">Its total.</param>
/// <param name="Estimated">Whether the provider still marked it as estimated.</param>
public sealed record DayTotal(string Date, decimal Total, bool Estimated);

/// <summary>
/// What a weekly or monthly digest shows beyond the figures every report has. In a digest's <see cref="CostFigures"/>
/// the total is the period's, <c>PreviousDayTotal</c> that of <see cref="PreviousPeriod"/>,
/// <c>SameWeekdayLastWeekTotal</c> that of <see cref="ComparisonPeriod"/>, and the trend holds period totals.
/// </summary>
/// <param name="PreviousPeriod">The period before, e.g. <c>2026-W47</c> or <c>2026-10</c>.</param>
/// <param name="ComparisonPeriod">The period compared further back: four weeks before a week, the same month a year before a month.</param>
/// <param name="Days">A weekly digest's days, Monday first (a day the source had no data for is left out); empty for a month.</param>
/// <param name="ForecastCheck">A monthly digest's forecast made during the month, to set against how it ended; null when none was made.</param>
public sealed record DigestFigures(string PreviousPeriod, string ComparisonPeriod, IReadOnlyList<DayTotal> Days, ForecastCheck? ForecastCheck)
{
    /// <inheritdoc />
    public bool Equals(DigestFigures? other) =>
        other is not null
        && PreviousPeriod == other.PreviousPeriod
        && ComparisonPeriod == other.ComparisonPeriod
        && Days.SequenceEqual(other.Days)
        && ForecastCheck == other.ForecastCheck;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(PreviousPeriod, ComparisonPeriod, Days.Count, ForecastCheck);
}

/// <summary>A month-end forecast made during the month, as a daily report with the same question recorded it.</summary>
/// <param name="ReportId">The daily report whose snapshot made it.</param>
/// <param name="MadeOn">The usage day it was made on, yyyy-MM-dd.</param>
/// <param name="Expected">The projected month total.</param>
/// <param name="Low">The low end of its range.</param>
/// <param name="High">The high end of its range.</param>
public sealed record ForecastCheck(string ReportId, string MadeOn, decimal Expected, decimal Low, decimal High);

/// <summary>
/// The figures of one report day as collected: what the email shows and what a later collection is compared with.
/// Two figures are equal when every amount, group and trend day is.
/// </summary>
/// <param name="GroupBy">How the cost was grouped.</param>
/// <param name="Metric">Cost metric, e.g. UnblendedCost.</param>
/// <param name="Currency">Currency of every amount.</param>
/// <param name="Total">The period's total at full precision (sum of all groups).</param>
/// <param name="Estimated">Whether the provider still marked the day (for a digest, any day or the month) as estimated.</param>
/// <param name="PreviousDayTotal">Total of the day (for a digest, the period) before, null when the source had no data for it.</param>
/// <param name="SameWeekdayLastWeekTotal">Total of the same weekday a week before (for a digest, its comparison period), null when the source had no data for it.</param>
/// <param name="MonthToDate">Month-to-date total up to and including the period's last day.</param>
/// <param name="Groups">
/// Every group with cost on the day, the day before or the same weekday a week before, largest first; a group with
/// no cost on the day is listed at 0 after the others, so the lines add up to every total they compare.
/// </param>
/// <param name="Trend">
/// Totals ending with the report's own period, oldest first: 15 days for a daily report, 12 weeks for a weekly digest,
/// 13 months for a monthly one; a period the source had no data for is left out.
/// </param>
public sealed record CostFigures(
    string GroupBy,
    string Metric,
    string Currency,
    decimal Total,
    bool Estimated,
    decimal? PreviousDayTotal,
    decimal? SameWeekdayLastWeekTotal,
    decimal MonthToDate,
    IReadOnlyList<GroupLine> Groups,
    IReadOnlyList<DayTotal> Trend)
{
    /// <summary>
    /// What stood out against each group's own recent history, largest impact first; empty when nothing did (and in
    /// snapshots recorded before anomalies were detected).
    /// </summary>
    public IReadOnlyList<CostAnomaly> Anomalies { get; init; } = [];

    /// <summary>
    /// The projected total of the month of the report's last day, or null when there was too little history (and for
    /// a monthly digest, whose month has ended).
    /// </summary>
    public MonthForecast? Forecast { get; init; }

    /// <summary>A weekly or monthly digest's own figures; null for a daily report.</summary>
    public DigestFigures? Digest { get; init; }

    /// <inheritdoc />
    public bool Equals(CostFigures? other) =>
        other is not null
        && Anomalies.SequenceEqual(other.Anomalies)
        && Forecast == other.Forecast
        && Digest == other.Digest
        && GroupBy == other.GroupBy
        && Metric == other.Metric
        && Currency == other.Currency
        && Total == other.Total
        && Estimated == other.Estimated
        && PreviousDayTotal == other.PreviousDayTotal
        && SameWeekdayLastWeekTotal == other.SameWeekdayLastWeekTotal
        && MonthToDate == other.MonthToDate
        && Groups.SequenceEqual(other.Groups)
        && Trend.SequenceEqual(other.Trend);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(GroupBy, Metric, Currency, Total, Groups.Count, Trend.Count);
}

/// <summary>What an anomaly is.</summary>
public enum AnomalyKind
{
    /// <summary>More than the expected range.</summary>
    Spike,

    /// <summary>Less than the expected range.</summary>
    Drop,

    /// <summary>A group with cost on the report day and none in its history.</summary>
    NewGroup,
}

/// <summary>A group (or the total) whose amount on the report day fell outside what its history leads one to expect.</summary>
/// <param name="Key">The group key, or null for the day's total.</param>
/// <param name="Kind">Spike, drop or a group seen for the first time.</param>
/// <param name="Amount">The amount on the report day.</param>
/// <param name="ExpectedLow">The low end of the expected range.</param>
/// <param name="ExpectedHigh">The high end of the expected range.</param>
/// <param name="Impact">How far outside the range, in money: positive above it, negative below it.</param>
public sealed record CostAnomaly(string? Key, AnomalyKind Kind, decimal Amount, decimal ExpectedLow, decimal ExpectedHigh, decimal Impact)
{
    /// <summary>The usage day it happened on (yyyy-MM-dd) in a digest; null in a daily report, where it is the report day.</summary>
    public string? Date { get; init; }
}

/// <summary>The projected total of a calendar month, made on a day of it.</summary>
/// <param name="Month">The month, yyyy-MM.</param>
/// <param name="Expected">The projected month total.</param>
/// <param name="Low">The low end of the projection's range.</param>
/// <param name="High">The high end of the projection's range.</param>
/// <param name="Basis">How it was made, in a few words a reader can check (e.g. "month to date + 20 days at the weekday averages of the last 4 weeks").</param>
public sealed record MonthForecast(string Month, decimal Expected, decimal Low, decimal High, string Basis);

/// <summary>An earlier report period (day, week or month) whose figures changed, seen in the window of a later collection.</summary>
/// <param name="Date">The earlier period: a day (yyyy-MM-dd), or a digest's week (yyyy-Www) or month (yyyy-MM).</param>
/// <param name="PreviousTotal">Its total as its stream had it.</param>
/// <param name="Total">Its total now.</param>
/// <param name="Version">The version of the revision recorded on its stream.</param>
public sealed record RestatedPeriod(string Date, decimal PreviousTotal, decimal Total, long Version);

/// <summary>A snapshot of a report day's figures, as first collected or as revised.</summary>
public abstract record CostSnapshot : ReportPeriodEvent
{
    private protected CostSnapshot()
    {
    }

    /// <summary>Report id.</summary>
    public required string ReportId { get; init; }

    /// <summary>The period: a usage day (yyyy-MM-dd), an ISO week (yyyy-Www) or a month (yyyy-MM).</summary>
    public required string Date { get; init; }

    /// <summary>The request that collected it.</summary>
    public required string RequestId { get; init; }

    /// <summary>Why the request was made.</summary>
    public required Trigger Trigger { get; init; }

    /// <summary>The day's figures.</summary>
    public required CostFigures Figures { get; init; }

    /// <summary>Earlier days of the window whose figures had changed and were revised on their own streams by this collection.</summary>
    public IReadOnlyList<RestatedPeriod> Restated { get; init; } = [];

    /// <summary>Billable cost-source requests the collection made.</summary>
    public required int CostSourceRequests { get; init; }

    /// <summary>
    /// For one account's share of a per-account report: the account's name as the configuration or Cost Explorer
    /// gives it; null otherwise, or when neither does.
    /// </summary>
    public string? AccountName { get; init; }

    /// <summary>When it was collected.</summary>
    public required DateTimeOffset CollectedAt { get; init; }

    /// <summary>Two snapshots are equal when every field is, the restated days compared one by one.</summary>
    public virtual bool Equals(CostSnapshot? other) =>
        base.Equals(other)
        && ReportId == other.ReportId
        && Date == other.Date
        && RequestId == other.RequestId
        && Trigger == other.Trigger
        && Figures == other.Figures
        && Restated.SequenceEqual(other.Restated)
        && CostSourceRequests == other.CostSourceRequests
        && AccountName == other.AccountName
        && CollectedAt == other.CollectedAt;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), ReportId, Date, RequestId, Figures, Restated.Count, CollectedAt);
}

/// <summary>The first snapshot of a report day was collected.</summary>
public sealed record CostSnapshotCollected : CostSnapshot;

/// <summary>A later collection found different figures for a day already collected (e.g. estimated data settled).</summary>
public sealed record CostSnapshotRevised : CostSnapshot
{
    /// <summary>Creates an empty revision for the serializer and object initializers.</summary>
    public CostSnapshotRevised()
    {
    }

    /// <summary>The revision that records <paramref name="snapshot"/> in place of the one at <paramref name="revisesVersion"/>.</summary>
    [SetsRequiredMembers]
    public CostSnapshotRevised(CostSnapshot snapshot, long revisesVersion, decimal previousTotal)
        : base(snapshot)
    {
        RevisesVersion = revisesVersion;
        PreviousTotal = previousTotal;
    }

    /// <summary>The version of the snapshot this one replaces.</summary>
    public required long RevisesVersion { get; init; }

    /// <summary>That snapshot's total.</summary>
    public required decimal PreviousTotal { get; init; }
}

/// <summary>A later collection found the same figures as the snapshot at <paramref name="SnapshotVersion"/>.</summary>
public sealed record CostSnapshotConfirmed(
    string ReportId,
    string Date,
    string RequestId,
    Trigger Trigger,
    long SnapshotVersion,
    int CostSourceRequests,
    DateTimeOffset CollectedAt) : ReportPeriodEvent;

/// <summary>The report email for a request was accepted by the email provider for one recipient.</summary>
public sealed record NotificationSent(
    string ReportId,
    string Date,
    string RequestId,
    string Recipient,
    long SnapshotVersion,
    string ProviderMessageId,
    string Subject,
    DateTimeOffset SentAt) : ReportPeriodEvent;

/// <summary>The email provider refused the report email for one recipient and retrying will not help.</summary>
public sealed record NotificationFailed(
    string ReportId,
    string Date,
    string RequestId,
    string Recipient,
    long SnapshotVersion,
    string Reason,
    DateTimeOffset FailedAt) : ReportPeriodEvent;

/// <summary>
/// What the email provider later reported about one email it had accepted (SES's sending events), matched to the
/// report period through the email's tags and to the email through the provider's message id.
/// </summary>
public abstract record DeliveryReport : ReportPeriodEvent
{
    private protected DeliveryReport()
    {
    }

    /// <summary>Report id.</summary>
    public required string ReportId { get; init; }

    /// <summary>The report period.</summary>
    public required string Date { get; init; }

    /// <summary>The request the email was sent for.</summary>
    public required string RequestId { get; init; }

    /// <summary>The recipient the report concerns.</summary>
    public required string Recipient { get; init; }

    /// <summary>The provider's message id, as <see cref="NotificationSent.ProviderMessageId"/> records it.</summary>
    public required string ProviderMessageId { get; init; }

    /// <summary>When the provider says it happened.</summary>
    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>
/// The provider reported accepting the email (SES's <c>Send</c> event). Recorded even when the sender died before
/// storing <see cref="NotificationSent"/>, it stops a retry from sending the email again.
/// </summary>
public sealed record NotificationAccepted : DeliveryReport;

/// <summary>The recipient's mail server accepted the email (SES's <c>Delivery</c> event).</summary>
public sealed record NotificationDelivered : DeliveryReport;

/// <summary>The email bounced (SES's <c>Bounce</c> event).</summary>
public sealed record NotificationBounced : DeliveryReport
{
    /// <summary><c>Permanent</c>, <c>Transient</c> or <c>Undetermined</c>.</summary>
    public required string BounceType { get; init; }

    /// <summary>SES's finer reason, e.g. <c>General</c>, <c>Suppressed</c>, <c>OnAccountSuppressionList</c>, <c>MailboxFull</c>.</summary>
    public required string BounceSubType { get; init; }

    /// <summary>The receiving server's diagnostic, when it gave one.</summary>
    public string? Diagnostic { get; init; }
}

/// <summary>The recipient marked the email as spam (SES's <c>Complaint</c> event).</summary>
public sealed record NotificationComplained : DeliveryReport
{
    /// <summary>The feedback type the mailbox provider sent (e.g. <c>abuse</c>), when it sent one.</summary>
    public string? FeedbackType { get; init; }
}

/// <summary>Delivery is delayed and SES keeps trying (SES's <c>DeliveryDelay</c> event).</summary>
public sealed record NotificationDelayed : DeliveryReport
{
    /// <summary>SES's delay type, e.g. <c>MailboxFull</c>, <c>TransientCommunicationFailure</c>.</summary>
    public required string DelayType { get; init; }

    /// <summary>The receiving server's diagnostic, when it gave one.</summary>
    public string? Diagnostic { get; init; }
}

/// <summary>SES accepted the email and then refused to deliver it (its <c>Reject</c> or <c>Rendering Failure</c> event).</summary>
public sealed record NotificationRejected : DeliveryReport
{
    /// <summary>The reason SES gave.</summary>
    public required string Reason { get; init; }
}
