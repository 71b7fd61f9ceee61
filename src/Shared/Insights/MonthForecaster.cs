using System.Globalization;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Events;

namespace CostNotifier.Insights;

/// <summary>
/// Projects the total of the report day's month from the month to date and the weekday pattern of recent weeks, out
/// of the same window of daily cost the snapshot is computed from (no extra request). Pure.
/// </summary>
/// <remarks>
/// The daily totals of the window (up to the report day) are fitted by <see cref="DailyBaseline"/> with the level
/// taken over the last <see cref="LevelDays"/> days. Each remaining day of the month is projected at
/// <c>level × its weekday factor</c>, plus a monthly charge when the same day of the previous month had one. The
/// projection is the month to date, plus what an estimated (possibly incomplete) tail is still short of its expected
/// amount, plus the remaining days. The range is ± <see cref="RangeDeviations"/> standard deviations of the remaining
/// days' sum, combining day-to-day noise, the uncertainty of the level and how much the level has wandered from week to
/// week. docs/REPORTS.md explains the method and its measured error.
/// </remarks>
public static class MonthForecaster
{
    /// <summary>How many of the latest days the level of the projection is the median of.</summary>
    public const int LevelDays = 7;

    /// <summary>Half the width of the range in standard deviations (1.28: a central 80% range if the errors were normal).</summary>
    public const decimal RangeDeviations = 1.28m;

    /// <summary>
    /// How much the level may change in a week beyond what the window shows (new services, changed workloads), as a
    /// relative standard deviation.
    /// </summary>
    public const decimal UnforeseenWeeklyChange = 0.05m;

    /// <summary>
    /// The projected total of <paramref name="day"/>'s month, or null when the window lacks a day of the month to date
    /// or holds fewer than <see cref="InsightsWindow.MinimumHistoryDays"/> days before the report day.
    /// </summary>
    public static MonthForecast? Forecast(ReportDate day, IReadOnlyList<DailyCost> window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var costs = CostWindow.Read(day, window);
        var monthDays = DateRange.Inclusive(day.MonthStart, day);
        if (costs.HistoryDates.Count() < InsightsWindow.MinimumHistoryDays || !monthDays.EachDay().All(costs.Contains))
        {
            return null;
        }

        var series = costs.Series(null, costs.Dates.Where(d => d >= day.AddDays(-InsightsWindow.HistoryDays)));
        var monthToDate = monthDays.EachDay().Sum(d => costs.AmountOn(null, d));
        var monthEnd = day.MonthStart.Day.AddMonths(1).AddDays(-1);
        var remainingDays = monthEnd.DayNumber - day.Day.DayNumber;
        var baseline = DailyBaseline.Fit(series, LevelDays);

        decimal remaining, shortfall, deviation;
        var charges = 0;
        if (baseline.Regular)
        {
            // What the estimated tail is still short of its expected amount is assumed to arrive.
            shortfall = series.Where(d => d.Tail).Sum(d => Math.Max(0m, baseline.ExpectedOn(d.Date) - d.Amount));
            remaining = 0m;
            for (var offset = 1; offset <= remainingDays; offset++)
            {
                var date = day.AddDays(offset);
                remaining += baseline.ExpectedOn(date);
                var monthBefore = new ReportDate(date.Day.AddMonths(-1));
                foreach (var earlier in series.Where(d => d.Date == monthBefore && !d.Tail))
                {
                    if (baseline.IsOutlier(earlier.Date, earlier.Amount, AnomalyDetector.Tolerance))
                    {
                        remaining += earlier.Amount - baseline.ExpectedAround(earlier.Date);
                        charges++;
                    }
                }
            }

            deviation = RemainingDeviation(baseline, remaining, remainingDays);
        }
        else
        {
            // Irregular spending (most days without cost): the mean day, whose sum is what matters here.
            shortfall = 0m;
            remaining = baseline.Mean * remainingDays;
            var spread = Robust.Sqrt(series.Sum(d => (d.Amount - baseline.Mean) * (d.Amount - baseline.Mean)) / Math.Max(1, series.Count - 1));
            deviation = spread * Robust.Sqrt(remainingDays);
        }

        var expected = monthToDate + shortfall + remaining;
        var low = monthToDate + remaining - (RangeDeviations * deviation);
        if (remaining >= 0m)
        {
            low = Math.Max(low, monthToDate);
        }

        var high = expected + (RangeDeviations * deviation);
        var basis = string.Create(
            CultureInfo.InvariantCulture,
            $"month to date ({day.Day.Day} days) + {remainingDays} {(remainingDays == 1 ? "day" : "days")} at the {(baseline.Regular ? "weekday levels" : "daily average")} of the last {series.Count} days");
        if (charges > 0)
        {
            basis += charges == 1 ? " + a monthly charge seen last month" : " + monthly charges seen last month";
        }

        return new MonthForecast(
            day.Day.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            Money.RoundToCents(expected),
            Money.RoundToCents(low),
            Money.RoundToCents(high),
            basis);
    }

    /// <summary>
    /// The standard deviation of the sum of the <paramref name="days"/> remaining days: independent day-to-day noise,
    /// the error of the level (a median of <see cref="DailyBaseline.LevelDays"/> days) applied to every day, and a
    /// level that wanders as a random walk with the fitted weekly drift.
    /// </summary>
    private static decimal RemainingDeviation(DailyBaseline baseline, decimal remaining, int days)
    {
        if (days == 0)
        {
            return 0m;
        }

        var daily = Math.Abs(remaining) / days;
        var noise = days * (baseline.Spread * daily) * (baseline.Spread * daily);
        var levelError = 1.25m * baseline.Spread / Robust.Sqrt(Math.Max(1, baseline.LevelDays)) * Math.Abs(remaining);
        var drift = (baseline.WeeklyDrift * baseline.WeeklyDrift) + (UnforeseenWeeklyChange * UnforeseenWeeklyChange);
        var stepVariance = daily * daily * drift / 7m;
        var walk = stepVariance * days * (days + 1) * ((2 * days) + 1) / 6m;
        return Robust.Sqrt(noise + (levelError * levelError) + walk);
    }
}
