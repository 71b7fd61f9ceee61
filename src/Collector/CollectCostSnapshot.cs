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
/// A per-account report's collection makes one query grouped by account and service, records each account's share
/// on its own stream and announces it, then records and announces the organisation total (see
/// <see cref="PerAccountSettings"/>).
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
    /// <summary>Account shares collected at once by a per-account report's collection.</summary>
    public const int AccountParallelism = 8;

    /// <inheritdoc />
    public async ValueTask<CollectResult> Handle(CollectCostSnapshot command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return await CollectAsync(command, new SharedCostAnswers(costs), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The query a collection of <paramref name="report"/>'s <paramref name="period"/> makes on
    /// <paramref name="today"/>. One request (plus pages) whatever the cadence: a day with five weeks of history, a
    /// week with the twelve before it (DAILY), a month with the thirteen before it (MONTHLY). A per-account report
    /// asks it grouped by account and service, which answers its organisation total and every account's share.
    /// </summary>
    public static CostQuery QueryFor(ReportDefinition report, ReportPeriod period, ReportDate today, string metric)
    {
        var query = FiguresQueryFor(report, period, today, metric);
        return report.PerAccount is null ? query : query with { GroupBy = GroupBy.Service, ByAccount = true };
    }

    // What the report's figures are computed from: its own grouping and filter over the window. For a per-account
    // report (grouped by account) it is answered from the query by account and service, added up per account.
    private static CostQuery FiguresQueryFor(ReportDefinition report, ReportPeriod period, ReportDate today, string metric)
    {
        ArgumentNullException.ThrowIfNull(report);
        return period.Cadence == Cadence.Daily
            ? new CostQuery(SnapshotWindow.For(period.First, today), report.GroupBy, report.Filter, metric)
            : DigestWindow.QueryFor(period, today, report.GroupBy, report.Filter, metric);
    }

    /// <summary>Collects one request, reading cost through <paramref name="answers"/> (shared by every request of one message).</summary>
    public async Task<CollectResult> CollectAsync(CollectCostSnapshot command, SharedCostAnswers answers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(answers);
        var request = command.Request;
        var report = catalog.Get(request.ReportId);
        var stream = new StreamId(report.Id, request.Period);

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

            // The accounts' shares go first: once the organisation total is recorded, a redelivery only announces.
            var requests = report.PerAccount is null ? 0 : await CollectAccountsAsync(command, report, answers, cancellationToken).ConfigureAwait(false);
            var (result, announcement) = await RecordAsync(request, report, state, answers, requests, accountName: null, command.CorrelationId, cancellationToken)
                .ConfigureAwait(false);
            await publisher.PublishAsync(PipelineQueue.Notifier, [announcement], cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            await claims.ReleaseAsync(claim, CancellationToken.None).ConfigureAwait(false);
        }
    }

    // Every account with someone to tell gets its share recorded and announced, eight at a time, the announcements
    // sent ten to a batch as they come. The parent's claim covers them: nothing else writes an account's stream but
    // this report's own collections. Returns the requests the query cost.
    private async Task<int> CollectAccountsAsync(CollectCostSnapshot command, ReportDefinition report, SharedCostAnswers answers, CancellationToken cancellationToken)
    {
        var request = command.Request;
        var settings = report.PerAccount!;
        var query = QueryFor(report, request.Period, ReportDate.FromInstant(time.GetUtcNow()), options.Metric);
        var answer = await answers.GetCostAsync(query, cancellationToken).ConfigureAwait(false);
        var requests = answers.TakeRequests();
        var accounts = answer.Days
            .SelectMany(day => day.Groups)
            .Select(group => group.Account)
            .OfType<string>()
            .Concat(settings.Accounts.Keys)
            .Distinct(StringComparer.Ordinal)
            .Where(settings.Reports)
            .Order(StringComparer.Ordinal)
            .ToList();
        logger.LogInformation(
            "Per-account report {ReportId} {Period}: {Accounts} accounts to collect from one answer of {Groups} groups ({Requests} billable requests)",
            report.Id.Value,
            request.Period.ToString(),
            accounts.Count,
            answer.Days.Sum(day => day.Groups.Count),
            requests);

        var pending = new List<OutgoingMessage>();
        var sending = new SemaphoreSlim(1, 1);
        await Parallel.ForEachAsync(
            accounts,
            new ParallelOptions { MaxDegreeOfParallelism = AccountParallelism, CancellationToken = cancellationToken },
            async (account, token) =>
            {
                var share = catalog.Get(report.Id.ForAccount(account));
                var shareRequest = request with { ReportId = share.Id };
                var stream = new StreamId(share.Id, request.Period);
                var state = await store.LoadAsync(stream, token).ConfigureAwait(false);
                OutgoingMessage announcement;
                if (state.TryGetCollection(request.RequestId, out var version))
                {
                    announcement = Announcement(shareRequest, version, command.CorrelationId);
                }
                else
                {
                    var name = share.AccountName ?? answer.AccountNames.GetValueOrDefault(account);
                    (_, announcement) = await RecordAsync(shareRequest, share, state, answers, 0, name, command.CorrelationId, token).ConfigureAwait(false);
                }

                List<OutgoingMessage>? batch = null;
                lock (pending)
                {
                    pending.Add(announcement);
                    if (pending.Count >= 10)
                    {
                        batch = [.. pending];
                        pending.Clear();
                    }
                }

                if (batch is not null)
                {
                    await PublishInOrderAsync(sending, batch, token).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        if (pending.Count > 0)
        {
            await PublishInOrderAsync(sending, pending, cancellationToken).ConfigureAwait(false);
        }

        return requests;
    }

    private async Task PublishInOrderAsync(SemaphoreSlim sending, IReadOnlyList<OutgoingMessage> batch, CancellationToken cancellationToken)
    {
        await sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await publisher.PublishAsync(PipelineQueue.Notifier, batch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sending.Release();
        }
    }

    // Fetch (or read from the message's shared answers) → figures → restate → append; the announcement is the
    // caller's to send. requestsBefore: requests already made for this collection (a per-account report's query).
    private async Task<(CollectResult Result, OutgoingMessage Announcement)> RecordAsync(
        ReportRequested request,
        ReportDefinition report,
        ReportPeriodState state,
        SharedCostAnswers answers,
        int requestsBefore,
        string? accountName,
        string correlationId,
        CancellationToken cancellationToken)
    {
        var period = request.Period;
        var stream = new StreamId(report.Id, period);
        var today = ReportDate.FromInstant(time.GetUtcNow());
        var query = FiguresQueryFor(report, period, today, options.Metric);
        var result = await answers.GetCostAsync(query, cancellationToken).ConfigureAwait(false);
        var requests = requestsBefore + answers.TakeRequests();
        if (requests > 0)
        {
            // Periods and shares read from an answer another collection paid for add nothing to the sum.
            metrics.CostExplorerRequests(requests);
        }
        logger.LogInformation(
            "Read {Entries} {Granularity} entries of cost for {ReportId} {Period}; {Requests} billable requests",
            result.Days.Count,
            query.Granularity,
            report.Id.Value,
            period,
            requests);

        var figures = await FiguresAsync(report, period, query, result.Days, cancellationToken).ConfigureAwait(false);
        var restated = await restatements.RestateAsync(request, report, query, result.Days, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var @event = CollectionDecision.Decide(state, request, figures, restated, requests, time.GetUtcNow());
        if (accountName is not null && @event is CostSnapshot named)
        {
            @event = named with { AccountName = accountName };
        }

        // Holding the claim, a conflict here means a writer without one (a claim that expired under a slow
        // worker): the stream is re-read by the retry, never overwritten.
        state = await store.AppendAsync(stream, state, @event, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        state.TryGetCollection(request.RequestId, out var settled);

        var outcome = @event switch
        {
            CostSnapshotCollected => CollectOutcome.Collected,
            CostSnapshotRevised => CollectOutcome.Revised,
            _ => CollectOutcome.Unchanged,
        };
        if (outcome != CollectOutcome.Unchanged)
        {
            metrics.SnapshotCollected();

            // An account's share has no metric of its own: a thousand accounts would be a thousand custom metrics.
            if (period.Cadence == Cadence.Daily && report.Id.Account is null)
            {
                metrics.DailyCostTotal(report.Id.Value, figures.Total);
            }
        }

        var snapshot = state.Snapshots[settled];
        logger.LogInformation(
            "Report {ReportId} {Period}: {Outcome}, snapshot v{SnapshotVersion} total {Total} {Currency}",
            report.Id.Value,
            period,
            outcome,
            settled,
            snapshot.Figures.Total,
            snapshot.Figures.Currency);
        return (new CollectResult(outcome, settled, requests, snapshot.Figures.Total, snapshot.Figures.Currency), Announcement(request, settled, correlationId));
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

    private OutgoingMessage Announcement(ReportRequested request, long snapshotVersion, string correlationId)
    {
        var envelopeId = Guid.NewGuid().ToString("N");
        var ready = new CostSnapshotReady(request.ReportId, request.Period, snapshotVersion, request.RequestId, request.Trigger);
        return new OutgoingMessage(envelopeId, MessageCodec.Encode(ready, envelopeId, correlationId, time.GetUtcNow()));
    }

    private async Task<CollectResult> AnnounceAsync(
        CollectCostSnapshot command, ReportPeriodState state, long snapshotVersion, CollectOutcome outcome, int requests, CancellationToken cancellationToken)
    {
        var request = command.Request;
        var snapshot = state.Snapshots[snapshotVersion];
        await publisher.PublishAsync(PipelineQueue.Notifier, [Announcement(request, snapshotVersion, command.CorrelationId)], cancellationToken).ConfigureAwait(false);
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
