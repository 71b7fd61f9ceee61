using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Insights;
using CsCheck;

namespace CostNotifier.UnitTests.Insights;

/// <summary>What holds for any window, however odd: generated groups with gaps, credits, zeros and estimated days.</summary>
public sealed class InsightsPropertyTests
{
    private static readonly ReportDate Day = ReportDate.Parse("2026-05-12");

    private static readonly Gen<List<DailyCost>> Windows =
        Gen.Int[1, 4].SelectMany(groups =>
            Gen.Select(Gen.Int[-5_000, 50_000], Gen.Int[0, 4], Gen.Bool, Gen.Bool)
                .Array[groups * (InsightsWindow.HistoryDays + 1)]
                .Select(cells =>
                {
                    var days = InsightsWindow.For(Day).EachDay().ToList();
                    return days.Select((date, d) => new DailyCost(
                            date,
                            cells[d * groups].Item3,
                            [.. Enumerable.Range(0, groups)
                                .Where(g => cells[(d * groups) + g].Item2 != 0) // a fifth of the cells: no cost that day
                                .Select(g => new GroupCost($"group {g}", cells[(d * groups) + g].Item1 / 100m, "USD"))]))
                        .Where((_, d) => !cells[d * groups].Item4 || d % 9 != 0) // now and then a day the source left out
                        .ToList();
                }));

    [Fact]
    public void Anomalies_AreOutsideTheirRange_ReachTheThresholds_AndComeLargestFirst()
    {
        var thresholds = AnomalyThresholds.Default;
        Windows.Sample(window =>
        {
            var anomalies = AnomalyDetector.Detect(Day, window, thresholds);
            Assert.Equal(anomalies.OrderByDescending(a => Math.Abs(a.Impact)), anomalies);
            foreach (var a in anomalies)
            {
                Assert.True(a.ExpectedLow <= a.ExpectedHigh);
                Assert.True(Math.Abs(a.Impact) >= thresholds.MinimumImpact);
                if (a.Kind != AnomalyKind.NewGroup)
                {
                    Assert.Equal(a.Kind == AnomalyKind.Drop, a.Impact < 0m);
                }

                Assert.Equal(a.Impact, a.Amount - (a.Impact > 0m ? a.ExpectedHigh : a.ExpectedLow));
            }
        }, iter: 300);
    }

    [Fact]
    public void ExtremeAmounts_StayWithinDecimalRange()
    {
        // A millionth of a cent most days, a billion on others: every ratio and square the methods take is huge.
        var window = CostHistory.Window(Day, "Amazon EC2", d => d.Day.DayNumber % 5 == 0 ? 1_000_000_000m : 0.000001m);
        var growing = CostHistory.Window(Day, "Amazon EC2", d => d < Day.AddDays(-20) ? 0.000001m : 1_000_000_000m);

        foreach (var w in new[] { window, growing })
        {
            _ = AnomalyDetector.Detect(Day, w, AnomalyThresholds.Default);
            _ = MonthForecaster.Forecast(Day, w);
        }
    }

    [Fact]
    public void Forecast_KeepsItsExpectedAmountWithinItsRange()
    {
        Windows.Sample(window =>
        {
            var forecast = MonthForecaster.Forecast(Day, window);
            if (forecast is not null)
            {
                Assert.InRange(forecast.Expected, forecast.Low, forecast.High);
            }
        }, iter: 300);
    }
}
