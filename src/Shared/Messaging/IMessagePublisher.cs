namespace CostNotifier.Messaging;

/// <summary>Puts messages on a pipeline queue (SQS in AWS, the SQLite queue on the embedded default).</summary>
public interface IMessagePublisher
{
    /// <summary>
    /// Sends every message, in batches where the transport allows; failed entries are retried and the call throws
    /// only when some could not be sent, naming which.
    /// </summary>
    /// <returns>The transport's message ids, in the order of <paramref name="messages"/>.</returns>
    Task<IReadOnlyList<string>> PublishAsync(PipelineQueue queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken);
}

/// <summary>A message body to send, with the id of its envelope.</summary>
public sealed record OutgoingMessage(string EnvelopeId, string Body);

/// <summary>Some messages of a publish call could not be sent.</summary>
public sealed class PublishException(string message, IReadOnlyList<string> sentEnvelopeIds, IReadOnlyList<string> failedEnvelopeIds)
    : Exception(message)
{
    /// <summary>Envelope ids that were sent.</summary>
    public IReadOnlyList<string> SentEnvelopeIds { get; } = sentEnvelopeIds;

    /// <summary>Envelope ids that were not sent.</summary>
    public IReadOnlyList<string> FailedEnvelopeIds { get; } = failedEnvelopeIds;
}
