using CostNotifier.Claims;
using CostNotifier.Contracts;
using CostNotifier.Embedded.Storage;
using CostNotifier.EventStore;

namespace CostNotifier.UnitTests.Embedded;

public sealed class SqliteEventStoreContractTests : EventStoreContract<SqliteEventStore>, IDisposable
{
    private readonly TemporaryDataDirectory _directory = new();

    protected override Task<SqliteEventStore> CreateStoreAsync() =>
        Task.FromResult(new SqliteEventStore(_directory.Open(Guid.NewGuid().ToString("N"))));

    public void Dispose() => _directory.Dispose();
}

public sealed class SqliteClaimStoreContractTests : ClaimStoreContract, IDisposable
{
    private readonly TemporaryDataDirectory _directory = new();

    protected override Task<IClaimStore> CreateStoreAsync(TimeProvider time) =>
        Task.FromResult<IClaimStore>(new SqliteClaimStore(_directory.Open(Guid.NewGuid().ToString("N")), time));

    public void Dispose() => _directory.Dispose();
}
