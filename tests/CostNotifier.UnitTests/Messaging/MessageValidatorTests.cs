using CostNotifier.Domain;
using CostNotifier.Messaging;
using CostNotifier.Validation;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Messaging;

public sealed class MessageValidatorTests
{
    private static readonly ReportCatalog Catalog = new([new ReportDefinition(ReportId.Parse("daily"), "Daily", ["ops@example.com"], GroupBy.Service, 10, [])]);
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
    private readonly ReportRequestedValidator _validator = new(Catalog, Time);

    [Fact]
    public void Validate_WhenWellFormed_Passes()
    {
        var result = _validator.Validate(new ReportRequested("daily", "2026-11-24", "scheduled", "scheduled-2026-11-24"));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Theory]
    [InlineData("nope", "2026-11-24", "replay", "r1", "not a configured report")]
    [InlineData("Bad!", "2026-11-24", "replay", "r1", "not a valid report id")]
    [InlineData("daily", "2026-02-30", "replay", "r1", "not an existing day")]
    [InlineData("daily", "2026-11-25", "replay", "r1", "not a complete UTC day")]
    [InlineData("daily", "2030-01-01", "replay", "r1", "not a complete UTC day")]
    [InlineData("daily", "2025-09-30", "replay", "r1", "older than Cost Explorer's 13 months")]
    [InlineData("daily", "2026-11-24", "manual", "r1", "trigger 'manual'")]
    [InlineData("daily", "2026-11-24", "replay", "r 1", "requestId 'r 1'")]
    [InlineData("daily", "2026-11-24", "replay", "", "requestId ''")]
    public void Validate_WhenInvalid_NamesTheProblem(string report, string date, string trigger, string requestId, string expected)
    {
        var result = _validator.Validate(new ReportRequested(report, date, trigger, requestId));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.ErrorMessage.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void EarliestDate_IsTheFirstOfTheMonthThirteenMonthsBack()
    {
        Assert.Equal("2025-10-01", ReportDayRules.EarliestDate(ReportDate.Parse("2026-11-25")).ToString());
    }
}
