using CostNotifier.Events;
using CostNotifier.Messaging;

namespace CostNotifier.Collector.Snapshots;

/// <summary>Decides which event a fresh collection adds to a report-day stream. Pure: state and facts in, event out.</summary>
public static class CollectionDecision
{
    /// <summary>
    /// The event recording that <paramref name="request"/> collected <paramref name="figures"/>: the first snapshot
    /// of the day, a revision when the figures changed, or a confirmation pointing at the unchanged snapshot.
    /// </summary>
    public static ReportDayEvent Decide(
        ReportDayState state,
        ReportRequested request,
        SnapshotFigures figures,
        string groupBy,
        string metric,
        int costSourceRequests,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(figures);

        var latest = state.LatestSnapshot;
        if (latest is null)
        {
            return new CostSnapshotCollected(
                request.ReportId, request.Date, request.RequestId, request.Trigger, groupBy, metric,
                figures.Currency, figures.Total, figures.Estimated, figures.PreviousDayTotal,
                figures.SameWeekdayLastWeekTotal, figures.MonthToDate, figures.Groups, figures.Trend,
                costSourceRequests, now);
        }

        if (figures.SameAs(latest) && latest.GroupBy == groupBy && latest.Metric == metric)
        {
            return new CostSnapshotConfirmed(
                request.ReportId, request.Date, request.RequestId, request.Trigger,
                state.LatestSnapshotVersion, costSourceRequests, now);
        }

        return new CostSnapshotRevised(
            request.ReportId, request.Date, request.RequestId, request.Trigger, groupBy, metric,
            figures.Currency, figures.Total, figures.Estimated, figures.PreviousDayTotal,
            figures.SameWeekdayLastWeekTotal, figures.MonthToDate, figures.Groups, figures.Trend,
            costSourceRequests, now, state.LatestSnapshotVersion, latest.Total);
    }
}
