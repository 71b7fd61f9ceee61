using System.Text.Json;
using CostNotifier.Claims;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.EmailSending;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Notifications;

namespace CostNotifier.Testing.Faults;

/// <summary>Faults around the cost source (Cost Explorer's seam).</summary>
public sealed class FaultingCostSource(ICostSource inner) : ICostSource
{
    public Task<CostQueryResult> GetCostAsync(CostQuery query, CancellationToken cancellationToken) =>
        SeamCall.RunAsync(Seam.CostSource, $"GetCostAndUsage {query?.Period}", () => inner.GetCostAsync(query!, cancellationToken));
}

/// <summary>Faults around the event store's report history (the CLI's read side).</summary>
public sealed class FaultingReportHistory(IReportHistory inner) : IReportHistory
{
    public Task<IReadOnlyList<StoredEvent>> ReadReportAsync(ReportId report, PeriodRange periods, CancellationToken cancellationToken) =>
        SeamCall.RunAsync(Seam.StoreRead, $"read {report} {periods}", () => inner.ReadReportAsync(report, periods, cancellationToken));
}

/// <summary>Faults around the event store; reports every stored <c>NotificationSent</c> to the ledger.</summary>
public sealed class FaultingEventStore(IEventStore inner) : IEventStore
{
    public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(StreamId stream, CancellationToken cancellationToken) =>
        SeamCall.RunAsync(Seam.StoreRead, $"read {stream}", () => inner.ReadStreamAsync(stream, cancellationToken));

    public Task<long> AppendAsync(StreamId stream, ExpectedVersion expected, NewEvent @event, CancellationToken cancellationToken) =>
        SeamCall.RunAsync(
            Seam.StoreAppend,
            $"append {@event?.Type} to {stream} at {expected}",
            () => inner.AppendAsync(stream, expected, @event!, cancellationToken),
            (worker, _) => Observe(worker, @event!));

    /// <summary>Reports a stored <c>NotificationSent</c> to the worker's ledger.</summary>
    public static void Observe(WorkerContext worker, NewEvent @event)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(@event);
        if (@event.Type == EventTypes.NameOf<NotificationSent>())
        {
            var sent = (NotificationSent)EventTypes.Deserialize(new StoredEvent(default, 1, @event.Type, @event.Data, @event.RecordedAt));
            worker.Session.Ledger.NotificationRecorded(worker, new EmailKey(sent.ReportId, sent.Date, sent.RequestId, sent.Recipient));
        }
    }
}

/// <summary>Faults around the claim store.</summary>
public sealed class FaultingClaimStore(IClaimStore inner) : IClaimStore
{
    public Task<Claim?> TryAcquireAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
        SeamCall.RunAsync(Seam.ClaimAcquire, $"claim {key}", () => inner.TryAcquireAsync(key, owner, duration, cancellationToken));

    public Task ReleaseAsync(Claim claim, CancellationToken cancellationToken) =>
        SeamCall.RunAsync(Seam.ClaimRelease, $"release {claim?.Key}", () => inner.ReleaseAsync(claim!, cancellationToken));
}

/// <summary>Faults around queue sends; every batch that was sent is reported to <paramref name="sent"/>.</summary>
public sealed class FaultingMessagePublisher(IMessagePublisher inner, Action<PipelineQueue, IReadOnlyList<OutgoingMessage>, IReadOnlyList<string>>? sent = null)
    : IMessagePublisher
{
    public Task<IReadOnlyList<string>> PublishAsync(PipelineQueue queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) =>
        SeamCall.RunAsync(
            Seam.Publish,
            $"send {messages?.Count} to {queue}",
            () => inner.PublishAsync(queue, messages!, cancellationToken),
            (_, ids) => sent?.Invoke(queue, messages!, ids));
}

/// <summary>Faults around moving a message to its dead-letter queue.</summary>
public sealed class FaultingDeadLetterSink(IDeadLetterSink inner) : IDeadLetterSink
{
    public int? MaxReceiveCount => inner.MaxReceiveCount;

    public Task SendAsync(PipelineQueue source, string messageId, string body, string reason, CancellationToken cancellationToken) =>
        SeamCall.RunAsync(Seam.DeadLetter, $"dead-letter {messageId} from {source}", () => inner.SendAsync(source, messageId, body, reason, cancellationToken));
}

