using CostNotifier.Collector.Snapshots;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Messaging;

namespace CostNotifier.UnitTests.Collector;

public sealed class SnapshotFiguresTests
{
    private static DailyCost Day(ReportDate date, bool estimated, params (string Key, decimal Amount)[] groups) =>
        new(date, estimated, groups.Select(g => new GroupCost(g.Key, g.Amount, "USD")).ToList());

    private static List<DailyCost> Window(string day, Func<ReportDate, (string, decimal)[]> groups)
    {
        var window = SnapshotWindow.For(ReportDate.Parse(day), ReportDate.Parse(day).AddDays(1));
        return window.EachDay().Select(d => Day(d, d == window.Last, groups(d))).ToList();
    }

    private static CostFigures Compute(string day, IReadOnlyList<DailyCost> window)
    {
        var date = ReportDate.Parse(day);
        return SnapshotFigures.Compute(date, new CostQuery(SnapshotWindow.For(date, date.AddDays(1)), GroupBy.Service, [], "UnblendedCost"), window);
    }

    [Fact]
    public void Compute_SumsGroupsAtFullPrecision_AndSortsLargestFirst()
    {
        var window = Window("2026-11-24", d => [("AWS Lambda", 0.0000001m), ("Amazon S3", 2.3456789m), ("Credits", -1.5m)]);

        var figures = Compute("2026-11-24", window);

        Assert.Equal(0.8456790m, figures.Total);
        Assert.Equal(["Amazon S3", "AWS Lambda", "Credits"], figures.Groups.Select(g => g.Key));
        Assert.True(figures.Estimated);
    }

    [Fact]
    public void Compute_ComparesWithPreviousDayAndSameWeekdayLastWeek()
    {
        var window = Window("2026-11-24", d => [("EC2", d.Day.Day)]);

        var figures = Compute("2026-11-24", window);

        Assert.Equal(24m, figures.Total);
        Assert.Equal(23m, figures.PreviousDayTotal);
        Assert.Equal(17m, figures.SameWeekdayLastWeekTotal);
        Assert.Equal(23m, figures.Groups[0].PreviousDay);
        Assert.Equal(17m, figures.Groups[0].SameWeekdayLastWeek);
    }

    [Fact]
    public void Compute_MonthToDate_StartsOnTheFirstEvenWhenTheWindowStartsEarlier()
    {
        var window = Window("2026-11-03", d => [("EC2", 10m)]);

        var figures = Compute("2026-11-03", window);

        Assert.Equal(30m, figures.MonthToDate);
        Assert.Equal(SnapshotWindow.TrendDays, figures.Trend.Count);
        Assert.Equal("2026-11-03", figures.Trend[^1].Date);
    }

    [Fact]
    public void Compute_OnTheFirstOfAMonth_MonthToDateIsTheDayItself()
    {
        var window = Window("2026-01-01", d => [("EC2", 7m)]);

        var figures = Compute("2026-01-01", window);

        Assert.Equal(7m, figures.MonthToDate);
        Assert.Equal(7m, figures.PreviousDayTotal);
    }

    [Fact]
    public void Compute_OnALeapDay_ComparesWithTheTwentyEighth()
    {
        var window = Window("2024-02-29", d => [("EC2", d.Day.Day)]);

        var figures = Compute("2024-02-29", window);

        Assert.Equal(28m, figures.PreviousDayTotal);
        Assert.Equal(22m, figures.SameWeekdayLastWeekTotal);
        Assert.Equal(Enumerable.Range(1, 29).Sum(), figures.MonthToDate);
    }

    [Fact]
    public void Compute_GroupNewToday_HasNoComparison()
    {
        var window = Window("2026-11-24", d => d.Day.Day == 24 ? [("EC2", 1m), ("New", 2m)] : [("EC2", 1m)]);

        var figures = Compute("2026-11-24", window);

        var added = figures.Groups.Single(g => g.Key == "New");
        Assert.Null(added.PreviousDay);
        Assert.Null(added.SameWeekdayLastWeek);
    }

    [Fact]
    public void Compute_AGroupWithCostTheDayOrTheWeekBeforeButNoneToday_IsListedAtZeroSoEveryChangeIsExplained()
    {
        var window = Window("2026-11-24", d => d.Day.Day switch
        {
            24 => [("EC2", 10m)],
            23 => [("EC2", 9m), ("Gone yesterday", 5m), ("Small and gone", 0.5m)],
            17 => [("EC2", 8m), ("Gone yesterday", 4m), ("Last week only", 3m)],
            _ => [("EC2", 1m)],
        });

        var figures = Compute("2026-11-24", window);

        Assert.Equal(["EC2", "Gone yesterday", "Small and gone", "Last week only"], figures.Groups.Select(g => g.Key));
        Assert.Equal(new GroupLine("Gone yesterday", 0m, 5m, 4m), figures.Groups[1]);
        Assert.Equal(new GroupLine("Small and gone", 0m, 0.5m, null), figures.Groups[2]);
        Assert.Equal(new GroupLine("Last week only", 0m, null, 3m), figures.Groups[3]);
        Assert.Equal(figures.Total, figures.Groups.Sum(g => g.Amount));
        Assert.Equal(figures.PreviousDayTotal, figures.Groups.Sum(g => g.PreviousDay ?? 0m));
        Assert.Equal(figures.SameWeekdayLastWeekTotal, figures.Groups.Sum(g => g.SameWeekdayLastWeek ?? 0m));
    }

