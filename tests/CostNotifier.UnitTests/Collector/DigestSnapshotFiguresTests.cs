using System.Globalization;
using CostNotifier.Collector.Snapshots;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Insights;
using CostNotifier.UnitTests.Insights;

namespace CostNotifier.UnitTests.Collector;

public sealed class DigestSnapshotFiguresTests
{
    private static readonly AnomalyThresholds Thresholds = AnomalyThresholds.Default;

    private static ReportPeriod Period(string text) => ReportPeriod.Parse(text);

    private static ReportDate Date(string text) => ReportDate.Parse(text);

    private static int IsoWeekOf(ReportDate date) => ISOWeek.GetWeekOfYear(date.Day.ToDateTime(TimeOnly.MinValue));

    /// <summary>The query a collection of <paramref name="period"/> makes the day after it ends.</summary>
    private static CostQuery Query(ReportPeriod period, ReportDate? today = null) =>
        DigestWindow.QueryFor(period, today ?? period.Last.AddDays(1), GroupBy.Service, [], "UnblendedCost");

    /// <summary>A daily answer to <paramref name="query"/>: every day of it, zero amounts left out as the source leaves them out.</summary>
    private static List<DailyCost> DailyAnswer(
        CostQuery query, Func<ReportDate, IEnumerable<(string Key, decimal Amount)>> groups, Func<ReportDate, bool>? estimated = null) =>
        [
            .. query.Period.EachDay().Select(d => new DailyCost(
                d,
                estimated?.Invoke(d) ?? false,
                [.. groups(d).Where(g => g.Amount != 0m).Select(g => new GroupCost(g.Key, g.Amount, "USD"))])),
        ];

    /// <summary>A monthly answer to <paramref name="query"/>: one entry per month, dated its first day.</summary>
    private static List<DailyCost> MonthlyAnswer(
        CostQuery query, Func<ReportPeriod, IEnumerable<(string Key, decimal Amount)>> groups, Func<ReportPeriod, bool>? estimated = null) =>
        [
            .. ReportPeriod.Containing(Cadence.Monthly, query.Period.Start).Through(ReportPeriod.Containing(Cadence.Monthly, query.Period.Last))
                .Select(m => new DailyCost(
                    m.First,
                    estimated?.Invoke(m) ?? false,
                    [.. groups(m).Where(g => g.Amount != 0m).Select(g => new GroupCost(g.Key, g.Amount, "USD"))])),
        ];

    private static CostFigures Compute(ReportPeriod period, CostQuery query, IReadOnlyList<DailyCost> answer) =>
        DigestSnapshotFigures.Compute(period, query, answer, Thresholds);

    [Fact]
    public void Compute_AWeek_SumsItsSevenDaysAtFullPrecision_AndIsEstimatedWhenAnyDayIs()
    {
        var week = Period("2026-W48");
        var query = Query(week);
        var answer = DailyAnswer(query, d => [("Amazon S3", 2.3456789m), ("AWS Lambda", 0.0000001m), ("Credits", -1.5m)], d => d == Date("2026-11-29"));

        var figures = Compute(week, query, answer);

        Assert.Equal(5.919753m, figures.Total);
        Assert.Equal(["Amazon S3", "AWS Lambda", "Credits"], figures.Groups.Select(g => g.Key));
        Assert.Equal(new GroupLine("AWS Lambda", 0.0000007m, 0.0000007m, 0.0000007m), figures.Groups[1]);
        Assert.True(figures.Estimated);
        Assert.Equal("SERVICE", figures.GroupBy);
        Assert.Equal("UnblendedCost", figures.Metric);
        Assert.Equal("USD", figures.Currency);
    }

    [Fact]
    public void Compute_AWeek_ComparesWithTheWeekBeforeAndTheWeekFourWeeksBefore()
    {
        var week = Period("2026-W48");
        var query = Query(week);
        var answer = DailyAnswer(query, d => [("EC2", IsoWeekOf(d) + 0.01m)]);

        var figures = Compute(week, query, answer);

        Assert.Equal(336.07m, figures.Total);
        Assert.Equal(329.07m, figures.PreviousDayTotal);
        Assert.Equal(308.07m, figures.SameWeekdayLastWeekTotal);
        Assert.Equal(new GroupLine("EC2", 336.07m, 329.07m, 308.07m), Assert.Single(figures.Groups));
        Assert.False(figures.Estimated);
        Assert.Equal(new DigestFigures("2026-W47", "2026-W44", figures.Digest!.Days, null), figures.Digest);
    }

