using CostNotifier.Domain;
using CostNotifier.Messaging;
using CostNotifier.Observability;
using CostNotifier.Validation;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Scheduler;

/// <summary>
/// Request every report period that ends on a day of <paramref name="From"/>..<paramref name="To"/>: every day for a
/// daily report, each Sunday for a weekly digest (its ISO week), each last day of a month for a monthly one. The
/// periods of reports that ask Cost Explorer the same question travel in one collector message
/// (<see cref="CollectionGroups"/>).
/// </summary>
/// <param name="From">First usage day, inclusive.</param>
/// <param name="To">Last usage day, inclusive.</param>
/// <param name="Trigger">Why the run was asked for.</param>
/// <param name="Reports">The reports to request; empty for every configured report (of <see cref="Cadence"/>, when given).</param>
/// <param name="RequestId">The request id to use; null to derive one (scheduled) or make a fresh one.</param>
/// <param name="CorrelationId">Shared by every message and log line of this request.</param>
public sealed record ScheduleReports(
    ReportDate From,
    ReportDate To,
    Trigger Trigger,
    IReadOnlyList<ReportId> Reports,
    RequestId? RequestId,
    string CorrelationId) : ICommand<ScheduleResult>
{
    /// <summary>Only the reports of this cadence (an operator's <c>--week</c> or <c>--month</c>); null for all.</summary>
    public Cadence? Cadence { get; init; }

    /// <summary>
    /// The report periods the command asks for, in order of their last days, then report: each report's period that
    /// ends on a day of the range, with why it cannot be collected on <paramref name="today"/> (null when it can). A
    /// report <paramref name="catalog"/> does not list (an operator naming one on a stack whose list the CLI was not
    /// given) takes the cadence the command asked for, or daily; the collector checks it against the deployed list.
    /// </summary>
    public IEnumerable<PlannedPeriod> Plan(ReportCatalog catalog, ReportDate today)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var reports = (Reports.Count == 0 ? catalog.Reports.Select(r => r.Id) : Reports.Distinct())
            .Select(id => (Id: id, Cadence: catalog.TryGet(id, out var known) ? known.Cadence : Cadence ?? Domain.Cadence.Daily))
            .Where(r => Cadence is not { } only || r.Cadence == only)
            .ToList();
        foreach (var date in DateRange.Inclusive(From, To).EachDay())
        {
            foreach (var (id, cadence) in reports)
            {
                if (ReportPeriod.TryEndingOn(cadence, date, out var period))
                {
                    // Only a digest can be refused here: its last day is in range, its first day before Cost Explorer's history.
                    yield return new PlannedPeriod(id, period, ReportPeriodRules.WhyNotReportable(period, today));
                }
            }
        }
    }
}

/// <summary>One report period a <see cref="ScheduleReports"/> command asks for.</summary>
/// <param name="Report">The report.</param>
/// <param name="Period">Its period that ends in the range.</param>
/// <param name="WhyNot">Why it cannot be collected (it starts before Cost Explorer's history); null when it can.</param>
public sealed record PlannedPeriod(ReportId Report, ReportPeriod Period, string? WhyNot);

/// <summary>What was enqueued.</summary>
/// <param name="RequestId">The request id the messages carry (a scheduled range has one per period: this is the first one's).</param>
/// <param name="Messages">One entry per report period, in order of the periods' last days, then report.</param>
public sealed record ScheduleResult(RequestId RequestId, IReadOnlyList<ScheduledReportPeriod> Messages)
{
    /// <summary>Periods that end in the range but start before Cost Explorer's history, so cannot be collected.</summary>
    public IReadOnlyList<SkippedPeriod> Skipped { get; init; } = [];
}

/// <summary>One enqueued report period.</summary>
public sealed record ScheduledReportPeriod(ReportId Report, ReportPeriod Period, RequestId RequestId, string EnvelopeId, string QueueMessageId);

/// <summary>A report period a range ends but that cannot be collected, and why.</summary>
public sealed record SkippedPeriod(ReportId Report, ReportPeriod Period, string Reason);

/// <summary>Checks a scheduling command before anything is enqueued.</summary>
public sealed class ScheduleReportsValidator : AbstractValidator<ScheduleReports>
{
    /// <summary>The longest range one command may fan out, in days (13 months of history plus the current month).</summary>
    public const int MaxDays = 31 * 14;

