using System.Globalization;
using CostNotifier.Domain;
using CostNotifier.Messaging;
using CostNotifier.Observability;
using CostNotifier.Scheduler;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Handlers;

/// <summary>The scheduler enqueues each report's period on the day it ends: daily every day, a week on its Sunday, a month on its last day.</summary>
public sealed class SchedulerPeriodTests
{
    private static readonly ReportCatalog Catalog = new(
    [
        new ReportDefinition(ReportId.Parse("daily"), "Daily", ["a@example.com"], GroupBy.Service, 10, []),
        new ReportDefinition(ReportId.Parse("weekly"), "Weekly", ["a@example.com"], GroupBy.Service, 10, []) { Cadence = Cadence.Weekly },
        new ReportDefinition(ReportId.Parse("monthly"), "Monthly", ["a@example.com"], GroupBy.Service, 10, []) { Cadence = Cadence.Monthly },
    ]);

    private readonly HandlerTestBed.RecordingPublisher _publisher = new();
    private readonly StringWriter _metrics = new();

    [Fact]
    public async Task Schedule_ADayThatEndsNoDigest_WritesReportsDueOfZero_SoTheNoReportAlarmSeesASignOfLife()
    {
        var result = await Schedule("2026-11-26T06:00:00Z", Command("2026-11-25", "2026-11-25", Trigger.Scheduled, "weekly"));

        Assert.Empty(result.Messages);
        Assert.Empty(_publisher.Sent);
        Assert.Contains("\"ReportsDue\":0", _metrics.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_AReplay_WritesNoReportsDue()
    {
        await Schedule("2026-11-30T06:00:00Z", Command("2026-11-29", "2026-11-29", Trigger.Replay));

        Assert.DoesNotContain("ReportsDue", _metrics.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_ASunday_EnqueuesTheDailyReportAndTheWeekEndingThatDay()
    {
        var result = await Schedule("2026-11-30T06:00:00Z", Command("2026-11-29", "2026-11-29"));

        Assert.Equal([("daily", "2026-11-29"), ("weekly", "2026-W48")], Planned(result));
        Assert.Equal(["scheduled-2026-11-29", "scheduled-2026-W48"], result.Messages.Select(m => m.RequestId.Value));
        Assert.Empty(result.Skipped);
    }

    [Fact]
    public async Task Schedule_ASunday_SendsTheWeekOnTheWireAsAWeeklyPeriodUnderItsDerivedRequestId()
    {
        await Schedule("2026-11-30T06:00:00Z", Command("2026-11-29", "2026-11-29"));

        var weekly = Assert.Single(Payloads(), p => p.ReportId.Value == "weekly");
        Assert.Equal(ReportPeriod.Week(2026, 48), weekly.Period);
        Assert.Equal(Cadence.Weekly, weekly.Period.Cadence);
        Assert.Equal("scheduled-2026-W48", weekly.RequestId.Value);
        Assert.Equal(Trigger.Scheduled, weekly.Trigger);
        Assert.All(_publisher.Sent, s => Assert.Equal(PipelineQueue.Collector, s.Queue));
    }

    [Theory]
    [InlineData("2026-11-28")]
    [InlineData("2026-11-25")]
    [InlineData("2026-12-01")]
    public async Task Schedule_ADayThatEndsNoWeekOrMonth_EnqueuesOnlyTheDailyReport(string day)
    {
        var result = await Schedule("2026-12-02T06:00:00Z", Command(day, day));

        Assert.Equal([("daily", day)], Planned(result));
    }

    [Fact]
    public async Task Schedule_AMonthEndThatIsASunday_EnqueuesTheDayTheWeekAndTheMonth()
    {
        var result = await Schedule("2026-06-01T06:00:00Z", Command("2026-05-31", "2026-05-31"));

        Assert.Equal([("daily", "2026-05-31"), ("weekly", "2026-W22"), ("monthly", "2026-05")], Planned(result));
        Assert.Equal(["scheduled-2026-05-31", "scheduled-2026-W22", "scheduled-2026-05"], result.Messages.Select(m => m.RequestId.Value));
    }

    [Fact]
    public async Task Schedule_TheWeekAcrossNewYear_EnqueuesWeek53OnSundayTheThirdOfJanuary_AndDecemberOnItsLastDay()
    {
        var result = await Schedule("2027-01-04T06:00:00Z", Command("2026-12-28", "2027-01-03"));

        Assert.Equal(
            [
                ("daily", "2026-12-28"), ("daily", "2026-12-29"), ("daily", "2026-12-30"),
                ("daily", "2026-12-31"), ("monthly", "2026-12"),
                ("daily", "2027-01-01"), ("daily", "2027-01-02"),
                ("daily", "2027-01-03"), ("weekly", "2026-W53"),
            ],
            Planned(result));
        var week = Assert.Single(result.Messages, m => m.Report.Value == "weekly");
        Assert.Equal("scheduled-2026-W53", week.RequestId.Value);
        Assert.Equal(ReportDate.Parse("2026-12-28"), week.Period.First);
        Assert.Equal(ReportDate.Parse("2027-01-03"), week.Period.Last);
    }

    [Fact]
    public async Task Schedule_AMonthOfWeeks_EnqueuesEachWeekOnItsSunday_InOrder()
    {
        var result = await Schedule("2026-12-01T06:00:00Z", Command("2026-11-01", "2026-11-30") with { Cadence = Cadence.Weekly });

        Assert.Equal(["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"], result.Messages.Select(m => m.Period.ToString()));
        Assert.All(result.Messages, m => Assert.Equal(DayOfWeek.Sunday, m.Period.Last.DayOfWeek));
    }

    [Fact]
    public async Task Schedule_TwiceForTheSameSunday_EnqueuesTheWeekUnderTheSameRequestIdBothTimes()
    {
        var first = await Schedule("2026-11-30T06:00:00Z", Command("2026-11-29", "2026-11-29"));
        var second = await Schedule("2026-11-30T07:00:00Z", Command("2026-11-29", "2026-11-29"));

        Assert.Equal(first.Messages.Select(m => m.RequestId), second.Messages.Select(m => m.RequestId));
        Assert.NotEqual(first.Messages.Select(m => m.EnvelopeId), second.Messages.Select(m => m.EnvelopeId));
    }

    [Fact]
    public async Task Schedule_ADigestThatEndsInRangeButStartsBeforeCostExplorersHistory_IsSkippedWithTheReason()
    {
        var command = Command("2025-10-01", "2025-10-31");
        Assert.True(Validator("2026-11-25T08:00:00Z").Validate(command).IsValid);

        var result = await Schedule("2026-11-25T08:00:00Z", command);

        var skipped = Assert.Single(result.Skipped);
        Assert.Equal("weekly", skipped.Report.Value);
        Assert.Equal("2025-W40", skipped.Period.ToString());
        Assert.Equal(
            "week 2025-W40 starts on 2025-09-29, before Cost Explorer's 13 months of history; the earliest day is 2025-10-01",
            skipped.Reason);
        Assert.Equal(["2025-W41", "2025-W42", "2025-W43"], result.Messages.Where(m => m.Report.Value == "weekly").Select(m => m.Period.ToString()));
        Assert.Equal(["2025-10"], result.Messages.Where(m => m.Report.Value == "monthly").Select(m => m.Period.ToString()));
        Assert.Equal(31, result.Messages.Count(m => m.Report.Value == "daily"));
        Assert.DoesNotContain(Payloads(), p => p.Period.ToString() == "2025-W40");
        Assert.Equal(result.Messages.Count, Payloads().Count);

        // The daily report and the weekly digest ask the same daily question and travel together; the month alone.
        Assert.Equal(2, _publisher.Sent.Count);
    }

    [Fact]
    public async Task Schedule_WhenTheOnlyPeriodIsSkipped_PublishesNothing()
    {
        var result = await Schedule("2026-11-25T08:00:00Z", Command("2025-10-01", "2025-10-05") with { Cadence = Cadence.Weekly });

        Assert.Empty(result.Messages);
        Assert.Equal("2025-W40", Assert.Single(result.Skipped).Period.ToString());
        Assert.Empty(_publisher.Sent);
    }

    [Fact]
    public async Task Schedule_WithTheWeeklyCadence_EnqueuesOnlyWeeklyReports()
    {
        var result = await Schedule("2026-12-01T06:00:00Z", Command("2026-11-16", "2026-11-30") with { Cadence = Cadence.Weekly });

        Assert.Equal([("weekly", "2026-W47"), ("weekly", "2026-W48")], Planned(result));
    }

    [Fact]
    public async Task Schedule_WithTheMonthlyCadence_EnqueuesOnlyMonthlyReports()
    {
        var result = await Schedule("2026-12-01T06:00:00Z", Command("2026-10-01", "2026-11-30") with { Cadence = Cadence.Monthly });

        Assert.Equal([("monthly", "2026-10"), ("monthly", "2026-11")], Planned(result));
    }

    [Fact]
    public async Task Schedule_WithTheDailyCadence_LeavesTheDigestsOut()
    {
        var result = await Schedule("2026-12-01T06:00:00Z", Command("2026-11-29", "2026-11-30") with { Cadence = Cadence.Daily });

        Assert.Equal([("daily", "2026-11-29"), ("daily", "2026-11-30")], Planned(result));
    }

    [Fact]
    public async Task Schedule_AWeeklyReportNamedOverAWeekOfDays_EnqueuesItsWeekOnce()
    {
        var result = await Schedule("2026-12-01T06:00:00Z", Command("2026-11-23", "2026-11-29", Trigger.Replay, "weekly"));

        Assert.Equal([("weekly", "2026-W48")], Planned(result));
        Assert.StartsWith("replay-", result.RequestId.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_AReplayOfSeveralWeeks_SharesOneFreshRequestId()
    {
        var result = await Schedule("2026-12-01T06:00:00Z", Command("2026-11-09", "2026-11-29", Trigger.Replay) with { Cadence = Cadence.Weekly });

        Assert.Equal(["2026-W46", "2026-W47", "2026-W48"], result.Messages.Select(m => m.Period.ToString()));
        var requestId = Assert.Single(result.Messages.Select(m => m.RequestId).Distinct());
        Assert.Equal(result.RequestId, requestId);
        Assert.StartsWith("replay-", requestId.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_AReportTheCatalogDoesNotList_TakesTheCommandsCadence()
    {
        var result = await Schedule("2026-12-01T06:00:00Z", Command("2026-11-23", "2026-11-29", Trigger.Replay, "ops-weekly") with { Cadence = Cadence.Weekly });

        Assert.Equal([("ops-weekly", "2026-W48")], Planned(result));
    }

    [Fact]
    public async Task Schedule_AReportTheCatalogDoesNotList_IsDailyWithoutACadence()
    {
        var result = await Schedule("2026-12-01T06:00:00Z", Command("2026-11-28", "2026-11-29", Trigger.Replay, "ops-unlisted"));

        Assert.Equal([("ops-unlisted", "2026-11-28"), ("ops-unlisted", "2026-11-29")], Planned(result));
    }

    [Fact]
    public async Task Schedule_ARangeInWhichNoPeriodEnds_PublishesNothing()
    {
        var result = await Schedule("2026-12-01T06:00:00Z", Command("2026-11-23", "2026-11-28") with { Cadence = Cadence.Weekly });

        Assert.Empty(result.Messages);
        Assert.Empty(result.Skipped);
        Assert.Empty(_publisher.Sent);
    }

    [Theory]
    [InlineData("daily", Cadence.Weekly, "report 'daily' is daily, not weekly")]
    [InlineData("weekly", Cadence.Monthly, "report 'weekly' is weekly, not monthly")]
    [InlineData("monthly", Cadence.Daily, "report 'monthly' is monthly, not daily")]
    public void ScheduleValidator_AReportOfAnotherCadenceThanAskedFor_IsRefused(string report, Cadence cadence, string expected)
    {
        var command = Command("2026-11-23", "2026-11-29", Trigger.Replay, report) with { Cadence = cadence };

        var result = Validator("2026-12-01T06:00:00Z").Validate(command);

        Assert.Contains(result.Errors, e => e.ErrorMessage == expected);
    }

    [Theory]
    [InlineData("weekly", Cadence.Weekly)]
    [InlineData("monthly", Cadence.Monthly)]
    [InlineData("daily", Cadence.Daily)]
    public void ScheduleValidator_AReportOfTheCadenceAskedFor_Passes(string report, Cadence cadence)
    {
        var command = Command("2026-11-23", "2026-11-29", Trigger.Replay, report) with { Cadence = cadence };

        var result = Validator("2026-12-01T06:00:00Z").Validate(command);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    private static ScheduleReports Command(string from, string to, Trigger trigger = Trigger.Scheduled, params string[] reports) =>
        new(ReportDate.Parse(from), ReportDate.Parse(to), trigger, reports.Select(ReportId.Parse).ToList(), null, "c");

    private static FakeTimeProvider Clock(string now) => new(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture));

    private static ScheduleReportsValidator Validator(string now) => new(Catalog, Clock(now));

    private static List<(string Report, string Period)> Planned(ScheduleResult result) =>
        result.Messages.Select(m => (m.Report.Value, m.Period.ToString())).ToList();

    private async Task<ScheduleResult> Schedule(string now, ScheduleReports command)
    {
        var handler = new ScheduleReportsHandler(Catalog, _publisher, Clock(now), new PipelineMetrics(_metrics, "test", TimeProvider.System), NullLogger<ScheduleReportsHandler>.Instance);
        return await handler.Handle(command, CancellationToken.None);
    }

    private List<ReportRequested> Payloads() =>
        _publisher.Sent.SelectMany(s => MessageCodec.DecodeCollectorMessage(s.Body).Payload).ToList();
}