/// <summary>Faults around the email provider; every accepted email is reported to the ledger.</summary>
public sealed class FaultingEmailSender(IEmailSender inner) : IEmailSender
{
    public Task<string> SendAsync(OutgoingEmail email, CancellationToken cancellationToken) =>
        SeamCall.RunAsync(
            Seam.EmailSend,
            $"send to {email?.To}",
            () => inner.SendAsync(email!, cancellationToken),
            (worker, _) => worker.Session.Ledger.EmailAccepted(worker, KeyOf(email!)));

    /// <summary>The ledger key of an email, from its recipient and the report/date/request tags the notifier sets.</summary>
    public static EmailKey KeyOf(OutgoingEmail email)
    {
        ArgumentNullException.ThrowIfNull(email);
        string Tag(string name) => email.Tags.TryGetValue(name, out var value) ? value : "?";
        return new EmailKey(Tag("report"), Tag("period"), Tag("request"), email.To);
    }
}

/// <summary>An email provider that keeps what it accepted in memory.</summary>
public sealed class RecordingEmailSender : IEmailSender
{
    private readonly List<OutgoingEmail> _sent = [];
    private int _next;

    /// <summary>Recipients whose emails are refused for good (a bounce, an unverified address) while set.</summary>
    public HashSet<string> Rejecting { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Awaited before each email is accepted; lets a test hold one send back.</summary>
    public Func<OutgoingEmail, Task>? BeforeAccept { get; set; }

    /// <summary>
    /// Awaited once an email is accepted, with its message id, before the sender hears of it: where a provider
    /// publishes its own events (SES's Send event), independent of whether the sender lives to record the send.
    /// </summary>
    public Func<OutgoingEmail, string, Task>? AfterAccept { get; set; }

    /// <summary>Every accepted email, in order.</summary>
    public IReadOnlyList<OutgoingEmail> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public async Task<string> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (BeforeAccept is { } before)
        {
            await before(email).ConfigureAwait(false);
        }

        string id;
        lock (_sent)
        {
            if (Rejecting.Contains(email.To))
            {
                throw new EmailRejectedException($"MessageRejected: the address {email.To} bounced.");
            }

            _sent.Add(email);
            id = $"mem-{++_next:D6}";
        }

        if (AfterAccept is { } after)
        {
            await after(email, id).ConfigureAwait(false);
        }

        return id;
    }
}

/// <summary>Reads what a queue message asks for, for the harness's bookkeeping.</summary>
public static class MessagePeek
{
    /// <summary>(report, date, request) of a pipeline message, or null when the body is not one.</summary>
    public static (string ReportId, string Date, string RequestId)? RequestOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var payload = document.RootElement.GetProperty("payload");
            return (payload.GetProperty("reportId").GetString()!, (payload.TryGetProperty("period", out var period) ? period : payload.GetProperty("date")).GetString()!, payload.GetProperty("requestId").GetString()!);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentNullException)
        {
            return null;
        }
    }
}

/// <summary>A chat service that keeps what it was posted in memory.</summary>
public sealed class RecordingChatSender : IChatSender
{
    private readonly List<OutgoingChatMessage> _sent = [];
    private int _next;

    /// <summary>Destinations (channel keys) that refuse for good while set, as a revoked webhook does.</summary>
    public HashSet<string> Rejecting { get; } = new(StringComparer.Ordinal);

    /// <summary>Destinations (channel keys) whose service is down while set: a failure a retry can get past.</summary>
    public HashSet<string> Unavailable { get; } = new(StringComparer.Ordinal);

    /// <summary>Every accepted message, in order.</summary>
    public IReadOnlyList<OutgoingChatMessage> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public Task<string> SendAsync(OutgoingChatMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_sent)
        {
            if (Rejecting.Contains(message.Channel.Key))
            {
                throw new ChatRejectedException($"{message.Channel.Key}: Slack answered 404 channel_not_found.");
            }

            if (Unavailable.Contains(message.Channel.Key))
            {
                throw new HttpRequestException($"{message.Channel.Key}: the service answered 503.");
            }

            _sent.Add(message);
            return Task.FromResult($"chat-{++_next:D6}");
        }
    }
}