    [Fact]
    public void Compute_AWeek_ListsNewGroupsAndGroupsThatVanishedSoTheLinesAddUpToEveryTotal()
    {
        var week = Period("2026-W48");
        var query = Query(week);
        var answer = DailyAnswer(query, d => (IsoWeekOf(d), d.DayOfWeek) switch
        {
            (48, DayOfWeek.Friday) => [("EC2", 10m), ("New this week", 5m)],
            (47, DayOfWeek.Monday or DayOfWeek.Tuesday or DayOfWeek.Wednesday) => [("EC2", 10m), ("Gone this week", 2m)],
            (44, DayOfWeek.Sunday) => [("EC2", 10m), ("Four weeks ago only", 1m)],
            (45, _) => [("EC2", 10m), ("Not compared", 3m)],
            _ => [("EC2", 10m)],
        });

        var figures = Compute(week, query, answer);

        Assert.Equal(
            [
                new GroupLine("EC2", 70m, 70m, 70m),
                new GroupLine("New this week", 5m, null, null),
                new GroupLine("Gone this week", 0m, 6m, null),
                new GroupLine("Four weeks ago only", 0m, null, 1m),
            ],
            figures.Groups);
        Assert.Equal(figures.Total, figures.Groups.Sum(g => g.Amount));
        Assert.Equal(figures.PreviousDayTotal, figures.Groups.Sum(g => g.PreviousDay ?? 0m));
        Assert.Equal(figures.SameWeekdayLastWeekTotal, figures.Groups.Sum(g => g.SameWeekdayLastWeek ?? 0m));
    }

    [Fact]
    public void Compute_AWeek_ShowsEachOfItsDaysMondayFirst()
    {
        var week = Period("2026-W48");
        var query = Query(week);
        var answer = DailyAnswer(query, d => [("EC2", d.Day.Day)], d => d >= Date("2026-11-28"));

        var figures = Compute(week, query, answer);

        Assert.Equal(
            [
                new DayTotal("2026-11-23", 23m, false),
                new DayTotal("2026-11-24", 24m, false),
                new DayTotal("2026-11-25", 25m, false),
                new DayTotal("2026-11-26", 26m, false),
                new DayTotal("2026-11-27", 27m, false),
                new DayTotal("2026-11-28", 28m, true),
                new DayTotal("2026-11-29", 29m, true),
            ],
            figures.Digest!.Days);
        Assert.Null(figures.Digest.ForecastCheck);
    }

    [Fact]
    public void Compute_AWeek_TrendsTwelveWholeWeeksEndingWithIt_LeavingOutAWeekWithADayMissing()
    {
        var week = Period("2026-W48");
        var query = Query(week);
        var answer = DailyAnswer(query, d => [("EC2", IsoWeekOf(d))]).Where(d => d.Date != Date("2026-10-01")).ToList();

        var figures = Compute(week, query, answer);

        var expected = Enumerable.Range(37, 12).Where(w => w != 40).Select(w => new DayTotal($"2026-W{w}", 7m * w, false));
        Assert.Equal(expected, figures.Trend);
    }

    [Fact]
    public void Compute_AWeekWithADayOfItsComparisonWeekMissing_HasNoComparisonRatherThanASmallerOne()
    {
        var week = Period("2026-W48");
        var query = Query(week);
        var answer = DailyAnswer(query, d => [("EC2", 1m)]).Where(d => d.Date != Date("2026-10-29")).ToList();

        var figures = Compute(week, query, answer);

        Assert.Equal(7m, figures.PreviousDayTotal);
        Assert.Null(figures.SameWeekdayLastWeekTotal);
        Assert.Equal(new GroupLine("EC2", 7m, 7m, null), Assert.Single(figures.Groups));
    }

    [Fact]
    public void Compute_IsoWeek53AcrossNewYear_CountsTheMonthToDateOfItsSundaysMonthOnly()
    {
        var week = Period("2026-W53");
        var query = Query(week);
        var answer = DailyAnswer(query, d => [("EC2", d.Day.Day)]);

        var figures = Compute(week, query, answer);

        Assert.Equal(28m + 29m + 30m + 31m + 1m + 2m + 3m, figures.Total);
        Assert.Equal(6m, figures.MonthToDate);
        Assert.Equal("2026-W52", figures.Digest!.PreviousPeriod);
        Assert.Equal("2026-W49", figures.Digest.ComparisonPeriod);
        Assert.Equal("2026-W53", figures.Trend[^1].Date);
        Assert.Equal("2026-W42", figures.Trend[0].Date);
    }

