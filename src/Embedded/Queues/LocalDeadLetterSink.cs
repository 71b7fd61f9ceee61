using CostNotifier.Messaging;

namespace CostNotifier.Embedded.Queues;

/// <summary>
/// Moves a message that can never succeed to its local dead-letter queue with the reason, taking it off its
/// source queue in the same transaction.
/// </summary>
public sealed class LocalDeadLetterSink(LocalQueueStore queues) : IDeadLetterSink
{
    private readonly LocalQueueStore _queues = queues ?? throw new ArgumentNullException(nameof(queues));

    /// <inheritdoc />
    public int? MaxReceiveCount => _queues.MaxReceiveCount;

    /// <inheritdoc />
    public Task SendAsync(PipelineQueue source, string messageId, string body, string reason, CancellationToken cancellationToken) =>
        _queues.MoveToDeadLetterAsync(source, messageId, body, reason, cancellationToken);
}
