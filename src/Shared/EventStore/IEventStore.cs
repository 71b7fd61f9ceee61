namespace CostNotifier.EventStore;

/// <summary>
/// An append-only store of report-day streams: what the functions read and write. Queries across streams are on
/// <see cref="IReportHistory"/>. Every store (SQLite, DynamoDB) passes the same contract suite.
/// </summary>
public interface IEventStore
{
    /// <summary>Reads a whole stream in version order; empty when it does not exist.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(StreamId stream, CancellationToken cancellationToken);

    /// <summary>
    /// Appends one event as version <c>expected.Next</c>. Throws <see cref="WrongExpectedVersionException"/>
    /// when the stream is not at <paramref name="expected"/>; never overwrites an event.
    /// </summary>
    /// <returns>The version the event was stored as.</returns>
    Task<long> AppendAsync(StreamId stream, ExpectedVersion expected, NewEvent @event, CancellationToken cancellationToken);
}

/// <summary>An event about to be appended.</summary>
/// <param name="Type">The stable, versioned type name, e.g. <c>CostSnapshotCollected.v2</c>.</param>
/// <param name="Data">The event as JSON.</param>
/// <param name="RecordedAt">When it was recorded.</param>
public sealed record NewEvent(string Type, string Data, DateTimeOffset RecordedAt);

/// <summary>An event as stored.</summary>
/// <param name="Stream">Its stream.</param>
/// <param name="Version">Its number in the stream, from 1.</param>
/// <param name="Type">Its stable type name.</param>
/// <param name="Data">The event as JSON.</param>
/// <param name="RecordedAt">When it was recorded.</param>
public sealed record StoredEvent(StreamId Stream, long Version, string Type, string Data, DateTimeOffset RecordedAt);

/// <summary>An append found the stream at another version than the writer expected.</summary>
public sealed class WrongExpectedVersionException(StreamId stream, ExpectedVersion expected, Exception? inner = null)
    : Exception($"Stream {stream} is not at version {expected}: another writer appended first.", inner)
{
    /// <summary>The stream.</summary>
    public StreamId Stream { get; } = stream;

    /// <summary>The version the writer expected.</summary>
    public ExpectedVersion Expected { get; } = expected;
}
