using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Embedded.SampleCost;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.SampleCost;

public sealed class SampleCostSourceTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
    private readonly SampleCostSource _source = new(Time);

    private Task<CostQueryResult> Query(string first, string last, string groupBy = "SERVICE", IReadOnlyList<FilterClause>? filter = null) =>
        _source.GetCostAsync(
            new CostQuery(DateRange.Inclusive(ReportDate.Parse(first), ReportDate.Parse(last)), GroupBy.Parse(groupBy), filter ?? [], "UnblendedCost"),
            CancellationToken.None);

    private Task<CostQueryResult> QueryMonths(string first, string last, string groupBy = "SERVICE") =>
        _source.GetCostAsync(
            new CostQuery(DateRange.Inclusive(ReportDate.Parse(first), ReportDate.Parse(last)), GroupBy.Parse(groupBy), [], "UnblendedCost")
            {
                Granularity = CostGranularity.Monthly,
            },
            CancellationToken.None);

    [Fact]
    public async Task TheSameDay_AlwaysHasTheSameFigures_WhateverWindowAsksForIt()
    {
        var wide = await Query("2026-10-01", "2026-11-24");
        var narrow = await Query("2026-11-10", "2026-11-10");

        Assert.Equal(
            narrow.Days[0].Groups.Select(g => (g.Key, g.Amount)),
            wide.Days.Single(d => d.Date == ReportDate.Parse("2026-11-10")).Groups.Select(g => (g.Key, g.Amount)));
    }

    [Fact]
    public async Task EveryDayOfThePeriod_IsAnswered_InOneRequest()
    {
        var result = await Query("2026-10-18", "2026-11-24");

        Assert.Equal(38, result.Days.Count);
        Assert.Equal(1, result.Requests);
        Assert.Equal(DateRange.Inclusive(ReportDate.Parse("2026-10-18"), ReportDate.Parse("2026-11-24")).EachDay(), result.Days.Select(d => d.Date));
    }

    [Fact]
    public async Task OnlyTheLastTwoDays_AreEstimated()
    {
        var result = await Query("2026-11-20", "2026-11-24");

        Assert.Equal([false, false, false, true, true], result.Days.Select(d => d.Estimated));
    }

    [Fact]
    public async Task TheFirstOfTheMonth_CarriesSupportRoute53AndTax()
    {
        var result = await Query("2026-11-01", "2026-11-02");

        Assert.Contains(result.Days[0].Groups, g => g.Key == "AWS Support (Business)");
        Assert.Contains(result.Days[0].Groups, g => g.Key == "Tax");
        Assert.DoesNotContain(result.Days[1].Groups, g => g.Key == "Tax");
    }

    [Fact]
    public async Task Weekends_CostLessThanWeekdays_OnAverage()
    {
        var days = (await Query("2026-08-01", "2026-10-31")).Days.Where(d => d.Date.Day.Day != 1).ToList();

        var weekend = days.Where(d => d.Date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday).Average(d => d.Groups.Sum(g => g.Amount));
        var weekday = days.Where(d => d.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Average(d => d.Groups.Sum(g => g.Amount));

        Assert.True(weekend < weekday * 0.95m, $"weekend {weekend:0.00} vs weekday {weekday:0.00}");
    }

    [Fact]
    public async Task Credits_AppearAsNegativeAmounts()
    {
        var credits = (await Query("2026-08-01", "2026-10-31")).Days.SelectMany(d => d.Groups).Where(g => g.Key == "Credits").ToList();

        Assert.NotEmpty(credits);
        Assert.All(credits, c => Assert.True(c.Amount < 0));
    }

    [Theory]
    [InlineData("LINKED_ACCOUNT")]
    [InlineData("TAG:team")]
    public async Task OtherGroupings_SplitTheSameTotalExactly(string groupBy)
    {
        var byService = await Query("2026-11-01", "2026-11-24");
        var other = await Query("2026-11-01", "2026-11-24", groupBy);

        Assert.Equal(byService.Days.Select(d => d.Groups.Sum(g => g.Amount)), other.Days.Select(d => d.Groups.Sum(g => g.Amount)));
    }

    [Fact]
    public async Task TagGroups_UseCostExplorersKeyDollarValueForm_IncludingUntagged()
    {
        var keys = (await Query("2026-11-24", "2026-11-24", "TAG:team")).Days[0].Groups.Select(g => g.Key).ToList();

        Assert.Contains("team$payments", keys);
        Assert.Contains("team$", keys);
    }

    [Theory]
    [InlineData("2024-01-01", "2024-03-31", "SERVICE")]
    [InlineData("2024-02-01", "2024-02-29", "LINKED_ACCOUNT")]
    [InlineData("2026-09-01", "2026-11-30", "SERVICE")]
    [InlineData("2026-10-01", "2026-11-30", "TAG:team")]
    public async Task GetCostAsync_ForMonths_GivesEachGroupTheExactSumOfItsDailyFigures(string first, string last, string groupBy)
    {
        var daily = await Query(first, last, groupBy);

        var monthly = await QueryMonths(first, last, groupBy);

        var expected = daily.Days
            .GroupBy(d => d.Date.MonthStart)
            .Select(month => (
                month.Key,
                month.SelectMany(d => d.Groups).GroupBy(g => g.Key).ToDictionary(g => g.Key, g => g.Sum(x => x.Amount))))
            .ToList();
        Assert.Equal(expected.Select(m => m.Key), monthly.Days.Select(m => m.Date));
        foreach (var (month, groups) in expected)
        {
            var answered = monthly.Days.Single(m => m.Date == month).Groups;
            Assert.Equal(groups.Count, answered.Count);
            Assert.All(answered, g => Assert.Equal(groups[g.Key], g.Amount));
            Assert.All(answered, g => Assert.Equal("USD", g.Currency));
        }
    }

    [Fact]
    public async Task GetCostAsync_ForFebruaryOfALeapYear_AddsUpTwentyNineDaysIncludingTheMonthStartCharges()
    {
        var daily = await Query("2024-02-01", "2024-02-29");

        var february = Assert.Single((await QueryMonths("2024-02-01", "2024-02-29")).Days);

        Assert.Equal(29, daily.Days.Count);
        Assert.Equal(new ReportDate(2024, 2, 1), february.Date);
        Assert.False(february.Estimated);
        Assert.Equal(daily.Days.Sum(d => d.Groups.Sum(g => g.Amount)), february.Groups.Sum(g => g.Amount));
        Assert.Equal(118.20m, february.Groups.Single(g => g.Key == "Tax").Amount);
        Assert.Equal(
            daily.Days.Sum(d => d.Groups.Single(g => g.Key == "AWS Lambda").Amount),
            february.Groups.Single(g => g.Key == "AWS Lambda").Amount);
    }

    [Fact]
    public async Task GetCostAsync_ForARunningMonth_MarksItEstimatedAndEarlierMonthsFinal()
    {
        var result = await QueryMonths("2026-10-01", "2026-11-30");

        Assert.Equal(["2026-10-01", "2026-11-01"], result.Days.Select(d => d.Date.ToString()));
        Assert.Equal([false, true], result.Days.Select(d => d.Estimated));
        Assert.Equal(1, result.Requests);
    }

    [Theory]
    [InlineData("2026-11-02", "2026-11-30")]
    [InlineData("2026-11-01", "2026-11-29")]
    public async Task GetCostAsync_WhenAMonthlyPeriodIsNotOnMonthBoundaries_ThrowsNamingIt(string first, string last)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => QueryMonths(first, last));

        Assert.Contains($"[{first}, ", error.Message, StringComparison.Ordinal);
        Assert.Contains("first of a month", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServiceFilter_KeepsOnlyTheNamedServices()
    {
        var filter = new[] { new FilterClause("SERVICE", null, ["AWS Lambda", "Amazon DynamoDB"]) };

        var groups = (await Query("2026-11-24", "2026-11-24", filter: filter)).Days[0].Groups;

        Assert.Equal(["AWS Lambda", "Amazon DynamoDB"], groups.Select(g => g.Key).Order(StringComparer.Ordinal));
    }
}
