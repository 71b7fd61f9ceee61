using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;

namespace CostNotifier.Testing.Faults;

/// <summary>Checks a stream read raw from a store.</summary>
public static class StreamAudit
{
    /// <summary>The problem with <paramref name="events"/>, or null: versions must be exactly 1..n, all readable and all of <paramref name="stream"/>.</summary>
    public static string? Check(StreamId stream, IReadOnlyList<StoredEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Version != i + 1)
            {
                return $"stream {stream} has version {events[i].Version} at position {i + 1}: a gap or a duplicate ({string.Join(",", events.Select(e => e.Version))})";
            }

            if (events[i].Stream != stream)
            {
                return $"stream {stream} returned an event of {events[i].Stream}";
            }

            try
            {
                EventTypes.Deserialize(events[i]);
            }
            catch (FormatException ex)
            {
                return $"stream {stream} holds an unreadable event: {ex.Message}";
            }
        }

        return null;
    }

    /// <summary>How many collection events (collected, revised, confirmed) <paramref name="requestId"/> recorded.</summary>
    public static int CollectionsOf(IReadOnlyList<StoredEvent> events, RequestId requestId) =>
        events.Select(EventTypes.Deserialize).Count(e => e switch
        {
            CostSnapshot s => s.RequestId == requestId.Value,
            CostSnapshotConfirmed c => c.RequestId == requestId.Value,
            _ => false,
        });
}
