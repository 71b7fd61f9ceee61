using CostNotifier.Cli.Commands;
using CostNotifier.Cli.Composition;
using CostNotifier.Cli.Output;
using CostNotifier.Domain;
using CostNotifier.Embedded.Queues;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Scheduler;

namespace CostNotifier.Cli.Targets;

/// <summary>The embedded default: the data directory's SQLite store and queues, delivered in this process.</summary>
public sealed class LocalTarget(EmbeddedStack stack) : IOperatorTarget
{
    /// <summary>The embedded stack.</summary>
    public EmbeddedStack Stack { get; } = stack ?? throw new ArgumentNullException(nameof(stack));

    /// <inheritdoc />
    public string Kind => TargetOptions.Local;

    /// <inheritdoc />
    public string Description => $"the data directory {Stack.DataDirectory}";

    /// <inheritdoc />
    public ReportCatalog? Reports => Stack.Reports;

    /// <inheritdoc />
    public string HowToGiveReports => $"edit {Stack.ReportsFile}";

    /// <inheritdoc />
    public Task<IEventStore> OpenEventStoreAsync(CancellationToken cancellationToken) => Task.FromResult(Stack.Events);

    /// <inheritdoc />
    public Task<IReportHistory> OpenReportHistoryAsync(CancellationToken cancellationToken) => Task.FromResult(Stack.History);

    /// <inheritdoc />
    public Task<string> DescribeCollectorQueueAsync(CancellationToken cancellationToken) => Task.FromResult(LocalQueue.Collector.Name);

    /// <inheritdoc />
    public async Task<ScheduleResult> EnqueueAsync(ScheduleReports command, CancellationToken cancellationToken) =>
        await Stack.Mediator.Send(command, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<RunSummary?> DeliverAsync(Trigger trigger, IReadOnlyList<ScheduledReportPeriod> enqueued, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enqueued);
        return await RunCommand.DeliverAsync(Stack, trigger, enqueued, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeadLetterView>> ListDeadLettersAsync(PipelineQueue queue, int max, CancellationToken cancellationToken)
    {
        var messages = await Stack.Queues.ListDeadLettersAsync(queue, Math.Max(1, max), cancellationToken).ConfigureAwait(false);
        return messages.Select(m => DeadLetterView.From(m.Queue.Name, m.MessageId, m.ReceiveCount, m.Reason, m.DeadLetteredAt, m.Body)).ToList();
    }

    /// <inheritdoc />
    public async Task<RedriveSummary> RedriveAsync(PipelineQueue queue, RedriveRequest request, ProgressReporter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var local = LocalQueue.Of(queue);
        var waiting = (await Stack.Queues.GetDepthAsync(local.DeadLetter, cancellationToken).ConfigureAwait(false)).Total;
        if (request.DryRun)
        {
            var wouldMove = Math.Min(waiting, request.Max ?? int.MaxValue);
            return new RedriveSummary(local.Name, local.DeadLetter.Name, "local", DryRun: true, waiting, wouldMove, waiting, "DRY-RUN", null, null);
        }

        // One transaction copies and deletes, so a local redrive neither loses nor duplicates a message.
        var moved = await Stack.Queues.RedriveAsync(queue, request.Max ?? int.MaxValue, cancellationToken).ConfigureAwait(false);
        progress.Report($"moved {moved.Count} message(s) from {local.DeadLetter.Name} to {local.Name}; delivering");
        await Stack.Runner.DrainAsync(cancellationToken).ConfigureAwait(false);
        progress.Done();
        var left = (await Stack.Queues.GetDepthAsync(local.DeadLetter, cancellationToken).ConfigureAwait(false)).Total;
        return new RedriveSummary(local.Name, local.DeadLetter.Name, "local", DryRun: false, waiting, moved.Count, left, "COMPLETED", null, null);
    }

    /// <inheritdoc />
    public async Task<StackView> DescribeAsync(CancellationToken cancellationToken)
    {
        var queues = new List<QueueView>();
        foreach (var queue in LocalQueue.All)
        {
            var depth = await Stack.Queues.GetDepthAsync(queue, cancellationToken).ConfigureAwait(false);
            queues.Add(new QueueView(queue.Name, queue.Name, null, Exists: true, depth.Visible, depth.InFlight, queue.IsDeadLetter ? null : queue.DeadLetter.Name));
        }

        var database = Path.Combine(Stack.DataDirectory, CostNotifier.Embedded.Storage.SqliteDatabase.FileName);
        return new StackView(
            Kind,
            Stack: null,
            Region: null,
            Endpoint: null,
            Stack.DataDirectory,
            queues,
            new TableView(database, Exists: true, "sqlite", ItemCount: null, HasReportIndex: true),
            [],
            new ReportsView(Stack.ReportsFile, Stack.Reports.Reports.Select(r => r.Id.Value).ToList()),
            []);
    }

    /// <inheritdoc />
    public void Dispose() => Stack.Dispose();
}
