using CostNotifier.Cli.Output;
using CostNotifier.Domain;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Scheduler;

namespace CostNotifier.Cli.Targets;

/// <summary>
/// What an operating command works on: the embedded default (<see cref="LocalTarget"/>) or a deployed stack
/// (<see cref="Aws.AwsTarget"/>). Each command is written once against this seam.
/// </summary>
public interface IOperatorTarget : IDisposable
{
    /// <summary><c>local</c> or <c>aws</c>.</summary>
    string Kind { get; }

    /// <summary>One line naming what this is, for messages: a data directory, or a stack and region.</summary>
    string Description { get; }

    /// <summary>The configured reports; null when the CLI was not told them (a stack without a reports file).</summary>
    ReportCatalog? Reports { get; }

    /// <summary>How to give the report list when <see cref="Reports"/> is null.</summary>
    string HowToGiveReports { get; }

    /// <summary>The event store.</summary>
    Task<IEventStore> OpenEventStoreAsync(CancellationToken cancellationToken);

    /// <summary>The event store's read side: a report's events over a date range.</summary>
    Task<IReportHistory> OpenReportHistoryAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The collector queue's name, checked to exist; a dry run calls this so a wrong stack fails before anything
    /// is planned.
    /// </summary>
    Task<string> DescribeCollectorQueueAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Enqueues the report-days of <paramref name="command"/> (validated first). A partial failure throws
    /// <see cref="PartialEnqueueException"/> naming what was and was not enqueued.
    /// </summary>
    Task<ScheduleResult> EnqueueAsync(ScheduleReports command, CancellationToken cancellationToken);

    /// <summary>
    /// Delivers what was just enqueued and reports the outcome, where this target runs the pipeline itself
    /// (the embedded default); null where the deployed functions deliver it on their own.
    /// </summary>
    Task<RunSummary?> DeliverAsync(Trigger trigger, IReadOnlyList<ScheduledReportPeriod> enqueued, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> messages waiting in <paramref name="queue"/>'s dead-letter queue.</summary>
    Task<IReadOnlyList<DeadLetterView>> ListDeadLettersAsync(PipelineQueue queue, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Moves messages from <paramref name="queue"/>'s dead-letter queue back to it (or, with
    /// <see cref="RedriveRequest.DryRun"/>, says what it would move), reporting progress as it goes.
    /// </summary>
    Task<RedriveSummary> RedriveAsync(PipelineQueue queue, RedriveRequest request, ProgressReporter progress, CancellationToken cancellationToken);

    /// <summary>Every resource of the stack and whether it exists.</summary>
    Task<StackView> DescribeAsync(CancellationToken cancellationToken);
}

/// <summary>How to redrive.</summary>
/// <param name="Max">Move at most this many messages; null for all that wait.</param>
/// <param name="MaxPerSecond">Rate limit for an SQS message move task; null for SQS's default.</param>
/// <param name="DryRun">Only say what would be moved.</param>
public sealed record RedriveRequest(int? Max, int? MaxPerSecond, bool DryRun);

/// <summary>One report period of a replay.</summary>
/// <param name="Report">The report.</param>
/// <param name="Period">The usage day, ISO week or month.</param>
/// <param name="EnvelopeId">The message's envelope id.</param>
public sealed record PlannedReportPeriod(ReportId Report, ReportPeriod Period, string EnvelopeId);

/// <summary>
/// Some messages of a replay were enqueued and some were not. Both lists are exact: retrying the ones not
/// enqueued (and only those) completes the replay.
/// </summary>
public sealed class PartialEnqueueException(string message, IReadOnlyList<PlannedReportPeriod> enqueued, IReadOnlyList<PlannedReportPeriod> notEnqueued, Exception inner)
    : Exception(message, inner)
{
    /// <summary>Report-days on the queue.</summary>
    public IReadOnlyList<PlannedReportPeriod> Enqueued { get; } = enqueued;

    /// <summary>Report-days not on the queue.</summary>
    public IReadOnlyList<PlannedReportPeriod> NotEnqueued { get; } = notEnqueued;
}

/// <summary>The CLI does not know the stack's reports, and the command needs them.</summary>
public sealed class ReportsUnknownException(string message) : Exception(message);

/// <summary>A resource the command needs does not exist, or is not wired as the stack wires it.</summary>
public sealed class StackResourceException(string message, Exception? inner = null) : Exception(message, inner);
