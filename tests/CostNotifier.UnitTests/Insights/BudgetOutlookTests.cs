using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Insights;
using static CostNotifier.UnitTests.Insights.CostHistory;

namespace CostNotifier.UnitTests.Insights;

public sealed class BudgetOutlookTests
{
    /// <summary>The 10th of a 30-day month.</summary>
    private static readonly ReportDate Day = ReportDate.Parse("2026-06-10");

    private static MonthForecast Forecast(decimal expected) => new("2026-06", expected, expected - 500m, expected + 500m, "test");

    [Fact]
    public void OnTrackToExceed_SaysByHowMuchAndTheDayTheProjectionCrossesTheBudget()
    {
        // $3,000 so far, $300 a day for the 20 days left: $7,800 on the 26th, $8,100 on the 27th.
        var outlook = BudgetOutlook.Assess(Day, 3000m, Forecast(9000m), 8000m);

        Assert.Equal(new BudgetOutlook(8000m, BudgetStatus.OnTrackToExceed, 9000m, 1000m, ReportDate.Parse("2026-06-27")), outlook);
    }

    [Fact]
    public void ReachingTheBudgetExactly_IsNotCrossingIt()
    {
        // $2,000 so far and $300 a day: exactly $5,000 on the 20th, over it on the 21st.
        var outlook = BudgetOutlook.Assess(Day, 2000m, Forecast(8000m), 5000m);

        Assert.Equal(ReportDate.Parse("2026-06-21"), outlook.CrossingDate);
    }

    [Fact]
    public void WithinBudget_HasHeadroomAndNoDate()
    {
        var outlook = BudgetOutlook.Assess(Day, 3000m, Forecast(7500m), 8000m);

        Assert.Equal(new BudgetOutlook(8000m, BudgetStatus.WithinBudget, 7500m, -500m, null), outlook);
    }

    [Fact]
    public void MonthToDateOverTheBudget_IsExceeded()
    {
        var outlook = BudgetOutlook.Assess(Day, 8100m, Forecast(20000m), 8000m);

        Assert.Equal(BudgetStatus.Exceeded, outlook.Status);
        Assert.Equal(12000m, outlook.Overrun);
        Assert.Null(outlook.CrossingDate);
    }

    [Fact]
    public void CrossingOnTheLastDay_IsTheLastDay()
    {
        var outlook = BudgetOutlook.Assess(Day, 3000m, Forecast(8010m), 8000m);

        Assert.Equal(ReportDate.Parse("2026-06-30"), outlook.CrossingDate);
    }

    [Fact]
    public void ForecastOfAnotherMonth_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => BudgetOutlook.Assess(ReportDate.Parse("2026-07-01"), 100m, Forecast(9000m), 8000m));
        Assert.Throws<ArgumentOutOfRangeException>(() => BudgetOutlook.Assess(Day, 100m, Forecast(9000m), 0m));
    }

    [Fact]
    public void FromAForecast_OfAGrowingAccount()
    {
        // $300 a day: $9,000 in June, over an $8,000 budget on the 27th ($8,100).
        var window = Window(Day, "Amazon EC2", _ => 300m);
        var forecast = MonthForecaster.Forecast(Day, window);
        Assert.NotNull(forecast);

        var outlook = BudgetOutlook.Assess(Day, 3000m, forecast, 8000m);

        Assert.Equal(BudgetStatus.OnTrackToExceed, outlook.Status);
        Assert.Equal(1000m, outlook.Overrun);
        Assert.Equal(ReportDate.Parse("2026-06-27"), outlook.CrossingDate);
    }
}
