using Amazon.Runtime;
using CostNotifier.Aws;
using CostNotifier.Collector.CostExplorer;
using CostNotifier.CostData;
using CostNotifier.Domain;
using Microsoft.Extensions.Logging;

namespace CostNotifier.IntegrationTests.CostExplorer;

/// <summary>
/// The production Cost Explorer client over real HTTP against a server answering with Cost Explorer's documented
/// JSON shapes: pagination, estimated and final days, month, leap-day and year boundaries, credits, tag groups,
/// SigV4 headers, throttling and errors.
/// </summary>
public sealed class CostExplorerClientTests : IAsyncLifetime
{
    private const string AccessKey = "AKID";
    private const string SecretKey = "SECRET";

    private readonly ScriptedAwsServer _server = ScriptedAwsServer.Start();
    private readonly RecordingLogger<CostExplorerClient> _logger = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetDailyCost_OverALeapDayMonthBoundaryOnThreePages_FollowsEveryTokenAndMergesTheDays()
    {
        _server.Then(
            Page(
                "token-2",
                Day("2024-02-27", estimated: false, ("Amazon Elastic Compute Cloud - Compute", "10.5000000001"), ("Amazon Simple Storage Service", "1.25")),
                Day("2024-02-28", estimated: false, ("Amazon Elastic Compute Cloud - Compute", "11"))),
            Page(
                "token-3",
                Day("2024-02-28", estimated: false, ("Credits", "-4.75")),
                Day("2024-02-29", estimated: true, ("Amazon Elastic Compute Cloud - Compute", "12.0"))),
            Page(null, Day("2024-03-01", estimated: true)));
        using var client = CreateClient();
        var period = DateRange.Inclusive(new ReportDate(2024, 2, 27), new ReportDate(2024, 3, 1));

        var result = await client.GetCostAsync(new CostQuery(period, GroupBy.Service, [], "UnblendedCost"), CancellationToken.None);

        // 2024-03-01 came back estimated without any cost, Cost Explorer's answer before a day's data lands: left out.
        Assert.Equal(3, result.Requests);
        Assert.Equal(["2024-02-27", "2024-02-28", "2024-02-29"], result.Days.Select(d => d.Date.ToString()));
        Assert.Equal([false, false, true], result.Days.Select(d => d.Estimated));
        Assert.Equal(10.5000000001m, result.Days[0].Groups.Single(g => g.Key == "Amazon Elastic Compute Cloud - Compute").Amount);
        Assert.Equal(
            [new GroupCost("Amazon Elastic Compute Cloud - Compute", 11m, "USD"), new GroupCost("Credits", -4.75m, "USD")],
            result.Days[1].Groups);
        Assert.Equal("2024-03-01", Assert.Single(_logger.Entries, e => e.Level == LogLevel.Warning).Properties["Date"]);

        var requests = _server.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal([null, "token-2", "token-3"], requests.Select(r => TokenSent(r)));
        foreach (var request in requests)
        {
            Assert.Equal("POST", request.Method);
            Assert.Equal("/", request.Path);
            Assert.Equal("AWSInsightsIndexService.GetCostAndUsage", request.Header("X-Amz-Target"));
            Assert.StartsWith("application/x-amz-json-1.1", request.Header("Content-Type"), StringComparison.Ordinal);
            using var body = request.Json();
            Assert.Equal("2024-02-27", body.RootElement.GetProperty("TimePeriod").GetProperty("Start").GetString());
            Assert.Equal("2024-03-02", body.RootElement.GetProperty("TimePeriod").GetProperty("End").GetString());
            Assert.Equal("DAILY", body.RootElement.GetProperty("Granularity").GetString());
            Assert.Equal("SERVICE", body.RootElement.GetProperty("GroupBy")[0].GetProperty("Key").GetString());
            var signature = SigV4Check.Verify(request, AccessKey, SecretKey, "us-east-1", "ce");
            Assert.Contains("x-amz-target", signature.SignedHeaders);
            Assert.InRange(signature.SignedAt, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));
        }

