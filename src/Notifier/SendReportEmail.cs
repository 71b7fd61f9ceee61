using CostNotifier.Domain;
using CostNotifier.Email;
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
    /// <summary>The claim lifetime in effect: two minutes unless set.</summary>
    public TimeSpan EffectiveClaimDuration => ClaimDuration > TimeSpan.Zero ? ClaimDuration : TimeSpan.FromMinutes(2);
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
    ILeaseStore claims,
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
        var report = catalog.Get(ReportId.Parse(ready.ReportId));
        var stream = new StreamId(report.Id, ReportDate.Parse(ready.Date));

        var state = await store.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        if (!state.Snapshots.TryGetValue(ready.SnapshotVersion, out var snapshot))
        {
            throw new PoisonMessageException($"Stream {stream} has no snapshot at version {ready.SnapshotVersion}.");
        }

        var email = renderer.Render(report, snapshot, ready.SnapshotVersion, ready.Trigger);
        var sent = new List<string>();
        var alreadySent = new List<string>();
        var busy = new List<string>();
        var rejected = new List<string>();

        foreach (var recipient in report.Recipients)
        {
            if (state.WasSent(ready.RequestId, recipient))
            {
                alreadySent.Add(recipient);
                continue;
            }

            var claimKey = $"notify#{stream}#{ready.RequestId}#{recipient}";
            var claim = await claims
                .TryAcquireAsync(claimKey, command.Worker, options.EffectiveClaimDuration, cancellationToken)
                .ConfigureAwait(false);
            if (claim is null)
            {
                busy.Add(recipient);
                continue;
            }

            var recorded = false;
            try
            {
                // Whoever held the claim before us may have sent and recorded in the meantime.
                state = await store.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
                if (state.WasSent(ready.RequestId, recipient))
                {
                    alreadySent.Add(recipient);
                    recorded = true;
                    continue;
                }

                string providerId;
                try
                {
                    providerId = await sender.SendAsync(ToOutgoing(email, recipient, ready), cancellationToken).ConfigureAwait(false);
                }
                catch (EmailRejectedException ex)
                {
                    logger.LogError(ex, "Email for {ReportId} {Date} to a recipient was rejected: {Reason}", ready.ReportId, ready.Date, ex.Message);
                    var failed = new NotificationFailed(
                        ready.ReportId, ready.Date, ready.RequestId, recipient, ready.SnapshotVersion, ex.Message, time.GetUtcNow());
                    state = await RecordAsync(stream, state, failed, CancellationToken.None).ConfigureAwait(false);
                    rejected.Add($"{recipient}: {ex.Message}");
                    recorded = true;
                    continue;
                }

                // The provider accepted the email: from here on, recording it is the only thing that stops a
                // retry from sending it again, so it is not abandoned on cancellation.
                var record = new NotificationSent(
                    ready.ReportId, ready.Date, ready.RequestId, recipient, ready.SnapshotVersion, providerId, email.Subject, time.GetUtcNow());
                state = await RecordAsync(stream, state, record, CancellationToken.None).ConfigureAwait(false);
                recorded = true;
                sent.Add(recipient);
                metrics.ReportSent(ready.ReportId);
                logger.LogInformation(
                    "Sent {ReportId} {Date} (request {RequestId}, snapshot v{SnapshotVersion}) as provider message {ProviderMessageId}",
                    ready.ReportId,
                    ready.Date,
                    ready.RequestId,
                    ready.SnapshotVersion,
                    providerId);
            }
            finally
            {
                // An email sent but not recorded keeps its claim until it expires, so an immediate retry cannot
                // send it a second time.
                if (recorded)
                {
                    await claims.ReleaseAsync(claim, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }

        if (rejected.Count > 0)
        {
            throw new EmailRejectedException(string.Join("; ", rejected));
        }

        if (busy.Count > 0)
        {
            throw new ClaimHeldException($"notify#{stream}#{ready.RequestId} ({busy.Count} recipients)");
        }

        return new NotifyResult(sent, alreadySent);
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
                ["report"] = ready.ReportId,
                ["date"] = ready.Date,
                ["request"] = ready.RequestId,
                ["trigger"] = ready.Trigger,
            });

    // Recording our own fact cannot conflict with itself: a concurrent writer appended something else (another
    // recipient's record, a revision), so re-read and append after it. An append can also take effect and still
    // answer an error (a lost response), so every attempt after the first first looks for the event in the stream.
    // Timeouts are retried too: the email is already out, and every failed record widens the duplicate window.
    private async Task<ReportDayState> RecordAsync(StreamId stream, ReportDayState state, ReportDayEvent @event, CancellationToken cancellationToken)
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

    private static bool AlreadyRecorded(ReportDayState state, ReportDayEvent @event) => @event switch
    {
        NotificationSent sent => state.Sent.TryGetValue((sent.RequestId, sent.Recipient), out var stored) && stored.ProviderMessageId == sent.ProviderMessageId,
        NotificationFailed failed => state.Failed.TryGetValue((failed.RequestId, failed.Recipient), out var stored) && stored.Reason == failed.Reason,
        _ => false,
    };
}
