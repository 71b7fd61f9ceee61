using CostNotifier.Collector.Snapshots;
using CostNotifier.Domain;
using CostNotifier.Validation;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Domain;

public sealed class ReportDateTests
{
    [Theory]
    [InlineData("2024-02-29")]
    [InlineData("2026-01-01")]
    [InlineData("2026-12-31")]
    public void Parse_WhenDayExists_RoundTrips(string text)
    {
        var date = ReportDate.Parse(text);

        Assert.Equal(text, date.ToString());
    }

    [Theory]
    [InlineData("2026-02-30")]
    [InlineData("2025-02-29")]
    [InlineData("2026-13-01")]
    [InlineData("26-01-01")]
    [InlineData("2026-1-1")]
    [InlineData("2026-01-01T00:00:00Z")]
    [InlineData(" 2026-01-01")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_WhenNotAnExistingDay_ThrowsNamingTheFormat(string? text)
    {
        var error = Assert.Throws<FormatException>(() => ReportDate.Parse(text));

        Assert.Contains("yyyy-MM-dd", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-25T00:00:00Z", "2026-11-24")]
    [InlineData("2026-11-25T23:59:59Z", "2026-11-24")]
    [InlineData("2026-01-01T00:30:00Z", "2025-12-31")]
    [InlineData("2024-03-01T08:00:00Z", "2024-02-29")]
    [InlineData("2026-11-25T01:00:00+09:00", "2026-11-23")]
    public void Yesterday_IsTheLastCompleteUtcDay(string now, string expected)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, ReportDate.Yesterday(time).ToString());
    }

    [Theory]
    [InlineData("2026-03-31", "2026-04-01")]
    [InlineData("2025-12-31", "2026-01-01")]
    [InlineData("2024-02-28", "2024-02-29")]
    [InlineData("2024-02-29", "2024-03-01")]
    [InlineData("2026-02-28", "2026-03-01")]
    public void SingleDayRange_EndsTheNextDayExclusive(string day, string expectedEnd)
    {
        var range = DateRange.Single(ReportDate.Parse(day));

        Assert.Equal(day, range.Start.ToString());
        Assert.Equal(expectedEnd, range.End.ToString());
        Assert.Equal(1, range.Days);
    }

    [Fact]
    public void Inclusive_WhenLastBeforeFirst_Throws()
    {
        Assert.Throws<ArgumentException>(() => DateRange.Inclusive(ReportDate.Parse("2026-11-02"), ReportDate.Parse("2026-11-01")));
    }

    [Fact]
    public void EachDay_ListsEveryDayAcrossAYearBoundary()
    {
        var range = DateRange.Inclusive(ReportDate.Parse("2025-12-30"), ReportDate.Parse("2026-01-02"));

        Assert.Equal(["2025-12-30", "2025-12-31", "2026-01-01", "2026-01-02"], range.EachDay().Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("2026-11-24", "2026-10-20", 36)]
    [InlineData("2026-11-10", "2026-10-06", 36)]
    [InlineData("2026-11-01", "2026-09-27", 36)]
    [InlineData("2026-01-01", "2025-11-27", 36)]
    [InlineData("2024-03-01", "2024-01-26", 36)]
    [InlineData("2026-03-31", "2026-02-24", 36)]
    [InlineData("2026-03-07", "2026-01-31", 36)]
    [InlineData("2026-02-07", "2026-01-01", 38)]
    public void SnapshotWindow_CoversFiveWeeksAndTheFiguresOfTheWeekBefore_EndingTheDayAfter(string day, string start, int days)
    {
        var date = ReportDate.Parse(day);

        var window = SnapshotWindow.For(date, today: date.AddDays(1));

        Assert.Equal(start, window.Start.ToString());
        Assert.Equal(date.AddDays(1), window.End);
        Assert.Equal(days, window.Days);
        Assert.True(window.Days >= SnapshotWindow.HistoryDays);
        for (var back = 0; back <= SnapshotWindow.RestatedDays; back++)
        {
            var figures = SnapshotWindow.FiguresOf(date.AddDays(-back));
            Assert.True(window.Contains(figures.Start) && window.Contains(figures.Last), $"{figures} is not within {window}");
        }
    }

    [Theory]
    [InlineData("2025-10-01", "2025-10-01", 1)]
    [InlineData("2025-10-10", "2025-10-01", 10)]
    [InlineData("2025-10-20", "2025-10-01", 20)]
    [InlineData("2025-11-04", "2025-10-01", 35)]
    public void SnapshotWindow_NeverStartsBeforeTheOldestDayCostExplorerServes(string day, string start, int days)
    {
        var today = ReportDate.Parse("2026-11-25");
        Assert.Equal("2025-10-01", ReportPeriodRules.EarliestDate(today).ToString());

        var window = SnapshotWindow.For(ReportDate.Parse(day), today);

        Assert.Equal(start, window.Start.ToString());
        Assert.Equal(days, window.Days);
    }

    [Fact]
    public void MonthStart_OfALeapDay_IsTheFirstOfFebruary()
    {
        Assert.Equal("2024-02-01", ReportDate.Parse("2024-02-29").MonthStart.ToString());
    }
}
