using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CostNotifier.EventStore;

namespace CostNotifier.Events;

/// <summary>
/// Maps report period events to their stored type names and JSON and back, from the names declared on
/// <see cref="ReportPeriodEvent"/>.
/// </summary>
public static class EventTypes
{
    // Each event is written with its own type's metadata, not the base type's, so the stored JSON carries no
    // type discriminator: the name is stored beside the data.
    private static readonly FrozenDictionary<Type, StoredType> ByType = EventJsonContext.Default.ReportPeriodEvent.PolymorphismOptions!.DerivedTypes
        .Select(derived => new StoredType(
            (string)derived.TypeDiscriminator!,
            EventJsonContext.Default.GetTypeInfo(derived.DerivedType)!))
        .ToFrozenDictionary(type => type.Metadata.Type);

    private static readonly FrozenDictionary<string, StoredType> ByName =
        ByType.Values.ToFrozenDictionary(type => type.Name, StringComparer.Ordinal);

    /// <summary>Every stored type name, e.g. <c>CostSnapshotCollected.v2</c>.</summary>
    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>The stored type name of <typeparamref name="TEvent"/>.</summary>
    public static string NameOf<TEvent>()
        where TEvent : ReportPeriodEvent => Of(typeof(TEvent)).Name;

    /// <summary>Serializes an event for appending.</summary>
    public static NewEvent ToNewEvent(ReportPeriodEvent @event, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var type = Of(@event.GetType());
        return new NewEvent(type.Name, JsonSerializer.Serialize(@event, type.Metadata), recordedAt);
    }

    /// <summary>
    /// Deserializes a stored event, in its current form or an older one; throws <see cref="FormatException"/> for an
    /// unknown type or bad data.
    /// </summary>
    public static ReportPeriodEvent Deserialize(StoredEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        Func<string, ReportPeriodEvent> read;
        if (ByName.TryGetValue(stored.Type, out var type))
        {
            read = data => JsonSerializer.Deserialize(data, type.Metadata) as ReportPeriodEvent
                ?? throw new JsonException("The event is JSON null.");
        }
        else if (!EventUpcasters.ByName.TryGetValue(stored.Type, out read!))
        {
            throw new FormatException($"Event {stored.Stream}@{stored.Version} has unknown type '{stored.Type}'.");
        }

        try
        {
            return read(stored.Data);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Event {stored.Stream}@{stored.Version} ({stored.Type}) is not valid JSON: {ex.Message}", ex);
        }
    }

    private static StoredType Of(Type eventType) =>
        ByType.TryGetValue(eventType, out var type)
            ? type
            : throw new ArgumentException($"{eventType.Name} has no stored type name: declare one on {nameof(ReportPeriodEvent)}.", nameof(eventType));

    private sealed record StoredType(string Name, JsonTypeInfo Metadata);
}
