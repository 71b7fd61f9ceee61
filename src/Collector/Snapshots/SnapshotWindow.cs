using CostNotifier.Domain;

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
    /// week-on-week comparison plus the month to date — at most 31 days, one request with DAILY granularity.
    /// </summary>
    public static DateRange For(ReportDate day)
    {
        var trendStart = day.AddDays(-(TrendDays - 1));
        var start = day.MonthStart < trendStart ? day.MonthStart : trendStart;
        return DateRange.Inclusive(start, day);
    }
}
