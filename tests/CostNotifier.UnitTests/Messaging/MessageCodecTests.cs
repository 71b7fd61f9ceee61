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
        var payload = new ReportRequested(ReportId.Parse("daily"), ReportDate.Parse("2026-11-24"), Trigger.Scheduled, RequestId.Parse("scheduled-2026-11-24"));

        var decoded = MessageCodec.DecodeReportRequested(MessageCodec.Encode(payload, "id-1", "corr-1", Now));

        Assert.Equal(payload, decoded.Payload);
        Assert.Equal("ReportRequested", decoded.Envelope.Type);
        Assert.Equal(2, decoded.Envelope.Version);
        Assert.Equal("corr-1", decoded.Envelope.CorrelationId);
    }

    [Fact]
    public void Encode_WritesTheDocumentedWireShape()
    {
        var body = MessageCodec.Encode(new CostSnapshotReady(ReportId.Parse("daily"), ReportDate.Parse("2026-11-24"), 3, RequestId.Parse("r1"), Trigger.Replay), "id-1", "corr-1", Now);

        Assert.Equal(
            """{"type":"CostSnapshotReady","version":2,"id":"id-1","correlationId":"corr-1","occurredAt":"2026-11-25T08:00:00+00:00","payload":{"reportId":"daily","period":"2026-11-24","snapshotVersion":3,"requestId":"r1","trigger":"replay"}}""",
            body);
    }

    [Theory]
    [InlineData("2026-W48")]
    [InlineData("2026-W53")]
    [InlineData("2026-11")]
    public void Encode_ThenDecode_RoundTripsADigestPeriod(string period)
    {
        var payload = new ReportRequested(ReportId.Parse("weekly"), ReportPeriod.Parse(period), Trigger.Replay, RequestId.Parse("r1"));

        var body = MessageCodec.Encode(payload, "id-1", "corr-1", Now);

        Assert.Contains($"\"period\":\"{period}\"", body, StringComparison.Ordinal);
        Assert.Equal(payload, MessageCodec.DecodeReportRequested(body).Payload);
    }

    [Fact]
    public void Decode_AVersionOneMessage_ReadsItsDateAsADailyPeriod()
    {
        var body = """{"type":"CostSnapshotReady","version":1,"id":"id-1","correlationId":"corr-1","occurredAt":"2026-11-25T08:00:00+00:00","payload":{"reportId":"daily","date":"2026-11-24","snapshotVersion":3,"requestId":"r1","trigger":"replay"}}""";

        var decoded = MessageCodec.DecodeCostSnapshotReady(body).Payload;

        Assert.Equal(ReportPeriod.Day(ReportDate.Parse("2026-11-24")), decoded.Period);
        Assert.Equal(3, decoded.SnapshotVersion);
    }

    [Theory]
    [InlineData("2026-W54", "2026 has weeks 01 to 53")]
    [InlineData("2025-W53", "2025 has weeks 01 to 52")]
    [InlineData("2026-13", "month from 01 to 12")]
    [InlineData("2026-11-31", "not an existing day")]
    public void Decode_WhenThePeriodDoesNotExist_NamesTheFieldAndTheProblem(string period, string expected)
    {
        var body = $$$"""{"type":"ReportRequested","version":2,"id":"a","correlationId":"b","occurredAt":"2026-11-25T08:00:00Z","payload":{"reportId":"weekly","period":"{{{period}}}","trigger":"replay","requestId":"r"}}""";

        var ex = Assert.Throws<PoisonMessageException>(() => MessageCodec.DecodeReportRequested(body));

        Assert.Contains("period", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("not json", "not a valid envelope")]
    [InlineData("null", "JSON null")]
    [InlineData("""{"type":"CostSnapshotReady","version":1,"id":"a","correlationId":"b","occurredAt":"2026-11-25T08:00:00Z","payload":{}}""", "Expected a ReportRequested")]
    [InlineData("""{"type":"ReportRequested","version":3,"id":"a","correlationId":"b","occurredAt":"2026-11-25T08:00:00Z","payload":{}}""", "version 3 is not supported")]
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

    // The wire format of each field is checked where the message is decoded, into typed values; the validators then
    // check only what a type cannot (MessageValidatorTests).
    [Theory]
    [InlineData("Bad!", "2026-11-24", "replay", "r1", "reportId 'Bad!' is not a valid report id: use 1-63 lowercase letters")]
    [InlineData("daily", "2026-02-30", "replay", "r1", "date '2026-02-30' is not an existing day in yyyy-MM-dd form")]
    [InlineData("daily", "2026-11-24", "manual", "r1", "trigger 'manual' must be one of scheduled, replay, backfill")]
    [InlineData("daily", "2026-11-24", "replay", "r 1", "requestId 'r 1' is not a valid request id: it must be 1-128 letters, digits, '-', '_', ':' or '.'")]
    [InlineData("daily", "2026-11-24", "replay", "", "requestId '' is not a valid request id")]
    public void Decode_WhenAFieldIsMalformed_ThrowsPoisonMessageNamingTheFieldAndWhy(string report, string date, string trigger, string requestId, string expected)
    {
        var body = Envelope("ReportRequested", $$"""{"reportId":{{Json(report)}},"date":{{Json(date)}},"trigger":{{Json(trigger)}},"requestId":{{Json(requestId)}}}""");

        var error = Assert.Throws<PoisonMessageException>(() => MessageCodec.DecodeReportRequested(body));

        Assert.StartsWith("The ReportRequested payload is malformed: " + expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_CostSnapshotReadyWithAMalformedDate_ThrowsPoisonMessageNamingIt()
    {
        var body = Envelope("CostSnapshotReady", """{"reportId":"daily","date":"2026-13-01","snapshotVersion":1,"requestId":"r1","trigger":"replay"}""");

        var error = Assert.Throws<PoisonMessageException>(() => MessageCodec.DecodeCostSnapshotReady(body));

        Assert.StartsWith("The CostSnapshotReady payload is malformed: date '2026-13-01' is not an existing day", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_WhenHuge_ThrowsPoisonMessage()
    {
        var body = new string('x', MessageCodec.MaxBodyBytes + 1);

        Assert.Throws<PoisonMessageException>(() => MessageCodec.DecodeReportRequested(body));
    }

    private static string Envelope(string type, string payload) =>
        $$"""{"type":"{{type}}","version":1,"id":"a","correlationId":"b","occurredAt":"2026-11-25T08:00:00Z","payload":{{payload}}}""";

    private static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
