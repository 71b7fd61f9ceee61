using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Events;

namespace CostNotifier.Insights;

/// <summary>
/// Flags the day's total and every group whose amount on the report day falls outside what its own recent history
/// leads one to expect, and groups with cost for the first time. Pure: the same window always gives the same list.
/// </summary>
/// <remarks>
/// Each series (the total, and each group) is fitted by <see cref="DailyBaseline"/> over the days before the report
/// day: a recent level, a weekday pattern and a relative spread, all medians. The expected range is
/// <c>level × weekday factor ± <see cref="Tolerance"/> spreads</c>, widened by a monthly charge seen on the same day
/// of the previous month, and lowered on an estimated report day, which may still be incomplete. A group is flagged
/// only when its impact (how far outside the range, in money) reaches both minimums of the report's
/// <see cref="AnomalyThresholds"/>; the relative one is a share of the expected amount. docs/REPORTS.md explains the
/// method and its measured precision and recall.
/// </remarks>
public static class AnomalyDetector
{
    /// <summary>How many days the level is the median of: the latest week.</summary>
    public const int LevelDays = 7;

    /// <summary>Half the width of the expected range, in spreads (relative standard deviations) of the expected amount.</summary>
    public const decimal Tolerance = 4m;

    /// <summary>How much a recurring monthly charge may differ from the one the month before, as a share of it.</summary>
    public const decimal ChargeVariation = 0.2m;

    /// <summary>How far short of its final amount an estimated report day may be, as a share of its expected range's low end.</summary>
    public const decimal EstimatedShortfall = 0.4m;

    /// <summary>
    /// The anomalies of <paramref name="day"/> in <paramref name="window"/> (the collector's daily cost, which should
    /// reach back <see cref="InsightsWindow.HistoryDays"/> days), largest impact first. Empty when the window does
    /// not hold the day or holds fewer than <see cref="InsightsWindow.MinimumHistoryDays"/> days of history.
    /// </summary>
    public static IReadOnlyList<CostAnomaly> Detect(ReportDate day, IReadOnlyList<DailyCost> window, AnomalyThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(thresholds);
        var costs = CostWindow.Read(day, window);
        var history = costs.HistoryDates.ToList();
        if (!costs.HasDay || history.Count < InsightsWindow.MinimumHistoryDays)
        {
            return [];
        }

        var anomalies = new List<CostAnomaly>();
        foreach (var key in costs.Keys.Prepend(null))
        {
            var anomaly = Assess(key, costs.Series(key, history), costs.AmountOn(key, day), day, costs.DayEstimated, thresholds);
            if (anomaly is not null)
            {
                anomalies.Add(anomaly);
            }
        }

        return
        [
            .. anomalies
                .OrderByDescending(a => Math.Abs(a.Impact))
                .ThenBy(a => a.Key is not null)
                .ThenBy(a => a.Key, StringComparer.Ordinal),
        ];
    }

    /// <summary>The anomaly of one series on <paramref name="day"/>, or null when the day is within its range or the impact is below the thresholds.</summary>
    internal static CostAnomaly? Assess(
        string? key,
        IReadOnlyList<DayAmount> history,
        decimal amount,
        ReportDate day,
        bool dayEstimated,
        AnomalyThresholds thresholds)
    {
        if (history.All(d => d.Amount == 0m))
        {
            // No cost in the whole history: a group seen for the first time, or a total that was zero.
            if (amount == 0m || Math.Abs(amount) < thresholds.MinimumImpact)
            {
                return null;
            }

            var kind = key is not null ? AnomalyKind.NewGroup : amount > 0m ? AnomalyKind.Spike : AnomalyKind.Drop;
            return new CostAnomaly(key, kind, amount, 0m, 0m, amount);
        }

        var range = ExpectedRange(history, day, dayEstimated);
        var impact = amount > range.High ? amount - range.High
            : amount < range.Low ? amount - range.Low
            : 0m;
        if (impact > 0m && day.Day.Day == 1 && !history.Any(d => d.Date == new ReportDate(day.Day.AddMonths(-1))))
        {
            // Monthly charges land on the 1st; a history that does not reach last month's 1st cannot tell one from a spike.
            return null;
        }

        if (impact == 0m
            || Math.Abs(impact) < thresholds.MinimumImpact
            || Math.Abs(impact) < thresholds.MinimumRelativeImpact * Math.Abs(range.Expected))
        {
            return null;
        }

        return new CostAnomaly(key, impact > 0m ? AnomalyKind.Spike : AnomalyKind.Drop, amount, range.Low, range.High, impact);
    }

    /// <summary>The range a series' history leads one to expect on <paramref name="day"/>, in cents, and its centre.</summary>
    internal static (decimal Low, decimal High, decimal Expected) ExpectedRange(IReadOnlyList<DayAmount> history, ReportDate day, bool dayEstimated)
    {
        // The same day of the previous month is judged on its own: a monthly charge there is expected again today.
        var monthBefore = new ReportDate(day.Day.AddMonths(-1));
        var baseline = DailyBaseline.Fit([.. history.Where(d => d.Date != monthBefore)], LevelDays);
        decimal low, high, expected;
        if (baseline.Regular)
        {
            expected = baseline.ExpectedOn(day);
            var halfWidth = Tolerance * baseline.Spread * Math.Abs(expected);
            (low, high) = (expected - halfWidth, expected + halfWidth);
        }
        else
        {
            (low, high, expected) = (baseline.Lowest, baseline.Highest, baseline.Level);
        }

        foreach (var earlier in history.Where(d => d.Date == monthBefore))
        {
            if (baseline.IsOutlier(earlier.Date, earlier.Amount, Tolerance))
            {
                var charge = earlier.Amount - baseline.ExpectedAround(earlier.Date);
                var variation = ChargeVariation * Math.Abs(charge);
                (low, high) = (Math.Min(low, low + charge - variation), Math.Max(high, high + charge + variation));
                expected += charge;
            }
        }

        if (dayEstimated && low > 0m)
        {
            low *= 1m - EstimatedShortfall;
        }

        return (Money.RoundToCents(low), Money.RoundToCents(high), expected);
    }
}
