using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CostNotifier.EmailSending;
using CostNotifier.Embedded.Outbox;
using CostNotifier.Events;
using CostNotifier.IntegrationTests.Emulators;

namespace CostNotifier.IntegrationTests.EndToEnd;

/// <summary>
/// SES's sending events for the emails of a real run, put on the delivery queue (fauxqs) the way SES → SNS → SQS
/// would and consumed by the notifier function as Lambda hands them over: by the queue's <c>eventSourceARN</c>.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class DeliveryEventPipelineTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private const string Day = "2026-11-24";
    private static readonly DateTimeOffset ScheduledTime = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private EmulatedPipeline _pipeline = null!;

    private string Report => $"by-service-{_suffix}";

    private string Finops => $"finops-{_suffix}@example.com";

    private string Platform => $"platform-{_suffix}@example.com";

    public async Task InitializeAsync() => _pipeline = await EmulatedPipeline.CreateAsync(emulators, ScheduledTime, withDeliveryQueue: true);

    public async Task DisposeAsync() => await _pipeline.DisposeAsync();

    [Fact]
    public async Task SesEvents_OnTheDeliveryQueue_AreRecordedOnTheStream()
    {
        // Arrange: a run sends the report to two recipients; SES then reports one delivered and the other bounced,
        // along with an email someone else sent through the configuration set and an Open it should not publish.
        var functions = _pipeline.Functions(
            $$"""[{"id":"{{Report}}","name":"By service","recipients":["{{Finops}}","{{Platform}}"],"groupBy":"SERVICE"}]""");
        await functions.RunScheduleAsync(ScheduledTime);
        var sent = (await _pipeline.EventsOfAsync(Report, Day)).OfType<NotificationSent>().ToDictionary(s => s.Recipient);
        var at = ScheduledTime.AddSeconds(5);
        var toFinops = AsSent(sent[Finops]);
        var toPlatform = AsSent(sent[Platform]);
        var foreignId = "0100019a80ff01aa-3c7e1d55-2b9a-4e6f-8d04-" + _suffix + "0000-000000";
        string[] bodies =
        [
            SesEventBodies.Delivery(toFinops, sent[Finops].ProviderMessageId, at, "250 2.0.0 OK 1764054005 mx.example.com"),
            InSnsEnvelope(Bounce(toPlatform, sent[Platform].ProviderMessageId, at)),
            SesEventBodies.Delivery(toFinops with { Tags = new Dictionary<string, string>() }, foreignId, at, "250 2.0.0 OK"),
            Open(toFinops, sent[Finops].ProviderMessageId, at),
        ];
        foreach (var body in bodies)
        {
            await emulators.Sqs.SendMessageAsync(_pipeline.Delivery.Url, body);
        }

        // Act
        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(60), functions.DeliveryEvents!);

        // Assert: the delivery and the bounce are on the stream, against the emails SES sent.
        var events = await _pipeline.EventsOfAsync(Report, Day);
        var delivered = Assert.Single(events.OfType<NotificationDelivered>());
        Assert.Equal((Finops, sent[Finops].ProviderMessageId), (delivered.Recipient, delivered.ProviderMessageId));
        var bounced = Assert.Single(events.OfType<NotificationBounced>());
        Assert.Equal((Platform, sent[Platform].ProviderMessageId), (bounced.Recipient, bounced.ProviderMessageId));
        Assert.Equal(("Permanent", "General"), (bounced.BounceType, bounced.BounceSubType));
        Assert.Equal(2, events.OfType<DeliveryReport>().Count());

        // The other two were moved to the delivery DLQ by the function, each with its own reason, and not retried.
        var dead = await _pipeline.DeadLettersAsync(_pipeline.Delivery.DeadLetterUrl, expected: 2);
        Assert.Equal(2, dead.Count);
        var foreign = Assert.Single(dead, d => d.Body == bodies[2]);
        Assert.NotNull(foreign.Reason);
        Assert.Contains("foreign message", foreign.Reason, StringComparison.Ordinal);
        Assert.Contains(foreignId, foreign.Reason, StringComparison.Ordinal);
        var open = Assert.Single(dead, d => d.Body == bodies[3]);
        Assert.NotNull(open.Reason);
        Assert.Contains("'Open' is not recorded", open.Reason, StringComparison.Ordinal);
        Assert.Equal("delivery", open.Attributes["CostNotifier.SourceQueue"]);
        Assert.Equal(4, functions.DeliveryEvents!.Deliveries);
        Assert.Equal(0, functions.DeliveryEvents.Failures);

        // The bounce alarm's metric was written once.
        var bounceMetrics = _pipeline.Written.Split('\n').Where(l => l.Contains("\"NotificationsBounced\":1", StringComparison.Ordinal)).ToList();
        var metric = Assert.Single(bounceMetrics);
        Assert.Contains("\"Namespace\":\"CostNotifier\"", metric, StringComparison.Ordinal);
    }

    // The email as the notifier sent it, with the tags it puts on every report email (SES returns them in each event).
    private OutgoingEmail AsSent(NotificationSent sent) =>
        new(
            "costs@example.com",
            sent.Recipient,
            sent.Subject,
            "<p>report</p>",
            "report",
            new Dictionary<string, string>
            {
                ["report"] = sent.ReportId,
                ["period"] = sent.Date,
                ["request"] = sent.RequestId,
                ["trigger"] = "scheduled",
            });

    // SES's Bounce event: the mail object every event carries, and a permanent bounce of the one recipient.
    private static string Bounce(OutgoingEmail email, string messageId, DateTimeOffset at) =>
        Reshaped(SesEventBodies.Delivery(email, messageId, at, "unused"), "Bounce", "delivery", "bounce", new JsonObject
        {
            ["feedbackId"] = "0102019a7c2e61f4-8e2b7c30-5a1d-4f96-b3e0-2d7a9c4f1e68-000000",
            ["bounceType"] = "Permanent",
            ["bounceSubType"] = "General",
            ["bouncedRecipients"] = new JsonArray(new JsonObject
            {
                ["emailAddress"] = email.To,
                ["action"] = "failed",
                ["status"] = "5.1.1",
                ["diagnosticCode"] = $"smtp; 550 5.1.1 <{email.To}>: Recipient address rejected: User unknown",
            }),
            ["timestamp"] = at.AddSeconds(2).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["reportingMTA"] = "dns; a8-31.smtp-out.us-east-1.amazonses.com",
        });

    // SES's Open event, which a configuration set can publish but the pipeline does not record.
    private static string Open(OutgoingEmail email, string messageId, DateTimeOffset at) =>
        Reshaped(SesEventBodies.Delivery(email, messageId, at, "unused"), "Open", "delivery", "open", new JsonObject
        {
            ["ipAddress"] = "192.0.2.1",
            ["timestamp"] = at.AddMinutes(3).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["userAgent"] = "Mozilla/5.0",
        });

    private static string Reshaped(string sesEvent, string eventType, string oldDetail, string newDetail, JsonObject detail)
    {
        var root = JsonNode.Parse(sesEvent)!.AsObject();
        root["eventType"] = eventType;
        root.Remove(oldDetail);
        root[newDetail] = detail;
        return root.ToJsonString();
    }

    // What SNS puts on a subscribed queue without raw message delivery: the SES event as a string in its envelope.
    private static string InSnsEnvelope(string message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Type", "Notification");
            json.WriteString("MessageId", Guid.NewGuid().ToString());
            json.WriteString("TopicArn", "arn:aws:sns:us-east-1:000000000000:e2e-ses-events");
            json.WriteString("Message", message);
            json.WriteString("Timestamp", "2026-11-25T08:00:07.012Z");
            json.WriteString("SignatureVersion", "2");
            json.WriteString("Signature", "bm90LWEtcmVhbC1zaWduYXR1cmU=");
            json.WriteString("SigningCertURL", "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem");
            json.WriteString("UnsubscribeURL", "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe");
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
