using System.Text.Json;
using CostNotifier.Cli;
using CostNotifier.IntegrationTests.Cli;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.IntegrationTests.EndToEnd;

/// <summary>
/// <c>run --cost-source aws</c>: the embedded pipeline on an account's own Cost Explorer data (here a loopback server
/// answering in Cost Explorer's documented shape, reached through AWS_ENDPOINT_URL_COST_EXPLORER), nothing deployed.
/// </summary>
public sealed class RunOnOwnAccountTests : IAsyncDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "costnotifier-own-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
    private readonly CostExplorerStub _costExplorer = new();

    public async ValueTask DisposeAsync()
    {
        await _costExplorer.DisposeAsync();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Run_OnTheAccountsCostExplorer_SaysWhatItWillSpendAndWhatItSpent_AndMailsItsFigures()
    {
        var result = await RunAsync("run", "--date", "2026-11-24", "--report", "daily-by-service", "--cost-source", "aws", "--region", "eu-west-1", "--output", "json");

        Assert.True(result.Exit == CliApp.Ok, result.ToString());
        Assert.Contains("1 report period(s) in 1 collector message(s) need at least 1 request(s) ($0.01)", result.Error, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(result.Output);
        Assert.Equal("aws", summary.RootElement.GetProperty("costSource").GetString());

        // The stub answers in two pages: both are billed and both are counted.
        Assert.Equal(2, _costExplorer.Requests);
        Assert.Equal(2, summary.RootElement.GetProperty("costSourceRequests").GetInt32());
        var report = Assert.Single(summary.RootElement.GetProperty("reports").EnumerateArray());
        var expected = CostExplorerStub.GroupsOf(Domain.ReportDate.Parse("2026-11-24")).Sum(g => g.Amount);
        Assert.Equal(expected, report.GetProperty("totalExact").GetDecimal());
        Assert.NotEmpty(report.GetProperty("emailFiles").EnumerateArray());
    }

    [Fact]
    public async Task AwsAccountOptions_WithoutTheAwsCostSource_AreRefused()
    {
        var result = await RunAsync("run", "--date", "2026-11-24", "--region", "eu-west-1");

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Contains("--cost-source aws", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, _costExplorer.Requests);
    }

    private Task<CliResult> RunAsync(params string[] args) =>
        CliRunner.RunAsync(
            [.. args, "--data-dir", _dataDir],
            CliEnvironment.From(new Dictionary<string, string?>
            {
                ["AWS_ENDPOINT_URL_COST_EXPLORER"] = _costExplorer.Url,
                ["AWS_ACCESS_KEY_ID"] = "test",
                ["AWS_SECRET_ACCESS_KEY"] = "test",
            }),
            _time);
}
