namespace CostNotifier.Messaging;

/// <summary>Moves a message that can never succeed to its queue's dead-letter queue, with the reason.</summary>
public interface IDeadLetterSink
{
    /// <summary>
    /// How many receives the source queues allow before their redrive policy moves a message here itself, or null
    /// when this host does not know it. Knowing it lets a message that is still failing on its last receive be moved
    /// with its reason instead of without one.
    /// </summary>
    int? MaxReceiveCount => null;

    /// <summary>Sends <paramref name="body"/> to the dead-letter queue of <paramref name="source"/>.</summary>
    Task SendAsync(PipelineQueue source, string messageId, string body, string reason, CancellationToken cancellationToken);
}
