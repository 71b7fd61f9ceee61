namespace CostNotifier.Embedded.Queues;

/// <summary>A message handed out by <see cref="LocalQueueStore.ReceiveAsync"/>, hidden from others until its visibility timeout ends.</summary>
/// <param name="Queue">The queue it was received from.</param>
/// <param name="MessageId">Its id, the same on every delivery.</param>
/// <param name="ReceiptHandle">Identifies this delivery; deleting or changing visibility needs it.</param>
/// <param name="Body">The body as sent.</param>
/// <param name="ReceiveCount">How many times it has been received, this time included.</param>
/// <param name="SentAt">When it was sent.</param>
/// <param name="FirstReceivedAt">When it was first received.</param>
public sealed record ReceivedMessage(
    LocalQueue Queue,
    string MessageId,
    string ReceiptHandle,
    string Body,
    int ReceiveCount,
    DateTimeOffset SentAt,
    DateTimeOffset FirstReceivedAt);

/// <summary>A message waiting in a dead-letter queue.</summary>
/// <param name="Queue">The dead-letter queue it is in.</param>
/// <param name="MessageId">Its original id.</param>
/// <param name="Body">The body as first sent.</param>
/// <param name="Reason">Why it was dead-lettered; null when it was sent to the dead-letter queue directly.</param>
/// <param name="ReceiveCount">How many times it had been received from its source queue.</param>
/// <param name="SentAt">When it was first sent.</param>
/// <param name="DeadLetteredAt">When it reached the dead-letter queue.</param>
public sealed record DeadLetterMessage(
    LocalQueue Queue,
    string MessageId,
    string Body,
    string? Reason,
    int ReceiveCount,
    DateTimeOffset SentAt,
    DateTimeOffset DeadLetteredAt);

/// <summary>How many messages a queue holds.</summary>
/// <param name="Visible">Messages a receive could return now.</param>
/// <param name="InFlight">Messages received and not yet deleted whose visibility timeout has not ended.</param>
public sealed record QueueDepth(int Visible, int InFlight)
{
    /// <summary>Every message in the queue.</summary>
    public int Total => Visible + InFlight;
}
