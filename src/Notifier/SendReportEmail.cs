using CostNotifier.Claims;
using CostNotifier.Domain;
using CostNotifier.EmailSending;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Notifier.Email;
using CostNotifier.Observability;
using CostNotifier.Validation;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Notifier;

/// <summary>Send the report email a <see cref="CostSnapshotReady"/> message announces, once per recipient.</summary>
/// <param name="Ready">The message payload.</param>
/// <param name="CorrelationId">The envelope's correlation id.</param>
/// <param name="Worker">Identifies this attempt; used as the claim owner.</param>
public sealed record SendReportEmail(CostSnapshotReady Ready, string CorrelationId, string Worker) : ICommand<NotifyResult>;

/// <summary>What a notification attempt did.</summary>
/// <param name="Sent">Recipients emailed by this attempt.</param>
/// <param name="AlreadySent">Recipients an earlier attempt had already emailed for this request.</param>
public sealed record NotifyResult(IReadOnlyList<string> Sent, IReadOnlyList<string> AlreadySent);

/// <summary>Settings of the notifier.</summary>
/// <param name="SenderAddress">The From address (a verified SES identity in AWS).</param>
/// <param name="ClaimDuration">How long a send claim lives; longer than the function's timeout.</param>
public sealed record NotifierOptions(string SenderAddress, TimeSpan ClaimDuration = default)
{
    /// <summary>The claim lifetime in effect: <see cref="Claim.DefaultDuration"/> unless set.</summary>
    public TimeSpan EffectiveClaimDuration => Claim.DurationOrDefault(ClaimDuration);
}

/// <summary>Validates the command's message before anything runs.</summary>
public sealed class SendReportEmailValidator : AbstractValidator<SendReportEmail>
{
    /// <summary>Creates the validator.</summary>
    public SendReportEmailValidator(ReportCatalog catalog, TimeProvider time)
    {
        RuleFor(c => c.Ready).NotNull().SetValidator(new CostSnapshotReadyValidator(catalog, time));
    }
}

