using CostNotifier.Domain;
using CostNotifier.Insights;
using CostNotifier.Validation;

namespace CostNotifier.Collector.Snapshots;

/// <summary>
/// The usage days one collection asks for: every figure of the email, five weeks of history and the figures of the
/// week before, in a single cost-source call.
/// </summary>
public static class SnapshotWindow
{
    /// <summary>Days of trend the email shows, ending with the report day.</summary>
    public const int TrendDays = 15;

    /// <summary>
    /// Days a collection carries, ending with the report day: the report day and the history the anomaly flags and the
    /// month forecast read (<see cref="InsightsWindow.HistoryDays"/>, five whole weeks).
    /// </summary>
    public const int HistoryDays = InsightsWindow.HistoryDays + 1;

    /// <summary>The days before the report day whose figures a collection recomputes to find restatements.</summary>
    public const int RestatedDays = 7;

    /// <summary>
    /// What the figures of <paramref name="day"/> read: from the earlier of (day − 14) and the first of day's month,
    /// to day — the trend, both comparison days and the month to date.
    /// </summary>
    public static DateRange FiguresOf(ReportDate day) =>
        DateRange.Inclusive(Earlier(day.AddDays(-(TrendDays - 1)), day.MonthStart), day);

    /// <summary>
    /// What a collection of <paramref name="day"/> asks for on <paramref name="today"/>: from the earlier of
    /// (day − 35) and the first of the month of (day − 7), to day. That is five weeks of history and, for each of
    /// the seven days before the report day, everything its own figures read (<see cref="FiguresOf"/>): the month to
    /// date of a day near the end of the previous month reaches back to that month's first. 36 days, 38 at most, one
    /// request with DAILY granularity. The start never lies before the oldest day Cost Explorer serves on
    /// <paramref name="today"/> (<see cref="ReportPeriodRules.EarliestDate"/>); the days cut off that way are simply
    /// absent from the figures.
    /// </summary>
    public static DateRange For(ReportDate day, ReportDate today)
    {
        var start = Earlier(day.AddDays(-(HistoryDays - 1)), day.AddDays(-RestatedDays).MonthStart);
        var earliest = ReportPeriodRules.EarliestDate(today);
        if (start < earliest)
        {
            // A day older than that is refused by the validator; should one come through, Cost Explorer says why.
            start = Earlier(earliest, day);
        }

        return DateRange.Inclusive(start, day);
    }

    private static ReportDate Earlier(ReportDate a, ReportDate b) => a < b ? a : b;
}
