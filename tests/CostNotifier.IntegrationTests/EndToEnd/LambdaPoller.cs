using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using CostNotifier.Aws.Hosting;
using CostNotifier.BatchProcessing;

namespace CostNotifier.IntegrationTests.EndToEnd;

/// <summary>
/// Plays a Lambda SQS event source mapping against a real queue: receives up to ten messages, hands them to the
/// function as the JSON event Lambda would send, and deletes only the messages the partial batch response does
/// not name. Failed messages stay put and come back after the queue's visibility timeout. With
/// <paramref name="copiesOfEachBatch"/> above one, each batch is handed to the function that many times in a row, as
/// SQS's at-least-once delivery may; the last copy's answer decides what is deleted.
/// </summary>
internal sealed class LambdaPoller(IAmazonSQS sqs, string queueUrl, Func<Stream, CancellationToken, Task<Stream>> function, int copiesOfEachBatch = 1)
{
    /// <summary>Deliveries made so far, every copy counted.</summary>
    public int Deliveries { get; private set; }

    /// <summary>Batch item failures reported so far.</summary>
    public int Failures { get; private set; }

    /// <summary>
    /// Receives one batch and hands it to the function, with <paramref name="cancellationToken"/> as the invocation's
    /// deadline; returns how many messages it received.
    /// </summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var received = await sqs.ReceiveMessageAsync(
            new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = 10,
                WaitTimeSeconds = 0,
                MessageSystemAttributeNames = ["All"],
                MessageAttributeNames = ["All"],
            },
            cancellationToken);
        var messages = received.Messages ?? [];
        if (messages.Count == 0)
        {
            return 0;
        }

        var batch = JsonSerializer.SerializeToUtf8Bytes(new SqsEvent { Records = messages.Select(ToRecord).ToList() }, LambdaJsonContext.Default.SqsEvent);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        for (var copy = 0; copy < Math.Max(1, copiesOfEachBatch); copy++)
        {
            using var input = new MemoryStream(batch);
            await using var output = await function(input, cancellationToken);
            var response = await JsonSerializer.DeserializeAsync(output, LambdaJsonContext.Default.SqsBatchResponse, cancellationToken)
                ?? throw new InvalidOperationException("The function answered JSON null instead of a batch response.");
            failed = response.BatchItemFailures.Select(f => f.ItemIdentifier).ToHashSet(StringComparer.Ordinal);
            Deliveries += messages.Count;
            Failures += failed.Count;
        }

        foreach (var message in messages.Where(m => !failed.Contains(m.MessageId)))
        {
            await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle, cancellationToken);
        }

        return messages.Count;
    }

    /// <summary>The queue's visible plus in-flight message count.</summary>
    public async Task<int> DepthAsync(CancellationToken cancellationToken)
    {
        var attributes = await sqs.GetQueueAttributesAsync(
            new GetQueueAttributesRequest
            {
                QueueUrl = queueUrl,
                AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            },
            cancellationToken);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }

    /// <summary>
    /// Polls every poller until all their queues are empty; throws <see cref="TimeoutException"/> when they are not
    /// after <paramref name="timeout"/> (a message that keeps failing, or a function that never answers).
    /// </summary>
    public static async Task DrainAsync(TimeSpan timeout, params LambdaPoller[] pollers)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await DrainUntilCancelledAsync(pollers, cancellation.Token);
        }
        catch (OperationCanceledException ex) when (cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"The queues were not empty after {timeout.TotalSeconds} s.", ex);
        }
    }

    private static async Task DrainUntilCancelledAsync(LambdaPoller[] pollers, CancellationToken cancellationToken)
    {
        while (true)
        {
            var delivered = 0;
            foreach (var poller in pollers)
            {
                delivered += await poller.PollOnceAsync(cancellationToken);
            }

            if (delivered > 0)
            {
                continue;
            }

            var depth = 0;
            foreach (var poller in pollers)
            {
                depth += await poller.DepthAsync(cancellationToken);
            }

            if (depth == 0)
            {
                return;
            }

            // In-flight messages come back after the visibility timeout.
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private SqsMessage ToRecord(Message message) => new()
    {
        MessageId = message.MessageId,
        ReceiptHandle = message.ReceiptHandle,
        Body = message.Body,
        Attributes = message.Attributes is null ? new Dictionary<string, string>() : new Dictionary<string, string>(message.Attributes),
        MessageAttributes = (message.MessageAttributes ?? []).ToDictionary(
            a => a.Key,
            a => new SqsMessageAttribute { StringValue = a.Value.StringValue, DataType = a.Value.DataType, StringListValues = [], BinaryListValues = [] }),
        Md5OfBody = message.MD5OfBody,
        EventSource = "aws:sqs",
        EventSourceArn = "arn:aws:sqs:us-east-1:000000000000:" + queueUrl[(queueUrl.LastIndexOf('/') + 1)..],
        AwsRegion = "us-east-1",
    };
}
