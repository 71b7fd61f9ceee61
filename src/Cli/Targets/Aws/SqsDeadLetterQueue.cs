using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using CostNotifier.Aws.Sqs;
using CostNotifier.Cli.Output;

namespace CostNotifier.Cli.Targets.Aws;

/// <summary>
/// Reads what waits in an SQS dead-letter queue. SQS has no way to look without receiving, so messages are
/// received with a short visibility timeout and made visible again at once afterwards; while the listing runs
/// (seconds) a redrive would not see them, and each listing adds one to their receive count.
/// </summary>
public sealed class SqsDeadLetterQueue(IAmazonSQS sqs, string url)
{
    /// <summary>How long a listed message stays hidden if the listing dies before it can make it visible again.</summary>
    public const int PeekVisibilityTimeoutSeconds = 20;

    /// <summary>Up to <paramref name="max"/> messages, each with its <c>CostNotifier.Reason</c> when it has one.</summary>
    public async Task<IReadOnlyList<DeadLetterView>> PeekAsync(int max, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, (DeadLetterView View, string Receipt)>(StringComparer.Ordinal);
        try
        {
            while (seen.Count < max)
            {
                var response = await sqs.ReceiveMessageAsync(
                    new ReceiveMessageRequest
                    {
                        QueueUrl = url,
                        MaxNumberOfMessages = Math.Min(10, max - seen.Count),
                        VisibilityTimeout = PeekVisibilityTimeoutSeconds,
                        WaitTimeSeconds = 1,
                        MessageSystemAttributeNames = ["All"],
                        MessageAttributeNames = ["All"],
                    },
                    cancellationToken).ConfigureAwait(false);
                var messages = response.Messages ?? [];
                var fresh = 0;
                foreach (var message in messages)
                {
                    if (seen.TryAdd(message.MessageId, (ToView(message), message.ReceiptHandle)))
                    {
                        fresh++;
                    }
                }

                if (fresh == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            await ReleaseAsync(seen.Values.Select(v => v.Receipt).ToList()).ConfigureAwait(false);
        }

        return seen.Values.Select(v => v.View).Take(max).ToList();
    }

    /// <summary>The receive count SQS reports, as a number.</summary>
    internal static int ReceiveCount(Message message) =>
        message.Attributes is { } attributes
        && attributes.TryGetValue("ApproximateReceiveCount", out var text)
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : 0;

    private DeadLetterView ToView(Message message)
    {
        var attributes = message.MessageAttributes ?? [];
        var reason = attributes.TryGetValue(SqsDeadLetterSink.ReasonAttribute, out var r) ? r.StringValue : null;

        // A message forwarded by a function is sent afresh, so its sent time is when it was dead-lettered; one moved
        // by the redrive policy keeps its first sent time, which says nothing about when it got here.
        DateTimeOffset? deadLetteredAt = reason is not null
            && message.Attributes is { } system
            && system.TryGetValue("SentTimestamp", out var sent)
            && long.TryParse(sent, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : null;
        return DeadLetterView.From(AwsTargetSettings.NameOf(url), message.MessageId, ReceiveCount(message), reason, deadLetteredAt, message.Body ?? string.Empty);
    }

    private async Task ReleaseAsync(IReadOnlyList<string> receipts)
    {
        // Not cancellable: a listing stopped half-way must still hand its messages back.
        for (var i = 0; i < receipts.Count; i += 10)
        {
            var entries = receipts.Skip(i).Take(10)
                .Select((receipt, j) => new ChangeMessageVisibilityBatchRequestEntry { Id = "m" + (i + j).ToString(CultureInfo.InvariantCulture), ReceiptHandle = receipt, VisibilityTimeout = 0 })
                .ToList();
            try
            {
                await sqs.ChangeMessageVisibilityBatchAsync(new ChangeMessageVisibilityBatchRequest { QueueUrl = url, Entries = entries }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (AmazonSQSException)
            {
                // The messages come back on their own after PeekVisibilityTimeoutSeconds.
            }
        }
    }
}
