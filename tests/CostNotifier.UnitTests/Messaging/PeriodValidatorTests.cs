using CostNotifier.Domain;
using CostNotifier.Messaging;
using CostNotifier.Validation;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Messaging;

/// <summary>Which weeks and months can be reported today, and that a report only takes periods of its own cadence.</summary>
public sealed class PeriodValidatorTests
{
    private static readonly ReportCatalog Catalog = new(
    [
        new ReportDefinition(ReportId.Parse("daily"), "Daily", ["ops@example.com"], GroupBy.Service, 10, []),
        new ReportDefinition(ReportId.Parse("weekly"), "Weekly", ["ops@example.com"], GroupBy.Service, 10, []) { Cadence = Cadence.Weekly },
        new ReportDefinition(ReportId.Parse("monthly"), "Monthly", ["ops@example.com"], GroupBy.Service, 10, []) { Cadence = Cadence.Monthly },
    ]);

    // Wednesday 2026-11-25: the latest complete day is 2026-11-24, the earliest Cost Explorer serves 2025-10-01.
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
    private static readonly ReportDate Today = ReportDate.Parse("2026-11-25");

    [Theory]
    [InlineData("2026-W47")]
    [InlineData("2025-W41")]
    [InlineData("2026-10")]
    [InlineData("2025-10")]
    [InlineData("2026-11-24")]
    [InlineData("2025-10-01")]
    public void WhyNotReportable_APeriodThatHasEndedWithinCostExplorersHistory_IsNull(string period)
    {
        Assert.Null(ReportPeriodRules.WhyNotReportable(ReportPeriod.Parse(period), Today));
    }

    [Theory]
    [InlineData("2026-W48", "week 2026-W48 has not ended: its last usage day 2026-11-29 is after the latest complete day 2026-11-24")]
    [InlineData("2026-W53", "week 2026-W53 has not ended: its last usage day 2027-01-03 is after the latest complete day 2026-11-24")]
    [InlineData("2026-11", "month 2026-11 has not ended: its last usage day 2026-11-30 is after the latest complete day 2026-11-24")]
    [InlineData("2027-01", "month 2027-01 has not ended: its last usage day 2027-01-31 is after the latest complete day 2026-11-24")]
    public void WhyNotReportable_AWeekOrMonthThatHasNotEnded_SaysWhenItsLastDayIs(string period, string expected)
    {
        Assert.Equal(expected, ReportPeriodRules.WhyNotReportable(ReportPeriod.Parse(period), Today));
    }

    [Theory]
    [InlineData("2025-W40", "week 2025-W40 starts on 2025-09-29, before Cost Explorer's 13 months of history; the earliest day is 2025-10-01")]
    [InlineData("2025-09", "month 2025-09 starts on 2025-09-01, before Cost Explorer's 13 months of history; the earliest day is 2025-10-01")]
    [InlineData("2024-W01", "week 2024-W01 starts on 2024-01-01, before Cost Explorer's 13 months of history; the earliest day is 2025-10-01")]
    public void WhyNotReportable_AWeekOrMonthStartingBeforeCostExplorersHistory_SaysWhereHistoryBegins(string period, string expected)
    {
        Assert.Equal(expected, ReportPeriodRules.WhyNotReportable(ReportPeriod.Parse(period), Today));
    }

    [Theory]
    [InlineData("2026-11-25", "date 2026-11-25 is not a complete UTC day yet; the latest reportable day is 2026-11-24")]
    [InlineData("2025-09-30", "date 2025-09-30 is older than Cost Explorer's 13 months of history; the earliest is 2025-10-01")]
    public void WhyNotReportable_ADay_KeepsTheDailyWording(string day, string expected)
    {
        Assert.Equal(expected, ReportPeriodRules.WhyNotReportable(ReportDate.Parse(day), Today));
    }

    [Theory]
    [InlineData(Cadence.Weekly, "2026-11-30", "2026-11-29", true)]
    [InlineData(Cadence.Weekly, "2026-11-29", "2026-11-29", false)]
    [InlineData(Cadence.Monthly, "2026-12-01", "2026-11-30", true)]
    [InlineData(Cadence.Monthly, "2026-11-30", "2026-11-30", false)]
    [InlineData(Cadence.Weekly, "2027-01-04", "2027-01-03", true)]
    public void WhyNotReportable_APeriodBecomesReportableTheDayAfterItsLastDay(Cadence cadence, string today, string lastDay, bool reportable)
    {
        var period = ReportPeriod.Containing(cadence, ReportDate.Parse(lastDay));

        var why = ReportPeriodRules.WhyNotReportable(period, ReportDate.Parse(today));

        Assert.Equal(reportable, why is null);
    }

    [Theory]
    [InlineData("daily", "2026-11-24")]
    [InlineData("weekly", "2026-W47")]
    [InlineData("monthly", "2026-10")]
    public void WhyNotPeriodOf_APeriodOfTheReportsCadence_IsNull(string report, string period)
    {
        Assert.Null(ReportPeriodRules.WhyNotPeriodOf(Catalog.Get(ReportId.Parse(report)), ReportPeriod.Parse(period)));
    }

