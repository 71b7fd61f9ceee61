using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using CostNotifier.Aws;
using CostNotifier.Collector.CostExplorer;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.IntegrationTests.EndToEnd;
using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.CostExplorer;

/// <summary>
/// The production Cost Explorer client asking by account, over real HTTP and SigV4, against the end-to-end stub: one
/// day's groups cut over several pages come back whole, per account and service, with every account's name.
/// </summary>
public sealed class CostExplorerClientByAccountTests
{
    private const string AccessKey = "AKID";
    private const string SecretKey = "SECRET";

    // Across the leap day into March: four days of three accounts by three services.
    private static readonly DateRange LeapWindow = DateRange.Inclusive(new ReportDate(2024, 2, 27), new ReportDate(2024, 3, 1));

    [Fact]
    public async Task GetCostAsync_ByAccountOverPagesCuttingDaysInTwo_MergesEveryAccountsServicesExactlyAndNamesEveryAccount()
    {
        // 36 groups, four to a page: nine pages, most days cut between two of them.
        await using var stub = new CostExplorerStub(maxGroupsPerPage: 4);
        using var client = CreateClient(stub);

        var result = await client.GetCostAsync(ByAccount(LeapWindow, GroupBy.Service), CancellationToken.None);

        Assert.Equal(9, result.Requests);
        Assert.Equal(9, stub.Requests);
        Assert.Equal(LeapWindow.EachDay(), result.Days.Select(d => d.Date));
        Assert.Equal([false, false, false, true], result.Days.Select(d => d.Estimated));
        foreach (var day in result.Days)
        {
            Assert.Equal(
                Ordered(stub.ByAccountGroupsOf(day.Date)),
                Ordered(day.Groups.Select(g => (g.Account!, g.Key, g.Amount))));
            Assert.All(day.Groups, g => Assert.Equal("USD", g.Currency));

            // The organisation's figure of each service is its accounts' parts added up, to the last digit.
            Assert.Equal(
                CostExplorerStub.GroupsOf(day.Date).ToDictionary(g => g.Key, g => g.Amount),
                day.Groups.GroupBy(g => g.Key).ToDictionary(g => g.Key, g => g.Sum(x => x.Amount)));
        }

        Assert.Equal(
            CostExplorerStub.DefaultAccounts.ToDictionary(a => a, CostExplorerStub.NameOf),
            result.AccountNames);

        var requests = stub.Received;
        Assert.Equal(
            [null, "groups-4", "groups-8", "groups-12", "groups-16", "groups-20", "groups-24", "groups-28", "groups-32"],
            requests.Select(TokenSent));
        foreach (var request in requests)
        {
            Assert.Equal("AWSInsightsIndexService.GetCostAndUsage", request.Header("X-Amz-Target"));
            using var body = JsonDocument.Parse(request.Body);
            Assert.Equal(
                ["DIMENSION/LINKED_ACCOUNT", "DIMENSION/SERVICE"],
                body.RootElement.GetProperty("GroupBy").EnumerateArray().Select(g => $"{g.GetProperty("Type").GetString()}/{g.GetProperty("Key").GetString()}"));
            var signature = SigV4Check.Verify(Recorded(request), AccessKey, SecretKey, "us-east-1", "ce");
            Assert.Contains("x-amz-target", signature.SignedHeaders);
        }
    }

    [Fact]
    public async Task GetCostAsync_ByAccountWithoutAPageLimit_IsOneRequest()
    {
        await using var stub = new CostExplorerStub();
        using var client = CreateClient(stub);

        var result = await client.GetCostAsync(ByAccount(LeapWindow, GroupBy.Service), CancellationToken.None);

        Assert.Equal(1, result.Requests);
        Assert.Equal(1, stub.Requests);
        Assert.Equal(4 * 3 * 3, result.Days.Sum(d => d.Groups.Count));
        Assert.Equal(3, result.AccountNames.Count);
    }

    [Fact]
    public async Task GetCostAsync_ByAccountForMonthsOfManyAccountsOverOddSizedPages_GivesEachAccountsServiceItsExactMonthlySum()
    {
        var accounts = Enumerable.Range(1, 12).Select(i => (100000000000L + (i * 37L)).ToString(CultureInfo.InvariantCulture)).ToList();
        await using var stub = new CostExplorerStub(accounts, maxGroupsPerPage: 7);
        using var client = CreateClient(stub);
        var months = DateRange.Inclusive(new ReportDate(2024, 1, 1), new ReportDate(2024, 3, 31));

        var result = await client.GetCostAsync(
            ByAccount(months, GroupBy.Service) with { Granularity = CostGranularity.Monthly },
            CancellationToken.None);

        // Three months of twelve accounts by three services: 108 groups, seven to a page.
        Assert.Equal(16, result.Requests);
        Assert.Equal(16, stub.Requests);
        Assert.Equal(["2024-01-01", "2024-02-01", "2024-03-01"], result.Days.Select(d => d.Date.ToString()));
        foreach (var month in result.Days)
        {
            var span = DateRange.Inclusive(month.Date, new ReportDate(month.Date.Day.AddMonths(1)).AddDays(-1));
            Assert.Equal(
                Ordered(CostExplorerResponses.SumOver(span, stub.ByAccountGroupsOf)),
                Ordered(month.Groups.Select(g => (g.Account!, g.Key, g.Amount))));
        }

        Assert.Equal(accounts.Order(StringComparer.Ordinal), result.AccountNames.Keys.Order(StringComparer.Ordinal));
        Assert.All(result.AccountNames, n => Assert.Equal(CostExplorerStub.NameOf(n.Key), n.Value));
    }

    [Fact]
    public async Task GetCostAsync_NotByAccount_KeepsTheStubsTwoPagesOfServices()
    {
        await using var stub = new CostExplorerStub(maxGroupsPerPage: 1);
        using var client = CreateClient(stub);

        var result = await client.GetCostAsync(new CostQuery(LeapWindow, GroupBy.Service, [], "UnblendedCost"), CancellationToken.None);

        Assert.Equal(2, result.Requests);
        Assert.Empty(result.AccountNames);
        Assert.All(result.Days.SelectMany(d => d.Groups), g => Assert.Null(g.Account));
        Assert.Equal(
            CostExplorerStub.GroupsOf(new ReportDate(2024, 2, 29)),
            result.Days.Single(d => d.Date == new ReportDate(2024, 2, 29)).Groups.Select(g => (g.Key, g.Amount)));
    }

    private static CostQuery ByAccount(DateRange period, GroupBy groupBy) =>
        new(period, groupBy, [], "UnblendedCost") { ByAccount = true };

    private static List<(string Account, string Key, decimal Amount)> Ordered(IEnumerable<(string Account, string Key, decimal Amount)> groups) =>
        [.. groups.OrderBy(g => g.Account, StringComparer.Ordinal).ThenBy(g => g.Key, StringComparer.Ordinal)];

    private static CostExplorerClient CreateClient(CostExplorerStub stub) =>
        new(
            new AwsConnection(Region: "us-east-1", EndpointUrl: stub.Url, Credentials: new BasicAWSCredentials(AccessKey, SecretKey)),
            new RecordingLogger<CostExplorerClient>());

    private static string? TokenSent(LoopbackRequest request)
    {
        using var body = JsonDocument.Parse(request.Body);
        return body.RootElement.TryGetProperty("NextPageToken", out var token) ? token.GetString() : null;
    }

    private static RecordedRequest Recorded(LoopbackRequest request) =>
        new(request.Method, request.PathAndQuery, request.Headers, request.Body);
}