    /// <summary>Creates the validator.</summary>
    public ScheduleReportsValidator(ReportCatalog catalog, TimeProvider time)
    {
        RuleFor(c => c.To)
            .Must((c, to) => to >= c.From)
            .WithMessage(c => $"the range ends ({c.To}) before it starts ({c.From})");
        RuleFor(c => c.From)
            .Must(d => ReportPeriodRules.WhyNotReportable(d, ReportDate.FromInstant(time.GetUtcNow())) is null)
            .WithMessage(c => ReportPeriodRules.WhyNotReportable(c.From, ReportDate.FromInstant(time.GetUtcNow())));
        RuleFor(c => c.To)
            .Must(d => ReportPeriodRules.WhyNotReportable(d, ReportDate.FromInstant(time.GetUtcNow())) is null)
            .WithMessage(c => ReportPeriodRules.WhyNotReportable(c.To, ReportDate.FromInstant(time.GetUtcNow())));
        RuleFor(c => c)
            .Must(c => c.To < c.From || c.To.DaysSince(c.From) < MaxDays)
            .WithMessage(c => $"the range {c.From}..{c.To} is longer than {MaxDays} days");
        RuleForEach(c => c.Reports)
            .Must(catalog.Contains)
            .WithMessage((c, id) => $"report '{id}' is not configured; configured: {string.Join(", ", catalog.Reports.Select(r => r.Id.Value))}");
        RuleForEach(c => c.Reports)
            .Must((c, id) => c.Cadence is not { } cadence || !catalog.TryGet(id, out var report) || report.Cadence == cadence)
            .WithMessage((c, id) => $"report '{id}' is {catalog.Get(id).Cadence.ToWireName()}, not {c.Cadence?.ToWireName()}");
        RuleFor(c => c.RequestId)
            .Null()
            .When(c => c.Trigger == Trigger.Scheduled)
            .WithMessage("a scheduled run derives its request id from the date; do not pass one");
    }
}

/// <summary>Enqueues the report-days of a <see cref="ScheduleReports"/> command.</summary>
public sealed class ScheduleReportsHandler(
    ReportCatalog catalog,
    IMessagePublisher publisher,
    TimeProvider time,
    PipelineMetrics metrics,
    ILogger<ScheduleReportsHandler> logger) : ICommandHandler<ScheduleReports, ScheduleResult>
{
    /// <inheritdoc />
    public async ValueTask<ScheduleResult> Handle(ScheduleReports command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var now = time.GetUtcNow();

        // A scheduled period's id is derived from the period, so a schedule that fires twice enqueues the same
        // request; an operator's replay or backfill always gets a fresh id and therefore sends again.
        RequestId? sharedRequestId = command.Trigger == Trigger.Scheduled ? null : command.RequestId ?? RequestId.New(command.Trigger);

        var planned = new List<ReportRequested>();
        var skipped = new List<SkippedPeriod>();
        foreach (var (report, period, whyNot) in command.Plan(catalog, ReportDate.FromInstant(now)))
        {
            if (whyNot is not null)
            {
                skipped.Add(new SkippedPeriod(report, period, whyNot));
                logger.LogWarning("Skipped {ReportId} {Period}: {Reason}", report.Value, period.ToString(), whyNot);
                continue;
            }

            planned.Add(new ReportRequested(report, period, command.Trigger, sharedRequestId ?? RequestId.Scheduled(period)));
        }

        // Periods whose reports ask the same question travel together, so the collector fetches it once for all.
        var messages = CollectionGroups.Split(planned, catalog)
            .Select(group =>
            {
                var envelopeId = Guid.NewGuid().ToString("N");
                var body = group.Count == 1
                    ? MessageCodec.Encode(group[0], envelopeId, command.CorrelationId, now)
                    : MessageCodec.Encode(new ReportsRequested(group), envelopeId, command.CorrelationId, now);
                return (Requests: group, Message: new OutgoingMessage(envelopeId, body));
            })
            .ToList();
        var queueIds = messages.Count == 0
            ? []
            : await publisher.PublishAsync(PipelineQueue.Collector, messages.Select(m => m.Message).ToList(), cancellationToken).ConfigureAwait(false);
        var carriedBy = messages
            .SelectMany((m, i) => m.Requests.Select(r => (r, Ids: (m.Message.EnvelopeId, QueueId: queueIds[i]))))
            .ToDictionary(pair => pair.r, pair => pair.Ids);
        var enqueued = planned
            .Select(r => new ScheduledReportPeriod(r.ReportId, r.Period, r.RequestId, carriedBy[r].EnvelopeId, carriedBy[r].QueueId))
            .ToList();

        if (command.Trigger == Trigger.Scheduled)
        {
            metrics.ReportsDue(planned.Count);
        }

        logger.LogInformation(
            "Enqueued {PeriodCount} report periods of {ReportCount} reports in {MessageCount} collector messages from {From} to {To} ({Trigger})",
            planned.Count,
            planned.Select(p => p.ReportId).Distinct().Count(),
            messages.Count,
            command.From,
            command.To,
            command.Trigger);

        return new ScheduleResult(sharedRequestId ?? (planned.Count > 0 ? planned[0].RequestId : RequestId.Scheduled(command.From)), enqueued)
        {
            Skipped = skipped,
        };
    }
}
