using System.Text.Json;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Notifier.Delivery;
using Microsoft.Extensions.DependencyInjection;

namespace CostNotifier.UnitTests.Delivery;

/// <summary>SES sending events through the delivery queue's batch processor onto the report period streams.</summary>
public sealed class DeliveryRecordingTests
{
    [Theory]
    [MemberData(nameof(SesSamples.RecordedInBothForms), MemberType = typeof(SesSamples))]
    public async Task EachRecordedSample_InEitherForm_IsRecordedOnItsReportPeriodsStreamAsTheRightEvent(string sample, bool inSnsEnvelope)
    {
        using var bed = await DeliveryTestBed.StartAsync();
        var expected = SesSamples.Expected(sample);

        var response = await bed.ProcessAsync(SesSamples.Body(sample, inSnsEnvelope));

        Assert.Empty(response.BatchItemFailures);
        Assert.Empty(bed.DeadLetters.Moved);
        var stream = new StreamId(ReportId.Parse(expected[0].ReportId), ReportPeriod.Parse(expected[0].Date));
        Assert.Equal(expected, await bed.ReportsOnAsync(stream));
    }

    [Fact]
    public async Task ASendEvent_LetsTheSenderSeeTheEmailWasAccepted()
    {
        using var bed = await DeliveryTestBed.StartAsync();

        await bed.ProcessAsync(SesSamples.Raw("send"));

        var state = await bed.Events.LoadAsync(DeliveryTestBed.DailyStream, CancellationToken.None);
        Assert.Equal(SesSamples.DailyMessage, state.AcceptedBy(RequestId.Parse("scheduled-2026-11-24"), "finops@example.com")?.ProviderMessageId);
    }

    [Fact]
    public async Task AnEventDeliveredAgain_InEitherForm_IsRecordedOnceAndCountedOnce()
    {
        using var bed = await DeliveryTestBed.StartAsync();

        await bed.ProcessAsync(SesSamples.Raw("bounce"));
        var again = await bed.ProcessAsync(SesSamples.Body("bounce", inSnsEnvelope: true), SesSamples.Raw("bounce"));

        Assert.Empty(again.BatchItemFailures);
        Assert.Empty(bed.DeadLetters.Moved);
        Assert.Equal(SesSamples.Expected("bounce"), await bed.ReportsOnAsync(DeliveryTestBed.DailyStream));
        Assert.Single(bed.MetricLines("NotificationsBounced"));
    }

    [Fact]
    public async Task ABounceOfTwoRecipients_RecordsABounceForEach_AndCountsBoth()
    {
        using var bed = await DeliveryTestBed.StartAsync();

        await bed.ProcessAsync(SesSamples.Raw("bounce-two-recipients"));

        var reports = await bed.ReportsOnAsync(DeliveryTestBed.DailyStream);
        Assert.Equal(["finops@example.com", "platform@example.com"], reports.Select(r => r.Recipient));
        Assert.All(reports, r => Assert.IsType<NotificationBounced>(r));
        Assert.Equal(2, bed.MetricLines("NotificationsBounced").Count);
    }

    [Fact]
    public async Task ABatchWithForeignAndBrokenMessages_DeadLettersEachWithItsOwnReason_AndRecordsItsValidNeighbours()
    {
        using var bed = await DeliveryTestBed.StartAsync();

        var response = await bed.ProcessAsync(
            SesSamples.Raw("delivery"),
            SesSamples.Raw("open"),
            """{"eventType":"Bounce","mail":{"messageId":""",
            SesSamples.Raw("sns-subscription-confirmation"),
            SesSamples.InSnsEnvelope(SesSamples.Raw("foreign-delivery")),
            SesSamples.WithTag("send", "report", "nightly"),
            SesSamples.WithTag("send", "period", "2026-W48"),
            SesSamples.WithTag("send", "period", "2026-11-23"),
            SesSamples.Body("bounce", inSnsEnvelope: true));

        Assert.Empty(response.BatchItemFailures);
        Assert.All(bed.DeadLetters.Moved, moved => Assert.Equal(PipelineQueue.Delivery, moved.Source));
        var reasons = bed.DeadLetters.Moved.ToDictionary(m => m.MessageId, m => m.Reason);
        Assert.Equal(["m2", "m3", "m4", "m5", "m6", "m7", "m8"], reasons.Keys);
        Assert.StartsWith("SES event type 'Open' is not recorded", reasons["m2"], StringComparison.Ordinal);
        Assert.StartsWith("The message body cannot be read as JSON:", reasons["m3"], StringComparison.Ordinal);
        Assert.StartsWith("foreign message: an SNS SubscriptionConfirmation for topic", reasons["m4"], StringComparison.Ordinal);
        Assert.Equal(
            $"foreign message: SES message {SesSamples.ForeignMessage} has no 'report', 'period' or 'request' tag, so it is not a report email of this pipeline.",
            reasons["m5"]);
        Assert.Equal($"Invalid message: report 'nightly' named by the tags of SES message {SesSamples.DailyMessage} is not configured", reasons["m6"]);
        Assert.Equal("Invalid message: report 'daily' is daily, so it takes a day (yyyy-MM-dd), not '2026-W48'", reasons["m7"]);
        Assert.Equal(
            $"Stream report#daily#2026-11-23 has no snapshot, so SES message {SesSamples.DailyMessage} cannot be about a report email sent from it.",
            reasons["m8"]);
        Assert.Equal(
            [.. SesSamples.Expected("delivery"), .. SesSamples.Expected("bounce")],
            await bed.ReportsOnAsync(DeliveryTestBed.DailyStream));
        Assert.Empty(await bed.Events.ReadStreamAsync(new StreamId(ReportId.Parse("daily"), ReportPeriod.Parse("2026-11-23")), CancellationToken.None));
    }

