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
    public static ReportDayEvent Decide(
        ReportDayState state,
        ReportRequested request,
        CostFigures figures,
        IReadOnlyList<RestatedDay> restated,
        int costSourceRequests,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(restated);

        var snapshot = new CostSnapshotCollected
        {
            ReportId = request.ReportId.Value,
            Date = request.Date.ToString(),
            RequestId = request.RequestId.Value,
            Trigger = request.Trigger,
            Figures = figures,
            Restated = restated,
            CostSourceRequests = costSourceRequests,
            CollectedAt = now,
        };
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
}
