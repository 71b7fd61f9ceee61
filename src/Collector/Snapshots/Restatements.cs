using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Collector.Snapshots;

/// <summary>
/// Cost Explorer keeps revising recent days (estimated usage settles, late charges land; a month's figures settle in
/// the first days of the next), and every collection's answer already holds the period before its own. This records
/// those changes on the earlier periods' own streams, from that answer: no further cost-source request, and no email
/// (the earlier period was already sent; the later one says what changed).
/// </summary>
public sealed class Restatements(IEventStore store, ILogger<Restatements> logger)
{
    /// <summary>
    /// For each earlier period the answer holds — the <see cref="SnapshotWindow.RestatedDays"/> days before a daily
    /// report's day, the week or month before a digest's — oldest first: its figures as <paramref name="days"/> now
    /// have them, recorded as a revision on its stream when they <see cref="Changed">changed</see>. Left alone: a
    /// period without a stream (this never starts one), one whose figures the answer does not hold whole, and one
    /// another writer appended to in the meantime.
    /// </summary>
    /// <returns>The periods revised, oldest first: what the request's snapshot lists as restated.</returns>
    public async Task<IReadOnlyList<RestatedPeriod>> RestateAsync(
        ReportRequested request, ReportDefinition report, CostQuery query, IReadOnlyList<DailyCost> days, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(days);
        // A day whose figures the answer does not hold whole is left alone before its stream is read; a digest's
        // previous period is checked by DigestSnapshotFigures, which keeps what the answer does not reach.
        IEnumerable<ReportPeriod> earlier = request.Period.Cadence == Cadence.Daily
            ? Enumerable.Range(1, SnapshotWindow.RestatedDays).Reverse().Select(back => request.Period.Add(-back)).Where(p => HoldsDay(p.First, query, days))
            : [request.Period.Previous];
        var restated = new List<RestatedPeriod>();
        foreach (var period in earlier)
        {
            var revised = await RestatePeriodAsync(request, period, recorded => Fresh(period, recorded, report, query, days), now, cancellationToken)
                .ConfigureAwait(false);
            if (revised is not null)
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

    // Whether the answer holds everything the figures of an earlier day read.
    private static bool HoldsDay(ReportDate day, CostQuery query, IReadOnlyList<DailyCost> days) =>
        query.Period.Contains(SnapshotWindow.FiguresOf(day).Start) && days.Any(d => d.Date == day);

    // The period's figures as the answer has them when they are news against the recorded ones; null when they are
    // not, or (for a digest) the answer does not hold them whole.
    private static CostFigures? Fresh(ReportPeriod period, CostFigures recorded, ReportDefinition report, CostQuery query, IReadOnlyList<DailyCost> days)
    {
        if (period.Cadence != Cadence.Daily)
        {
            return DigestSnapshotFigures.RestateIfChanged(period, recorded, query, days, report.Anomalies);
        }

        var figures = SnapshotFigures.Compute(period.First, query, days);
        return Changed(recorded, figures) ? figures : null;
    }

    private async Task<RestatedPeriod?> RestatePeriodAsync(
        ReportRequested request, ReportPeriod period, Func<CostFigures, CostFigures?> fresh, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stream = new StreamId(request.ReportId, period);
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
                ? new RestatedPeriod(earlier.Date, earlier.PreviousTotal, earlier.Figures.Total, version)
                : null;
        }

        if (fresh(latest.Figures) is not { } figures)
        {
            return null;
        }

        // No request of its own: the figures come from the later period's answer.
        var revision = new CostSnapshotRevised(
            CollectionDecision.SnapshotOf(request, period, figures, costSourceRequests: 0, now), state.LatestSnapshotVersion, latest.Figures.Total);
        try
        {
            state = await store.AppendAsync(stream, state, revision, now, cancellationToken).ConfigureAwait(false);
        }
        catch (WrongExpectedVersionException)
        {
            // Another writer (most likely that day's own collection) got there first and read the same answer or a
            // newer one; the report day's collection goes on without it.
            logger.LogInformation(
                "Restating {ReportId} {Date} lost to another writer; left to it", request.ReportId.Value, period.ToString());
            return null;
        }

        logger.LogInformation(
            "Restated {ReportId} {Date}: total {PreviousTotal} became {Total} (estimated {WasEstimated} -> {Estimated}), snapshot v{SnapshotVersion}",
            request.ReportId.Value,
            period.ToString(),
            latest.Figures.Total,
            figures.Total,
            latest.Figures.Estimated,
            figures.Estimated,
            state.Version);
        return new RestatedPeriod(period.ToString(), latest.Figures.Total, figures.Total, state.Version);
    }
}
