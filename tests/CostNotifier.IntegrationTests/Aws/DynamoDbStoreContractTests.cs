using CostNotifier.Aws.DynamoDb;
using CostNotifier.Claims;
using CostNotifier.Contracts;
using CostNotifier.EventStore;
using CostNotifier.IntegrationTests.Emulators;

namespace CostNotifier.IntegrationTests.Aws;

/// <summary>The event store contract against dynalite, each test on a table of its own.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class DynamoDbEventStoreContractTests(EmulatorFixture emulators) : EventStoreContract<DynamoDbEventStore>
{
    protected override async Task<DynamoDbEventStore> CreateStoreAsync() =>
        new DynamoDbEventStore(emulators.DynamoDb, await emulators.CreateEventTableAsync());
}

/// <summary>The claim store contract against dynalite, each test on a table of its own.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class DynamoDbClaimStoreContractTests(EmulatorFixture emulators) : ClaimStoreContract
{
    protected override async Task<IClaimStore> CreateStoreAsync(TimeProvider time) =>
        new DynamoDbClaimStore(emulators.DynamoDb, await emulators.CreateEventTableAsync(), time);
}