/// <summary>
/// For each recipient: skip if the stream records the email as sent for this request; otherwise claim, send,
/// record. A claim that outlives a crashed worker expires; the only window in which an email can go twice is
/// between the provider accepting it and <see cref="NotificationSent"/> being stored.
/// </summary>
public sealed class SendReportEmailHandler(
    IEventStore store,
    IClaimStore claims,
    IEmailSender sender,
    ReportEmailRenderer renderer,
    ReportCatalog catalog,
    NotifierOptions options,
    TimeProvider time,
    PipelineMetrics metrics,
    ILogger<SendReportEmailHandler> logger) : ICommandHandler<SendReportEmail, NotifyResult>
{
    private const int RecordAttempts = 5;

    /// <inheritdoc />
    public async ValueTask<NotifyResult> Handle(SendReportEmail command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var ready = command.Ready;
        var report = catalog.Get(ready.ReportId);
        var stream = new StreamId(report.Id, ready.Period);

        var state = await store.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        if (!state.Snapshots.TryGetValue(ready.SnapshotVersion, out var snapshot))
        {
            throw new PoisonMessageException($"Stream {stream} has no snapshot at version {ready.SnapshotVersion}.");
        }

        var email = renderer.Render(report, snapshot, ready.SnapshotVersion, ready.Trigger);
        var results = new List<RecipientResult>(report.Recipients.Count);
        foreach (var recipient in report.Recipients)
        {
            var result = await SendToRecipientAsync(command, stream, state, email, recipient, cancellationToken).ConfigureAwait(false);
            state = result.State;
            results.Add(result);
        }

        return Conclude(stream, ready.RequestId, results);
    }

    // Rejections fail the message for good; busy recipients retry it later; otherwise it is done.
    private static NotifyResult Conclude(StreamId stream, RequestId requestId, List<RecipientResult> results)
    {
        var rejected = results.Where(r => r.Outcome == RecipientOutcome.Rejected).Select(r => $"{r.Recipient}: {r.Reason}").ToList();
        if (rejected.Count > 0)
        {
            throw new EmailRejectedException(string.Join("; ", rejected));
        }

        var busy = results.Count(r => r.Outcome == RecipientOutcome.Busy);
        if (busy > 0)
        {
            throw new ClaimHeldException($"{ClaimKeys.NotifyRequest(stream, requestId)} ({busy} recipients)");
        }

        return new NotifyResult(Recipients(results, RecipientOutcome.Sent), Recipients(results, RecipientOutcome.AlreadySent));
    }

    private static List<string> Recipients(List<RecipientResult> results, RecipientOutcome outcome) =>
        results.Where(r => r.Outcome == outcome).Select(r => r.Recipient).ToList();

    // Claim → send → record → release for one recipient. The claim is released only once the outcome is recorded:
    // an email sent but not recorded keeps its claim until it expires, so an immediate retry cannot send it twice.
    private async Task<RecipientResult> SendToRecipientAsync(
        SendReportEmail command, StreamId stream, ReportPeriodState state, RenderedEmail email, string recipient, CancellationToken cancellationToken)
    {
        var requestId = command.Ready.RequestId;
        if (state.WasSent(requestId, recipient))
        {
            return new RecipientResult(recipient, RecipientOutcome.AlreadySent, state);
        }

        var claim = await claims
            .TryAcquireAsync(ClaimKeys.Notify(stream, requestId, recipient), command.Worker, options.EffectiveClaimDuration, cancellationToken)
            .ConfigureAwait(false);
        if (claim is null)
        {
            return new RecipientResult(recipient, RecipientOutcome.Busy, state);
        }

        var result = await SendAndRecordAsync(command.Ready, stream, email, recipient, cancellationToken).ConfigureAwait(false);
        await claims.ReleaseAsync(claim, CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    private async Task<RecipientResult> SendAndRecordAsync(
        CostSnapshotReady ready, StreamId stream, RenderedEmail email, string recipient, CancellationToken cancellationToken)
    {
        // Whoever held the claim before us may have sent and recorded in the meantime.
        var state = await store.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        if (state.WasSent(ready.RequestId, recipient))
        {
            return new RecipientResult(recipient, RecipientOutcome.AlreadySent, state);
        }

        string providerId;
        try
        {
            providerId = await sender.SendAsync(ToOutgoing(email, recipient, ready), cancellationToken).ConfigureAwait(false);
        }
        catch (EmailRejectedException ex)
        {
            logger.LogError(ex, "Email for {ReportId} {Period} to a recipient was rejected: {Reason}", ready.ReportId, ready.Period, ex.Message);
            var failed = new NotificationFailed(
                ready.ReportId.Value, ready.Period.ToString(), ready.RequestId.Value, recipient, ready.SnapshotVersion, ex.Message, time.GetUtcNow());
            state = await RecordAsync(stream, state, failed, CancellationToken.None).ConfigureAwait(false);
            return new RecipientResult(recipient, RecipientOutcome.Rejected, state, ex.Message);
        }

        // The provider accepted the email: from here on, recording it is the only thing that stops a
        // retry from sending it again, so it is not abandoned on cancellation.
        var record = new NotificationSent(
            ready.ReportId.Value, ready.Period.ToString(), ready.RequestId.Value, recipient, ready.SnapshotVersion, providerId, email.Subject, time.GetUtcNow());
        state = await RecordAsync(stream, state, record, CancellationToken.None).ConfigureAwait(false);
        metrics.ReportSent(ready.ReportId.Value);
        logger.LogInformation(
            "Sent {ReportId} {Period} (request {RequestId}, snapshot v{SnapshotVersion}) as provider message {ProviderMessageId}",
            ready.ReportId,
            ready.Period,
            ready.RequestId,
            ready.SnapshotVersion,
            providerId);
        return new RecipientResult(recipient, RecipientOutcome.Sent, state);
    }

    private OutgoingEmail ToOutgoing(RenderedEmail email, string recipient, CostSnapshotReady ready) =>
        new(
            options.SenderAddress,
            recipient,
            email.Subject,
            email.Html,
            email.Text,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["report"] = ready.ReportId.Value,
                ["period"] = ready.Period.ToString(),
                ["request"] = ready.RequestId.Value,
                ["trigger"] = ready.Trigger.ToWireName(),
            });

    // Recording our own fact cannot conflict with itself: a concurrent writer appended something else (another
    // recipient's record, a revision), so re-read and append after it. An append can also take effect and still
    // answer an error (a lost response), so every attempt after the first first looks for the event in the stream.
    // Timeouts are retried too: the email is already out, and every failed record widens the duplicate window.
    private async Task<ReportPeriodState> RecordAsync(StreamId stream, ReportPeriodState state, ReportPeriodEvent @event, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (attempt > 1)
                {
                    state = await store.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
                    if (AlreadyRecorded(state, @event))
                    {
                        return state;
                    }
                }

                return await store.AppendAsync(stream, state, @event, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < RecordAttempts && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Recording {EventType} on {Stream} failed (attempt {Attempt}); retrying", @event.GetType().Name, stream.Name, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt * attempt), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool AlreadyRecorded(ReportPeriodState state, ReportPeriodEvent @event) => @event switch
    {
        NotificationSent sent => state.Sent.TryGetValue((sent.RequestId, sent.Recipient), out var stored) && stored.ProviderMessageId == sent.ProviderMessageId,
        NotificationFailed failed => state.Failed.TryGetValue((failed.RequestId, failed.Recipient), out var stored) && stored.Reason == failed.Reason,
        _ => false,
    };

    private enum RecipientOutcome
    {
        Sent,
        AlreadySent,
        Busy,
        Rejected,
    }

    // State is the stream as this step left it, which the next recipient's step starts from.
    private sealed record RecipientResult(string Recipient, RecipientOutcome Outcome, ReportPeriodState State, string? Reason = null);
}
