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

    [Fact]
    public async Task AServiceFilter_KeepsOnlyTheNamedServices()
    {
        var filter = new[] { new FilterClause("SERVICE", null, ["AWS Lambda", "Amazon DynamoDB"]) };

        var groups = (await Query("2026-11-24", "2026-11-24", filter: filter)).Days[0].Groups;

        Assert.Equal(["AWS Lambda", "Amazon DynamoDB"], groups.Select(g => g.Key).Order(StringComparer.Ordinal));
    }
}
