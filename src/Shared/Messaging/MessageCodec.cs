using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CostNotifier.Messaging;

/// <summary>A message decoded from its envelope.</summary>
public sealed record DecodedMessage<T>(MessageEnvelope Envelope, T Payload);

/// <summary>Writes and reads message envelopes. Anything unreadable becomes a <see cref="PoisonMessageException"/>.</summary>
public static class MessageCodec
{
    /// <summary>
    /// The largest body accepted, 128 KiB: a <see cref="ReportsRequested"/> of 400 periods is about 60 KiB, every other
    /// message far smaller; SQS itself stops at 256 KiB.
    /// </summary>
    public const int MaxBodyBytes = 128 * 1024;

    /// <summary>Encodes a <see cref="ReportRequested"/> message.</summary>
    public static string Encode(ReportRequested payload, string id, string correlationId, DateTimeOffset occurredAt) =>
        Encode(MessageTypes.ReportRequested, payload, MessageJsonContext.Default.ReportRequested, id, correlationId, occurredAt);

    /// <summary>Encodes a <see cref="CostSnapshotReady"/> message.</summary>
    public static string Encode(CostSnapshotReady payload, string id, string correlationId, DateTimeOffset occurredAt) =>
        Encode(MessageTypes.CostSnapshotReady, payload, MessageJsonContext.Default.CostSnapshotReady, id, correlationId, occurredAt);

    /// <summary>Decodes a <see cref="ReportRequested"/> message.</summary>
    public static DecodedMessage<ReportRequested> DecodeReportRequested(string? body) =>
        Decode(body, MessageTypes.ReportRequested, MessageJsonContext.Default.ReportRequested, MessageJsonContext.Default.ReportRequestedV1, v1 => v1.Current);

    /// <summary>Encodes a <see cref="ReportsRequested"/> message.</summary>
    public static string Encode(ReportsRequested payload, string id, string correlationId, DateTimeOffset occurredAt) =>
        Encode(MessageTypes.ReportsRequested, payload, MessageJsonContext.Default.ReportsRequested, id, correlationId, occurredAt);

    /// <summary>
    /// Decodes what the collector queue carries: a <see cref="ReportRequested"/> (as a list of one) or a
    /// <see cref="ReportsRequested"/>.
    /// </summary>
    public static DecodedMessage<IReadOnlyList<ReportRequested>> DecodeCollectorMessage(string? body)
    {
        if (!IsType(body, MessageTypes.ReportsRequested))
        {
            var single = DecodeReportRequested(body);
            return new DecodedMessage<IReadOnlyList<ReportRequested>>(single.Envelope, [single.Payload]);
        }

        var many = Decode(body, MessageTypes.ReportsRequested, MessageJsonContext.Default.ReportsRequested, MessageJsonContext.Default.ReportsRequested, v1 => v1);
        if (many.Envelope.Version < MessageTypes.CurrentVersion)
        {
            throw new PoisonMessageException($"{MessageTypes.ReportsRequested} version {many.Envelope.Version} is not supported; it starts at version {MessageTypes.CurrentVersion}.");
        }

        if (many.Payload.Requests is not { Count: > 0 and <= ReportsRequested.MaxRequests } requests || requests.Any(r => r is null))
        {
            throw new PoisonMessageException($"A {MessageTypes.ReportsRequested} message must carry 1 to {ReportsRequested.MaxRequests} requests.");
        }

        return new DecodedMessage<IReadOnlyList<ReportRequested>>(many.Envelope, requests);
    }

    /// <summary>Decodes a <see cref="CostSnapshotReady"/> message.</summary>
    public static DecodedMessage<CostSnapshotReady> DecodeCostSnapshotReady(string? body) =>
        Decode(body, MessageTypes.CostSnapshotReady, MessageJsonContext.Default.CostSnapshotReady, MessageJsonContext.Default.CostSnapshotReadyV1, v1 => v1.Current);

    // Whether the envelope names the type, read without decoding the payload; false for anything unreadable, which
    // the full decode then reports.
    private static bool IsType(string? body, string type)
    {
        if (string.IsNullOrWhiteSpace(body) || System.Text.Encoding.UTF8.GetByteCount(body) > MaxBodyBytes)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("type", out var name)
                && name.ValueKind == JsonValueKind.String
                && name.ValueEquals(type);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Encode<T>(
        string type, T payload, JsonTypeInfo<T> info, string id, string correlationId, DateTimeOffset occurredAt)
    {
        var envelope = new MessageEnvelope(
            type,
            MessageTypes.CurrentVersion,
            id,
            correlationId,
            occurredAt,
            JsonSerializer.SerializeToElement(payload, info));
        return JsonSerializer.Serialize(envelope, MessageJsonContext.Default.MessageEnvelope);
    }

    private static DecodedMessage<T> Decode<T, TV1>(string? body, string expectedType, JsonTypeInfo<T> info, JsonTypeInfo<TV1> v1Info, Func<TV1, T> upcast)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new PoisonMessageException("The message body is empty.");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(body) > MaxBodyBytes)
        {
            throw new PoisonMessageException($"The message body is larger than {MaxBodyBytes} bytes.");
        }

        MessageEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(body, MessageJsonContext.Default.MessageEnvelope);
        }
        catch (JsonException ex)
        {
            throw new PoisonMessageException($"The message body is not a valid envelope: {ex.Message}", ex);
        }

        if (envelope is null)
        {
            throw new PoisonMessageException("The message body is JSON null, not an envelope.");
        }

        if (!string.Equals(envelope.Type, expectedType, StringComparison.Ordinal))
        {
            throw new PoisonMessageException($"Expected a {expectedType} message but got type '{envelope.Type}'.");
        }

        if (envelope.Version is < MessageTypes.OldestReadVersion or > MessageTypes.CurrentVersion)
        {
            throw new PoisonMessageException(
                $"{expectedType} version {envelope.Version} is not supported; this build reads versions {MessageTypes.OldestReadVersion} to {MessageTypes.CurrentVersion}.");
        }

        if (string.IsNullOrWhiteSpace(envelope.Id) || string.IsNullOrWhiteSpace(envelope.CorrelationId))
        {
            throw new PoisonMessageException("The envelope has no id or correlationId.");
        }

        if (envelope.Payload.ValueKind != JsonValueKind.Object)
        {
            throw new PoisonMessageException($"The {expectedType} payload is missing or not an object.");
        }

        try
        {
            var payload = (envelope.Version == MessageTypes.OldestReadVersion
                    ? envelope.Payload.Deserialize(v1Info) is { } old ? upcast(old) : default
                    : envelope.Payload.Deserialize(info))
                ?? throw new PoisonMessageException($"The {expectedType} payload is empty.");
            return new DecodedMessage<T>(envelope, payload);
        }
        catch (JsonException ex) when (ex.InnerException is FormatException invalid)
        {
            // A value our types refused: name the field it came from.
            throw new PoisonMessageException($"The {expectedType} payload is malformed: {ex.Path?.TrimStart('$', '.')} {invalid.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new PoisonMessageException($"The {expectedType} payload is malformed: {ex.Message}", ex);
        }
    }
}

/// <summary>
/// A message that can never be processed as it is (unreadable, wrong type, unsupported version, invalid).
/// It goes to the dead-letter queue at once instead of being retried.
/// </summary>
public sealed class PoisonMessageException(string reason, Exception? inner = null) : Exception(reason, inner);
