using System.Collections.Frozen;
using System.Text.Json;
using CostNotifier.Domain;

namespace CostNotifier.Events;

/// <summary>
/// Readers of stored event forms this build no longer writes. Each turns an old form into the current event, so
/// streams written by an earlier version fold like new ones and nothing is migrated in place.
/// </summary>
internal static class EventUpcasters
{
    /// <summary>Reads old forms by their stored type name.</summary>
    public static FrozenDictionary<string, Func<string, ReportPeriodEvent>> ByName { get; } =
        new Dictionary<string, Func<string, ReportPeriodEvent>>(StringComparer.Ordinal)
        {
            ["CostSnapshotCollected.v1"] = data => ReadSnapshotV1(data).ToCollected(),
            ["CostSnapshotRevised.v1"] = data => ReadSnapshotV1(data).ToRevised(),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private static CostSnapshotV1 ReadSnapshotV1(string data) =>
        JsonSerializer.Deserialize(data, EventJsonContext.Default.CostSnapshotV1)
        ?? throw new JsonException("The event is JSON null.");
}

/// <summary>
/// Version 1 of both snapshot events: the figures flat beside the identity, and for a revision the version and
/// total it replaced.
/// </summary>
internal sealed record CostSnapshotV1(
    string ReportId,
    string Date,
    string RequestId,
    Trigger Trigger,
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
    long? RevisesVersion = null,
    decimal? PreviousTotal = null)
{
    public CostSnapshotCollected ToCollected() => new()
    {
        ReportId = ReportId,
        Date = Date,
        RequestId = RequestId,
        Trigger = Trigger,
        Figures = Figures,
        CostSourceRequests = CostSourceRequests,
        CollectedAt = CollectedAt,
    };

    public CostSnapshotRevised ToRevised() => new(
        ToCollected(),
        RevisesVersion ?? throw new JsonException("A CostSnapshotRevised.v1 event has no revisesVersion."),
        PreviousTotal ?? throw new JsonException("A CostSnapshotRevised.v1 event has no previousTotal."));

    private CostFigures Figures => new(
        GroupBy, Metric, Currency, Total, Estimated, PreviousDayTotal, SameWeekdayLastWeekTotal, MonthToDate, Groups, Trend);
}