    [Fact]
    public async Task BouncesAndComplaints_WriteTheMetricsTheAlarmsWatch_AndOtherEventsWriteNone()
    {
        using var bed = await DeliveryTestBed.StartAsync();

        await bed.ProcessAsync(SesSamples.Raw("bounce"), SesSamples.Raw("complaint"), SesSamples.Raw("delivery"), SesSamples.Raw("delivery-delay"));

        foreach (var metric in new[] { "NotificationsBounced", "NotificationsComplained" })
        {
            var line = Assert.Single(bed.MetricLines(metric));
            var definition = line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
            Assert.Equal("CostNotifier", definition.GetProperty("Namespace").GetString());
            Assert.Equal("""[["Stack"]]""", definition.GetProperty("Dimensions").GetRawText());
            Assert.Equal($$"""[{"Name":"{{metric}}","Unit":"Count"}]""", definition.GetProperty("Metrics").GetRawText());
            Assert.Equal("unit", line.GetProperty("Stack").GetString());
            Assert.Equal(1, line.GetProperty(metric).GetInt32());
        }

        Assert.Equal(2, bed.Metrics.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task ARecipientSesSpellsInAnotherCase_IsRecordedAsTheReportConfiguresIt()
    {
        using var bed = await DeliveryTestBed.StartAsync();
        var body = SesSamples.Edited("bounce", root => root["bounce"]!["bouncedRecipients"]![0]!["emailAddress"] = "Platform@Example.COM");

        await bed.ProcessAsync(body);

        Assert.Equal("platform@example.com", Assert.Single(await bed.ReportsOnAsync(DeliveryTestBed.DailyStream)).Recipient);
    }

    [Fact]
    public async Task AnAppendThatMeetsAnotherWriter_RereadsTheStreamAndRecordsAfterIt()
    {
        var sent = new NotificationSent("daily", "2026-11-24", "scheduled-2026-11-24", "platform@example.com", 1, "other", "subject", DateTimeOffset.UnixEpoch);
        using var bed = await DeliveryTestBed.StartAsync(store => new RacingEventStore(store, sent));

        var response = await bed.ProcessAsync(SesSamples.Raw("delivery"));

        Assert.Empty(response.BatchItemFailures);
        var state = await bed.Events.LoadAsync(DeliveryTestBed.DailyStream, CancellationToken.None);
        Assert.Equal(3, state.Version);
        Assert.True(state.WasSent(RequestId.Parse("scheduled-2026-11-24"), "platform@example.com"));
        Assert.Equal(SesSamples.Expected("delivery"), state.DeliveryReports);
    }

    [Fact]
    public async Task AnAppendThatMeetsACopyOfTheSameEvent_RecordsItOnceAndCountsItOnce()
    {
        var copy = SesSamples.Expected("bounce")[0];
        using var bed = await DeliveryTestBed.StartAsync(store => new RacingEventStore(store, copy));

        var response = await bed.ProcessAsync(SesSamples.Raw("bounce"));

        Assert.Empty(response.BatchItemFailures);
        Assert.Equal([copy], await bed.ReportsOnAsync(DeliveryTestBed.DailyStream));
        Assert.Empty(bed.MetricLines("NotificationsBounced"));
    }

    [Fact]
    public async Task RecordingAnEvent_LogsOneSummaryLineWithoutTheRecipient()
    {
        using var bed = await DeliveryTestBed.StartAsync();

        await bed.ProcessAsync(SesSamples.Raw("bounce"), SesSamples.Raw("bounce"));

        var messages = bed.Logs.ToString()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(line => line.GetProperty("category").GetString() == typeof(RecordDeliveryEventHandler).FullName)
            .Select(line => (
                Level: line.GetProperty("level").GetString(),
                Message: line.GetProperty("message").GetString(),
                Correlation: line.GetProperty("correlationId").GetString()))
            .ToList();
        var summary = $"SES Bounce for daily 2026-11-24 (request scheduled-2026-11-24, provider message {SesSamples.DailyBouncedMessage})";
        Assert.Equal(
            [
                ("Warning", summary + ": 1 recorded, 0 already on the stream", SesSamples.DailyBouncedMessage),
                ("Information", summary + ": 0 recorded, 1 already on the stream", SesSamples.DailyBouncedMessage),
            ],
            messages);
        Assert.DoesNotContain("platform@example.com", bed.Logs.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AddDeliveryTracking_CalledTwice_RegistersOneValidator()
    {
        using var bed = await DeliveryTestBed.StartAsync();
        var services = new ServiceCollection().AddSingleton(DeliveryTestBed.Catalog).AddDeliveryTracking().AddDeliveryTracking();

        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetServices<FluentValidation.IValidator<RecordDeliveryEvent>>());
        Assert.Equal(PipelineQueue.Delivery, bed.Services.GetRequiredService<DeliveryRecordHandler>().Queue);
    }

    /// <summary>Lets another writer append <paramref name="competitor"/> just before the first append through it.</summary>
    private sealed class RacingEventStore(IEventStore inner, ReportPeriodEvent competitor) : IEventStore
    {
        private bool _raced;

        public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(StreamId stream, CancellationToken cancellationToken) =>
            inner.ReadStreamAsync(stream, cancellationToken);

        public async Task<long> AppendAsync(StreamId stream, ExpectedVersion expected, NewEvent @event, CancellationToken cancellationToken)
        {
            if (!_raced)
            {
                _raced = true;
                var state = await inner.LoadAsync(stream, cancellationToken);
                await inner.AppendAsync(stream, state, competitor, DateTimeOffset.UnixEpoch, cancellationToken);
            }

            return await inner.AppendAsync(stream, expected, @event, cancellationToken);
        }
    }
}
