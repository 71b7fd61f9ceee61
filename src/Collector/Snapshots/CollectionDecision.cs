using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Messaging;

namespace CostNotifier.Collector.Snapshots;

/// <summary>Decides which event a fresh collection adds to a report-day stream. Pure: state and facts in, event out.</summary>
public static class CollectionDecision
{
    /// <summary>
    /// The event recording that <paramref name="request"/> collected <paramref name="figures"/>: the first snapshot
    /// of the day, a revision when the figures changed, or a confirmation pointing at the unchanged snapshot. A
    /// snapshot lists the earlier days the collection <paramref name="restated"/>; a confirmation has no room for
    /// them (they are on their own streams either way).
    /// </summary>
    public static ReportPeriodEvent Decide(
        ReportPeriodState state,
        ReportRequested request,
        CostFigures figures,
        IReadOnlyList<RestatedPeriod> restated,
        int costSourceRequests,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(restated);

        var snapshot = SnapshotOf(request, request.Period, figures, costSourceRequests, now) with { Restated = restated };
        var latest = state.LatestSnapshot;
        if (latest is null)
        {
            return snapshot;
        }

        if (figures == latest.Figures)
        {
            return new CostSnapshotConfirmed(
                snapshot.ReportId, snapshot.Date, snapshot.RequestId, snapshot.Trigger,
                state.LatestSnapshotVersion, costSourceRequests, now);
        }

        return new CostSnapshotRevised(snapshot, state.LatestSnapshotVersion, latest.Figures.Total);
    }

    /// <summary>The snapshot <paramref name="request"/> collected of <paramref name="period"/>, as first collected.</summary>
    public static CostSnapshotCollected SnapshotOf(
        ReportRequested request, ReportPeriod period, CostFigures figures, int costSourceRequests, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CostSnapshotCollected
        {
            ReportId = request.ReportId.Value,
            Date = period.ToString(),
            RequestId = request.RequestId.Value,
            Trigger = request.Trigger,
            Figures = figures,
            CostSourceRequests = costSourceRequests,
            CollectedAt = now,
        };
    }
}
