using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Validation;

namespace CostNotifier.Collector.Snapshots;

/// <summary>
/// What the collection of a weekly or monthly digest asks Cost Explorer for: every figure of the email and those of
/// the period before (which the same answer restates), in a single request.
/// </summary>
public static class DigestWindow
{
    /// <summary>Weeks of trend a weekly digest shows, ending with its own week.</summary>
    public const int TrendWeeks = 12;

    /// <summary>Months of trend a monthly digest shows at most, ending with its own month.</summary>
    public const int TrendMonths = 13;

    /// <summary>How many weeks before its own a weekly digest's comparison week lies.</summary>
    public const int ComparisonWeeksBack = 4;

    /// <summary>How many months before its own a monthly digest's comparison month lies: the same month a year before.</summary>
    public const int ComparisonMonthsBack = 12;

    /// <summary>
    /// The period a digest of <paramref name="period"/> is compared with further back than the period before: four
    /// weeks before a week (the same weekdays, clear of the month's turn), the same month a year before a month.
    /// </summary>
    public static ReportPeriod ComparisonOf(ReportPeriod period) => period.Cadence switch
    {
        Cadence.Weekly => period.Add(-ComparisonWeeksBack),
        Cadence.Monthly => period.Add(-ComparisonMonthsBack),
        _ => throw new ArgumentException($"{period} is a day; a daily report's comparison days are SnapshotFigures'.", nameof(period)),
    };

    /// <summary>How finely the collection of a <paramref name="cadence"/> report asks for cost.</summary>
    public static CostGranularity GranularityOf(Cadence cadence) =>
        cadence == Cadence.Monthly ? CostGranularity.Monthly : CostGranularity.Daily;

    /// <summary>
    /// The usage days the collection of <paramref name="period"/> asks for on <paramref name="today"/>.
    /// <list type="bullet">
    /// <item>A day: <see cref="SnapshotWindow.For"/>, unchanged.</item>
    /// <item>
    /// A week: the 13 ISO weeks ending with its Sunday, 91 days by the day. That is its <see cref="TrendWeeks"/> weeks of
    /// trend and the week before them, so the previous week's own trend and comparison week are in the answer too; the
    /// month to date, and the five weeks of history the anomaly flags and the forecast read, lie well inside.
    /// </item>
    /// <item>
    /// A month: from the first of the month 13 months before to the first of the month after, by the month: its
    /// <see cref="TrendMonths"/> months of trend and the month before them, the year-before month of the previous month.
    /// </item>
    /// </list>
    /// The start never lies before the oldest day Cost Explorer serves on <paramref name="today"/>
    /// (<see cref="ReportPeriodRules.EarliestDate"/>); what that cuts off is simply absent from the answer. Collected in the
    /// month after it, a month's window is always cut so: the previous month's year-before month is out of reach.
    /// </summary>
    public static DateRange For(ReportPeriod period, ReportDate today)
    {
        if (period.Cadence == Cadence.Daily)
        {
            return SnapshotWindow.For(period.First, today);
        }

        var first = period.Add(period.Cadence == Cadence.Weekly ? -TrendWeeks : -TrendMonths).First;
        var earliest = ReportPeriodRules.EarliestDate(today);
        if (first < earliest)
        {
            // A period that starts earlier still is refused by the validator; should one come through, Cost Explorer
            // says why. The earliest day is a month's first, so a monthly window stays whole months.
            first = earliest < period.First ? earliest : period.First;
        }

        return DateRange.Inclusive(first, period.Last);
    }

    /// <summary>
    /// The one request the collection of <paramref name="period"/> makes on <paramref name="today"/>: the days of
    /// <see cref="For"/> at the granularity of <see cref="GranularityOf"/>.
    /// </summary>
    public static CostQuery QueryFor(ReportPeriod period, ReportDate today, GroupBy groupBy, IReadOnlyList<FilterClause> filter, string metric) =>
        new(For(period, today), groupBy, filter, metric) { Granularity = GranularityOf(period.Cadence) };
}
