using CostNotifier.Domain;
using CostNotifier.Messaging;
using CostNotifier.Validation;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Scheduler;

/// <summary>
/// Fan out one <see cref="ReportRequested"/> per report and day of <paramref name="From"/>..<paramref name="To"/>.
/// </summary>
/// <param name="From">First usage day, inclusive.</param>
/// <param name="To">Last usage day, inclusive.</param>
/// <param name="Trigger">Why the run was asked for.</param>
/// <param name="Reports">The reports to request; empty for every configured report.</param>
/// <param name="RequestId">The request id to use; null to derive one (scheduled) or make a fresh one.</param>
/// <param name="CorrelationId">Shared by every message and log line of this request.</param>
public sealed record ScheduleReports(
    ReportDate From,
    ReportDate To,
    Trigger Trigger,
    IReadOnlyList<ReportId> Reports,
    RequestId? RequestId,
    string CorrelationId) : ICommand<ScheduleResult>;

/// <summary>What was enqueued.</summary>
/// <param name="RequestId">The request id the messages carry (a scheduled range has one per day: this is the first day's).</param>
/// <param name="Messages">One entry per report-day, in date then report order.</param>
public sealed record ScheduleResult(RequestId RequestId, IReadOnlyList<ScheduledReportDay> Messages);

/// <summary>One enqueued report-day.</summary>
public sealed record ScheduledReportDay(ReportId Report, ReportDate Date, RequestId RequestId, string EnvelopeId, string QueueMessageId);

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
            .Must(d => ReportDayRules.WhyNotReportable(d, ReportDate.FromInstant(time.GetUtcNow())) is null)
            .WithMessage(c => ReportDayRules.WhyNotReportable(c.From, ReportDate.FromInstant(time.GetUtcNow())));
        RuleFor(c => c.To)
            .Must(d => ReportDayRules.WhyNotReportable(d, ReportDate.FromInstant(time.GetUtcNow())) is null)
            .WithMessage(c => ReportDayRules.WhyNotReportable(c.To, ReportDate.FromInstant(time.GetUtcNow())));
        RuleFor(c => c)
            .Must(c => c.To < c.From || c.To.DaysSince(c.From) < MaxDays)
            .WithMessage(c => $"the range {c.From}..{c.To} is longer than {MaxDays} days");
        RuleForEach(c => c.Reports)
            .Must(catalog.Contains)
            .WithMessage((c, id) => $"report '{id}' is not configured; configured: {string.Join(", ", catalog.Reports.Select(r => r.Id.Value))}");
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
    ILogger<ScheduleReportsHandler> logger) : ICommandHandler<ScheduleReports, ScheduleResult>
{
    /// <inheritdoc />
    public async ValueTask<ScheduleResult> Handle(ScheduleReports command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var reports = command.Reports.Count == 0 ? catalog.Reports.Select(r => r.Id).ToList() : command.Reports.Distinct().ToList();
        var now = time.GetUtcNow();

        // A scheduled day's id is derived from the day, so a schedule that fires twice enqueues the same request;
        // an operator's replay or backfill always gets a fresh id and therefore sends again.
        RequestId? sharedRequestId = command.Trigger == Trigger.Scheduled ? null : command.RequestId ?? RequestId.New(command.Trigger);

        var planned = new List<(ReportId Report, ReportDate Date, RequestId RequestId, OutgoingMessage Message)>();
        foreach (var date in DateRange.Inclusive(command.From, command.To).EachDay())
        {
            var requestId = sharedRequestId ?? RequestId.Scheduled(date);
            foreach (var report in reports)
            {
                var envelopeId = Guid.NewGuid().ToString("N");
                var payload = new ReportRequested(report, date, command.Trigger, requestId);
                planned.Add((report, date, requestId, new OutgoingMessage(envelopeId, MessageCodec.Encode(payload, envelopeId, command.CorrelationId, now))));
            }
        }

        var queueIds = await publisher
            .PublishAsync(PipelineQueue.Collector, planned.Select(p => p.Message).ToList(), cancellationToken)
            .ConfigureAwait(false);

        logger.LogInformation(
            "Enqueued {MessageCount} report requests for {ReportCount} reports from {From} to {To} ({Trigger})",
            planned.Count,
            reports.Count,
            command.From,
            command.To,
            command.Trigger);

        return new ScheduleResult(
            sharedRequestId ?? RequestId.Scheduled(command.From),
            planned.Select((p, i) => new ScheduledReportDay(p.Report, p.Date, p.RequestId, p.Message.EnvelopeId, queueIds[i])).ToList());
    }
}
