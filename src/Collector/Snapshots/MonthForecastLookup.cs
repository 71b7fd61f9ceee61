using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;

namespace CostNotifier.Collector.Snapshots;

/// <summary>
/// Finds the month-end forecast that was made during a month, for the monthly digest to set against how the month
/// ended. A monthly digest's single request has MONTHLY granularity and cannot make one itself; a daily report that
/// asks the same question (the same filter, so the same total) already recorded one with every snapshot.
/// </summary>
public sealed class MonthForecastLookup(IEventStore store, ReportCatalog catalog)
{
    /// <summary>The day of the month whose forecast is preferred: halfway, when the projection has half a month to go on.</summary>
    public const int PreferredDay = 15;

    /// <summary>The earliest day tried when the preferred one has no snapshot with a forecast.</summary>
    public const int EarliestDay = 8;

    /// <summary>
    /// The forecast of <paramref name="month"/> recorded by a daily report with the same filter as
    /// <paramref name="report"/>: the latest snapshot of the 15th, or failing that of the nearest earlier day down to
    /// the 8th. Null when no daily report asks the same question or none of those days has a forecast.
    /// </summary>
    public async Task<ForecastCheck?> FindAsync(ReportDefinition report, ReportPeriod month, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (month.Cadence != Cadence.Monthly)
        {
            throw new ArgumentException($"{month} is not a month.", nameof(month));
        }

        var daily = catalog.Reports.Where(r => r.Cadence == Cadence.Daily && Filters.Key(r.Filter) == Filters.Key(report.Filter)).ToList();
        for (var day = PreferredDay; day >= EarliestDay; day--)
        {
            var date = month.First.AddDays(day - 1);
            foreach (var source in daily)
            {
                var state = await store.LoadAsync(new StreamId(source.Id, date), cancellationToken).ConfigureAwait(false);
                if (state.LatestSnapshot?.Figures.Forecast is { } forecast && forecast.Month == month.ToString())
                {
                    return new ForecastCheck(source.Id.Value, date.ToString(), forecast.Expected, forecast.Low, forecast.High);
                }
            }
        }

        return null;
    }
}
