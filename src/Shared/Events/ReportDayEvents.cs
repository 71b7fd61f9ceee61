using System.Text.Json.Serialization;

namespace CostNotifier.Events;

/// <summary>
/// A fact recorded in a report-day stream. Closed to this assembly: each event is a record of primitives in this
/// file, its stable, versioned stored name is declared once in the <c>JsonDerivedType</c> list on this type (renaming
/// a CLR type never changes what is stored), and <see cref="ReportDayState.Apply"/> folds it.
/// </summary>
[JsonDerivedType(typeof(CostSnapshotCollected), "CostSnapshotCollected.v1")]
[JsonDerivedType(typeof(CostSnapshotRevised), "CostSnapshotRevised.v1")]
[JsonDerivedType(typeof(CostSnapshotConfirmed), "CostSnapshotConfirmed.v1")]
[JsonDerivedType(typeof(NotificationSent), "NotificationSent.v1")]
[JsonDerivedType(typeof(NotificationFailed), "NotificationFailed.v1")]
public abstract record ReportDayEvent
{
    private protected ReportDayEvent()
    {
    }
}

/// <summary>The cost of one group on the report day, with its comparison amounts.</summary>
/// <param name="Key">Service name, account id or <c>tagkey$value</c>, exactly as the cost source returned it.</param>
/// <param name="Amount">The day's amount.</param>
/// <param name="PreviousDay">The amount the day before, null when the group had no cost then.</param>
/// <param name="SameWeekdayLastWeek">The amount seven days before, null when the group had no cost then.</param>
public sealed record GroupLine(string Key, decimal Amount, decimal? PreviousDay, decimal? SameWeekdayLastWeek);

/// <summary>The total of one day in the comparison window.</summary>
public sealed record DayTotal(string Date, decimal Total, bool Estimated);

/// <summary>What every snapshot event carries: the figures of the report day.</summary>
public interface ICostSnapshot
{
    /// <summary>Report id.</summary>
    string ReportId { get; }

    /// <summary>Usage day, yyyy-MM-dd.</summary>
    string Date { get; }

    /// <summary>The request that collected it.</summary>
    string RequestId { get; }

    /// <summary>scheduled, replay or backfill.</summary>
    string Trigger { get; }

    /// <summary>How the cost was grouped.</summary>
    string GroupBy { get; }

    /// <summary>Cost metric, e.g. UnblendedCost.</summary>
    string Metric { get; }

    /// <summary>Currency of every amount.</summary>
    string Currency { get; }

    /// <summary>The day's total at full precision (sum of all groups).</summary>
    decimal Total { get; }

    /// <summary>Whether the provider still marked the day as estimated.</summary>
    bool Estimated { get; }

    /// <summary>Total of the day before.</summary>
    decimal? PreviousDayTotal { get; }

    /// <summary>Total of the same weekday a week before.</summary>
    decimal? SameWeekdayLastWeekTotal { get; }

    /// <summary>Month-to-date total up to and including the day.</summary>
    decimal MonthToDate { get; }

    /// <summary>Every group of the day, largest first.</summary>
    IReadOnlyList<GroupLine> Groups { get; }

    /// <summary>Daily totals of the comparison window, oldest first, ending with the day itself.</summary>
    IReadOnlyList<DayTotal> Trend { get; }

    /// <summary>When it was collected.</summary>
    DateTimeOffset CollectedAt { get; }
}

/// <summary>The first snapshot of a report day was collected.</summary>
public sealed record CostSnapshotCollected(
    string ReportId,
    string Date,
    string RequestId,
    string Trigger,
    string GroupBy,
    string Metric,
    string Currency,
    decimal Total,
    bool Estimated,
    decimal? PreviousDayTotal,
    decimal? SameWeekdayLastWeekTotal,
    decimal MonthToDate,
    IReadOnlyList<GroupLine> Groups,
    IReadOnlyList<DayTotal> Trend,
    int CostSourceRequests,
    DateTimeOffset CollectedAt) : ReportDayEvent, ICostSnapshot;

/// <summary>A later collection found different figures for a day already collected (e.g. estimated data settled).</summary>
public sealed record CostSnapshotRevised(
    string ReportId,
    string Date,
    string RequestId,
    string Trigger,
    string GroupBy,
    string Metric,
    string Currency,
    decimal Total,
    bool Estimated,
    decimal? PreviousDayTotal,
    decimal? SameWeekdayLastWeekTotal,
    decimal MonthToDate,
    IReadOnlyList<GroupLine> Groups,
    IReadOnlyList<DayTotal> Trend,
    int CostSourceRequests,
    DateTimeOffset CollectedAt,
    long RevisesVersion,
    decimal PreviousTotal) : ReportDayEvent, ICostSnapshot;

/// <summary>A later collection found the same figures as the snapshot at <paramref name="SnapshotVersion"/>.</summary>
public sealed record CostSnapshotConfirmed(
    string ReportId,
    string Date,
    string RequestId,
    string Trigger,
    long SnapshotVersion,
    int CostSourceRequests,
    DateTimeOffset CollectedAt) : ReportDayEvent;

/// <summary>The report email for a request was accepted by the email provider for one recipient.</summary>
public sealed record NotificationSent(
    string ReportId,
    string Date,
    string RequestId,
    string Recipient,
    long SnapshotVersion,
    string ProviderMessageId,
    string Subject,
    DateTimeOffset SentAt) : ReportDayEvent;

/// <summary>The email provider refused the report email for one recipient and retrying will not help.</summary>
public sealed record NotificationFailed(
    string ReportId,
    string Date,
    string RequestId,
    string Recipient,
    long SnapshotVersion,
    string Reason,
    DateTimeOffset FailedAt) : ReportDayEvent;
