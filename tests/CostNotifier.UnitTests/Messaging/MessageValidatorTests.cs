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
        var result = _validator.Validate(Request("daily", "2026-11-24", Trigger.Scheduled, "scheduled-2026-11-24"));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    // Malformed report ids, dates, triggers and request ids never reach a validator: decoding refuses them
    // (MessageCodecTests.Decode_WhenAFieldIsMalformed_ThrowsPoisonMessageNamingTheFieldAndWhy).
    [Theory]
    [InlineData("nope", "2026-11-24", "not a configured report")]
    [InlineData("daily", "2026-11-25", "not a complete UTC day")]
    [InlineData("daily", "2030-01-01", "not a complete UTC day")]
    [InlineData("daily", "2025-09-30", "older than Cost Explorer's 13 months")]
    public void Validate_WhenInvalid_NamesTheProblem(string report, string date, string expected)
    {
        var result = _validator.Validate(Request(report, date, Trigger.Replay, "r1"));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.ErrorMessage.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void CostSnapshotReadyValidator_WhenSnapshotVersionIsBelowOne_NamesTheProblem()
    {
        var validator = new CostSnapshotReadyValidator(Catalog, Time);

        var result = validator.Validate(new CostSnapshotReady(
            ReportId.Parse("daily"), ReportDate.Parse("2026-11-24"), 0, RequestId.Parse("r1"), Trigger.Replay));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.ErrorMessage.Contains("snapshotVersion 0 must be 1 or more", StringComparison.Ordinal));
    }

    [Fact]
    public void EarliestDate_IsTheFirstOfTheMonthThirteenMonthsBack()
    {
        Assert.Equal("2025-10-01", ReportPeriodRules.EarliestDate(ReportDate.Parse("2026-11-25")).ToString());
    }

    private static ReportRequested Request(string report, string date, Trigger trigger, string requestId) =>
        new(ReportId.Parse(report), ReportDate.Parse(date), trigger, RequestId.Parse(requestId));
}