        var summary = Assert.Single(_logger.Entries, e => e.Properties.ContainsKey("Requests"));
        Assert.Equal(3, summary.Properties["Requests"]);
        Assert.Equal(0.03m, summary.Properties["RequestCostUsd"]);
    }

    [Fact]
    public async Task GetDailyCost_OverAYearBoundaryByTag_KeepsTagKeysAndLeavesOutADayCostExplorerOmitted()
    {
        _server.Then(Page(
            null,
            Day("2025-12-30", estimated: false, ("team$payments", "3.10"), ("team$", "0.40")),
            Day("2026-01-01", estimated: true, ("team$payments", "2.95"))));
        using var client = CreateClient();
        var period = DateRange.Inclusive(new ReportDate(2025, 12, 30), new ReportDate(2026, 1, 1));
        var query = new CostQuery(period, GroupBy.Parse("TAG:team"), [new FilterClause("LINKED_ACCOUNT", null, ["123456789012"])], "UnblendedCost");

        var result = await client.GetCostAsync(query, CancellationToken.None);

        Assert.Equal(1, result.Requests);
        Assert.Equal(["2025-12-30", "2026-01-01"], result.Days.Select(d => d.Date.ToString()));
        Assert.Equal(["team$payments", "team$"], result.Days[0].Groups.Select(g => g.Key));
        var warning = Assert.Single(_logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal("2025-12-31", warning.Properties["Date"]);

        using var body = Assert.Single(_server.Requests).Json();
        Assert.Equal("2026-01-02", body.RootElement.GetProperty("TimePeriod").GetProperty("End").GetString());
        var group = body.RootElement.GetProperty("GroupBy")[0];
        Assert.Equal("TAG", group.GetProperty("Type").GetString());
        Assert.Equal("team", group.GetProperty("Key").GetString());
        var filter = body.RootElement.GetProperty("Filter");
        Assert.False(filter.TryGetProperty("And", out _));
        Assert.Equal("123456789012", filter.GetProperty("Dimensions").GetProperty("Values")[0].GetString());
    }

    [Fact]
    public async Task GetDailyCost_WhenThrottledOnce_IsRetriedByTheSdkAndCountsOnlyTheAnsweredPage()
    {
        _server.Then(
            ScriptedResponse.Json11Error("ThrottlingException", "Rate exceeded"),
            Page(null, Day("2026-11-24", estimated: true, ("AWS Lambda", "0.02"))));
        using var client = CreateClient();

        var result = await client.GetCostAsync(SingleDay(), CancellationToken.None);

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(1, result.Requests);
        Assert.Equal(0.02m, Assert.Single(result.Days[0].Groups).Amount);
        Assert.All(_server.Requests, r => SigV4Check.Verify(r, AccessKey, SecretKey, "us-east-1", "ce"));
    }

    [Fact]
    public async Task GetDailyCost_WhenAccessIsDenied_FailsAtOnceAsNotTransient()
    {
        _server.Then(ScriptedResponse.Json11Error("AccessDeniedException", "User is not authorized to perform: ce:GetCostAndUsage"));
        using var client = CreateClient();

        var error = await Assert.ThrowsAsync<CostSourceException>(() => client.GetCostAsync(SingleDay(), CancellationToken.None));

        Assert.False(error.IsTransient);
        Assert.Contains("AccessDeniedException", error.Message, StringComparison.Ordinal);
        Assert.Contains("ce:GetCostAndUsage", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData("DataUnavailableException", true)]
    [InlineData("BillExpirationException", false)]
    [InlineData("ValidationException", false)]
    [InlineData("RequestChangedException", true)]
    public async Task GetDailyCost_OnAnErrorThatNoImmediateRetryFixes_FailsAfterOneRequest(string code, bool transient)
    {
        _server.Then(ScriptedResponse.Json11Error(code, "details"));
        using var client = CreateClient();

        var error = await Assert.ThrowsAsync<CostSourceException>(() => client.GetCostAsync(SingleDay(), CancellationToken.None));

        Assert.Equal(transient, error.IsTransient);
        Assert.Contains(code, error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task GetDailyCost_WhenTheServiceKeepsFailing_IsRetriedByTheSdkThenSurfacesAsTransient()
    {
        var failure = ScriptedResponse.Json11Error("InternalServerException", "try again", 500);
        _server.Then(failure, failure, failure, failure, failure);
        using var client = CreateClient();

        var error = await Assert.ThrowsAsync<CostSourceException>(() => client.GetCostAsync(SingleDay(), CancellationToken.None));

        Assert.True(error.IsTransient);
        Assert.True(_server.Requests.Count > 1, "the SDK should have retried a 500");
    }

    [Fact]
    public async Task GetDailyCost_WhenAnAmountIsNotANumber_FailsNamingTheDayAndGroupWithoutRetrying()
    {
        _server.Then(Page(null, Day("2026-11-24", estimated: false, ("Amazon Simple Storage Service", "twelve"))));
        using var client = CreateClient();

        var error = await Assert.ThrowsAsync<CostSourceException>(() => client.GetCostAsync(SingleDay(), CancellationToken.None));

        Assert.False(error.IsTransient);
        Assert.Contains("2026-11-24", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Amazon Simple Storage Service'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'twelve'", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task GetDailyCost_WhenPagesNeverEnd_StopsAtThePageLimit()
    {
        _server.Then(
            Page("a", Day("2026-11-24", estimated: false, ("AWS Lambda", "1"))),
            Page("b", Day("2026-11-24", estimated: false, ("Amazon S3", "1"))),
            Page("c", Day("2026-11-24", estimated: false, ("Amazon SQS", "1"))));
        using var client = CreateClient(new CostExplorerOptions(MaxPages: 2));

        var error = await Assert.ThrowsAsync<CostSourceException>(() => client.GetCostAsync(SingleDay(), CancellationToken.None));

        Assert.False(error.IsTransient);
        Assert.Contains("after 2 requests", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _server.Requests.Count);
    }

    private static CostQuery SingleDay() =>
        new(DateRange.Single(new ReportDate(2026, 11, 24)), GroupBy.Service, [], "UnblendedCost");

    private CostExplorerClient CreateClient(CostExplorerOptions? options = null) =>
        new(
            new AwsConnection(Region: "us-east-1", EndpointUrl: _server.Url, Credentials: new BasicAWSCredentials(AccessKey, SecretKey)),
            options ?? CostExplorerOptions.Default,
            _logger);

    private static string? TokenSent(RecordedRequest request)
    {
        using var body = request.Json();
        return body.RootElement.TryGetProperty("NextPageToken", out var token) ? token.GetString() : null;
    }

    private static ScriptedResponse Page(string? nextPageToken, params string[] days)
    {
        var token = nextPageToken is null ? string.Empty : $", \"NextPageToken\": \"{nextPageToken}\"";
        return new ScriptedResponse(
            200,
            $$"""{"GroupDefinitions": [{"Type": "DIMENSION", "Key": "SERVICE"}], "ResultsByTime": [{{string.Join(", ", days)}}], "DimensionValueAttributes": []{{token}}}""",
            "application/x-amz-json-1.1",
            new Dictionary<string, string>());
    }

    private static string Day(string start, bool estimated, params (string Key, string Amount)[] groups)
    {
        var end = ReportDate.Parse(start).AddDays(1);
        var entries = groups.Select(g =>
            "{\"Keys\": [\"" + g.Key + "\"], \"Metrics\": {\"UnblendedCost\": {\"Amount\": \"" + g.Amount + "\", \"Unit\": \"USD\"}}}");
        return "{\"TimePeriod\": {\"Start\": \"" + start + "\", \"End\": \"" + end + "\"}, \"Total\": {}, \"Groups\": ["
            + string.Join(", ", entries) + "], \"Estimated\": " + (estimated ? "true" : "false") + "}";
    }
}
