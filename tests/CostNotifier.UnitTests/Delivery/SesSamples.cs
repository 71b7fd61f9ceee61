using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CostNotifier.Events;

namespace CostNotifier.UnitTests.Delivery;

/// <summary>
/// The SES sending events of <c>Delivery/samples</c> (the shapes AWS documents, carrying our tags), the forms the
/// delivery queue receives them in, and the delivery reports each one must become.
/// </summary>
internal static class SesSamples
{
    public const string DailyMessage = "0100019a7c2e41d3-5f8b2c6e-1a4d-4e7b-9c3f-8d2a6b1e0f47-000000";
    public const string DailyBouncedMessage = "0100019a7c2e42a8-c41e7d93-6b2f-4a18-8e5d-3f7c9a0b2d61-000000";
    public const string WeeklyMessage = "0100019ad1f0b7e5-2e9a4c17-8f3b-46d2-a1c5-7b0e3d9f6a28-000000";
    public const string MonthlyMessage = "0100019b0a4c6f12-9d3e7a85-4c1b-4f60-b2e8-1a5d7c3f9e04-000000";
    public const string RejectedMessage = "0100019a7c2e44b9-7a2c5e18-3d9f-4b61-a0e4-6c8b1f2d7e35-000000";
    public const string UnrenderedMessage = "0100019a7c2e45c2-1b8d4f70-9e3a-42c5-b7d1-0f6e2a9c8b13-000000";
    public const string TwoRecipientMessage = "0100019a7c2e46d7-e35a9b21-5c8e-4d07-9f2b-4a1c6e3d0b89-000000";
    public const string ForeignMessage = "0100019a80ff01aa-3c7e1d55-2b9a-4e6f-8d04-b5a2c9e7f130-000000";

    /// <summary>Each recorded event type's sample, with and without the SNS envelope.</summary>
    public static TheoryData<string, bool> RecordedInBothForms { get; } = BothForms(
        "send", "delivery", "bounce", "bounce-two-recipients", "complaint", "reject", "rendering-failure", "delivery-delay");

