using CostNotifier.Domain;
using CostNotifier.Validation;

namespace CostNotifier.Collector.Snapshots;

/// <summary>
/// The usage days one collection asks for: enough for every figure of the email in a single cost-source call.
/// </summary>
public static class SnapshotWindow
{
    /// <summary>Days of trend the email shows, ending with the report day.</summary>
    public const int TrendDays = 15;

    /// <summary>
    /// From the earlier of (day − 14) and the first of day's month, to day + 1 (exclusive): 15 days of trend and
    /// week-on-week comparison plus the month to date — at most 31 days, one request with DAILY granularity. The
    /// start never lies before the oldest day Cost Explorer serves on <paramref name="today"/>
    /// (<see cref="ReportDayRules.EarliestDate"/>); the days cut off that way are simply absent from the figures.
    /// </summary>
    public static DateRange For(ReportDate day, ReportDate today)
    {
        var start = Earlier(day.AddDays(-(TrendDays - 1)), day.MonthStart);
        var earliest = ReportDayRules.EarliestDate(today);
        if (start < earliest)
        {
            // A day older than that is refused by the validator; should one come through, Cost Explorer says why.
            start = Earlier(earliest, day);
        }

        return DateRange.Inclusive(start, day);
    }

    private static ReportDate Earlier(ReportDate a, ReportDate b) => a < b ? a : b;
}
