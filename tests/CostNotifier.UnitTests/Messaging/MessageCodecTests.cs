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