    [Fact]
    public void Compute_TheWeekOfALeapDay_CountsMarchOnlyInTheMonthToDateOfItsSunday()
    {
        var week = Period("2024-W09");
        var query = Query(week);
        var answer = DailyAnswer(query, d => [("EC2", d.Day.Day)]);

        var figures = Compute(week, query, answer);

        Assert.Equal(26m + 27m + 28m + 29m + 1m + 2m + 3m, figures.Total);
        Assert.Equal(6m, figures.MonthToDate);
    }

    [Fact]
    public void Compute_WhenADayOfTheWeekIsMissing_ThrowsDataPendingNamingThatDay()
    {
        var week = Period("2026-W48");
        var query = Query(week);
        var answer = DailyAnswer(query, d => [("EC2", 1m)]).Where(d => d.Date < Date("2026-11-28")).ToList();

        var error = Assert.Throws<CostSourceException>(() => Compute(week, query, answer));

        Assert.True(error.IsTransient);
        Assert.True(error.IsDataPending);
        Assert.StartsWith("Cost Explorer has no data for 2026-11-28 yet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_WhenCurrenciesMix_ThrowsPermanent()
    {
        var week = Period("2026-W48");
        var query = Query(week);
        var answer = DailyAnswer(query, d => [("EC2", 1m)]);
        answer[0] = new DailyCost(answer[0].Date, false, [new GroupCost("EC2", 1m, "EUR")]);

        var error = Assert.Throws<CostSourceException>(() => Compute(week, query, answer));

        Assert.False(error.IsTransient);
        Assert.Contains("EUR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_AWeekWithoutCost_IsZeroInUsd()
    {
        var week = Period("2026-W48");
        var query = Query(week);

        var figures = Compute(week, query, DailyAnswer(query, d => []));

        Assert.Equal(0m, figures.Total);
        Assert.Equal("USD", figures.Currency);
        Assert.Empty(figures.Groups);
        Assert.Equal(7, figures.Digest!.Days.Count);
    }

    [Fact]
    public void Compute_AWeek_FlagsEachDaysAnomaliesDated_ListingALastingSpikeOnceOnItsLargestDay()
    {
        var week = Period("2026-W48");
        var query = Query(week);
        var answer = DailyAnswer(query, d => d.ToString() switch
        {
            "2026-11-25" => [("S3", 100m * CostHistory.Wobble(d)), ("EC2", 900m)],
            "2026-11-26" => [("S3", 100m * CostHistory.Wobble(d)), ("EC2", 1200m)],
            "2026-11-27" => [("S3", 100m * CostHistory.Wobble(d)), ("EC2", 200m * CostHistory.Wobble(d)), ("Bedrock", 60m)],
            _ => [("S3", 100m * CostHistory.Wobble(d)), ("EC2", 200m * CostHistory.Wobble(d))],
        });

        var figures = Compute(week, query, answer);

        Assert.Equal(
            [(null, AnomalyKind.Spike, "2026-11-26"), ("EC2", AnomalyKind.Spike, "2026-11-26"), ("Bedrock", AnomalyKind.NewGroup, "2026-11-27")],
            figures.Anomalies.Select(a => (a.Key, a.Kind, a.Date)));
        Assert.Equal(AnomalyDetector.Detect(Date("2026-11-26"), answer, Thresholds)[0] with { Date = "2026-11-26" }, figures.Anomalies[0]);
    }

    [Fact]
    public void Compute_AWeek_ListsAtMostTwentyAnomaliesTheLargestFirst()
    {
        var week = Period("2026-W48");
        var query = Query(week);
        var answer = DailyAnswer(query, d => d == Date("2026-11-24")
            ? [("EC2", 10m), .. Enumerable.Range(1, 30).Select(i => ($"New {i:D2}", 100m + i))]
            : [("EC2", 10m)]);

        var figures = Compute(week, query, answer);

        Assert.Equal(DigestSnapshotFigures.MaxAnomalies, figures.Anomalies.Count);
        Assert.Null(figures.Anomalies[0].Key);
        Assert.Equal("New 30", figures.Anomalies[1].Key);
        Assert.Equal(figures.Anomalies.OrderByDescending(a => Math.Abs(a.Impact)), figures.Anomalies);
    }

    [Fact]
    public void Compute_AWeek_ForecastsItsSundaysMonthAsADailyReportOfTheSundayWould()
    {
        var week = Period("2026-W48");
        var query = Query(week);
        var answer = DailyAnswer(query, d => [("EC2", 50m * CostHistory.Wobble(d))]);

        var figures = Compute(week, query, answer);

        Assert.NotNull(figures.Forecast);
        Assert.Equal("2026-11", figures.Forecast.Month);
        Assert.Equal(MonthForecaster.Forecast(Date("2026-11-29"), answer), figures.Forecast);
        Assert.Equal(DateRange.Inclusive(Date("2026-11-01"), Date("2026-11-29")).EachDay().Sum(d => 50m * CostHistory.Wobble(d)), figures.MonthToDate);
    }

    [Fact]
    public void Compute_AWeekWithAMonthlyAnswer_IsRefused()
    {
        var week = Period("2026-W48");
        var query = Query(week) with { Granularity = CostGranularity.Monthly };

        Assert.Throws<ArgumentException>(() => Compute(week, query, []));
    }

    [Fact]
    public void Compute_AMonth_ComparesWithTheMonthBeforeAndTheSameMonthAYearBefore()
    {
        var month = Period("2026-02");
        var query = Query(month);
        var answer = MonthlyAnswer(query, m => [("EC2", (m.First.Day.Year * 100) + m.First.Day.Month + 0.125m), ("Credits", -0.5m)]);

        var figures = Compute(month, query, answer);

        Assert.Equal(202601.625m, figures.Total);
        Assert.Equal(202600.625m, figures.PreviousDayTotal);
        Assert.Equal(202501.625m, figures.SameWeekdayLastWeekTotal);
        Assert.Equal(new GroupLine("EC2", 202602.125m, 202601.125m, 202502.125m), figures.Groups[0]);
        Assert.Equal(new GroupLine("Credits", -0.5m, -0.5m, -0.5m), figures.Groups[1]);
        Assert.Equal(figures.Total, figures.MonthToDate);
        Assert.Equal(new DigestFigures("2026-01", "2025-02", [], null), figures.Digest);
    }

    [Fact]
    public void Compute_AMonth_TrendsThirteenMonthsEndingWithIt_AndHasNoDaysAnomaliesOrForecast()
    {
        var month = Period("2026-02");
        var query = Query(month);
        var answer = MonthlyAnswer(query, m => [("EC2", m.First.Day.Month)], m => m == month);

        var figures = Compute(month, query, answer);

        Assert.Equal(13, figures.Trend.Count);
        Assert.Equal(new DayTotal("2025-02", 2m, false), figures.Trend[0]);
        Assert.Equal(new DayTotal("2026-02", 2m, true), figures.Trend[^1]);
        Assert.True(figures.Estimated);
        Assert.Empty(figures.Digest!.Days);
        Assert.Empty(figures.Anomalies);
        Assert.Null(figures.Forecast);
    }

    [Fact]
    public void Compute_LeapFebruary_ComparesWithTheFebruaryOfTheYearBefore()
    {
        var month = Period("2024-02");
        var query = Query(month);
        var answer = MonthlyAnswer(query, m => [("EC2", m.Days.Days)]);

        var figures = Compute(month, query, answer);

        Assert.Equal(29m, figures.Total);
        Assert.Equal(31m, figures.PreviousDayTotal);
        Assert.Equal(28m, figures.SameWeekdayLastWeekTotal);
        Assert.Equal("2023-02", figures.Digest!.ComparisonPeriod);
    }

    [Fact]
    public void Compute_AMonthWhoseYearBeforeIsOutOfCostExplorersHistory_HasNoComparisonAndATrendOfOne()
    {
        var month = Period("2025-11");
        var query = Query(month, today: Date("2026-12-15"));
        var answer = MonthlyAnswer(query, m => [("EC2", 12.5m)]);

        var figures = Compute(month, query, answer);

        Assert.Equal(12.5m, figures.Total);
        Assert.Null(figures.PreviousDayTotal);
        Assert.Null(figures.SameWeekdayLastWeekTotal);
        Assert.Equal(new GroupLine("EC2", 12.5m, null, null), Assert.Single(figures.Groups));
        Assert.Equal([new DayTotal("2025-11", 12.5m, false)], figures.Trend);
    }

    [Fact]
    public void Compute_WhenTheMonthIsMissing_ThrowsDataPendingNamingTheMonth()
    {
        var month = Period("2026-02");
        var query = Query(month);
        var answer = MonthlyAnswer(query, m => [("EC2", 1m)]).Where(d => d.Date != month.First).ToList();

        var error = Assert.Throws<CostSourceException>(() => Compute(month, query, answer));

        Assert.True(error.IsDataPending);
        Assert.StartsWith("Cost Explorer has no data for 2026-02 yet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restate_ThePreviousWeek_RecomputesItFromTheNextWeeksAnswer()
    {
        var previous = Period("2026-W47");
        var firstQuery = Query(previous);
        var recorded = Compute(previous, firstQuery, DailyAnswer(firstQuery, d => [("EC2", 10m)], d => d == previous.Last));
        var week = Period("2026-W48");
        var query = Query(week);
        var answer = DailyAnswer(query, d => [("EC2", d == previous.Last ? 10.37m : 10m)]);

        var fresh = DigestSnapshotFigures.Restate(previous, recorded, query, answer, Thresholds);

        Assert.Equal(Compute(previous, query, answer), fresh);
        Assert.Equal(70.37m, fresh!.Total);
        Assert.False(fresh.Estimated);
        Assert.True(Restatements.Changed(recorded, fresh));
        Assert.Equal(fresh, DigestSnapshotFigures.RestateIfChanged(previous, recorded, query, answer, Thresholds));
    }

    [Fact]
    public void RestateIfChanged_WhenThePreviousWeekIsAsRecorded_IsNull()
    {
        var previous = Period("2026-W47");
        var firstQuery = Query(previous);
        var recorded = Compute(previous, firstQuery, DailyAnswer(firstQuery, d => [("EC2", 10m)]));
        var query = Query(Period("2026-W48"));

        var restated = DigestSnapshotFigures.RestateIfChanged(previous, recorded, query, DailyAnswer(query, d => [("EC2", 10m)]), Thresholds);

        Assert.Null(restated);
    }

    [Fact]
    public void Restate_WhenTheAnswerDoesNotHoldThePeriodWhole_IsNull()
    {
        var previous = Period("2026-W47");
        var firstQuery = Query(previous);
        var recorded = Compute(previous, firstQuery, DailyAnswer(firstQuery, d => [("EC2", 10m)]));
        var query = Query(Period("2026-W48"));
        var answer = DailyAnswer(query, d => [("EC2", 10m)]).Where(d => d.Date != Date("2026-11-18")).ToList();

        Assert.Null(DigestSnapshotFigures.Restate(previous, recorded, query, answer, Thresholds));
        Assert.Null(DigestSnapshotFigures.Restate(Period("2026-W30"), recorded, query, answer, Thresholds));
    }

    [Fact]
    public void Restate_ThePreviousMonth_KeepsTheRecordedYearBeforeComparisonAndTrendTheAnswerNoLongerReaches()
    {
        var previous = Period("2026-01");
        var firstQuery = Query(previous);
        var firstAnswer = MonthlyAnswer(
            firstQuery,
            m => m == Period("2025-01") ? [("EC2", 100m), ("Retired", 40m)] : [("EC2", 100m + m.First.Day.Month)],
            m => m == previous);
        var check = new ForecastCheck("monthly", "2026-01-20", 110m, 100m, 120m);
        var recorded = Compute(previous, firstQuery, firstAnswer) with
        {
            Digest = Compute(previous, firstQuery, firstAnswer).Digest! with { ForecastCheck = check },
        };
        var query = Query(Period("2026-02"));
        var answer = MonthlyAnswer(query, m => [("EC2", m == previous ? 104.21m : 100m + m.First.Day.Month)]);

        var fresh = DigestSnapshotFigures.RestateIfChanged(previous, recorded, query, answer, Thresholds);

        Assert.Equal(Date("2025-02-01"), query.Period.Start);
        Assert.NotNull(fresh);
        Assert.Equal(104.21m, fresh.Total);
        Assert.False(fresh.Estimated);
        Assert.Equal(112m, fresh.PreviousDayTotal);
        Assert.Equal(140m, fresh.SameWeekdayLastWeekTotal);
        Assert.Equal([new GroupLine("EC2", 104.21m, 112m, 100m), new GroupLine("Retired", 0m, null, 40m)], fresh.Groups);
        Assert.Equal(13, fresh.Trend.Count);
        Assert.Equal(new DayTotal("2025-01", 140m, false), fresh.Trend[0]);
        Assert.Equal(new DayTotal("2026-01", 104.21m, false), fresh.Trend[^1]);
        Assert.Equal(check, fresh.Digest!.ForecastCheck);
    }
}
