using System.Globalization;
using System.Text;
using System.Text.Json;
using CostNotifier.EmailSending;
using CostNotifier.Embedded.Queues;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Embedded.Outbox;

/// <summary>
/// Plays SES's sending events on the embedded default: once the wrapped provider has accepted an email, it puts a
/// <c>Send</c> and a <c>Delivery</c> event, in the JSON SES publishes (raw SNS delivery), on the local
/// <c>delivery</c> queue, where the notifier records them on the report period's stream as it does in AWS.
/// Like SES's, the events are the provider's business: failing to queue them is logged and never fails the send.
/// </summary>
public sealed class DeliveryReportingEmailSender(IEmailSender inner, LocalQueueStore queues, TimeProvider time, ILogger<DeliveryReportingEmailSender> logger)
    : IEmailSender
{
    /// <inheritdoc />
    public async Task<string> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        var messageId = await inner.SendAsync(email, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        try
        {
            await queues.SendBatchAsync(
                LocalQueue.Delivery,
                [SesEventBodies.Send(email, messageId, now), SesEventBodies.Delivery(email, messageId, now, "250 2.0.0 written to the outbox")],
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The delivery events of message {ProviderMessageId} could not be queued; its delivery stays unknown", messageId);
        }

        return messageId;
    }
}

/// <summary>SES sending events as SES publishes them to SNS, for an email this process sent (one recipient per email).</summary>
public static class SesEventBodies
{
    /// <summary>The <c>Send</c> event: SES accepted the email.</summary>
    public static string Send(OutgoingEmail email, string messageId, DateTimeOffset at) =>
        Write(email, messageId, at, "Send", "send", _ => { });

    /// <summary>The <c>Delivery</c> event: the recipient's server took it with <paramref name="smtpResponse"/>.</summary>
    public static string Delivery(OutgoingEmail email, string messageId, DateTimeOffset at, string smtpResponse) =>
        Write(email, messageId, at, "Delivery", "delivery", json =>
        {
            json.WriteString("timestamp", Stamp(at));
            json.WriteNumber("processingTimeMillis", 0);
            json.WriteStartArray("recipients");
            json.WriteStringValue(email.To);
            json.WriteEndArray();
            json.WriteString("smtpResponse", smtpResponse);
            json.WriteString("reportingMTA", "costnotifier.local");
        });

    private static string Write(OutgoingEmail email, string messageId, DateTimeOffset at, string eventType, string detailName, Action<Utf8JsonWriter> detail)
    {
        ArgumentNullException.ThrowIfNull(email);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("eventType", eventType);
            json.WriteStartObject("mail");
            json.WriteString("timestamp", Stamp(at));
            json.WriteString("source", email.From);
            json.WriteString("sendingAccountId", "000000000000");
            json.WriteString("messageId", messageId);
            json.WriteStartArray("destination");
            json.WriteStringValue(email.To);
            json.WriteEndArray();
            json.WriteBoolean("headersTruncated", false);
            json.WriteStartObject("tags");
            foreach (var (name, value) in email.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                json.WriteStartArray(name);
                json.WriteStringValue(value);
                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject(detailName);
            detail(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
