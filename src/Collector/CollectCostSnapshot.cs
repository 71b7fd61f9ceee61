using CostNotifier.Claims;
using CostNotifier.Collector.Snapshots;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Insights;
using CostNotifier.Messaging;
using CostNotifier.Observability;
using CostNotifier.Validation;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Collector;

/// <summary>Collect the snapshot a <see cref="ReportRequested"/> message asks for.</summary>
/// <param name="Request">The message payload.</param>
/// <param name="CorrelationId">The envelope's correlation id.</param>
/// <param name="Worker">Identifies this attempt; used as the claim owner.</param>
public sealed record CollectCostSnapshot(ReportRequested Request, string CorrelationId, string Worker) : ICommand<CollectResult>;

/// <summary>What a collection did.</summary>
/// <param name="Outcome">Which event it recorded, or that the request had already collected.</param>
/// <param name="SnapshotVersion">The snapshot the request settled on.</param>
/// <param name="CostSourceRequests">Billable cost-source requests made by this attempt (0 when none were needed).</param>
/// <param name="Total">The day's total at full precision.</param>
/// <param name="Currency">Its currency.</param>
public sealed record CollectResult(CollectOutcome Outcome, long SnapshotVersion, int CostSourceRequests, decimal Total, string Currency);

/// <summary>The outcome of one collection.</summary>
public enum CollectOutcome
{
    /// <summary>The day's first snapshot was recorded.</summary>
    Collected,

    /// <summary>The figures had changed; a revision was recorded.</summary>
    Revised,

    /// <summary>The figures were unchanged; a confirmation was recorded.</summary>
    Unchanged,

    /// <summary>This request had already collected (a redelivery); nothing new was recorded.</summary>
    AlreadyCollected,
}

/// <summary>Settings of the collector.</summary>
/// <param name="Metric">The Cost Explorer metric, e.g. <c>UnblendedCost</c>.</param>
/// <param name="ClaimDuration">How long a collection claim lives; longer than the function's timeout.</param>
public sealed record CollectorOptions(string Metric = "UnblendedCost", TimeSpan ClaimDuration = default)
{
    /// <summary>The claim lifetime in effect: <see cref="Claim.DefaultDuration"/> unless set.</summary>
    public TimeSpan EffectiveClaimDuration => Claim.DurationOrDefault(ClaimDuration);
}

/// <summary>Validates the command's message before anything runs.</summary>
public sealed class CollectCostSnapshotValidator : AbstractValidator<CollectCostSnapshot>
{
    /// <summary>Creates the validator.</summary>
    public CollectCostSnapshotValidator(ReportCatalog catalog, TimeProvider time)
    {
        RuleFor(c => c.Request).NotNull().SetValidator(new ReportRequestedValidator(catalog, time));
    }
}

