using CostNotifier.Domain;
using CostNotifier.Insights;
using static CostNotifier.UnitTests.Insights.CostHistory;

namespace CostNotifier.UnitTests.Insights;

public sealed class MonthForecasterTests
{
    /// <summary>The 10th of a 30-day month.</summary>
    private static readonly ReportDate Day = ReportDate.Parse("2026-06-10");

    [Fact]
    public void FlatSeries_ProjectsTheSameAmountForEveryRemainingDay()
    {
        var forecast = MonthForecaster.Forecast(Day, Window(Day, "Amazon EC2", _ => 100m));

        Assert.NotNull(forecast);
        Assert.Equal("2026-06", forecast.Month);
        Assert.Equal(3000m, forecast.Expected);
        Assert.InRange(forecast.Low, 2800m, 3000m);
        Assert.InRange(forecast.High, 3000m, 3200m);
        Assert.Equal("month to date (10 days) + 20 days at the weekday levels of the last 36 days", forecast.Basis);
    }

    [Fact]
    public void WeekdayPattern_IsProjectedDayByDay()
    {
        static decimal Amount(ReportDate d) => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 20m : 100m;

        var forecast = MonthForecaster.Forecast(Day, Window(Day, "Amazon EC2", Amount));

        // June 2026 has 22 weekdays and 8 weekend days.
        Assert.NotNull(forecast);
        Assert.Equal((22 * 100m) + (8 * 20m), forecast.Expected);
    }

    [Fact]
    public void MonthStartCharge_CountsOnceAndDoesNotRaiseTheLevel()
    {
        // $50 a day and a $900 charge on every 1st: the month is 900 + 30 × 50.
        var forecast = MonthForecaster.Forecast(Day, Window(Day, "AWS Support", d => 50m + (d.Day.Day == 1 ? 900m : 0m)));

        Assert.NotNull(forecast);
        Assert.Equal(2400m, forecast.Expected);
    }

    [Fact]
    public void ChargeOnALaterDayLastMonth_IsExpectedAgain()
    {
        // A charge on the 15th of every month, still to come on the 10th.
        var forecast = MonthForecaster.Forecast(Day, Window(Day, "Amazon Route 53", d => 50m * Wobble(d) + (d.Day.Day == 15 ? 700m : 0m)));

        Assert.NotNull(forecast);
        Assert.InRange(forecast.Expected, 2150m, 2250m);
        Assert.EndsWith("+ a monthly charge seen last month", forecast.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void IncompleteEstimatedTail_IsExpectedToCatchUp()
    {
        var forecast = MonthForecaster.Forecast(
            Day,
            Window(Day, "Amazon EC2", d => d == Day ? 60m : d == Day.AddDays(-1) ? 90m : 100m, estimated: d => d >= Day.AddDays(-1)));

        Assert.NotNull(forecast);
        Assert.Equal(3000m, forecast.Expected);
        Assert.True(forecast.Low < 3000m - 40m, "the low end does not count on the missing part");
    }

    [Fact]
    public void LastDayOfTheMonth_IsTheMonthToDate()
    {
        var day = ReportDate.Parse("2026-06-30");

        var forecast = MonthForecaster.Forecast(day, Window(day, "Amazon EC2", _ => 100m));

        Assert.NotNull(forecast);
        Assert.Equal(new[] { 3000m, 3000m, 3000m }, new[] { forecast.Expected, forecast.Low, forecast.High });
    }

    [Fact]
    public void ShortHistory_GivesNoForecast()
    {
        var window = Window(Day, "Amazon EC2", _ => 100m).Where(d => d.Date > Day.AddDays(-12)).ToList();

        Assert.Null(MonthForecaster.Forecast(Day, window));
    }

    [Fact]
    public void MissingDayOfTheMonth_GivesNoForecast()
    {
        var window = Window(Day, "Amazon EC2", _ => 100m).Where(d => d.Date != Day.AddDays(-3)).ToList();

        Assert.Null(MonthForecaster.Forecast(Day, window));
    }

    [Fact]
    public void Range_WidensWithNoiseAndNarrowsLaterInTheMonth()
    {
        var noisy = MonthForecaster.Forecast(Day, Window(Day, "Amazon EC2", d => 100m * Wobble(d) * Wobble(d.AddDays(3))));
        var later = ReportDate.Parse("2026-06-25");
        var noisyLater = MonthForecaster.Forecast(later, Window(later, "Amazon EC2", d => 100m * Wobble(d) * Wobble(d.AddDays(3))));
        var flat = MonthForecaster.Forecast(Day, Window(Day, "Amazon EC2", _ => 100m));

        Assert.NotNull(noisy);
        Assert.NotNull(noisyLater);
        Assert.NotNull(flat);
        Assert.True(noisy.High - noisy.Low > flat.High - flat.Low);
        Assert.True(noisyLater.High - noisyLater.Low < noisy.High - noisy.Low);
        Assert.InRange(noisy.Expected, noisy.Low, noisy.High);
    }
}
