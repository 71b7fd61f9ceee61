using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Collector.Snapshots;

/// <summary>
/// Cost Explorer keeps revising recent days (estimated usage settles, late charges land), and every collection's
/// answer already holds the week before its report day. This records those changes on the earlier days' own
/// streams, from that answer: no further cost-source request, and no email (the earlier day was already sent).
/// </summary>
public sealed class Restatements(IEventStore store, ILogger<Restatements> logger)
{
    /// <summary>
    /// For each of the <see cref="SnapshotWindow.RestatedDays"/> days before the request's day, oldest first: its
    /// figures as <paramref name="days"/> now have them, recorded as a revision on its stream when they
    /// <see cref="Changed">changed</see>. Left alone: a day without a stream (this never starts one), a day whose
    /// figures the answer does not hold whole, and a day another writer appended to in the meantime.
    /// </summary>
    /// <returns>The days revised, oldest first: what the report day's snapshot lists as restated.</returns>
    public async Task<IReadOnlyList<RestatedDay>> RestateAsync(
        ReportRequested request, CostQuery query, IReadOnlyList<DailyCost> days, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(days);
        var restated = new List<RestatedDay>();
        for (var back = SnapshotWindow.RestatedDays; back >= 1; back--)
        {
            var day = request.Period.First.AddDays(-back);
            if (await RestateDayAsync(request, day, query, days, now, cancellationToken).ConfigureAwait(false) is { } revised)
            {
                restated.Add(revised);
            }
        }

        return restated;
    }

    /// <summary>
    /// Whether <paramref name="fresh"/> figures restate <paramref name="recorded"/> ones: the total changed, or the
    /// day was estimated and is now final. Other differences (a group's split, the trend) follow from the days
    /// that did change and are not news on their own.
    /// </summary>
    public static bool Changed(CostFigures recorded, CostFigures fresh)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(fresh);
        return fresh.Total != recorded.Total || (recorded.Estimated && !fresh.Estimated);
    }

    private async Task<RestatedDay?> RestateDayAsync(
        ReportRequested request, ReportDate day, CostQuery query, IReadOnlyList<DailyCost> days, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var needs = SnapshotWindow.FiguresOf(day);
        if (!query.Period.Contains(needs.Start) || !days.Any(d => d.Date == day))
        {
            return null;
        }

        var stream = new StreamId(request.ReportId, day);
        var state = await store.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        if (state.LatestSnapshot is not { } latest)
        {
            return null;
        }

        if (state.TryGetCollection(request.RequestId, out var version))
        {
            // This request already recorded the day: an earlier attempt of this collection, whose revision is listed
            // again rather than appended twice, or the day's own message of a replay over several days, which is
            // that message's to record.
            return state.Snapshots[version] is CostSnapshotRevised { CostSourceRequests: 0 } earlier && earlier.RequestId == request.RequestId.Value
                ? new RestatedDay(earlier.Date, earlier.PreviousTotal, earlier.Figures.Total, version)
                : null;
        }

        var figures = SnapshotFigures.Compute(day, query, days);
        if (!Changed(latest.Figures, figures))
        {
            return null;
        }

        // No request of its own: the figures come from the report day's answer.
        var revision = new CostSnapshotRevised(
            CollectionDecision.SnapshotOf(request, day, figures, costSourceRequests: 0, now), state.LatestSnapshotVersion, latest.Figures.Total);
        try
        {
            state = await store.AppendAsync(stream, state, revision, now, cancellationToken).ConfigureAwait(false);
        }
        catch (WrongExpectedVersionException)
        {
            // Another writer (most likely that day's own collection) got there first and read the same answer or a
            // newer one; the report day's collection goes on without it.
            logger.LogInformation(
                "Restating {ReportId} {Date} lost to another writer; left to it", request.ReportId.Value, day.ToString());
            return null;
        }

        logger.LogInformation(
            "Restated {ReportId} {Date}: total {PreviousTotal} became {Total} (estimated {WasEstimated} -> {Estimated}), snapshot v{SnapshotVersion}",
            request.ReportId.Value,
            day.ToString(),
            latest.Figures.Total,
            figures.Total,
            latest.Figures.Estimated,
            figures.Estimated,
            state.Version);
        return new RestatedDay(day.ToString(), latest.Figures.Total, figures.Total, state.Version);
    }
}
