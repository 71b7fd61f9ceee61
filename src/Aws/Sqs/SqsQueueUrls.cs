using CostNotifier.Messaging;

namespace CostNotifier.Aws.Sqs;

/// <summary>
/// The SQS queue URLs of the pipeline. A function configures only the ones it uses; asking for one that is not
/// configured fails with the environment variable to set.
/// </summary>
/// <param name="Collector">The collector's work queue.</param>
/// <param name="CollectorDeadLetter">The collector queue's dead-letter queue.</param>
/// <param name="Notifier">The notifier's work queue.</param>
/// <param name="NotifierDeadLetter">The notifier queue's dead-letter queue.</param>
public sealed record SqsQueueUrls(string? Collector, string? CollectorDeadLetter, string? Notifier, string? NotifierDeadLetter)
{
    /// <summary>Environment variable holding <see cref="Delivery"/>.</summary>
    public const string DeliveryVariable = "COSTNOTIFIER_DELIVERY_QUEUE_URL";

    /// <summary>Environment variable holding <see cref="DeliveryDeadLetter"/>.</summary>
    public const string DeliveryDeadLetterVariable = "COSTNOTIFIER_DELIVERY_DLQ_URL";

    /// <summary>The queue of the email provider's sending events (SES → SNS → SQS).</summary>
    public string? Delivery { get; init; }

    /// <summary>The delivery queue's dead-letter queue.</summary>
    public string? DeliveryDeadLetter { get; init; }

    /// <summary>Environment variable holding <see cref="Collector"/>.</summary>
    public const string CollectorVariable = "COSTNOTIFIER_COLLECTOR_QUEUE_URL";

    /// <summary>Environment variable holding <see cref="CollectorDeadLetter"/>.</summary>
    public const string CollectorDeadLetterVariable = "COSTNOTIFIER_COLLECTOR_DLQ_URL";

    /// <summary>Environment variable holding <see cref="Notifier"/>.</summary>
    public const string NotifierVariable = "COSTNOTIFIER_NOTIFIER_QUEUE_URL";

    /// <summary>Environment variable holding <see cref="NotifierDeadLetter"/>.</summary>
    public const string NotifierDeadLetterVariable = "COSTNOTIFIER_NOTIFIER_DLQ_URL";

    /// <summary>The URL of <paramref name="queue"/>; throws naming the setting when it is not configured.</summary>
    public string For(PipelineQueue queue) => queue switch
    {
        PipelineQueue.Collector => Required(Collector, "collector queue", CollectorVariable),
        PipelineQueue.Notifier => Required(Notifier, "notifier queue", NotifierVariable),
        PipelineQueue.Delivery => Required(Delivery, "delivery queue", DeliveryVariable),
        _ => throw new ArgumentOutOfRangeException(nameof(queue), queue, "Unknown pipeline queue."),
    };

    /// <summary>The URL of <paramref name="queue"/>'s dead-letter queue; throws naming the setting when it is not configured.</summary>
    public string DeadLetterFor(PipelineQueue queue) => queue switch
    {
        PipelineQueue.Collector => Required(CollectorDeadLetter, "collector dead-letter queue", CollectorDeadLetterVariable),
        PipelineQueue.Notifier => Required(NotifierDeadLetter, "notifier dead-letter queue", NotifierDeadLetterVariable),
        PipelineQueue.Delivery => Required(DeliveryDeadLetter, "delivery dead-letter queue", DeliveryDeadLetterVariable),
        _ => throw new ArgumentOutOfRangeException(nameof(queue), queue, "Unknown pipeline queue."),
    };

    private static string Required(string? url, string what, string variable)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new InvalidOperationException($"The {what} URL is not configured: set {variable}.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException($"The {what} URL '{url}' ({variable}) is not an http(s) SQS queue URL.");
        }

        return url;
    }
}
