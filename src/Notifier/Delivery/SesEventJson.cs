using System.Text.Json.Serialization;

namespace CostNotifier.Notifier.Delivery;

// The wire shapes SES and SNS write, reduced to the fields the notifier reads; everything else (headers, feedback ids,
// reporting MTAs, open and click details) is skipped. Every field is optional here: SesEventParser says what is
// missing in words instead of letting the serializer throw.

/// <summary>The SNS envelope around a message when the subscription does not use raw message delivery.</summary>
internal sealed class SnsEnvelopeJson
{
    [JsonPropertyName("Type")]
    public string? Type { get; init; }

    [JsonPropertyName("MessageId")]
    public string? MessageId { get; init; }

    [JsonPropertyName("TopicArn")]
    public string? TopicArn { get; init; }

    [JsonPropertyName("Message")]
    public string? Message { get; init; }
}

/// <summary>One SES sending event as published through a configuration set (or an identity's feedback notification).</summary>
internal sealed class SesEventJson
{
    /// <summary>The event type as configuration-set event publishing names it.</summary>
    public string? EventType { get; init; }

    /// <summary>The same, as identity feedback notifications name it.</summary>
    public string? NotificationType { get; init; }

    public SesMailJson? Mail { get; init; }

    public SesBounceJson? Bounce { get; init; }

    public SesComplaintJson? Complaint { get; init; }

    public SesDeliveryJson? Delivery { get; init; }

    public SesRejectJson? Reject { get; init; }

    public SesRenderingFailureJson? Failure { get; init; }

    public SesDeliveryDelayJson? DeliveryDelay { get; init; }
}

internal sealed class SesMailJson
{
    public DateTimeOffset? Timestamp { get; init; }

    public string? MessageId { get; init; }

    public List<string?>? Destination { get; init; }

    public Dictionary<string, List<string?>?>? Tags { get; init; }
}

internal sealed class SesRecipientJson
{
    public string? EmailAddress { get; init; }

    public string? DiagnosticCode { get; init; }
}

internal sealed class SesBounceJson
{
    public string? BounceType { get; init; }

    public string? BounceSubType { get; init; }

    public List<SesRecipientJson?>? BouncedRecipients { get; init; }

    public DateTimeOffset? Timestamp { get; init; }
}

internal sealed class SesComplaintJson
{
    public List<SesRecipientJson?>? ComplainedRecipients { get; init; }

    public string? ComplaintFeedbackType { get; init; }

    public DateTimeOffset? Timestamp { get; init; }
}

internal sealed class SesDeliveryJson
{
    public DateTimeOffset? Timestamp { get; init; }

    public List<string?>? Recipients { get; init; }
}

internal sealed class SesRejectJson
{
    public string? Reason { get; init; }
}

internal sealed class SesRenderingFailureJson
{
    public string? ErrorMessage { get; init; }

    public string? TemplateName { get; init; }
}

internal sealed class SesDeliveryDelayJson
{
    public string? DelayType { get; init; }

    public List<SesRecipientJson?>? DelayedRecipients { get; init; }

    public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>Source-generated JSON for the SES events the delivery queue carries.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(SnsEnvelopeJson))]
[JsonSerializable(typeof(SesEventJson))]
internal sealed partial class SesEventJsonContext : JsonSerializerContext;
