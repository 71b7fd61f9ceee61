using CostNotifier.EventStore;

namespace CostNotifier.Events;

/// <summary>Reading and appending report period streams in terms of events rather than stored rows.</summary>
public static class ReportPeriodStreams
{
    /// <summary>Reads a stream and folds it.</summary>
    public static async Task<ReportPeriodState> LoadAsync(this IEventStore store, StreamId stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var events = await store.ReadStreamAsync(stream, cancellationToken).ConfigureAwait(false);
        return ReportPeriodState.Fold(events);
    }

    /// <summary>Appends one event at the state's version and returns the state after it.</summary>
    public static async Task<ReportPeriodState> AppendAsync(
        this IEventStore store, StreamId stream, ReportPeriodState state, ReportPeriodEvent @event, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(state);
        var version = await store
            .AppendAsync(stream, state.ExpectedVersion, EventTypes.ToNewEvent(@event, now), cancellationToken)
            .ConfigureAwait(false);
        return state.Apply(version, @event);
    }
}
