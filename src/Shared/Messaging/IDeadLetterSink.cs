namespace CostNotifier.Messaging;

/// <summary>Moves a message that can never succeed to its queue's dead-letter queue, with the reason.</summary>
public interface IDeadLetterSink
{
    /// <summary>Sends <paramref name="body"/> to the dead-letter queue of <paramref name="source"/>.</summary>
    Task SendAsync(PipelineQueue source, string messageId, string body, string reason, CancellationToken cancellationToken);
}
