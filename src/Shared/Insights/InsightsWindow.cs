using CostNotifier.Domain;

namespace CostNotifier.Insights;

/// <summary>
/// The daily cost the insights need: the report day, the <see cref="HistoryDays"/> days before it and the month to
/// date. With DAILY granularity this is still one cost-source request (plus one per extra page).
/// </summary>
public static class InsightsWindow
{
    /// <summary>
    /// Days of history before the report day that are read: five of each weekday, and always the same day of the
    /// previous month, where a monthly charge recurs.
    /// </summary>
    public const int HistoryDays = 35;

    /// <summary>With fewer days of history than this nothing is flagged and no forecast is made.</summary>
    public const int MinimumHistoryDays = 14;

    /// <summary>
    /// How many of the latest days (the report day included) may still be incomplete estimates when the cost source
    /// marks them estimated. Earlier days marked estimated are taken as they are.
    /// </summary>
    public const int TailDays = 3;

    /// <summary>The usage days to fetch for <paramref name="day"/>: from the earlier of day − 35 and the first of its month, to the day.</summary>
    public static DateRange For(ReportDate day)
    {
        var historyStart = day.AddDays(-HistoryDays);
        return DateRange.Inclusive(day.MonthStart < historyStart ? day.MonthStart : historyStart, day);
    }
}