    [Fact]
    public void Compute_WhenTheDayIsMissing_ThrowsTransientSayingTheDayHasNoDataYet()
    {
        var window = Window("2026-11-24", d => [("EC2", 1m)]).Where(d => d.Date.ToString() != "2026-11-24").ToList();

        var error = Assert.Throws<CostSourceException>(() => Compute("2026-11-24", window));

        Assert.True(error.IsTransient);
        Assert.True(error.IsDataPending);
        Assert.StartsWith("Cost Explorer has no data for 2026-11-24 yet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_ComparisonDaysWithoutData_AreAbsentNotZero()
    {
        var window = Window("2026-11-24", d => [("EC2", 2m)]).Where(d => d.Date.Day.Day is not (23 or 17)).ToList();

        var figures = Compute("2026-11-24", window);

        Assert.Null(figures.PreviousDayTotal);
        Assert.Null(figures.SameWeekdayLastWeekTotal);
        Assert.Equal(new GroupLine("EC2", 2m, null, null), Assert.Single(figures.Groups));
        Assert.DoesNotContain(figures.Trend, t => t.Date is "2026-11-23" or "2026-11-17");
    }

    [Fact]
    public void Compute_WhenCurrenciesMix_ThrowsPermanent()
    {
        var window = Window("2026-11-24", d => [("EC2", 1m)]);
        window[0] = new DailyCost(window[0].Date, false, [new GroupCost("EC2", 1m, "EUR")]);

        var error = Assert.Throws<CostSourceException>(() => Compute("2026-11-24", window));

        Assert.False(error.IsTransient);
        Assert.Contains("EUR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_WhenTheDayHasNoCost_IsZeroInUsd()
    {
        var window = Window("2026-11-24", d => []);

        var figures = Compute("2026-11-24", window);

        Assert.Equal(0m, figures.Total);
        Assert.Equal("USD", figures.Currency);
        Assert.Empty(figures.Groups);
    }
}

public sealed class CollectionDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static CostFigures Figures(decimal ec2, bool estimated = false) =>
        new("SERVICE", "UnblendedCost", "USD", ec2, estimated, null, null, ec2, [new GroupLine("EC2", ec2, null, null)], [new DayTotal("2026-11-24", ec2, estimated)]);

    private static ReportRequested Request(string id) => new(ReportId.Parse("daily"), ReportDate.Parse("2026-11-24"), Trigger.Replay, RequestId.Parse(id));

    [Fact]
    public void Decide_OnAnEmptyStream_Collects()
    {
        var @event = CollectionDecision.Decide(ReportPeriodState.Empty, Request("r1"), Figures(10m), [], 1, Now);

        var collected = Assert.IsType<CostSnapshotCollected>(@event);
        Assert.Equal(10m, collected.Figures.Total);
        Assert.Equal("r1", collected.RequestId);
    }

    [Fact]
    public void Decide_WhenFiguresUnchanged_ConfirmsTheLatestSnapshot()
    {
        var state = ReportPeriodState.Empty.Apply(1, CollectionDecision.Decide(ReportPeriodState.Empty, Request("r1"), Figures(10m), [], 1, Now));

        var @event = CollectionDecision.Decide(state, Request("r2"), Figures(10m), [], 1, Now);

        var confirmed = Assert.IsType<CostSnapshotConfirmed>(@event);
        Assert.Equal(1, confirmed.SnapshotVersion);
    }

    [Fact]
    public void Decide_WhenEstimatedFiguresSettle_RecordsARevision()
    {
        var state = ReportPeriodState.Empty.Apply(1, CollectionDecision.Decide(ReportPeriodState.Empty, Request("r1"), Figures(10m, estimated: true), [], 1, Now));

        var @event = CollectionDecision.Decide(state, Request("r2"), Figures(10.37m), [], 1, Now);

        var revised = Assert.IsType<CostSnapshotRevised>(@event);
        Assert.Equal(1, revised.RevisesVersion);
        Assert.Equal(10m, revised.PreviousTotal);
        Assert.False(revised.Figures.Estimated);
    }
}
