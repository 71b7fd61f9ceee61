using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Messaging;

namespace CostNotifier.Notifier.Delivery;

/// <summary>
/// Reads a delivery-queue message body: an SES sending event, either wrapped in SNS's JSON envelope or, with raw
/// message delivery on, as SES wrote it. A body that is not an SES event about one of our report emails becomes a
/// <see cref="PoisonMessageException"/> naming the problem: no retry can change what a message says.
/// </summary>
public static class SesEventParser
{
    private const string ReportTag = "report";
    private const string PeriodTag = "period";
    private const string RequestTag = "request";

    // What SES calls a status it could not classify; used when it leaves a bounce or delay type out.
    private const string Undetermined = "Undetermined";

    /// <summary>The SES event types recorded on report period streams; Open, Click and Subscription are not among them.</summary>
    public static IReadOnlyList<string> RecordedTypes { get; } = ["Send", "Delivery", "Bounce", "Complaint", "Reject", "Rendering Failure", "DeliveryDelay"];

    /// <summary>Reads <paramref name="body"/> into the delivery reports it means.</summary>
    /// <exception cref="PoisonMessageException">The body is not a readable SES event of a recorded type about a report email.</exception>
    public static SesSendingEvent Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new PoisonMessageException("The message body is empty.");
        }

        var ses = Read(Unwrap(body), SesEventJsonContext.Default.SesEventJson, "SES event");
        var type = (ses.EventType ?? ses.NotificationType)?.Trim();
        if (string.IsNullOrEmpty(type))
        {
            throw new PoisonMessageException("The SES event has neither an eventType nor a notificationType.");
        }

        // The spelling without a space (as in the API's RENDERING_FAILURE) is read too; SES writes it with one.
        type = type == "RenderingFailure" ? "Rendering Failure" : type;
        if (!RecordedTypes.Contains(type, StringComparer.Ordinal))
        {
            throw new PoisonMessageException(
                $"SES event type '{type}' is not recorded (only {string.Join(", ", RecordedTypes)} are); the configuration set should not publish it to this queue.");
        }

        var mail = ses.Mail ?? throw new PoisonMessageException($"The SES {type} event has no mail object.");
        var messageId = Blank(mail.MessageId) ?? throw new PoisonMessageException($"The SES {type} event has no mail.messageId.");
        var email = ReadTags(mail.Tags, messageId);
        var about = new Origin(email, messageId, type, mail);
        return new SesSendingEvent(type, messageId, email, Translate(ses, about));
    }

    private static string Unwrap(string body)
    {
        var envelope = Read(body, SesEventJsonContext.Default.SnsEnvelopeJson, "message body");
        return envelope.Type switch
        {
            // Raw message delivery: the body is the SES event itself, which has no SNS Type.
            null => body,
            "Notification" => Blank(envelope.Message)
                ?? throw new PoisonMessageException($"The SNS notification {envelope.MessageId} carries no message."),

            // SNS asks for confirmation by message only when someone subscribes the queue from outside the stack;
            // the queue's own subscription is confirmed where it is declared, never by following a link found here.
            "SubscriptionConfirmation" or "UnsubscribeConfirmation" => throw new PoisonMessageException(
                $"foreign message: an SNS {envelope.Type} for topic {envelope.TopicArn ?? "(not named)"}, not an SES event; it is not confirmed from here."),
            _ => throw new PoisonMessageException($"foreign message: SNS message type '{envelope.Type}' is not a Notification."),
        };
    }

    private static T Read<T>(string json, JsonTypeInfo<T> info, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, info) ?? throw new PoisonMessageException($"The {what} is JSON null.");
        }
        catch (JsonException ex)
        {
            throw new PoisonMessageException($"The {what} cannot be read as JSON: {ex.Message}", ex);
        }
    }

    // The tags SendReportEmail puts on every email. An event without them is about an email someone else sent
    // through the same configuration set.
    private static ReportEmailTags ReadTags(Dictionary<string, List<string?>?>? tags, string messageId)
    {
        var report = Tag(tags, ReportTag);
        var period = Tag(tags, PeriodTag);
        var request = Tag(tags, RequestTag);
        string[] missing =
        [
            .. new[] { (Name: ReportTag, Value: report), (Name: PeriodTag, Value: period), (Name: RequestTag, Value: request) }
                .Where(t => t.Value is null)
                .Select(t => $"'{t.Name}'"),
        ];
        if (missing.Length > 0)
        {
            throw new PoisonMessageException(
                $"foreign message: SES message {messageId} has no {JoinOr(missing)} tag, so it is not a report email of this pipeline.");
        }

        var problems = new List<string>();
        if (!ReportId.TryParse(report, out var reportId) && !TryParseShareTag(report, out reportId))
        {
            problems.Add($"its '{ReportTag}' tag '{report}' is not a report id");
        }

        if (!ReportPeriod.TryParse(period, out var reportPeriod, out var periodProblem))
        {
            problems.Add($"its '{PeriodTag}' tag is not a report period: {periodProblem}");
        }

        if (!RequestId.TryParse(request, out var requestId))
        {
            problems.Add($"its '{RequestTag}' tag '{request}' is not a request id");
        }

        return problems.Count == 0
            ? new ReportEmailTags(reportId, reportPeriod, requestId)
            : throw new PoisonMessageException($"foreign message: SES message {messageId} is not a report email of this pipeline: {string.Join("; ", problems)}.");
    }

    // SES allows only letters, digits, '_' and '-' in a tag value, so an account share's id ("org.111122223333") goes
    // out with its dot replaced ("org_111122223333"). A report id never has '_' otherwise, so it can only be the dot.
    private static bool TryParseShareTag(string? tag, out ReportId id)
    {
        var underscore = tag?.LastIndexOf('_') ?? -1;
        if (underscore > 0)
        {
            return ReportId.TryParse(string.Concat(tag.AsSpan(0, underscore), ".", tag.AsSpan(underscore + 1)), out id);
        }

        id = default;
        return false;
    }

    private static string? Tag(Dictionary<string, List<string?>?>? tags, string name) =>
        tags is not null && tags.TryGetValue(name, out var values) && values is not null
            ? values.Select(Blank).FirstOrDefault(v => v is not null)
            : null;

    private static string JoinOr(string[] names) =>
        names.Length == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";

    // One report per recipient the event concerns: the recipients a bounce, complaint or delay lists, the delivery's
    // recipients, otherwise the email's destination (the notifier sends each email to one recipient).
    private static List<DeliveryReport> Translate(SesEventJson ses, Origin about) => about.Type switch
    {
        "Send" => Accepted(about),
        "Delivery" => Delivered(ses.Delivery ?? throw about.Missing("delivery"), about),
        "Bounce" => Bounced(ses.Bounce ?? throw about.Missing("bounce"), about),
        "Complaint" => Complained(ses.Complaint ?? throw about.Missing("complaint"), about),
        "DeliveryDelay" => Delayed(ses.DeliveryDelay ?? throw about.Missing("deliveryDelay"), about),
        "Reject" => Rejected(Blank((ses.Reject ?? throw about.Missing("reject")).Reason) ?? "SES gave no reason", about),
        "Rendering Failure" => Rejected(RenderingFailure(ses.Failure ?? throw about.Missing("failure")), about),
        _ => throw new UnreachableException($"SES event type '{about.Type}' is in {nameof(RecordedTypes)} but has no translation."),
    };

    // A Send event has no object of its own beyond an empty one, nor a time: SES accepted the email when it took it.
    private static List<DeliveryReport> Accepted(Origin about) =>
        about.Reports(Addresses(about.Mail.Destination), about.At(null), (c, _) => new NotificationAccepted
        {
            ReportId = c.ReportId,
            Date = c.Date,
            RequestId = c.RequestId,
            Recipient = c.Recipient,
            ProviderMessageId = c.ProviderMessageId,
            OccurredAt = c.OccurredAt,
        });

    private static List<DeliveryReport> Delivered(SesDeliveryJson delivery, Origin about)
    {
        var recipients = Addresses(delivery.Recipients);
        var delivered = recipients.Count > 0 ? recipients : Addresses(about.Mail.Destination);
        return about.Reports(delivered, about.At(delivery.Timestamp), (c, _) => new NotificationDelivered
        {
            ReportId = c.ReportId,
            Date = c.Date,
            RequestId = c.RequestId,
            Recipient = c.Recipient,
            ProviderMessageId = c.ProviderMessageId,
            OccurredAt = c.OccurredAt,
        });
    }

    private static List<DeliveryReport> Bounced(SesBounceJson bounce, Origin about) =>
        about.Reports(Listed(bounce.BouncedRecipients), about.At(bounce.Timestamp), (c, recipient) => new NotificationBounced
        {
            ReportId = c.ReportId,
            Date = c.Date,
            RequestId = c.RequestId,
            Recipient = c.Recipient,
            ProviderMessageId = c.ProviderMessageId,
            OccurredAt = c.OccurredAt,
            BounceType = Blank(bounce.BounceType) ?? Undetermined,
            BounceSubType = Blank(bounce.BounceSubType) ?? Undetermined,
            Diagnostic = recipient.Diagnostic,
        });

    private static List<DeliveryReport> Complained(SesComplaintJson complaint, Origin about) =>
        about.Reports(Listed(complaint.ComplainedRecipients), about.At(complaint.Timestamp), (c, _) => new NotificationComplained
        {
            ReportId = c.ReportId,
            Date = c.Date,
            RequestId = c.RequestId,
            Recipient = c.Recipient,
            ProviderMessageId = c.ProviderMessageId,
            OccurredAt = c.OccurredAt,
            FeedbackType = Blank(complaint.ComplaintFeedbackType),
        });

    private static List<DeliveryReport> Delayed(SesDeliveryDelayJson delay, Origin about) =>
        about.Reports(Listed(delay.DelayedRecipients), about.At(delay.Timestamp), (c, recipient) => new NotificationDelayed
        {
            ReportId = c.ReportId,
            Date = c.Date,
            RequestId = c.RequestId,
            Recipient = c.Recipient,
            ProviderMessageId = c.ProviderMessageId,
            OccurredAt = c.OccurredAt,
            DelayType = Blank(delay.DelayType) ?? Undetermined,
            Diagnostic = recipient.Diagnostic,
        });

    // Reject and Rendering Failure carry no time of their own: SES decided when it took the email.
    private static List<DeliveryReport> Rejected(string reason, Origin about) =>
        about.Reports(Addresses(about.Mail.Destination), about.At(null), (c, _) => new NotificationRejected
        {
            ReportId = c.ReportId,
            Date = c.Date,
            RequestId = c.RequestId,
            Recipient = c.Recipient,
            ProviderMessageId = c.ProviderMessageId,
            OccurredAt = c.OccurredAt,
            Reason = reason,
        });

    private static string RenderingFailure(SesRenderingFailureJson failure)
    {
        var message = Blank(failure.ErrorMessage) ?? "SES gave no error message";
        return Blank(failure.TemplateName) is { } template ? $"Rendering failure in template {template}: {message}" : $"Rendering failure: {message}";
    }

    private static List<Recipient> Listed(List<SesRecipientJson?>? recipients) =>
        recipients is null
            ? []
            : [.. recipients.Where(r => Blank(r?.EmailAddress) is not null).Select(r => new Recipient(r!.EmailAddress!.Trim(), Blank(r.DiagnosticCode)))];

    private static List<Recipient> Addresses(List<string?>? addresses) =>
        addresses is null ? [] : [.. addresses.Select(Blank).OfType<string>().Select(a => new Recipient(a, null))];

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private sealed record Recipient(string Address, string? Diagnostic);

    // The fields every report of one event shares, for one recipient.
    private sealed record Common(string ReportId, string Date, string RequestId, string Recipient, string ProviderMessageId, DateTimeOffset OccurredAt);

    private sealed record Origin(ReportEmailTags Email, string MessageId, string Type, SesMailJson Mail)
    {
        public PoisonMessageException Missing(string field) => new($"The SES {Type} event of message {MessageId} has no {field} object.");

        // The event's own time, else when SES accepted the email.
        public DateTimeOffset At(DateTimeOffset? own) =>
            own ?? Mail.Timestamp ?? throw new PoisonMessageException($"The SES {Type} event of message {MessageId} carries no timestamp.");

        public List<DeliveryReport> Reports(List<Recipient> recipients, DateTimeOffset occurredAt, Func<Common, Recipient, DeliveryReport> create)
        {
            if (recipients.Count == 0)
            {
                throw new PoisonMessageException($"The SES {Type} event of message {MessageId} names no recipient.");
            }

            return [.. recipients.Select(r => create(
                new Common(Email.ReportId.Value, Email.Period.ToString(), Email.RequestId.Value, r.Address, MessageId, occurredAt), r))];
        }
    }
}
