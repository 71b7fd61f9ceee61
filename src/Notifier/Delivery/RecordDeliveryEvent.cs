using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Observability;
using CostNotifier.Validation;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Notifier.Delivery;

/// <summary>Record what one SES sending event reports about a report email on that report period's stream.</summary>
/// <param name="Event">The event, read from the delivery queue.</param>
public sealed record RecordDeliveryEvent(SesSendingEvent Event) : ICommand<DeliveryRecordResult>;

/// <summary>What recording an SES event did.</summary>
/// <param name="Recorded">The reports appended by this attempt.</param>
/// <param name="AlreadyRecorded">How many of the event's reports were on the stream already (a redelivery).</param>
public sealed record DeliveryRecordResult(IReadOnlyList<DeliveryReport> Recorded, int AlreadyRecorded);

/// <summary>Checks the report and period an event's tags name against the configured reports.</summary>
public sealed class RecordDeliveryEventValidator : AbstractValidator<RecordDeliveryEvent>
{
    /// <summary>Creates the validator.</summary>
    public RecordDeliveryEventValidator(ReportCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        RuleFor(c => c.Event.Email.ReportId)
            .Must(catalog.Contains)
            .WithMessage(c => $"report '{c.Event.Email.ReportId}' named by the tags of SES message {c.Event.ProviderMessageId} is not configured")
            .OverridePropertyName("report");
        RuleFor(c => c.Event.Email.Period)
            .Must((c, period) => !catalog.TryGet(c.Event.Email.ReportId, out var report) || ReportPeriodRules.WhyNotPeriodOf(report, period) is null)
            .WithMessage(c => catalog.TryGet(c.Event.Email.ReportId, out var report) ? ReportPeriodRules.WhyNotPeriodOf(report, c.Event.Email.Period) : null)
            .OverridePropertyName("period");
    }
}

/// <summary>
/// Appends each report of the event the stream does not have yet. SNS and SQS deliver at least once, so a report
/// already on the stream is skipped; bounces and complaints newly recorded are counted in the metrics the alarms watch.
/// </summary>
public sealed class RecordDeliveryEventHandler(
    IEventStore store,
    ReportCatalog catalog,
    TimeProvider time,
    PipelineMetrics metrics,
    ILogger<RecordDeliveryEventHandler> logger) : ICommandHandler<RecordDeliveryEvent, DeliveryRecordResult>
{
    private const int AppendAttempts = 5;

    /// <inheritdoc />
    public async ValueTask<DeliveryRecordResult> Handle(RecordDeliveryEvent command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var ses = command.Event;
        var report = catalog.Get(ses.Email.ReportId);
        var stream = new StreamId(report.Id, ses.Email.Period);

        var state = await store.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        if (state.LatestSnapshot is null)
        {
            // Every report email is rendered from a snapshot, so an event about a period never collected is not
            // about an email this stack sent; a retry would find the same.
            throw new PoisonMessageException(
                $"Stream {stream} has no snapshot, so SES message {ses.ProviderMessageId} cannot be about a report email sent from it.");
        }

        var recorded = new List<DeliveryReport>();
        var already = 0;
        foreach (var delivery in ses.Reports.Select(r => r with { Recipient = AsConfigured(report, r.Recipient) }))
        {
            if (state.HasDeliveryReport(delivery))
            {
                already++;
                continue;
            }

            (state, var appended) = await AppendAsync(stream, state, delivery, cancellationToken).ConfigureAwait(false);
            if (!appended)
            {
                already++;
                continue;
            }

            recorded.Add(delivery);
            Count(delivery);
        }

        logger.Log(
            recorded.Any(r => r is NotificationBounced or NotificationComplained) ? LogLevel.Warning : LogLevel.Information,
            "SES {EventType} for {ReportId} {Period} (request {RequestId}, provider message {ProviderMessageId}): "
            + "{Recorded} recorded, {AlreadyRecorded} already on the stream",
            ses.EventType,
            ses.Email.ReportId,
            ses.Email.Period,
            ses.Email.RequestId,
            ses.ProviderMessageId,
            recorded.Count,
            already);
        return new DeliveryRecordResult(recorded, already);
    }

    // SES may write an address in another case than the configuration does; the configured spelling keeps the
    // report next to the NotificationSent of the same recipient.
    private static string AsConfigured(ReportDefinition report, string recipient) =>
        report.Recipients.FirstOrDefault(r => string.Equals(r, recipient, StringComparison.OrdinalIgnoreCase)) ?? recipient;

    private void Count(DeliveryReport delivery)
    {
        switch (delivery)
        {
            case NotificationBounced:
                metrics.NotificationBounced();
                break;
            case NotificationComplained:
                metrics.NotificationComplained();
                break;
        }
    }

    // A conflict means another writer appended first (the sender's record, another recipient's report, a copy of this
    // very event): re-read, and append after it unless the report is now there. Other failures go back to the queue,
    // whose redelivery comes through the same check.
    private async Task<(ReportPeriodState State, bool Appended)> AppendAsync(
        StreamId stream, ReportPeriodState state, DeliveryReport delivery, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await store.AppendAsync(stream, state, delivery, time.GetUtcNow(), cancellationToken).ConfigureAwait(false), true);
            }
            catch (WrongExpectedVersionException ex) when (attempt < AppendAttempts)
            {
                logger.LogDebug(
                    ex, "Recording {EventType} on {Stream} met another writer (attempt {Attempt}); re-reading", delivery.GetType().Name, stream.Name, attempt);
                state = await store.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
                if (state.HasDeliveryReport(delivery))
                {
                    return (state, false);
                }
            }
        }
    }
}
