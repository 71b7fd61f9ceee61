using CostNotifier.EventStore;

namespace CostNotifier.UnitTests.Handlers;

/// <summary>An event store that counts what is appended to it, whatever the stream.</summary>
internal sealed class CountingEventStore(IEventStore inner) : IEventStore
{
    private int _appended;

    /// <summary>Events appended through this store so far.</summary>
    public int Appended => Volatile.Read(ref _appended);

    public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(StreamId stream, CancellationToken cancellationToken) =>
        inner.ReadStreamAsync(stream, cancellationToken);

    public async Task<long> AppendAsync(StreamId stream, ExpectedVersion expected, NewEvent @event, CancellationToken cancellationToken)
    {
        var version = await inner.AppendAsync(stream, expected, @event, cancellationToken);
        Interlocked.Increment(ref _appended);
        return version;
    }
}
