using System.Text.Json.Serialization;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;

namespace CostNotifier.Cli.Output;

/// <summary>One stored snapshot as the CLI prints it. Field names are the stable JSON contract (docs/CLI.md).</summary>
public sealed record SnapshotView(
    string ReportId,
    string Date,
    long Version,
    string Kind,
    decimal Total,
    decimal TotalExact,
    string Currency,
    bool Estimated,
    decimal? PreviousDayTotal,
    decimal? SameWeekdayLastWeekTotal,
    decimal MonthToDate,
    string GroupBy,
    string Metric,
    string RequestId,
    string Trigger,
    DateTimeOffset CollectedAt,
    int Revisions,
    int EmailsSent,
    IReadOnlyList<GroupView>? Groups)
{
    /// <summary>The latest snapshot of every stream, from events read through the store's report index.</summary>
    public static IReadOnlyList<SnapshotView> LatestPerDay(IEnumerable<StoredEvent> events, bool withGroups) =>
        events
            .GroupBy(e => e.Stream)
            .Select(stream => (stream.Key, State: ReportDayState.Fold(stream.OrderBy(e => e.Version))))
            .Where(s => s.State.LatestSnapshot is not null)
            .OrderBy(s => s.Key.Date)
            .ThenBy(s => s.Key.Report.Value, StringComparer.Ordinal)
            .Select(s => From(s.State, withGroups))
            .ToList();

    /// <summary>The view of a stream's latest snapshot.</summary>
    public static SnapshotView From(ReportDayState state, bool withGroups)
    {
        ArgumentNullException.ThrowIfNull(state);
        var snapshot = state.LatestSnapshot ?? throw new InvalidOperationException("The stream has no snapshot.");
        return new SnapshotView(
            snapshot.ReportId,
            snapshot.Date,
            state.LatestSnapshotVersion,
            snapshot is CostSnapshotRevised ? "revised" : "collected",
            Money.RoundToCents(snapshot.Figures.Total),
            snapshot.Figures.Total,
            snapshot.Figures.Currency,
            snapshot.Figures.Estimated,
            snapshot.Figures.PreviousDayTotal,
            snapshot.Figures.SameWeekdayLastWeekTotal,
            snapshot.Figures.MonthToDate,
            snapshot.Figures.GroupBy,
            snapshot.Figures.Metric,
            snapshot.RequestId,
            snapshot.Trigger.ToWireName(),
            snapshot.CollectedAt,
            state.Snapshots.Count - 1,
            state.Sent.Count,
            withGroups ? snapshot.Figures.Groups.Select(g => new GroupView(g.Key, Money.RoundToCents(g.Amount), g.Amount, g.PreviousDay, g.SameWeekdayLastWeek)).ToList() : null);
    }
}

/// <summary>One group of a snapshot.</summary>
public sealed record GroupView(string Key, decimal Amount, decimal AmountExact, decimal? PreviousDay, decimal? SameWeekdayLastWeek);

/// <summary>One stored event as the CLI prints it.</summary>
public sealed record EventView(string Stream, long Version, string Type, DateTimeOffset RecordedAt, string Summary, System.Text.Json.JsonElement Data);

/// <summary>Source-generated JSON for CLI output.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<SnapshotView>))]
[JsonSerializable(typeof(SnapshotView))]
[JsonSerializable(typeof(IReadOnlyList<EventView>))]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(IReadOnlyList<DeadLetterView>))]
[JsonSerializable(typeof(EnqueueSummary))]
[JsonSerializable(typeof(StackView))]
[JsonSerializable(typeof(RedriveSummary))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
