using CostNotifier.BatchProcessing;
using CostNotifier.Embedded.Queues;
using CostNotifier.Messaging;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Embedded.Pipeline;

/// <summary>
/// Plays the part of Lambda's SQS event source mappings on the embedded default: receives batches of up to ten
/// from each local queue (collector, notifier, and the outbox's delivery events), hands them to the same <see cref="SqsBatchProcessor"/> the functions use, deletes the
/// successes and leaves the failures to be received again, until a message exhausts its receives and lands in the
/// DLQ. Retries back off exponentially and, together, outlast <paramref name="claimLifetime"/>: a claim left behind
/// by a killed run always expires before a waiting message's last receive, as a 6 × timeout visibility does on AWS.
/// </summary>
public sealed class LocalPipelineRunner(
    LocalQueueStore queues,
    SqsBatchProcessor collector,
    SqsBatchProcessor notifier,
    SqsBatchProcessor delivery,
    ILogger<LocalPipelineRunner> logger,
    TimeSpan claimLifetime,
    Func<TimeSpan, CancellationToken, Task>? wait = null)
{
    private readonly Func<TimeSpan, CancellationToken, Task> _wait = wait ?? Task.Delay;

    // Hidden while processed; longer than any claim, so a message held by a killed run returns after its claim died.
    private TimeSpan VisibilityTimeout => claimLifetime * 2;

    /// <summary>
    /// The backoff before a failed message is received again: doubling from a base chosen so that the delays
    /// before the last receive add up to a quarter more than the claim lifetime.
    /// </summary>
    public TimeSpan RetryDelay(int receiveCount)
    {
        var retries = Math.Max(1, queues.MaxReceiveCount - 1);
        var first = claimLifetime * 1.25 / (Math.Pow(2, retries) - 1);
        return first * Math.Pow(2, Math.Clamp(receiveCount - 1, 0, retries - 1));
    }

    /// <summary>Processes the three queues until none has a message left to deliver.</summary>
    /// <returns>How many deliveries were made (a retried message counts each time).</returns>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var deliveries = 0;
        while (true)
        {
            var delivered = await DrainOnceAsync(PipelineQueue.Collector, collector, cancellationToken).ConfigureAwait(false)
                + await DrainOnceAsync(PipelineQueue.Notifier, notifier, cancellationToken).ConfigureAwait(false)
                + await DrainOnceAsync(PipelineQueue.Delivery, delivery, cancellationToken).ConfigureAwait(false);
            deliveries += delivered;
            if (delivered > 0)
            {
                continue;
            }

            var inFlight = (await queues.GetDepthAsync(LocalQueue.Collector, cancellationToken).ConfigureAwait(false)).Total
                + (await queues.GetDepthAsync(LocalQueue.Notifier, cancellationToken).ConfigureAwait(false)).Total
                + (await queues.GetDepthAsync(LocalQueue.Delivery, cancellationToken).ConfigureAwait(false)).Total;
            if (inFlight == 0)
            {
                return deliveries;
            }

            // Messages wait out their backoff; look again shortly.
            await _wait(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<int> DrainOnceAsync(PipelineQueue pipelineQueue, SqsBatchProcessor processor, CancellationToken cancellationToken)
    {
        var queue = LocalQueue.Of(pipelineQueue);
        var received = await queues
            .ReceiveAsync(queue, LocalQueueStore.MaxMessagesPerReceive, VisibilityTimeout, cancellationToken)
            .ConfigureAwait(false);
        if (received.Count == 0)
        {
            return 0;
        }

        var response = await processor.ProcessAsync(LocalSqsEvents.Create(received), cancellationToken).ConfigureAwait(false);
        var failed = response.BatchItemFailures.Select(f => f.ItemIdentifier).ToHashSet(StringComparer.Ordinal);

        // As Lambda does: an empty identifier fails the whole batch.
        var wholeBatchFailed = failed.Contains(string.Empty);
        foreach (var message in received)
        {
            if (wholeBatchFailed || failed.Contains(message.MessageId))
            {
                logger.LogInformation(
                    "Message {MessageId} on {Queue} failed on receive {ReceiveCount}; it will be delivered again",
                    message.MessageId,
                    queue.Name,
                    message.ReceiveCount);
                await queues.ChangeVisibilityAsync(queue, message.ReceiptHandle, RetryDelay(message.ReceiveCount), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await queues.DeleteAsync(queue, message.ReceiptHandle, cancellationToken).ConfigureAwait(false);
            }
        }

        return received.Count;
    }
}
