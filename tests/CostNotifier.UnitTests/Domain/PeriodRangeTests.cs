using CostNotifier.Domain;

namespace CostNotifier.UnitTests.Domain;

public sealed class PeriodRangeTests
{
    private static ReportPeriod Period(string text) => ReportPeriod.Parse(text);

    private static ReportDate Date(string text) => ReportDate.Parse(text);

    [Fact]
    public void ARangeOfWeeks_CoversTheDaysFromTheFirstMondayToTheLastSunday()
    {
        var range = new PeriodRange(Period("2026-W40"), Period("2026-W48"));

        Assert.Equal(Cadence.Weekly, range.Cadence);
        Assert.Equal(DateRange.Inclusive(Date("2026-09-28"), Date("2026-11-29")), range.Days);
        Assert.Equal(9, range.Each().Count());
        Assert.Equal("2026-W40..2026-W48", range.ToString());
    }

    [Fact]
    public void ARangeOfMonths_ListsEachMonthInOrder_AcrossAYearEnd()
    {
        var range = new PeriodRange(Period("2026-11"), Period("2027-02"));

        Assert.Equal(["2026-11", "2026-12", "2027-01", "2027-02"], range.Each().Select(p => p.ToString()));
        Assert.Equal(DateRange.Inclusive(Date("2026-11-01"), Date("2027-02-28")), range.Days);
    }

    [Fact]
    public void Single_HoldsOnePeriod_AndPrintsAsIt()
    {
        var range = PeriodRange.Single(Period("2026-W53"));

        Assert.Equal([Period("2026-W53")], range.Each());
        Assert.Equal("2026-W53", range.ToString());
        Assert.Equal(DateRange.Inclusive(Date("2026-12-28"), Date("2027-01-03")), range.Days);
    }

    [Fact]
    public void ADateRange_ConvertsToItsDaysAsDailyPeriods()
    {
        PeriodRange range = DateRange.Inclusive(Date("2026-12-30"), Date("2027-01-02"));

        Assert.Equal(Cadence.Daily, range.Cadence);
        Assert.Equal(["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"], range.Each().Select(p => p.ToString()));
    }

    [Theory]
    [InlineData("2026-W47", true)]
    [InlineData("2026-W40", true)]
    [InlineData("2026-W48", true)]
    [InlineData("2026-W39", false)]
    [InlineData("2026-W49", false)]
    [InlineData("2026-11", false)]
    [InlineData("2026-11-25", false)]
    public void Contains_OnlyThePeriodsOfItsCadenceBetweenItsEnds(string period, bool contained)
    {
        var range = new PeriodRange(Period("2026-W40"), Period("2026-W48"));

        Assert.Equal(contained, range.Contains(Period(period)));
    }

    [Fact]
    public void Contains_ADayWhoseTextSortsBetweenTwoMonths_IsNotInTheRangeOfMonths()
    {
        var range = new PeriodRange(Period("2026-10"), Period("2026-11"));

        Assert.True(string.CompareOrdinal("2026-10", "2026-10-15") < 0 && string.CompareOrdinal("2026-10-15", "2026-11") < 0);
        Assert.False(range.Contains(Period("2026-10-15")));
    }

    [Fact]
    public void New_WithPeriodsOfTwoCadences_ThrowsNamingBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => new PeriodRange(Period("2026-W40"), Period("2026-11")));

        Assert.Contains("A range runs from one weekly period to another; '2026-11' is not one like '2026-W40'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void New_EndingBeforeItStarts_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new PeriodRange(Period("2026-W48"), Period("2026-W40")));

        Assert.Contains("The range ends (2026-W40) before it starts (2026-W48).", error.Message, StringComparison.Ordinal);
    }
}
