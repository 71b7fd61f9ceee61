using System.Text.Json.Serialization;

namespace CostNotifier.BatchProcessing;

/// <summary>The event a Lambda SQS event source mapping delivers, as AWS documents it.</summary>
public sealed class SqsEvent
{
    /// <summary>The batch of messages.</summary>
    [JsonPropertyName("Records")]
    public IList<SqsMessage>? Records { get; init; }
}

/// <summary>One SQS message in a Lambda event.</summary>
public sealed class SqsMessage
{
    /// <summary>The SQS message id; the key of a partial batch failure.</summary>
    public string? MessageId { get; init; }

    /// <summary>The receipt handle of this delivery.</summary>
    public string? ReceiptHandle { get; init; }

    /// <summary>The message body.</summary>
    public string? Body { get; init; }

    /// <summary>System attributes such as <c>ApproximateReceiveCount</c>.</summary>
    public IDictionary<string, string>? Attributes { get; init; }

    /// <summary>Message attributes set by the sender.</summary>
    public IDictionary<string, SqsMessageAttribute>? MessageAttributes { get; init; }

    /// <summary>MD5 of the body.</summary>
    public string? Md5OfBody { get; init; }

    /// <summary>Always <c>aws:sqs</c>.</summary>
    public string? EventSource { get; init; }

    /// <summary>The source queue's ARN.</summary>
    [JsonPropertyName("eventSourceARN")]
    public string? EventSourceArn { get; init; }

    /// <summary>The queue's region.</summary>
    public string? AwsRegion { get; init; }

    /// <summary>How many times the message has been received, including this time (1 when unknown).</summary>
    [JsonIgnore]
    public int ReceiveCount =>
        Attributes is not null
        && Attributes.TryGetValue("ApproximateReceiveCount", out var text)
        && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var count)
            ? count
            : 1;
}

/// <summary>A message attribute in a Lambda SQS event.</summary>
public sealed class SqsMessageAttribute
{
    /// <summary>The value of a String or Number attribute.</summary>
    public string? StringValue { get; init; }

    /// <summary>Base64 value of a Binary attribute.</summary>
    public string? BinaryValue { get; init; }

    /// <summary>Reserved by AWS; always empty.</summary>
    public IList<string>? StringListValues { get; init; }

    /// <summary>Reserved by AWS; always empty.</summary>
    public IList<string>? BinaryListValues { get; init; }

    /// <summary>String, Number or Binary.</summary>
    public string? DataType { get; init; }
}

/// <summary>The partial batch response: only the messages that should be delivered again.</summary>
public sealed class SqsBatchResponse
{
    /// <summary>The failed messages.</summary>
    public IList<BatchItemFailure> BatchItemFailures { get; init; } = [];
}

/// <summary>One failed message of a batch.</summary>
public sealed class BatchItemFailure
{
    /// <summary>The failed message's id.</summary>
    public string ItemIdentifier { get; init; } = string.Empty;
}
