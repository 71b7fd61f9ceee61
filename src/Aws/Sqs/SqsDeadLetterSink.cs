using System.Text;
using Amazon.SQS;
using Amazon.SQS.Model;
using CostNotifier.Messaging;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Aws.Sqs;

/// <summary>
/// Sends a message that can never succeed straight to its queue's dead-letter queue, unchanged, with why and where
/// from as message attributes, so an operator can read the reason and redrive it after a fix.
/// </summary>
public sealed class SqsDeadLetterSink : IDeadLetterSink
{
    /// <summary>Attribute holding why the message was dead-lettered.</summary>
    public const string ReasonAttribute = "CostNotifier.Reason";

    /// <summary>Attribute holding the source queue: <c>collector</c>, <c>notifier</c> or <c>delivery</c>.</summary>
    public const string SourceQueueAttribute = "CostNotifier.SourceQueue";

    /// <summary>Attribute holding the SQS message id the message had on its source queue.</summary>
    public const string OriginalMessageIdAttribute = "CostNotifier.OriginalMessageId";

    /// <summary>Longest reason kept; a longer one is cut and ends with an ellipsis.</summary>
    public const int MaxReasonLength = 1024;

    private readonly IAmazonSQS _client;
    private readonly SqsQueueUrls _urls;
    private readonly ILogger<SqsDeadLetterSink> _logger;

    /// <summary>Sends through <paramref name="client"/> to the dead-letter queues in <paramref name="urls"/>.</summary>
    /// <param name="client">The SQS client.</param>
    /// <param name="urls">The queues.</param>
    /// <param name="logger">Where moves are logged.</param>
    /// <param name="maxReceiveCount">The source queues' <c>maxReceiveCount</c>, when known.</param>
    public SqsDeadLetterSink(IAmazonSQS client, SqsQueueUrls urls, ILogger<SqsDeadLetterSink> logger, int? maxReceiveCount = null)
    {
        MaxReceiveCount = maxReceiveCount;
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(urls);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _urls = urls;
        _logger = logger;
    }

    /// <inheritdoc />
    public int? MaxReceiveCount { get; }

    /// <summary>The logical name of a queue as stored in <see cref="SourceQueueAttribute"/>.</summary>
    public static string SourceQueueName(PipelineQueue queue) => queue switch
    {
        PipelineQueue.Collector => "collector",
        PipelineQueue.Notifier => "notifier",
        PipelineQueue.Delivery => "delivery",
        _ => throw new ArgumentOutOfRangeException(nameof(queue), queue, "Unknown pipeline queue."),
    };

    /// <inheritdoc />
    public async Task SendAsync(PipelineQueue source, string messageId, string body, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length == 0)
        {
            throw new ArgumentException($"Message {messageId} has an empty body, which SQS cannot carry.", nameof(body));
        }

        var safeReason = SafeReason(reason);
        var request = new SendMessageRequest
        {
            QueueUrl = _urls.DeadLetterFor(source),
            MessageBody = body,
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                [ReasonAttribute] = Text(safeReason),
                [SourceQueueAttribute] = Text(SourceQueueName(source)),
                [OriginalMessageIdAttribute] = Text(SafeText(messageId)),
            },
        };
        var response = await _client.SendMessageAsync(request, cancellationToken).ConfigureAwait(false);
        _logger.LogWarning(
            "Moved message {MessageId} from the {Queue} queue to its dead-letter queue as {DeadLetterMessageId}: {Reason}",
            messageId, source, response.MessageId, safeReason);
    }

    /// <summary>
    /// The reason as it is stored: characters SQS refuses replaced, cut to <see cref="MaxReasonLength"/>, never empty.
    /// </summary>
    public static string SafeReason(string? reason)
    {
        var text = SafeText(string.IsNullOrWhiteSpace(reason) ? "No reason given." : reason.Trim());
        if (text.Length <= MaxReasonLength)
        {
            return text;
        }

        var cut = MaxReasonLength - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }

    private static MessageAttributeValue Text(string value) => new() { DataType = "String", StringValue = value };

    /// <summary>SQS accepts #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD and paired surrogates; anything else becomes U+FFFD.</summary>
    private static string SafeText(string text)
    {
        var safe = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                safe.Append(c).Append(text[++i]);
            }
            else if (c is '\t' or '\n' or '\r' or (>= ' ' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD'))
            {
                safe.Append(c);
            }
            else
            {
                safe.Append('\uFFFD');
            }
        }

        return safe.ToString();
    }
}
