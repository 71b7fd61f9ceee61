using System.Globalization;
using CostNotifier.BatchProcessing;
using CostNotifier.Collector.Snapshots;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Messaging;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Collector;

/// <summary>Collect every report period one collector message carries.</summary>
/// <param name="Requests">The periods: one for a <see cref="ReportRequested"/>, up to <see cref="ReportsRequested.MaxRequests"/> for a <see cref="ReportsRequested"/>.</param>
/// <param name="CorrelationId">The envelope's correlation id.</param>
/// <param name="Worker">Identifies this attempt; used as the claim owner.</param>
public sealed record CollectCostSnapshots(IReadOnlyList<ReportRequested> Requests, string CorrelationId, string Worker) : ICommand<CollectBatchResult>;

/// <summary>What collecting a message's periods did.</summary>
/// <param name="Results">One per period, in the message's order.</param>
/// <param name="CostSourceRequests">Billable cost-source requests the message cost in all.</param>
public sealed record CollectBatchResult(IReadOnlyList<CollectResult> Results, int CostSourceRequests);

/// <summary>
/// Collects a message's periods from shared answers: every distinct question among them is fetched once over all
/// their windows (<see cref="SharedCostAnswers.Plan"/>), then each period is collected as its own message
/// would be. One period's failure does not hold back the others: they are collected, and the message then fails with
/// it — retried when it may pass on a retry (the periods already collected only announce again), dead-lettered with
/// every period's reason when none can.
/// </summary>
public sealed class CollectCostSnapshotsHandler(
    CollectCostSnapshotHandler collector,
    ICostSource costs,
    ReportCatalog catalog,
    IValidator<CollectCostSnapshot> validator,
    CollectorOptions options,
    TimeProvider time,
    ILogger<CollectCostSnapshotsHandler> logger) : ICommandHandler<CollectCostSnapshots, CollectBatchResult>
{
    /// <inheritdoc />
    public async ValueTask<CollectBatchResult> Handle(CollectCostSnapshots command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var answers = new SharedCostAnswers(costs);
        var results = new List<CollectResult>();
        var failures = new List<(ReportRequested Request, Exception Error)>();
        var valid = new List<CollectCostSnapshot>();
        foreach (var request in command.Requests)
        {
            var single = new CollectCostSnapshot(request, command.CorrelationId, command.Worker);
            var validation = await validator.ValidateAsync(single, cancellationToken).ConfigureAwait(false);
            if (validation.IsValid)
            {
                valid.Add(single);
            }
            else
            {
                failures.Add((request, new ValidationException(validation.Errors)));
            }
        }

        var today = ReportDate.FromInstant(time.GetUtcNow());
        answers.Plan(valid.Select(c => CollectCostSnapshotHandler.QueryFor(catalog.Get(c.Request.ReportId), c.Request.Period, today, options.Metric)));

        foreach (var single in valid)
        {
            try
            {
                results.Add(await collector.CollectAsync(single, answers, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Collecting {ReportId} {Period} failed; the message's other periods go on", single.Request.ReportId.Value, single.Request.Period.ToString());
                failures.Add((single.Request, ex));
            }
        }

        if (command.Requests.Count > 1)
        {
            logger.LogInformation(
                "Collected {Collected} of {Periods} report periods of {Reports} reports with {Requests} billable requests",
                results.Count,
                command.Requests.Count,
                command.Requests.Select(r => r.ReportId).Distinct().Count(),
                answers.Requests);
        }

        if (failures.Count == 0)
        {
            return new CollectBatchResult(results, answers.Requests);
        }

        // A failure a retry may cure is rethrown as it is, so the queue's retry and last-receive reasons apply.
        if (failures.FirstOrDefault(f => SqsBatchProcessor.PermanentFailure(f.Error) is null).Error is { } transient)
        {
            throw transient;
        }

        if (command.Requests.Count == 1)
        {
            throw failures[0].Error;
        }

        throw new PoisonMessageException(string.Create(
            CultureInfo.InvariantCulture,
            $"{failures.Count} of {command.Requests.Count} report periods cannot be collected (the others were): {string.Join("; ", failures.Select(f => $"{f.Request.ReportId} {f.Request.Period}: {SqsBatchProcessor.PermanentFailure(f.Error)}"))}"));
    }
}
