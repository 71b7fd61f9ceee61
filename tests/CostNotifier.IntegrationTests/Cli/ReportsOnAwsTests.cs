using Amazon.DynamoDBv2.Model;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Cli;
using CostNotifier.IntegrationTests.Aws;
using CostNotifier.IntegrationTests.Emulators;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.IntegrationTests.Cli;

/// <summary><c>reports publish|show --target aws</c> against a stack's event table on dynalite.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class ReportsOnAwsTests(EmulatorFixture emulators) : IAsyncLifetime, IDisposable
{
    private const string First = """
        [{ "id": "by-service", "name": "Costs", "recipients": ["ops@example.com"], "groupBy": "SERVICE" }]
        """;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("costnotifier-reports-");
    private string _stack = string.Empty;

    private string Table => _stack + "-events";

    public async Task InitializeAsync()
    {
        _stack = "cli-" + Guid.NewGuid().ToString("N")[..12];
        await EventTableSchema.EnsureCreatedAsync(emulators.DynamoDb, Table, CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _files.Delete(recursive: true);

    [Fact]
    public async Task PublishTwice_ThenShow_EachVersionAsPublished()
    {
        var second = ReportConfigurationStoreTests.PerAccountDocument(5000);
        var first = await Cli("reports", "publish", "--file", File("v1.json", First), "--by", "alice");
        var publishedSecond = await Cli("reports", "publish", "--file", File("v2.json", second));

        Assert.True(first.Exit == 0, first.ToString());
        Assert.StartsWith($"Published version 1 to table {Table} (stack '{_stack}' in us-east-1", first.Output, StringComparison.Ordinal);
        Assert.Contains("  published by  alice", first.Output, StringComparison.Ordinal);
        Assert.True(publishedSecond.Exit == 0, publishedSecond.ToString());
        Assert.StartsWith($"Published version 2 to table {Table}", publishedSecond.Output, StringComparison.Ordinal);
        Assert.Matches(@"  parts\s+[2-9]\n", publishedSecond.Output.ReplaceLineEndings("\n"));
        Assert.Contains("  accounts      5000", publishedSecond.Output, StringComparison.Ordinal);
        Assert.Contains("  published by  tester", publishedSecond.Output, StringComparison.Ordinal);

        var current = await Cli("reports", "show");
        var oldJson = await Cli("reports", "show", "--version", "1", "--output", "json");
        var newJson = await Cli("reports", "show", "--version", "2", "--output", "json");

        Assert.True(current.Exit == 0, current.ToString());
        Assert.StartsWith($"Report configuration version 2 in table {Table}", current.Output, StringComparison.Ordinal);
        Assert.Contains("per-account  daily    LINKED_ACCOUNT", current.Output, StringComparison.Ordinal);
        Assert.Contains("1 per account, listing 5000 account(s)", current.Output, StringComparison.Ordinal);
        Assert.Equal(First, oldJson.Output);
        Assert.Equal(second, newJson.Output);
    }

    [Fact]
    public async Task Publish_OfAnInvalidFile_ExitsTwoNamingTheReportAndField_AndWritesNothing()
    {
        var invalid = """
            [{ "id": "by-service", "name": "Costs", "recipients": ["ops@example.com"], "groupBy": "SERVICE" },
             { "id": "org", "name": "Org", "groupBy": "LINKED_ACCOUNT", "perAccount": { "accounts": [{ "id": "12345", "owners": ["x@example.com"] }] } }]
            """;

        var result = await Cli("reports", "publish", "--file", File("bad.json", invalid));

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Contains("report 'org': perAccount.accounts[0].id '12345' must be a 12-digit AWS account id", result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was published.", result.Error, StringComparison.Ordinal);
        var items = await emulators.DynamoDb.ScanAsync(new ScanRequest { TableName = Table });
        Assert.Empty(items.Items);
    }

    [Fact]
    public async Task Show_BeforeAnythingWasPublished_ExitsOneSayingHowToPublish()
    {
        var result = await Cli("reports", "show");

        Assert.Equal(CliApp.Failure, result.Exit);
        Assert.Contains($"No report configuration has been published to table {Table}; run `costnotifier reports publish --target aws --file reports.json`", result.Error, StringComparison.Ordinal);
    }

    private string File(string name, string text)
    {
        var path = Path.Combine(_files.FullName, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private Task<CliResult> Cli(params string[] args)
    {
        var variables = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["AWS_ENDPOINT_URL_DYNAMODB"] = emulators.DynamoDbUrl,
            ["USER"] = "tester",
        };
        return CliRunner.RunAsync([.. args, "--target", "aws", "--stack", _stack, "--region", EmulatorFixture.Region], CliEnvironment.From(variables), _time);
    }
}
