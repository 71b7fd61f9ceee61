using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using CostNotifier.Aws;
using CostNotifier.Collector.CostExplorer;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CostNotifier.UnitTests.Aws.CostExplorer;

/// <summary>
/// The real client, signed requests over loopback HTTP, asking for months: the request it sends, the answer it reads
/// and the periods it refuses to send.
/// </summary>
public sealed class CostExplorerClientMonthlyTests : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server = LoopbackHttpServer.Start(Answer);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Theory]
    [InlineData("2024-02-15", "2024-03-31")]
    [InlineData("2024-02-01", "2024-02-28")]
    [InlineData("2024-01-31", "2024-02-29")]
    [InlineData("2024-02-01", "2024-02-01")]
    public async Task GetCostAsync_WhenAMonthlyPeriodIsNotOnMonthBoundaries_ThrowsNamingItWithoutSendingARequest(string first, string last)
    {
        var period = DateRange.Inclusive(ReportDate.Parse(first), ReportDate.Parse(last));
        using var client = CreateClient();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetCostAsync(Monthly(period), CancellationToken.None));

        Assert.Contains(period.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("first of a month", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task GetCostAsync_ForWholeMonths_SendsMonthlyAndReadsOneFigurePerMonthLeavingOutOneWithoutDataYet()
    {
        var period = DateRange.Inclusive(new ReportDate(2024, 1, 1), new ReportDate(2024, 3, 31));
        using var client = CreateClient();

        var result = await client.GetCostAsync(Monthly(period), CancellationToken.None);

        // March came back estimated without cost, Cost Explorer's answer before a month's data lands: left out.
        Assert.Equal(1, result.Requests);
        Assert.Equal(["2024-01-01", "2024-02-01"], result.Days.Select(d => d.Date.ToString()));
        Assert.Equal(31 * 1.25m, result.Days[0].Groups.Single(g => g.Key == "AWS Lambda").Amount);
        Assert.Equal(29 * 1.25m, result.Days[1].Groups.Single(g => g.Key == "AWS Lambda").Amount);
        Assert.Equal(-2.5m, result.Days[1].Groups.Single(g => g.Key == "Credits").Amount);
        Assert.All(result.Days, d => Assert.False(d.Estimated));
        using var sent = JsonDocument.Parse(Assert.Single(_server.Requests).Body);
        Assert.Equal("MONTHLY", sent.RootElement.GetProperty("Granularity").GetString());
        Assert.Equal("2024-04-01", sent.RootElement.GetProperty("TimePeriod").GetProperty("End").GetString());
    }

    private static CostQuery Monthly(DateRange period) =>
        new(period, GroupBy.Service, [], "UnblendedCost") { Granularity = CostGranularity.Monthly };

    // A dollar and a quarter of Lambda a day and a credit on the 29th; the last result is estimated with no groups yet.
    private static LoopbackResponse Answer(LoopbackRequest received)
    {
        using var document = JsonDocument.Parse(received.Body);
        var spans = CostExplorerResponses.RequestedSpans(document.RootElement);
        var results = spans.Select(span => span == spans[^1]
            ? CostExplorerResponses.Result(span, estimated: true, [])
            : CostExplorerResponses.Result(
                span,
                estimated: false,
                CostExplorerResponses.SumOver(span, DailyGroups).Select(g => (g.Key, g.Amount.ToString(CultureInfo.InvariantCulture)))));
        return CostExplorerResponses.Answer(200, CostExplorerResponses.Page(results).ToJsonString());
    }

    private static IEnumerable<(string Key, decimal Amount)> DailyGroups(ReportDate day) =>
        day.Day.Day == 29 ? [("AWS Lambda", 1.25m), ("Credits", -2.5m)] : [("AWS Lambda", 1.25m)];

    private CostExplorerClient CreateClient() =>
        new(
            new AwsConnection(
                Region: "us-east-1",
                Credentials: new BasicAWSCredentials("AKIDEXAMPLE", "monthly-test-secret"),
                ServiceEndpoints: new Dictionary<string, string> { [AwsConnection.Services.CostExplorer] = _server.Url }),
            NullLogger<CostExplorerClient>.Instance);
}
