using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Messaging;

namespace CostNotifier.Scheduler;

/// <summary>
/// Splits the report periods of a run into collector messages: the periods of reports that ask Cost Explorer the same
/// question — the same grouping, filter and granularity (daily for daily reports and weekly digests, monthly for
/// monthly ones) — travel together, in period order, so the collector makes one request (plus pages) for each
/// message's question. A daily report and a weekly digest grouped by service, say, share one.
/// </summary>
public static class CollectionGroups
{
    /// <summary>
    /// The most periods of a per-account report in one message: its answer has a group per account, service and day,
    /// so a message keeps to about six weeks of days (a thousand accounts: some 600,000 groups).
    /// </summary>
    public const int PerAccountPeriods = 7;

    /// <summary>
    /// The most periods of a report the catalog does not list (an operator replaying on a stack whose list the CLI
    /// was not given) in one message: its question is unknown, so it travels alone and in small steps.
    /// </summary>
    public const int UnlistedPeriods = 31;

    /// <summary>The messages for <paramref name="requests"/>: each a list of 1 to <see cref="ReportsRequested.MaxRequests"/> periods.</summary>
    public static IEnumerable<IReadOnlyList<ReportRequested>> Split(IEnumerable<ReportRequested> requests, ReportCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(catalog);
        foreach (var group in requests.GroupBy(r => QuestionOf(r, catalog)))
        {
            var size = group.Key.Size;
            foreach (var chunk in group.OrderBy(r => r.Period.Last).Chunk(size))
            {
                yield return chunk;
            }
        }
    }

    // What a report asks Cost Explorer, whatever the period: reports with equal questions share answers.
    private static Question QuestionOf(ReportRequested request, ReportCatalog catalog)
    {
        if (!catalog.TryGet(request.ReportId, out var report))
        {
            return new Question("unlisted:" + request.ReportId.Value, CostGranularity.Daily, string.Empty, UnlistedPeriods);
        }

        var granularity = report.Cadence == Cadence.Monthly ? CostGranularity.Monthly : CostGranularity.Daily;
        var filter = Filters.Key(report.Filter);
        return report.PerAccount is null
            ? new Question(report.GroupBy.ToString(), granularity, filter, ReportsRequested.MaxRequests)
            : new Question("per-account", granularity, filter, PerAccountPeriods);
    }

    private sealed record Question(string Grouping, CostGranularity Granularity, string Filter, int Size);
}
