using CostNotifier.Collector.Snapshots;
using CostNotifier.CostData;
using CostNotifier.Domain;

namespace CostNotifier.UnitTests.Collector;

public sealed class DigestWindowTests
{
    private static ReportPeriod Period(string text) => ReportPeriod.Parse(text);

    private static ReportDate Date(string text) => ReportDate.Parse(text);

    [Fact]
    public void For_IsoWeek53_AsksForTheThirteenWeeksEndingWithItsSunday()
    {
        var window = DigestWindow.For(Period("2026-W53"), Date("2027-01-04"));

        Assert.Equal(Date("2026-10-05"), window.Start);
        Assert.Equal(Date("2027-01-03"), window.Last);
        Assert.Equal(91, window.Days);
        Assert.Equal(DayOfWeek.Monday, window.Start.DayOfWeek);
    }

    [Fact]
    public void For_AWeekAcrossNewYear_StartsOnTheMondayTwelveWeeksBeforeIt()
    {
        var window = DigestWindow.For(Period("2025-W01"), Date("2025-01-06"));

        Assert.Equal(Date("2024-10-07"), window.Start);
        Assert.Equal(Date("2025-01-05"), window.Last);
        Assert.Equal(91, window.Days);
    }

    [Fact]
    public void For_AWeekNearTheEndOfCostExplorersHistory_StartsAtTheEarliestDayItServes()
    {
        var window = DigestWindow.For(Period("2025-W49"), Date("2026-12-15"));

        Assert.Equal(Date("2025-11-01"), window.Start);
        Assert.Equal(Date("2025-12-07"), window.Last);
    }

    [Fact]
    public void QueryFor_AWeek_AsksForDailyCost()
    {
        var query = DigestWindow.QueryFor(Period("2026-W48"), Date("2026-11-30"), GroupBy.Service, [], "UnblendedCost");

        Assert.Equal(CostGranularity.Daily, query.Granularity);
        Assert.Equal(DateRange.Inclusive(Date("2026-08-31"), Date("2026-11-29")), query.Period);
    }

    [Fact]
    public void QueryFor_LeapFebruary_AsksForMonthlyCostFromTheEarliestMonthToMarch()
    {
        var query = DigestWindow.QueryFor(Period("2024-02"), Date("2024-03-01"), GroupBy.Service, [], "UnblendedCost");

        Assert.Equal(CostGranularity.Monthly, query.Granularity);
        Assert.Equal(Date("2023-02-01"), query.Period.Start);
        Assert.Equal(Date("2024-03-01"), query.Period.End);
    }

    [Fact]
    public void For_February2026_CollectedInMarch_HoldsThirteenWholeMonthsBecauseTheFourteenthIsOutOfHistory()
    {
        var window = DigestWindow.For(Period("2026-02"), Date("2026-03-02"));

        Assert.Equal(Date("2025-02-01"), window.Start);
        Assert.Equal(Date("2026-03-01"), window.End);
    }

    [Fact]
    public void For_AMonthAskedForBeforeCostExplorersLimitBites_ReachesBackThirteenMonthsBeforeIt()
    {
        // Only a window asked for during the month itself is not cut: the month before it is then still served.
        var window = DigestWindow.For(Period("2026-02"), Date("2026-02-27"));

        Assert.Equal(Date("2025-01-01"), window.Start);
        Assert.Equal(Date("2026-03-01"), window.End);
    }

    [Fact]
    public void For_AMonthWhoseYearBeforeMonthIsOutOfCostExplorersHistory_StartsWithTheMonthItself()
    {
        var window = DigestWindow.For(Period("2025-11"), Date("2026-12-15"));

        Assert.Equal(Date("2025-11-01"), window.Start);
        Assert.Equal(Date("2025-12-01"), window.End);
    }

    [Fact]
    public void For_ADay_IsTheDailySnapshotWindow()
    {
        var day = Date("2026-11-03");

        Assert.Equal(SnapshotWindow.For(day, day.AddDays(1)), DigestWindow.For(ReportPeriod.Day(day), day.AddDays(1)));
        Assert.Equal(CostGranularity.Daily, DigestWindow.GranularityOf(Cadence.Daily));
    }

    [Theory]
    [InlineData("2027-W01", "2026-W50")]
    [InlineData("2026-W04", "2025-W52")]
    [InlineData("2024-02", "2023-02")]
    [InlineData("2026-01", "2025-01")]
    public void ComparisonOf_IsFourWeeksBeforeAWeekAndTheSameMonthAYearBeforeAMonth(string period, string comparison) =>
        Assert.Equal(comparison, DigestWindow.ComparisonOf(Period(period)).ToString());
}
