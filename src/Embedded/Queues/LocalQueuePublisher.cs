using CostNotifier.Messaging;
using Microsoft.Data.Sqlite;

namespace CostNotifier.Embedded.Queues;

/// <summary>
/// Puts pipeline messages on the embedded queues. A call is one transaction, so either every message is sent or
/// none is; a failure names every envelope as not sent.
/// </summary>
public sealed class LocalQueuePublisher(LocalQueueStore queues) : IMessagePublisher
{
    private readonly LocalQueueStore _queues = queues ?? throw new ArgumentNullException(nameof(queues));

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> PublishAsync(
        PipelineQueue queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return [];
        }

        var target = LocalQueue.Of(queue);
        try
        {
            return await _queues.SendBatchAsync(target, messages.Select(m => m.Body).ToList(), cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new PublishException(
                $"No message was sent to the local {target.Name} queue ({messages.Count} in the batch): {ex.Message}",
                sentEnvelopeIds: [],
                failedEnvelopeIds: messages.Select(m => m.EnvelopeId).ToList());
        }
    }
}