    /// <summary>The sample as SES writes it (what raw message delivery puts in the queue).</summary>
    public static string Raw(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Delivery", "samples", name + ".json"));

    /// <summary>The sample as the queue receives it: inside SNS's envelope, or raw.</summary>
    public static string Body(string name, bool inSnsEnvelope) => inSnsEnvelope ? InSnsEnvelope(Raw(name)) : Raw(name);

    /// <summary><paramref name="message"/> as SNS delivers a notification to a subscription without raw delivery.</summary>
    public static string InSnsEnvelope(string message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Type", "Notification");
            json.WriteString("MessageId", "7c0e5b1a-3f2d-5e48-9a61-d4b8c2f07e93");
            json.WriteString("TopicArn", "arn:aws:sns:eu-west-1:111122223333:costnotifier-prod-ses-events");
            json.WriteString("Message", message);
            json.WriteString("Timestamp", "2026-11-25T07:00:06.012Z");
            json.WriteString("SignatureVersion", "2");
            json.WriteString("Signature", "bm90LWEtcmVhbC1zaWduYXR1cmU=");
            json.WriteString("SigningCertURL", "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem");
            json.WriteString("UnsubscribeURL", "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe");
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The sample with one of the email's tags set to <paramref name="value"/>, or removed when it is null.</summary>
    public static string WithTag(string name, string tag, string? value) => Edited(name, root =>
    {
        var tags = root["mail"]!["tags"]!.AsObject();
        tags.Remove(tag);
        if (value is not null)
        {
            tags[tag] = new JsonArray(value);
        }
    });

    /// <summary>The sample after <paramref name="edit"/> changed its JSON.</summary>
    public static string Edited(string name, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(Raw(name))!.AsObject();
        edit(root);
        return root.ToJsonString();
    }

    /// <summary>What each sample must be recorded as, in the order SES lists the recipients.</summary>
    public static IReadOnlyList<DeliveryReport> Expected(string name) => name switch
    {
        "send" =>
        [
            new NotificationAccepted
            {
                ReportId = "daily", Date = "2026-11-24", RequestId = "scheduled-2026-11-24", Recipient = "finops@example.com",
                ProviderMessageId = DailyMessage, OccurredAt = At("2026-11-25T07:00:03.120Z"),
            },
        ],
        "delivery" =>
        [
            new NotificationDelivered
            {
                ReportId = "daily", Date = "2026-11-24", RequestId = "scheduled-2026-11-24", Recipient = "finops@example.com",
                ProviderMessageId = DailyMessage, OccurredAt = At("2026-11-25T07:00:05.871Z"),
            },
        ],
        "bounce" =>
        [
            new NotificationBounced
            {
                ReportId = "daily", Date = "2026-11-24", RequestId = "scheduled-2026-11-24", Recipient = "platform@example.com",
                ProviderMessageId = DailyBouncedMessage, OccurredAt = At("2026-11-25T07:00:06.402Z"),
                BounceType = "Permanent", BounceSubType = "General",
                Diagnostic = "smtp; 550 5.1.1 <platform@example.com>: Recipient address rejected: User unknown",
            },
        ],
        "bounce-two-recipients" =>
        [
            new NotificationBounced
            {
                ReportId = "daily", Date = "2026-11-24", RequestId = "scheduled-2026-11-24", Recipient = "finops@example.com",
                ProviderMessageId = TwoRecipientMessage, OccurredAt = At("2026-11-25T07:14:51.730Z"),
                BounceType = "Transient", BounceSubType = "MailboxFull", Diagnostic = "smtp; 552 5.2.2 Mailbox full",
            },
            new NotificationBounced
            {
                ReportId = "daily", Date = "2026-11-24", RequestId = "scheduled-2026-11-24", Recipient = "platform@example.com",
                ProviderMessageId = TwoRecipientMessage, OccurredAt = At("2026-11-25T07:14:51.730Z"),
                BounceType = "Transient", BounceSubType = "MailboxFull", Diagnostic = null,
            },
        ],
        "complaint" =>
        [
            new NotificationComplained
            {
                ReportId = "weekly-digest", Date = "2026-W48", RequestId = "scheduled-2026-W48", Recipient = "finops@example.com",
                ProviderMessageId = WeeklyMessage, OccurredAt = At("2026-11-30T09:41:17.000Z"), FeedbackType = "abuse",
            },
        ],
        "reject" =>
        [
            new NotificationRejected
            {
                ReportId = "daily", Date = "2026-11-24", RequestId = "scheduled-2026-11-24", Recipient = "finops@example.com",
                ProviderMessageId = RejectedMessage, OccurredAt = At("2026-11-25T07:00:04.311Z"), Reason = "Bad content",
            },
        ],
        "rendering-failure" =>
        [
            new NotificationRejected
            {
                ReportId = "daily", Date = "2026-11-24", RequestId = "scheduled-2026-11-24", Recipient = "finops@example.com",
                ProviderMessageId = UnrenderedMessage, OccurredAt = At("2026-11-25T07:00:04.774Z"),
                Reason = "Rendering failure in template CostReport: Attribute 'total' is not present in the rendering data.",
            },
        ],
        "delivery-delay" =>
        [
            new NotificationDelayed
            {
                ReportId = "monthly-by-account", Date = "2026-11", RequestId = "replay-3e9d0c5a7b2f4e18a6c1d04f9b7e2a55", Recipient = "finops@example.com",
                ProviderMessageId = MonthlyMessage, OccurredAt = At("2026-12-01T07:10:02.551Z"),
                DelayType = "MailboxFull", Diagnostic = "smtp; 452 4.2.2 Mailbox over quota, try again later",
            },
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No recorded sample by that name."),
    };

    private static TheoryData<string, bool> BothForms(params string[] names)
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in names)
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
