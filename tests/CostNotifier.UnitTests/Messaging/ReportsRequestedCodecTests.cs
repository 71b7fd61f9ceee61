using System.Text.Json.Nodes;
using CostNotifier.Domain;
using CostNotifier.Messaging;

namespace CostNotifier.UnitTests.Messaging;

/// <summary>The collector message that carries many report periods, on the wire.</summary>
public sealed class ReportsRequestedCodecTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ReportsRequested_RoundTripsEveryPeriodInOrder()
    {
        var requests = Periods(400);

        var decoded = MessageCodec.DecodeCollectorMessage(MessageCodec.Encode(new ReportsRequested(requests), "id-1", "corr-1", Now));

        Assert.Equal(requests, decoded.Payload);
        Assert.Equal((MessageTypes.ReportsRequested, 2, "id-1", "corr-1"), (decoded.Envelope.Type, decoded.Envelope.Version, decoded.Envelope.Id, decoded.Envelope.CorrelationId));
    }

    [Fact]
    public void AFullMessage_StaysWellUnderTheBodyLimit()
    {
        var body = MessageCodec.Encode(new ReportsRequested(Periods(ReportsRequested.MaxRequests)), Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"), Now);

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(body) < MessageCodec.MaxBodyBytes / 2, $"{body.Length} bytes");
    }

    [Fact]
    public void ASingleReportRequested_DecodesAsAListOfOne()
    {
        var request = Periods(1)[0];

        var decoded = MessageCodec.DecodeCollectorMessage(MessageCodec.Encode(request, "id-1", "corr-1", Now));

        Assert.Equal([request], decoded.Payload);
        Assert.Equal(MessageTypes.ReportRequested, decoded.Envelope.Type);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(401)]
    public void AMessageOfNoneOrTooManyPeriods_IsPoison(int count)
    {
        var body = MessageCodec.Encode(new ReportsRequested(Periods(count)), "id-1", "corr-1", Now);

        var error = Assert.Throws<PoisonMessageException>(() => MessageCodec.DecodeCollectorMessage(body));

        Assert.Equal("A ReportsRequested message must carry 1 to 400 requests.", error.Message);
    }

    [Fact]
    public void AMessageWithANullPeriod_IsPoison()
    {
        var body = Rewrite(MessageCodec.Encode(new ReportsRequested(Periods(2)), "id-1", "corr-1", Now), envelope => envelope["payload"]!["requests"]!.AsArray().Add(null));

        var error = Assert.Throws<PoisonMessageException>(() => MessageCodec.DecodeCollectorMessage(body));

        Assert.Contains("ReportsRequested", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABodyLargerThan128KiB_IsPoison_WhateverItCarries()
    {
        var body = MessageCodec.Encode(new ReportsRequested(Periods(3)), "id-1", "corr-1", Now);
        var padded = body[..^1] + new string(' ', MessageCodec.MaxBodyBytes) + "}";

        var error = Assert.Throws<PoisonMessageException>(() => MessageCodec.DecodeCollectorMessage(padded));

        Assert.Equal(131072, MessageCodec.MaxBodyBytes);
        Assert.Contains("larger than 131072 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VersionOneOfReportsRequested_IsPoison()
    {
        var body = Rewrite(MessageCodec.Encode(new ReportsRequested(Periods(2)), "id-1", "corr-1", Now), envelope => envelope["version"] = 1);

        var error = Assert.Throws<PoisonMessageException>(() => MessageCodec.DecodeCollectorMessage(body));

        Assert.Contains("ReportsRequested version 1 is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMalformedPeriodInsideTheList_IsPoisonNamingIt()
    {
        var body = Rewrite(MessageCodec.Encode(new ReportsRequested(Periods(3)), "id-1", "corr-1", Now), envelope => envelope["payload"]!["requests"]![1]!["period"] = "2026-13-01");

        var error = Assert.Throws<PoisonMessageException>(() => MessageCodec.DecodeCollectorMessage(body));

        Assert.Contains("ReportsRequested payload is malformed: requests[1].period", error.Message, StringComparison.Ordinal);
    }

    private static List<ReportRequested> Periods(int count) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var period = i % 10 == 9 ? ReportPeriod.Parse("2026-W47") : (ReportPeriod)ReportDate.Parse("2026-11-24").AddDays(-i);
            var report = ReportId.Parse(i % 10 == 9 ? "weekly" : "daily");
            return new ReportRequested(report, period, i % 3 == 0 ? Trigger.Replay : Trigger.Scheduled, RequestId.Scheduled(period));
        })];

    private static string Rewrite(string body, Action<JsonObject> change)
    {
        var envelope = JsonNode.Parse(body)!.AsObject();
        change(envelope);
        return envelope.ToJsonString();
    }
}
