using Amazon.DynamoDBv2.Model;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Domain;
using CostNotifier.EventStore;
using CostNotifier.IntegrationTests.Emulators;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.IntegrationTests.Aws;

/// <summary>What the DynamoDB stores do beyond the shared contract: the item layout, the index, the emulator's paging.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class DynamoDbEventStoreTests(EmulatorFixture emulators)
{
    private static readonly ReportId Daily = ReportId.Parse("daily");
    private static readonly DateTimeOffset RecordedAt = new(2026, 3, 2, 6, 0, 0, 250, TimeSpan.Zero);

    [Fact]
    public async Task Append_WritesTheItemLayoutTheTableAndIndexDeclare()
    {
        var table = await emulators.CreateEventTableAsync();
        var store = new DynamoDbEventStore(emulators.DynamoDb, table);
        var stream = new StreamId(Daily, ReportDate.Parse("2026-03-01"));

        await store.AppendAsync(stream, ExpectedVersion.NoStream, Event("one"), CancellationToken.None);
        await store.AppendAsync(stream, ExpectedVersion.At(1), Event("two"), CancellationToken.None);

        var item = (await emulators.DynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = new Dictionary<string, AttributeValue>
            {
                ["pk"] = new() { S = "report#daily#2026-03-01" },
                ["sk"] = new() { N = "2" },
            },
            ConsistentRead = true,
        })).Item;
        Assert.Equal("CostSnapshotConfirmed.v1", item["type"].S);
        Assert.Equal("""{"note":"two"}""", item["data"].S);
        Assert.Equal("2026-03-02T06:00:00.2500000+00:00", item["recordedAt"].S);
        Assert.Equal("report#daily", item["gsi1pk"].S);
        Assert.Equal("2026-03-01#0000000002", item["gsi1sk"].S);
        Assert.False(item.ContainsKey("expiresAt"), "Events must never carry the TTL attribute.");
    }

    [Fact]
    public async Task Append_WhenTheVersionExists_ThrowsWrongExpectedVersionCarryingTheConditionalCheckFailure()
    {
        var store = new DynamoDbEventStore(emulators.DynamoDb, await emulators.CreateEventTableAsync());
        var stream = new StreamId(Daily, ReportDate.Parse("2026-03-01"));
        await store.AppendAsync(stream, ExpectedVersion.NoStream, Event("first"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => store.AppendAsync(stream, ExpectedVersion.NoStream, Event("second"), CancellationToken.None));

        Assert.IsType<ConditionalCheckFailedException>(error.InnerException);
        Assert.Equal(stream, error.Stream);
    }

    [Fact]
    public async Task ReadReport_WithTenOrMoreVersionsADay_ReturnsThemInNumericOrderForOnlyTheAskedDates()
    {
        var store = new DynamoDbEventStore(emulators.DynamoDb, await emulators.CreateEventTableAsync());
        foreach (var date in new[] { "2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02" })
        {
            var stream = new StreamId(Daily, ReportDate.Parse(date));
            for (var v = 0; v < 11; v++)
            {
                await store.AppendAsync(stream, ExpectedVersion.At(v), Event($"{date}-{v + 1}"), CancellationToken.None);
            }
        }

        var events = await store.ReadReportAsync(
            Daily, DateRange.Inclusive(ReportDate.Parse("2026-02-28"), ReportDate.Parse("2026-03-01")), CancellationToken.None);

        Assert.Equal(22, events.Count);
        Assert.Equal(
            Enumerable.Range(1, 11).Select(v => ("2026-02-28", (long)v)).Concat(Enumerable.Range(1, 11).Select(v => ("2026-03-01", (long)v))),
            events.Select(e => (e.Stream.Period.ToString(), e.Version)));
    }

    [Fact]
    public async Task ReadReport_WhenTheIndexAnswersInSeveralPages_ReturnsEveryEvent()
    {
        var table = await emulators.CreateEventTableAsync();
        var store = new DynamoDbEventStore(emulators.DynamoDb, table);
        // 40 events of about 50 KB: 2 MB, more than one 1 MB Query page.
        var big = new string('x', 50_000);
        var days = DateRange.Inclusive(ReportDate.Parse("2026-01-01"), ReportDate.Parse("2026-02-09"));
        foreach (var day in days.EachDay())
        {
            await store.AppendAsync(new StreamId(Daily, day), ExpectedVersion.NoStream, new NewEvent("Big.v1", $$"""{"pad":"{{big}}"}""", RecordedAt), CancellationToken.None);
        }

        var firstPage = await emulators.DynamoDb.QueryAsync(new QueryRequest
        {
            TableName = table,
            IndexName = EventTableSchema.ReportDateIndex,
            KeyConditionExpression = "gsi1pk = :r",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":r"] = new() { S = "report#daily" } },
        });
        var events = await store.ReadReportAsync(Daily, days, CancellationToken.None);

        Assert.True(firstPage.LastEvaluatedKey is { Count: > 0 }, "The emulator answered in one page, so paging went untested.");
        Assert.Equal(days.EachDay().Select(d => d.ToString()), events.Select(e => e.Stream.Period.ToString()));
    }

    [Fact]
    public async Task ReadStream_WhenAnItemIsCorrupt_ThrowsNamingTheItemAndTheProblem()
    {
        var table = await emulators.CreateEventTableAsync();
        var store = new DynamoDbEventStore(emulators.DynamoDb, table);
        await emulators.DynamoDb.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new Dictionary<string, AttributeValue>
            {
                ["pk"] = new() { S = "report#daily#2026-03-01" },
                ["sk"] = new() { N = "1" },
                ["type"] = new() { S = "CostSnapshotConfirmed.v1" },
                ["data"] = new() { S = "{}" },
                ["recordedAt"] = new() { S = "yesterday-ish" },
            },
        });

        var error = await Assert.ThrowsAsync<InvalidDataException>(
            () => store.ReadStreamAsync(new StreamId(Daily, ReportDate.Parse("2026-03-01")), CancellationToken.None));

        Assert.Contains("report#daily#2026-03-01", error.Message, StringComparison.Ordinal);
        Assert.Contains("yesterday-ish", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Append_WhenTheTableDoesNotExist_ThrowsNamingTheTable()
    {
        var store = new DynamoDbEventStore(emulators.DynamoDb, "no-such-table");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => store.AppendAsync(new StreamId(Daily, ReportDate.Parse("2026-03-01")), ExpectedVersion.NoStream, Event("x"), CancellationToken.None));

        Assert.Contains("'no-such-table'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClaimStore_TryAcquire_WritesTheTtlInWholeSecondsRoundedUpAndTheExactExpiry()
    {
        var table = await emulators.CreateEventTableAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 7, 0, 0, 400, TimeSpan.Zero));
        var claims = new DynamoDbClaimStore(emulators.DynamoDb, table, time);

        var claim = await claims.TryAcquireAsync("send#daily#2026-02-28#a@example.com", "worker-a", TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.NotNull(claim);
        var item = (await emulators.DynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = new Dictionary<string, AttributeValue>
            {
                ["pk"] = new() { S = "lease#send#daily#2026-02-28#a@example.com" },
                ["sk"] = new() { N = "0" },
            },
            ConsistentRead = true,
        })).Item;
        var expiresAtMs = claim.ExpiresAt.ToUnixTimeMilliseconds();
        Assert.Equal("worker-a", item["owner"].S);
        Assert.Equal(expiresAtMs.ToString(System.Globalization.CultureInfo.InvariantCulture), item["expiresAtMs"].N);
        Assert.Equal(((expiresAtMs / 1000) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), item["expiresAt"].N);
        Assert.False(item.ContainsKey("gsi1pk"), "Claims must stay out of the report index.");
    }

    private static NewEvent Event(string note) => new("CostSnapshotConfirmed.v1", $$"""{"note":"{{note}}"}""", RecordedAt);
}