/// <summary>
/// Claim → fetch → restate → record → announce. Redeliveries of a request that already collected only announce
/// again; two workers on one report-day are serialised by a claim; a lost append race is re-read, never
/// overwritten. Earlier days whose figures changed in the same answer are revised on their own streams
/// (<see cref="Restatements"/>) and listed on the report day's snapshot; only the report day is announced.
/// </summary>
public sealed class CollectCostSnapshotHandler(
    IEventStore store,
    IClaimStore claims,
    ICostSource costs,
    IMessagePublisher publisher,
    ReportCatalog catalog,
    CollectorOptions options,
    Restatements restatements,
    MonthForecastLookup forecasts,
    TimeProvider time,
    PipelineMetrics metrics,
    ILogger<CollectCostSnapshotHandler> logger) : ICommandHandler<CollectCostSnapshot, CollectResult>
{
    /// <inheritdoc />
    public async ValueTask<CollectResult> Handle(CollectCostSnapshot command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var request = command.Request;
        var report = catalog.Get(request.ReportId);
        var period = request.Period;
        var stream = new StreamId(report.Id, period);

        var state = await store.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        if (state.TryGetCollection(request.RequestId, out var settled))
        {
            return await AnnounceAsync(command, state, settled, CollectOutcome.AlreadyCollected, 0, cancellationToken).ConfigureAwait(false);
        }

        var claimKey = ClaimKeys.Collect(stream);
        var claim = await claims
            .TryAcquireAsync(claimKey, command.Worker, options.EffectiveClaimDuration, cancellationToken)
            .ConfigureAwait(false) ?? throw new ClaimHeldException(claimKey);
        try
        {
            // The previous claim holder may have finished between our first read and our claim.
            state = await store.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
            if (state.TryGetCollection(request.RequestId, out settled))
            {
                return await AnnounceAsync(command, state, settled, CollectOutcome.AlreadyCollected, 0, cancellationToken).ConfigureAwait(false);
            }

            // One request (plus pages) whatever the cadence: a day with five weeks of history, a week with the twelve
            // before it (DAILY), a month with the thirteen before it (MONTHLY).
            var today = ReportDate.FromInstant(time.GetUtcNow());
            var query = period.Cadence == Cadence.Daily
                ? new CostQuery(SnapshotWindow.For(period.First, today), report.GroupBy, report.Filter, options.Metric)
                : DigestWindow.QueryFor(period, today, report.GroupBy, report.Filter, options.Metric);
            var result = await costs.GetCostAsync(query, cancellationToken).ConfigureAwait(false);
            metrics.CostExplorerRequests(result.Requests);
            logger.LogInformation(
                "Fetched {Entries} {Granularity} entries of cost for {ReportId} {Period} with {Requests} billable requests",
                result.Days.Count,
                query.Granularity,
                report.Id.Value,
                period,
                result.Requests);

            var figures = await FiguresAsync(report, period, query, result.Days, cancellationToken).ConfigureAwait(false);
            var restated = await restatements.RestateAsync(request, report, query, result.Days, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            var @event = CollectionDecision.Decide(state, request, figures, restated, result.Requests, time.GetUtcNow());

            // Holding the claim, a conflict here means a writer without one (a claim that expired under a slow
            // worker): the stream is re-read by the retry, never overwritten.
            state = await store.AppendAsync(stream, state, @event, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            state.TryGetCollection(request.RequestId, out settled);

            var outcome = @event switch
            {
                CostSnapshotCollected => CollectOutcome.Collected,
                CostSnapshotRevised => CollectOutcome.Revised,
                _ => CollectOutcome.Unchanged,
            };
            if (outcome != CollectOutcome.Unchanged)
            {
                metrics.SnapshotCollected();
                if (period.Cadence == Cadence.Daily)
                {
                    metrics.DailyCostTotal(report.Id.Value, figures.Total);
                }
            }

            return await AnnounceAsync(command, state, settled, outcome, result.Requests, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await claims.ReleaseAsync(claim, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<CostFigures> FiguresAsync(
        ReportDefinition report, ReportPeriod period, CostQuery query, IReadOnlyList<DailyCost> answer, CancellationToken cancellationToken)
    {
        if (period.Cadence == Cadence.Daily)
        {
            var day = period.First;
            return SnapshotFigures.Compute(day, query, answer) with
            {
                Anomalies = AnomalyDetector.Detect(day, answer, report.Anomalies),
                Forecast = MonthForecaster.Forecast(day, answer),
            };
        }

        var figures = DigestSnapshotFigures.Compute(period, query, answer, report.Anomalies);
        if (period.Cadence == Cadence.Monthly && figures.Digest is { } digest)
        {
            var check = await forecasts.FindAsync(report, period, cancellationToken).ConfigureAwait(false);
            figures = figures with { Digest = digest with { ForecastCheck = check } };
        }

        return figures;
    }

    private async Task<CollectResult> AnnounceAsync(
        CollectCostSnapshot command, ReportPeriodState state, long snapshotVersion, CollectOutcome outcome, int requests, CancellationToken cancellationToken)
    {
        var request = command.Request;
        var snapshot = state.Snapshots[snapshotVersion];
        var envelopeId = Guid.NewGuid().ToString("N");
        var ready = new CostSnapshotReady(request.ReportId, request.Period, snapshotVersion, request.RequestId, request.Trigger);
        var body = MessageCodec.Encode(ready, envelopeId, command.CorrelationId, time.GetUtcNow());
        await publisher.PublishAsync(PipelineQueue.Notifier, [new OutgoingMessage(envelopeId, body)], cancellationToken).ConfigureAwait(false);

        logger.LogInformation(
            "Report {ReportId} {Period}: {Outcome}, snapshot v{SnapshotVersion} total {Total} {Currency}; notifier asked to send",
            request.ReportId,
            request.Period,
            outcome,
            snapshotVersion,
            snapshot.Figures.Total,
            snapshot.Figures.Currency);
        return new CollectResult(outcome, snapshotVersion, requests, snapshot.Figures.Total, snapshot.Figures.Currency);
    }
}
