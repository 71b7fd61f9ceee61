using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CostNotifier.EventStore;
using CostNotifier.Serialization;

namespace CostNotifier.Events;

/// <summary>Maps events to their stable stored type names and back.</summary>
public static class EventTypes
{
    /// <summary>Stored name of <see cref="CostSnapshotCollected"/>.</summary>
    public const string SnapshotCollected = "CostSnapshotCollected.v1";

    /// <summary>Stored name of <see cref="CostSnapshotRevised"/>.</summary>
    public const string SnapshotRevised = "CostSnapshotRevised.v1";

    /// <summary>Stored name of <see cref="CostSnapshotConfirmed"/>.</summary>
    public const string SnapshotConfirmed = "CostSnapshotConfirmed.v1";

    /// <summary>Stored name of <see cref="NotificationSent"/>.</summary>
    public const string NotificationSent = "NotificationSent.v1";

    /// <summary>Stored name of <see cref="NotificationFailed"/>.</summary>
    public const string NotificationFailed = "NotificationFailed.v1";

    /// <summary>Serializes an event for appending.</summary>
    public static NewEvent ToNewEvent(object @event, DateTimeOffset recordedAt) => @event switch
    {
        CostSnapshotCollected e => Create(SnapshotCollected, e, EventJsonContext.Default.CostSnapshotCollected, recordedAt),
        CostSnapshotRevised e => Create(SnapshotRevised, e, EventJsonContext.Default.CostSnapshotRevised, recordedAt),
        CostSnapshotConfirmed e => Create(SnapshotConfirmed, e, EventJsonContext.Default.CostSnapshotConfirmed, recordedAt),
        NotificationSent e => Create(NotificationSent, e, EventJsonContext.Default.NotificationSent, recordedAt),
        NotificationFailed e => Create(NotificationFailed, e, EventJsonContext.Default.NotificationFailed, recordedAt),
        _ => throw new ArgumentException($"{@event?.GetType().Name ?? "null"} is not a report-day event.", nameof(@event)),
    };

    /// <summary>Deserializes a stored event; throws <see cref="FormatException"/> for an unknown type or bad data.</summary>
    public static object Deserialize(StoredEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        try
        {
            object? result = stored.Type switch
            {
                SnapshotCollected => JsonSerializer.Deserialize(stored.Data, EventJsonContext.Default.CostSnapshotCollected),
                SnapshotRevised => JsonSerializer.Deserialize(stored.Data, EventJsonContext.Default.CostSnapshotRevised),
                SnapshotConfirmed => JsonSerializer.Deserialize(stored.Data, EventJsonContext.Default.CostSnapshotConfirmed),
                NotificationSent => JsonSerializer.Deserialize(stored.Data, EventJsonContext.Default.NotificationSent),
                NotificationFailed => JsonSerializer.Deserialize(stored.Data, EventJsonContext.Default.NotificationFailed),
                _ => throw new FormatException($"Event {stored.Stream}@{stored.Version} has unknown type '{stored.Type}'."),
            };
            return result ?? throw new FormatException($"Event {stored.Stream}@{stored.Version} is empty.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Event {stored.Stream}@{stored.Version} ({stored.Type}) is not valid JSON: {ex.Message}", ex);
        }
    }

    private static NewEvent Create<T>(string type, T @event, JsonTypeInfo<T> info, DateTimeOffset recordedAt) =>
        new(type, JsonSerializer.Serialize(@event, info), recordedAt);
}
