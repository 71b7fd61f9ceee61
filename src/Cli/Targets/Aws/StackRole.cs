using CostNotifier.Messaging;

namespace CostNotifier.Cli.Targets.Aws;

/// <summary>What a queue or table of a deployed stack is for.</summary>
public enum StackRole
{
    /// <summary>The collector's work queue.</summary>
    Collector,

    /// <summary>The collector's dead-letter queue.</summary>
    CollectorDeadLetter,

    /// <summary>The notifier's work queue.</summary>
    Notifier,

    /// <summary>The notifier's dead-letter queue.</summary>
    NotifierDeadLetter,

    /// <summary>Where EventBridge Scheduler puts the schedule invocations it could not deliver.</summary>
    SchedulerDeadLetter,

    /// <summary>Where scheduler runs that failed inside the function go after Lambda's retries.</summary>
    SchedulerFailures,

    /// <summary>The queue of SES's sending events, consumed by the notifier.</summary>
    Delivery,

    /// <summary>The delivery queue's dead-letter queue.</summary>
    DeliveryDeadLetter,

    /// <summary>The DynamoDB event table.</summary>
    Events,
}

/// <summary>
/// The names a <see cref="StackRole"/> goes by: the one the operator reads (<c>stack</c>'s output, messages), which is
/// also the suffix of Terraform's resource name, and the option that names the resource explicitly.
/// </summary>
public static class StackRoles
{
    /// <summary>The queues, in the order <c>stack</c> lists them.</summary>
    public static IReadOnlyList<StackRole> Queues { get; } =
    [
        StackRole.Collector, StackRole.CollectorDeadLetter, StackRole.Notifier, StackRole.NotifierDeadLetter,
        StackRole.SchedulerDeadLetter, StackRole.SchedulerFailures, StackRole.Delivery, StackRole.DeliveryDeadLetter,
    ];

    /// <summary>The name printed for <paramref name="role"/>: <c>collector</c>, <c>collector-dlq</c>, … <c>events</c>.</summary>
    public static string Name(this StackRole role) => role switch
    {
        StackRole.Collector => "collector",
        StackRole.CollectorDeadLetter => "collector-dlq",
        StackRole.Notifier => "notifier",
        StackRole.NotifierDeadLetter => "notifier-dlq",
        StackRole.SchedulerDeadLetter => "scheduler-dlq",
        StackRole.SchedulerFailures => "scheduler-failures",
        StackRole.Delivery => "delivery",
        StackRole.DeliveryDeadLetter => "delivery-dlq",
        StackRole.Events => "events",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown stack role."),
    };

    /// <summary>What the resource is, for messages: <c>the collector queue</c>, <c>the event table</c>.</summary>
    public static string Description(this StackRole role) => role == StackRole.Events ? "the event table" : $"the {role.Name()} queue";

    /// <summary>
    /// The option (with its placeholder) that names the resource explicitly; null for the scheduler's and the
    /// delivery queues, which only the stack's naming convention knows.
    /// </summary>
    public static string? Option(this StackRole role) => role switch
    {
        StackRole.Collector or StackRole.Notifier => $"--{role.Name()}-queue-url URL",
        StackRole.CollectorDeadLetter or StackRole.NotifierDeadLetter => $"--{role.Name()}-url URL",
        StackRole.Events => "--table NAME",
        _ => null,
    };

    /// <summary>The work queue of <paramref name="queue"/>.</summary>
    public static StackRole WorkQueue(PipelineQueue queue) => queue switch
    {
        PipelineQueue.Collector => StackRole.Collector,
        PipelineQueue.Notifier => StackRole.Notifier,
        PipelineQueue.Delivery => StackRole.Delivery,
        _ => throw new ArgumentOutOfRangeException(nameof(queue), queue, "Unknown pipeline queue."),
    };

    /// <summary>The dead-letter queue of <paramref name="queue"/>.</summary>
    public static StackRole DeadLetterQueue(PipelineQueue queue) => WorkQueue(queue).DeadLetterOf()!.Value;

    /// <summary>The dead-letter queue a work queue's redrive policy should point at; null for any other role.</summary>
    public static StackRole? DeadLetterOf(this StackRole role) => role switch
    {
        StackRole.Collector => StackRole.CollectorDeadLetter,
        StackRole.Notifier => StackRole.NotifierDeadLetter,
        StackRole.Delivery => StackRole.DeliveryDeadLetter,
        _ => null,
    };

    /// <summary>The resource's name by Terraform's convention in stack <paramref name="stack"/>.</summary>
    public static string ConventionalName(this StackRole role, string stack) => $"{stack}-{role.Name()}";
}