    [Theory]
    [InlineData("daily", "2026-W47", "report 'daily' is daily, so it takes a day (yyyy-MM-dd), not '2026-W47'")]
    [InlineData("daily", "2026-10", "report 'daily' is daily, so it takes a day (yyyy-MM-dd), not '2026-10'")]
    [InlineData("weekly", "2026-11-22", "report 'weekly' is weekly, so it takes an ISO week (yyyy-Www, e.g. 2026-W48), not '2026-11-22'")]
    [InlineData("weekly", "2026-10", "report 'weekly' is weekly, so it takes an ISO week (yyyy-Www, e.g. 2026-W48), not '2026-10'")]
    [InlineData("monthly", "2026-W47", "report 'monthly' is monthly, so it takes a month (yyyy-MM, e.g. 2026-11), not '2026-W47'")]
    public void WhyNotPeriodOf_APeriodOfAnotherCadence_SaysWhatTheReportTakes(string report, string period, string expected)
    {
        Assert.Equal(expected, ReportPeriodRules.WhyNotPeriodOf(Catalog.Get(ReportId.Parse(report)), ReportPeriod.Parse(period)));
    }

    [Theory]
    [InlineData("daily", "2026-11-24")]
    [InlineData("weekly", "2026-W47")]
    [InlineData("weekly", "2025-W41")]
    [InlineData("monthly", "2026-10")]
    public void ReportRequestedValidator_APeriodOfTheReportsCadenceThatCanBeReported_Passes(string report, string period)
    {
        var validator = new ReportRequestedValidator(Catalog, Time);

        var result = validator.Validate(Request(report, period));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Theory]
    [InlineData("daily", "2026-W47", "report 'daily' is daily")]
    [InlineData("weekly", "2026-11-22", "report 'weekly' is weekly")]
    [InlineData("weekly", "2026-10", "report 'weekly' is weekly")]
    [InlineData("monthly", "2026-W47", "report 'monthly' is monthly")]
    [InlineData("weekly", "2026-W48", "week 2026-W48 has not ended")]
    [InlineData("monthly", "2026-11", "month 2026-11 has not ended")]
    [InlineData("weekly", "2025-W40", "week 2025-W40 starts on 2025-09-29, before Cost Explorer's 13 months")]
    [InlineData("monthly", "2025-09", "month 2025-09 starts on 2025-09-01, before Cost Explorer's 13 months")]
    public void ReportRequestedValidator_APeriodThatIsNotTheReportsOrCannotBeReported_IsRefusedOnThePeriod(string report, string period, string expected)
    {
        var validator = new ReportRequestedValidator(Catalog, Time);

        var result = validator.Validate(Request(report, period));

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal("period", error.PropertyName);
        Assert.Contains(expected, error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportRequestedValidator_AnUnconfiguredReport_IsRefusedOnlyForThat()
    {
        var validator = new ReportRequestedValidator(Catalog, Time);

        var result = validator.Validate(Request("nope", "2026-W47"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("reportId", error.PropertyName);
        Assert.Equal("reportId 'nope' is not a configured report", error.ErrorMessage);
    }

    [Fact]
    public void ReportRequestedValidator_AWeekOfADailyReportThatHasNotEnded_NamesBothProblems()
    {
        var validator = new ReportRequestedValidator(Catalog, Time);

        var result = validator.Validate(Request("daily", "2026-W48"));

        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.ErrorMessage.StartsWith("week 2026-W48 has not ended", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.ErrorMessage.StartsWith("report 'daily' is daily", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("weekly", "2026-W47", null)]
    [InlineData("monthly", "2026-10", null)]
    [InlineData("daily", "2026-W47", "report 'daily' is daily, so it takes a day (yyyy-MM-dd), not '2026-W47'")]
    [InlineData("monthly", "2026-11-24", "report 'monthly' is monthly, so it takes a month (yyyy-MM, e.g. 2026-11), not '2026-11-24'")]
    [InlineData("weekly", "2026-W48", "week 2026-W48 has not ended: its last usage day 2026-11-29 is after the latest complete day 2026-11-24")]
    public void CostSnapshotReadyValidator_ChecksThePeriodAsTheRequestIs(string report, string period, string? expected)
    {
        var validator = new CostSnapshotReadyValidator(Catalog, Time);

        var result = validator.Validate(new CostSnapshotReady(ReportId.Parse(report), ReportPeriod.Parse(period), 1, RequestId.Parse("r1"), Trigger.Replay));

        if (expected is null)
        {
            Assert.True(result.IsValid, string.Join("; ", result.Errors));
        }
        else
        {
            var error = Assert.Single(result.Errors);
            Assert.Equal("period", error.PropertyName);
            Assert.Equal(expected, error.ErrorMessage);
        }
    }

    private static ReportRequested Request(string report, string period) =>
        new(ReportId.Parse(report), ReportPeriod.Parse(period), Trigger.Replay, RequestId.Parse("r1"));
}
