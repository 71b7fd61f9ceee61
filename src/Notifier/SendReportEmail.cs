using System.Runtime.ExceptionServices;
using CostNotifier.Claims;
using CostNotifier.Domain;
using CostNotifier.EmailSending;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Notifications;
using CostNotifier.Notifier.Chat;
using CostNotifier.Notifier.Email;
using CostNotifier.Observability;
using CostNotifier.Validation;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Notifier;

/// <summary>
/// Send the report a <see cref="CostSnapshotReady"/> message announces, once per destination: an email to each
/// recipient, a message to each Slack or Teams channel.
/// </summary>
/// <param name="Ready">The message payload.</param>
/// <param name="CorrelationId">The envelope's correlation id.</param>
/// <param name="Worker">Identifies this attempt; used as the claim owner.</param>
public sealed record SendReportEmail(CostSnapshotReady Ready, string CorrelationId, string Worker) : ICommand<NotifyResult>;

/// <summary>What a notification attempt did.</summary>
/// <param name="Sent">Destinations (email addresses, <c>slack:</c>/<c>teams:</c> channel keys) sent to by this attempt.</param>
/// <param name="AlreadySent">Destinations an earlier attempt had already sent to for this request.</param>
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
/// For each destination: skip if the stream records the report as sent for this request; otherwise claim, send,
/// record. A claim that outlives a crashed worker expires; the only window in which a message can go twice is
/// between the provider accepting it and <see cref="NotificationSent"/> being stored. For email, SES's own report
/// of accepting it (<see cref="NotificationAccepted"/>, recorded from its Send event) closes most of that window:
/// a retry that finds it records the send instead of sending again.
/// </summary>
public sealed class SendReportEmailHandler(
    IEventStore store,
    IClaimStore claims,
    IEmailSender sender,
    IChatSender chat,
    ReportEmailRenderer renderer,
    ReportChatRenderer chatRenderer,
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

        var results = new List<RecipientResult>();
        ExceptionDispatchInfo? firstFailure = null;
        foreach (var destination in Destinations(report, snapshot, ready))
        {
            try
            {
                var result = await SendToRecipientAsync(command, stream, state, destination, cancellationToken).ConfigureAwait(false);
                state = result.State;
                results.Add(result);
            }
            catch (DestinationUnavailableException ex)
            {
                // One destination's outage (a Slack 5xx, a throttled SES call) does not hold back the others; the message
                // is retried for it afterwards, and the destinations done by then are skipped. A failure to record is
                // not caught here: with the store failing, sending more would only widen the duplicate window.
                logger.LogWarning(
                    ex.InnerException, "{ReportId} {Period} could not be sent to {Destination} this time; going on with the others", ready.ReportId, ready.Period, destination.Key);
                firstFailure ??= ExceptionDispatchInfo.Capture(ex.InnerException!);
                state = await store.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
            }
        }

        var outcome = Conclude(stream, ready.RequestId, results);
        firstFailure?.Throw();
        return outcome;
    }

    // Email recipients first, then chat channels; each renders its form once, and chat only when the report has channels.
    private IEnumerable<Destination> Destinations(ReportDefinition report, CostSnapshot snapshot, CostSnapshotReady ready)
    {
        var email = renderer.Render(report, snapshot, ready.SnapshotVersion, ready.Trigger);
        var tags = Tags(ready);
        foreach (var recipient in report.Recipients)
        {
            var outgoing = new OutgoingEmail(options.SenderAddress, recipient, email.Subject, email.Html, email.Text, tags);
            yield return new Destination(recipient, email.Subject, ct => sender.SendAsync(outgoing, ct));
        }

        if (report.Channels.Count == 0)
        {
            yield break;
        }

        var rendered = chatRenderer.Render(report, snapshot, ready.SnapshotVersion, ready.Trigger);
        foreach (var channel in report.Channels)
        {
            var message = new OutgoingChatMessage(channel, channel.IsSlack ? rendered.SlackPayload : rendered.TeamsPayload, rendered.FallbackText, tags);
            yield return new Destination(channel.Key, email.Subject, ct => chat.SendAsync(message, ct));
        }
    }

    // Rejections fail the message for good; busy destinations retry it later; otherwise it is done.
    private static NotifyResult Conclude(StreamId stream, RequestId requestId, List<RecipientResult> results)
    {
        var rejected = results.Where(r => r.Outcome == RecipientOutcome.Rejected).ToList();
        if (rejected.Count > 0)
        {
            var reasons = string.Join("; ", rejected.Select(r => $"{r.Recipient}: {r.Reason}"));
            throw rejected.Exists(r => !ChatChannel.IsChannelKey(r.Recipient))
                ? new EmailRejectedException(reasons)
                : new ChatRejectedException(reasons);
        }

        var busy = results.Count(r => r.Outcome == RecipientOutcome.Busy);
        if (busy > 0)
        {
            throw new ClaimHeldException($"{ClaimKeys.NotifyRequest(stream, requestId)} ({busy} destinations)");
        }

        return new NotifyResult(Recipients(results, RecipientOutcome.Sent), Recipients(results, RecipientOutcome.AlreadySent));
    }

    private static List<string> Recipients(List<RecipientResult> results, RecipientOutcome outcome) =>
        results.Where(r => r.Outcome == outcome).Select(r => r.Recipient).ToList();

    // Claim → send → record → release for one destination. The claim is released only once the outcome is recorded:
    // a message sent but not recorded keeps its claim until it expires, so an immediate retry cannot send it twice.
    private async Task<RecipientResult> SendToRecipientAsync(
        SendReportEmail command, StreamId stream, ReportPeriodState state, Destination destination, CancellationToken cancellationToken)
    {
        var requestId = command.Ready.RequestId;
        var recipient = destination.Key;
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

        var result = await SendAndRecordAsync(command.Ready, stream, destination, cancellationToken).ConfigureAwait(false);
        await claims.ReleaseAsync(claim, CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    private async Task<RecipientResult> SendAndRecordAsync(
        CostSnapshotReady ready, StreamId stream, Destination destination, CancellationToken cancellationToken)
    {
        var recipient = destination.Key;

        // Whoever held the claim before us may have sent and recorded in the meantime.
        var state = await store.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        if (state.WasSent(ready.RequestId, recipient))
        {
            return new RecipientResult(recipient, RecipientOutcome.AlreadySent, state);
        }

        // Or sent and died before recording, while the provider's Send event reached the stream: record, don't resend.
        if (state.AcceptedBy(ready.RequestId, recipient) is { } accepted)
        {
            logger.LogWarning(
                "{ReportId} {Period} (request {RequestId}) was accepted by the provider as message {ProviderMessageId} but its send was never recorded; recording it instead of sending again",
                ready.ReportId,
                ready.Period,
                ready.RequestId,
                accepted.ProviderMessageId);
            return await RecordSentAsync(ready, stream, state, destination, accepted.ProviderMessageId).ConfigureAwait(false) with { Outcome = RecipientOutcome.AlreadySent };
        }

        string providerId;
        try
        {
            providerId = await destination.SendAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not NotificationRejectedException && !cancellationToken.IsCancellationRequested)
        {
            throw new DestinationUnavailableException(ex);
        }
        catch (NotificationRejectedException ex)
        {
            logger.LogError(ex, "{ReportId} {Period} to a destination was rejected: {Reason}", ready.ReportId, ready.Period, ex.Message);
            var failed = new NotificationFailed(
                ready.ReportId.Value, ready.Period.ToString(), ready.RequestId.Value, recipient, ready.SnapshotVersion, ex.Message, time.GetUtcNow());
            state = await RecordAsync(stream, state, failed, CancellationToken.None).ConfigureAwait(false);
            return new RecipientResult(recipient, RecipientOutcome.Rejected, state, ex.Message);
        }

        return await RecordSentAsync(ready, stream, state, destination, providerId).ConfigureAwait(false);
    }

    // The provider accepted the message: from here on, recording it is the only thing that stops a retry from sending
    // it again, so it is not abandoned on cancellation.
    private async Task<RecipientResult> RecordSentAsync(
        CostSnapshotReady ready, StreamId stream, ReportPeriodState state, Destination destination, string providerId)
    {
        var recipient = destination.Key;
        var record = new NotificationSent(
            ready.ReportId.Value, ready.Period.ToString(), ready.RequestId.Value, recipient, ready.SnapshotVersion, providerId, destination.Subject, time.GetUtcNow());
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

    // SES message tags on an email (and what a chat message is about): the delivery events come back with them.
    private static Dictionary<string, string> Tags(CostSnapshotReady ready) =>
        new(StringComparer.Ordinal)
        {
            ["report"] = ready.ReportId.Value,
            ["period"] = ready.Period.ToString(),
            ["request"] = ready.RequestId.Value,
            ["trigger"] = ready.Trigger.ToWireName(),
        };

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

    // State is the stream as this step left it, which the next destination's step starts from.
    private sealed record RecipientResult(string Recipient, RecipientOutcome Outcome, ReportPeriodState State, string? Reason = null);

    // The provider failed in a way a retry may fix; carries that failure to the loop over destinations.
    private sealed class DestinationUnavailableException(Exception inner) : Exception(inner.Message, inner);

    // One email recipient or chat channel: its key in events and claims, and how to send it the rendered report.
    private sealed record Destination(string Key, string Subject, Func<CancellationToken, Task<string>> SendAsync);
}
