using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CostNotifier.Aws;
using CostNotifier.Aws.Configuration;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Aws.Hosting;
using CostNotifier.Domain;
using CostNotifier.IntegrationTests.Cli;
using CostNotifier.IntegrationTests.Emulators;
using CostNotifier.Scheduler;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.IntegrationTests.Aws;

/// <summary>
/// The report configuration as versioned items of the event table, on dynalite: publishing, reading any version,
/// refusing a publish that lost a race, documents larger than one item, damage, and the functions' one read at start.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ReportConfigurationStoreTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private const string V1 = """
        [
          // The first list: one daily report.
          { "id": "by-service", "name": "Costs", "recipients": ["ops@example.com"], "groupBy": "SERVICE" }
        ]
        """;

    private const string V2 = """
        [
          { "id": "by-service", "name": "Costs", "recipients": ["ops@example.com"], "groupBy": "SERVICE" },
          { "id": "weekly", "cadence": "weekly", "name": "Week", "recipients": ["cfo@example.com"], "groupBy": "SERVICE" }
        ]
        """;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private string _table = string.Empty;

    public async Task InitializeAsync() => _table = await emulators.CreateEventTableAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private DynamoDbReportConfigurationStore Store(IAmazonDynamoDB? client = null) => new(client ?? emulators.DynamoDb, _table, _time);

    [Fact]
    public async Task TwoPublishes_AreVersionsOneAndTwo_EachReadBackExactly_AndTheLatestIsInForce()
    {
        var store = Store();

        var first = await store.PublishAsync(ReportConfigurationDocument.Parse(V1), "alice", CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        var second = await store.PublishAsync(ReportConfigurationDocument.Parse(V2), null, CancellationToken.None);

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        Assert.Equal(2, await store.CurrentVersionAsync(CancellationToken.None));
        var current = await store.LoadCurrentAsync(CancellationToken.None);
        Assert.Equal(V2, current.Document);
        Assert.Equal(["by-service", "weekly"], current.Catalog.Reports.Select(r => r.Id.Value));
        var old = await store.LoadAsync(1, CancellationToken.None);
        Assert.Equal(V1, old.Document);
        Assert.Equal(new ReportConfigurationVersion(1, 1, Encoding.UTF8.GetByteCount(V1), Sha256(V1), 1, 0, new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), "alice"), old.Metadata);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), current.Metadata.PublishedAt);
        Assert.Null(current.Metadata.PublishedBy);
    }

    [Fact]
    public async Task APublish_WhoseStartingVersionWasReplacedMeanwhile_IsRefused_AndLeavesTheWinnerInForce()
    {
        var store = Store();
        await store.PublishAsync(ReportConfigurationDocument.Parse(V1), "first", CancellationToken.None);
        await using var proxy = new CountingProxy(emulators.DynamoDbUrl);
        var raced = false;
        proxy.BeforeForward = async request =>
        {
            // Just before the loser moves the pointer, someone else publishes (straight to the table).
            if (!raced && request.Header("X-Amz-Target")?.EndsWith(".PutItem", StringComparison.Ordinal) == true
                && Encoding.UTF8.GetString(request.Body).Contains("attribute_not_exists(#v)", StringComparison.Ordinal))
            {
                raced = true;
                await Store().PublishAsync(ReportConfigurationDocument.Parse(V2), "winner", CancellationToken.None);
            }
        };
        using var client = ClientFor(proxy.Url);

        var refused = await Assert.ThrowsAsync<ReportConfigurationConflictException>(
            () => Store(client).PublishAsync(ReportConfigurationDocument.Parse(V1.Replace("Costs", "Loser", StringComparison.Ordinal)), "loser", CancellationToken.None));

        Assert.True(raced);
        Assert.Contains("Version 3 of the report configuration was published", refused.Message, StringComparison.Ordinal);
        Assert.Contains("this publish started from version 1", refused.Message, StringComparison.Ordinal);
        Assert.Contains("publish again", refused.Message, StringComparison.Ordinal);
        var current = await store.LoadCurrentAsync(CancellationToken.None);
        Assert.Equal(3, current.Metadata.Version);
        Assert.Equal("winner", current.Metadata.PublishedBy);
        Assert.Equal(V2, current.Document);

        // The loser had claimed version 2 first; nothing of it is left.
        Assert.Null(await store.ReadMetadataAsync(2, CancellationToken.None));
        await Assert.ThrowsAsync<ReportConfigurationMissingException>(() => store.LoadAsync(2, CancellationToken.None));
    }

    [Fact]
    public async Task ADocumentOf5000Accounts_IsStoredInSeveralParts_AndReadBackByteForByte()
    {
        var text = PerAccountDocument(5000);
        var document = ReportConfigurationDocument.Parse(text);
        Assert.True(document.Bytes.Length > DynamoDbReportConfigurationStore.MaxPartBytes, $"the document is only {document.Bytes.Length} bytes");

        var published = await Store().PublishAsync(document, "ops", CancellationToken.None);
        var loaded = await Store().LoadCurrentAsync(CancellationToken.None);

        Assert.Equal((document.Bytes.Length + DynamoDbReportConfigurationStore.MaxPartBytes - 1) / DynamoDbReportConfigurationStore.MaxPartBytes, published.Parts);
        Assert.True(published.Parts >= 2);
        Assert.Equal(5000, published.Accounts);
        Assert.Equal(text, loaded.Document);
        Assert.Equal(Sha256(text), loaded.Metadata.Sha256);
        Assert.Equal(5000, loaded.Catalog.Reports.Single().PerAccount!.Accounts.Count);
        Assert.Equal(["owner-4999@example.com"], loaded.Catalog.Reports.Single().PerAccount!.Accounts["100000004999"].Owners);
    }

    [Fact]
    public async Task APartWhoseBytesChanged_IsReportedAsDamage_NamingTheVersionAndTheHash()
    {
        var store = Store();
        await store.PublishAsync(ReportConfigurationDocument.Parse(PerAccountDocument(4000)), null, CancellationToken.None);
        var key = PartKey(1, 1);
        var item = (await emulators.DynamoDb.GetItemAsync(new GetItemRequest { TableName = _table, Key = key, ConsistentRead = true })).Item;
        var bytes = item["part"].B.ToArray();
        bytes[100] ^= 0x01;
        item["part"] = new AttributeValue { B = new MemoryStream(bytes) };
        await emulators.DynamoDb.PutItemAsync(new PutItemRequest { TableName = _table, Item = item });

        var damaged = await Assert.ThrowsAsync<InvalidDataException>(() => store.LoadCurrentAsync(CancellationToken.None));

        Assert.Contains($"Version 1 of the report configuration in table {_table} is damaged: its parts' SHA-256 is", damaged.Message, StringComparison.Ordinal);
        Assert.Contains("costnotifier reports publish", damaged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingPart_IsReportedAsDamage()
    {
        var store = Store();
        var published = await store.PublishAsync(ReportConfigurationDocument.Parse(PerAccountDocument(4000)), null, CancellationToken.None);
        await emulators.DynamoDb.DeleteItemAsync(new DeleteItemRequest { TableName = _table, Key = PartKey(1, 1) });

        var damaged = await Assert.ThrowsAsync<InvalidDataException>(() => store.LoadCurrentAsync(CancellationToken.None));

        Assert.Contains($"is damaged: part 1 of {published.Parts} is missing", damaged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loading_BeforeAnythingWasPublished_SaysHowToPublish()
    {
        var missing = await Assert.ThrowsAsync<ReportConfigurationMissingException>(() => Store().LoadCurrentAsync(CancellationToken.None));

        Assert.Equal(
            $"No report configuration has been published to table {_table}; run `costnotifier reports publish --target aws --file reports.json` (with --stack or --table naming this stack).",
            missing.Message);
    }

    [Fact]
    public async Task TheScheduler_ReadingFromTheTable_LoadsTheLatestVersionOnceAtStart_AndLogsIt()
    {
        await Store().PublishAsync(ReportConfigurationDocument.Parse(V1), null, CancellationToken.None);
        await Store().PublishAsync(ReportConfigurationDocument.Parse(V2), null, CancellationToken.None);
        await using var proxy = new CountingProxy(emulators.DynamoDbUrl);
        var settings = FunctionSettings.From(new Dictionary<string, string?>
        {
            ["COSTNOTIFIER_REPORTS_SOURCE"] = "table",
            ["COSTNOTIFIER_EVENTS_TABLE"] = _table,
            ["COSTNOTIFIER_COLLECTOR_QUEUE_URL"] = "http://127.0.0.1:9/000000000000/collector",
        });
        var connection = new AwsConnection(EmulatorFixture.Region, Credentials: EmulatorFixture.Credentials, ServiceEndpoints: new Dictionary<string, string>
        {
            [AwsConnection.Services.DynamoDb] = proxy.Url,
            [AwsConnection.Services.Sqs] = "http://127.0.0.1:9",
        });
        using var log = new StringWriter();

        var services = SchedulerComposition.Build(settings, connection, _time, log);
        var catalog = services.GetRequiredService<ReportCatalog>();
        _ = services.GetRequiredService<ReportCatalog>();

        Assert.Equal(["by-service", "weekly"], catalog.Reports.Select(r => r.Id.Value));
        Assert.Equal(["DynamoDB_20120810.GetItem", "DynamoDB_20120810.Query"], proxy.Operations);
        Assert.Contains("Reports: version 2 from table " + _table + " (2 reports, 0 accounts", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFunction_ReadingFromATableWithNothingPublished_FailsAtStartSayingHowToPublish()
    {
        var settings = FunctionSettings.From(new Dictionary<string, string?>
        {
            ["COSTNOTIFIER_REPORTS_SOURCE"] = "table",
            ["COSTNOTIFIER_EVENTS_TABLE"] = _table,
            ["COSTNOTIFIER_COLLECTOR_QUEUE_URL"] = "http://127.0.0.1:9/000000000000/collector",
        });

        var failure = Assert.Throws<ReportConfigurationMissingException>(() => SchedulerComposition.Build(settings, emulators.DynamoDbConnection, _time, TextWriter.Null));

        Assert.Contains($"No report configuration has been published to table {_table}", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>One per-account report listing <paramref name="accounts"/> accounts, each with a name and an owner.</summary>
    internal static string PerAccountDocument(int accounts)
    {
        var text = new StringBuilder();
        text.Append("""[{ "id": "per-account", "name": "Your account's cost", "groupBy": "LINKED_ACCOUNT", "perAccount": { "accounts": [""").Append('\n');
        for (var i = 0; i < accounts; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $$"""    { "id": "{{100000000000 + i}}", "name": "Workload account number {{i}} of the organisation", "owners": ["owner-{{i}}@example.com"] }""");
            text.Append(i < accounts - 1 ? ",\n" : "\n");
        }

        return text.Append("]}}]\n").ToString();
    }

    private static Dictionary<string, AttributeValue> PartKey(long version, int part) => new()
    {
        [EventTableSchema.PartitionKey] = new AttributeValue { S = DynamoDbReportConfigurationStore.VersionKey(version) },
        [EventTableSchema.SortKey] = new AttributeValue { N = part.ToString(CultureInfo.InvariantCulture) },
    };

    private static AmazonDynamoDBClient ClientFor(string url)
    {
        var config = new AmazonDynamoDBConfig();
        new AwsConnection(EmulatorFixture.Region, EndpointUrl: url, Credentials: EmulatorFixture.Credentials).Apply(config, AwsConnection.Services.DynamoDb);
        return new AmazonDynamoDBClient(EmulatorFixture.Credentials, config);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
