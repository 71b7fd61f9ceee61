using CostNotifier.Domain;
using CostNotifier.Messaging;
using CostNotifier.Validation;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Messaging;

public sealed class MessageCodecTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Encode_ThenDecode_RoundTripsEnvelopeAndPayload()
    {
        var payload = new ReportRequested("daily", "2026-11-24", Triggers.Scheduled, "scheduled-2026-11-24");

        var decoded = MessageCodec.DecodeReportRequested(MessageCodec.Encode(payload, "id-1", "corr-1", Now));

        Assert.Equal(payload, decoded.Payload);
        Assert.Equal("ReportRequested", decoded.Envelope.Type);
        Assert.Equal(1, decoded.Envelope.Version);
        Assert.Equal("corr-1", decoded.Envelope.CorrelationId);
    }

    [Fact]
    public void Encode_WritesTheDocumentedWireShape()
    {
        var body = MessageCodec.Encode(new CostSnapshotReady("daily", "2026-11-24", 3, "r1", "replay"), "id-1", "corr-1", Now);

        Assert.Equal(
            """{"type":"CostSnapshotReady","version":1,"id":"id-1","correlationId":"corr-1","occurredAt":"2026-11-25T08:00:00+00:00","payload":{"reportId":"daily","date":"2026-11-24","snapshotVersion":3,"requestId":"r1","trigger":"replay"}}""",
            body);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("not json", "not a valid envelope")]
    [InlineData("null", "JSON null")]
    [InlineData("""{"type":"CostSnapshotReady","version":1,"id":"a","correlationId":"b","occurredAt":"2026-11-25T08:00:00Z","payload":{}}""", "Expected a ReportRequested")]
    [InlineData("""{"type":"ReportRequested","version":2,"id":"a","correlationId":"b","occurredAt":"2026-11-25T08:00:00Z","payload":{}}""", "version 2 is not supported")]
    [InlineData("""{"type":"ReportRequested","version":1,"id":"","correlationId":"b","occurredAt":"2026-11-25T08:00:00Z","payload":{}}""", "no id")]
    [InlineData("""{"type":"ReportRequested","version":1,"id":"a","correlationId":"b","occurredAt":"2026-11-25T08:00:00Z"}""", "payload")]
    [InlineData("""{"type":"ReportRequested","version":1,"id":"a","correlationId":"b","occurredAt":"2026-11-25T08:00:00Z","payload":[1]}""", "missing or not an object")]
    [InlineData("""{"type":"ReportRequested","version":1,"id":"a","correlationId":"b","occurredAt":"2026-11-25T08:00:00Z","payload":{"reportId":"daily"}}""", "malformed")]
    [InlineData("""{"type":"ReportRequested","version":1,"id":"a","correlationId":"b","occurredAt":"2026-11-25T08:00:00Z","payload":{"reportId":5,"date":"2026-11-24","trigger":"replay","requestId":"r"}}""", "malformed")]
    public void Decode_WhenUnreadable_ThrowsPoisonMessageNamingTheProblem(string body, string expected)
    {
        var error = Assert.Throws<PoisonMessageException>(() => MessageCodec.DecodeReportRequested(body));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_WhenHuge_ThrowsPoisonMessage()
    {
        var body = new string('x', MessageCodec.MaxBodyBytes + 1);

        Assert.Throws<PoisonMessageException>(() => MessageCodec.DecodeReportRequested(body));
    }
}

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
