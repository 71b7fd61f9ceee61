using CostNotifier.Messaging;

namespace CostNotifier.Embedded.Queues;

/// <summary>
/// One of the embedded default's six queues: <c>collector</c>, <c>notifier</c>, <c>delivery</c> and their
/// dead-letter queues <c>collector-dlq</c>, <c>notifier-dlq</c>, <c>delivery-dlq</c>, named as the deployed SQS queues are.
/// </summary>
public readonly record struct LocalQueue
{
    private const string DeadLetterSuffix = "-dlq";

    private LocalQueue(PipelineQueue pipelineQueue, bool isDeadLetter)
    {
        PipelineQueue = pipelineQueue;
        IsDeadLetter = isDeadLetter;
    }

    /// <summary>The collector's queue.</summary>
    public static LocalQueue Collector { get; } = new(PipelineQueue.Collector, isDeadLetter: false);

    /// <summary>The collector queue's dead-letter queue.</summary>
    public static LocalQueue CollectorDeadLetter { get; } = new(PipelineQueue.Collector, isDeadLetter: true);

    /// <summary>The notifier's queue.</summary>
    public static LocalQueue Notifier { get; } = new(PipelineQueue.Notifier, isDeadLetter: false);

    /// <summary>The notifier queue's dead-letter queue.</summary>
    public static LocalQueue NotifierDeadLetter { get; } = new(PipelineQueue.Notifier, isDeadLetter: true);

    /// <summary>The queue of the outbox's delivery events.</summary>
    public static LocalQueue Delivery { get; } = new(PipelineQueue.Delivery, isDeadLetter: false);

    /// <summary>The delivery queue's dead-letter queue.</summary>
    public static LocalQueue DeliveryDeadLetter { get; } = new(PipelineQueue.Delivery, isDeadLetter: true);

    /// <summary>Every queue.</summary>
    public static IReadOnlyList<LocalQueue> All { get; } = [Collector, CollectorDeadLetter, Notifier, NotifierDeadLetter, Delivery, DeliveryDeadLetter];

    /// <summary>The pipeline queue this is, or whose dead-letter queue this is.</summary>
    public PipelineQueue PipelineQueue { get; }

    /// <summary>Whether this is a dead-letter queue.</summary>
    public bool IsDeadLetter { get; }

    /// <summary>The queue's name, e.g. <c>collector-dlq</c>.</summary>
    public string Name => PipelineQueue.ToString().ToLowerInvariant() + (IsDeadLetter ? DeadLetterSuffix : string.Empty);

    /// <summary>This queue's dead-letter queue; a dead-letter queue has none.</summary>
    public LocalQueue DeadLetter =>
        IsDeadLetter
            ? throw new InvalidOperationException($"{Name} is a dead-letter queue and has no dead-letter queue of its own.")
            : new LocalQueue(PipelineQueue, isDeadLetter: true);

    /// <summary>The queue a dead-letter queue's messages are redriven to.</summary>
    public LocalQueue Source =>
        IsDeadLetter
            ? new LocalQueue(PipelineQueue, isDeadLetter: false)
            : throw new InvalidOperationException($"{Name} is not a dead-letter queue, so it has no source queue.");

    /// <summary>The ARN Lambda would show for the queue (region <c>local</c>, account <c>000000000000</c>).</summary>
    public string Arn => $"arn:aws:sqs:{LocalSqsEvents.Region}:{LocalSqsEvents.AccountId}:{Name}";

    /// <summary>The queue that carries <paramref name="queue"/>'s messages.</summary>
    public static LocalQueue Of(PipelineQueue queue) => queue switch
    {
        PipelineQueue.Collector => Collector,
        PipelineQueue.Notifier => Notifier,
        PipelineQueue.Delivery => Delivery,
        _ => throw new ArgumentOutOfRangeException(nameof(queue), queue, "Not a pipeline queue."),
    };

    /// <summary>Parses a queue name; throws <see cref="FormatException"/> listing the valid names.</summary>
    public static LocalQueue Parse(string? name)
    {
        foreach (var queue in All)
        {
            if (string.Equals(queue.Name, name, StringComparison.Ordinal))
            {
                return queue;
            }
        }

        throw new FormatException($"'{name}' is not a queue; use one of {string.Join(", ", All.Select(q => q.Name))}.");
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
