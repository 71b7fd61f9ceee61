using CostNotifier.Cli;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Cli;

/// <summary>
/// Bad command lines are refused with one clear line and exit code 2, before any data directory is written or any
/// AWS endpoint contacted.
/// </summary>
public sealed class CliArgumentTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "costnotifier-args-" + Guid.NewGuid().ToString("N"));

    // Any AWS call would go here and fail: nothing listens on port 9.
    private readonly CliEnvironment _aws = CliEnvironment.From(new Dictionary<string, string?>
    {
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
        ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9",
    });

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Theory]
    [InlineData("2026-13-01", "--date '2026-13-01' is not a valid date: use yyyy-MM-dd or 'yesterday'.")]
    [InlineData("25/11/2026", "--date '25/11/2026' is not a valid date")]
    [InlineData("2026-11-25", "date 2026-11-25 is not a complete UTC day yet; the latest reportable day is 2026-11-24")]
    [InlineData("2025-09-30", "date 2025-09-30 is older than Cost Explorer's 13 months of history; the earliest is 2025-10-01")]
    public async Task Replay_WithADateCostExplorerCannotServe_ExitsTwoNamingTheProblem(string date, string message)
    {
        var result = await Run("replay", "--date", date, "--data-dir", _dataDir);

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.StartsWith("error: " + message, OneLine(result.Error), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dataDir));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("aws")]
    public async Task Replay_WithToBeforeDate_ExitsTwo(string target)
    {
        string[] where = target == "aws" ? ["--target", "aws", "--stack", "costs-prod", "--region", "eu-west-1"] : ["--data-dir", _dataDir];

        var result = await Run(["replay", "--date", "2026-11-20", "--to", "2026-11-19", "--report", "by-service", .. where]);

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Equal("error: --to 2026-11-19 is before --date 2026-11-20; give the first period with --date and the last with --to.", OneLine(result.Error));
    }

    [Fact]
    public async Task Replay_WithBothReportAndAllReports_ExitsTwo()
    {
        var result = await Run("replay", "--date", "2026-11-20", "--report", "by-service", "--all-reports", "--data-dir", _dataDir);

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Contains("Give either --report or --all-reports, not both.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aws_WithoutAStackOrResources_ExitsTwoSayingHowToNameOne()
    {
        var result = await Run("replay", "--date", "2026-11-20", "--report", "r", "--target", "aws", "--region", "eu-west-1");

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Equal(
            "error: say which stack to operate: --stack NAME (Terraform's name_prefix, also $COSTNOTIFIER_STACK), or the resources one by one (--collector-queue-url, --table, ...).",
            OneLine(result.Error));
    }

    [Theory]
    [InlineData("Costs_Prod")]
    [InlineData("9costs")]
    [InlineData("costs-")]
    [InlineData("a-stack-name-that-is-far-too-long")]
    public async Task Aws_WithAStackNameTerraformWouldRefuse_ExitsTwo(string stack)
    {
        var result = await Run("stack", "--target", "aws", "--stack", stack, "--region", "eu-west-1");

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Contains($"--stack '{stack}' is not a stack name", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllReports_OnAStackWithoutAReportList_ExitsTwoSayingHowToGiveIt()
    {
        var result = await Run("replay", "--date", "2026-11-20", "--all-reports", "--target", "aws", "--stack", "costs-prod", "--region", "eu-west-1");

        Assert.Equal(CliApp.Usage, result.Exit);
        var line = OneLine(result.Error);
        Assert.StartsWith("error: --all-reports (the default without --report) needs the report list of stack 'costs-prod' in eu-west-1", line, StringComparison.Ordinal);
        Assert.Contains("--reports-file PATH", line, StringComparison.Ordinal);
        Assert.Contains("COSTNOTIFIER_REPORTS", line, StringComparison.Ordinal);
        Assert.Contains("aws lambda get-function-configuration --function-name costs-prod-scheduler", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SnapshotsList_OnAStackWithoutAReportListOrReport_ExitsTwo()
    {
        var result = await Run("snapshots", "list", "--from", "2026-11-01", "--to", "2026-11-02", "--target", "aws", "--stack", "costs-prod", "--region", "eu-west-1");

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Contains("Without --report every report is read, which needs the report list", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportsFile_ThatIsNotAReportList_ExitsTwoNamingTheFile()
    {
        var file = Path.Combine(Path.GetTempPath(), "costnotifier-bad-reports-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(file, """[{"id":"Bad Id","recipients":[]}]""");
        try
        {
            var result = await Run("replay", "--date", "2026-11-20", "--target", "aws", "--stack", "costs-prod", "--region", "eu-west-1", "--reports-file", file);

            Assert.Equal(CliApp.Usage, result.Exit);
            Assert.StartsWith($"error: --reports-file '{file}': Report configuration is invalid", OneLine(result.Error), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Report_NotInTheReportsFile_ExitsTwoListingTheConfiguredOnes()
    {
        var result = await Run(
            ["replay", "--date", "2026-11-20", "--report", "by-account", "--target", "aws", "--stack", "costs-prod", "--region", "eu-west-1"],
            CliEnvironment.From(new Dictionary<string, string?>
            {
                ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9",
                ["COSTNOTIFIER_REPORTS"] = """[{"id":"by-service","name":"S","recipients":["a@example.com"],"groupBy":"SERVICE"}]""",
            }));

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Equal("error: Unknown report 'by-account'. Configured reports: by-service.", OneLine(result.Error));
    }

    [Theory]
    [InlineData("--stack", "costs-prod")]
    [InlineData("--region", "eu-west-1")]
    [InlineData("--endpoint-url", "http://localhost:4566")]
    [InlineData("--reports-file", "reports.json")]
    public async Task AnAwsOption_WithTheLocalTarget_ExitsTwo(string option, string value)
    {
        var result = await Run("snapshots", "list", "--from", "2026-11-01", "--to", "2026-11-02", option, value, "--data-dir", _dataDir);

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Contains($"{option} applies only to --target aws.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataDir_WithTheAwsTarget_ExitsTwo()
    {
        var result = await Run("stack", "--target", "aws", "--stack", "costs-prod", "--data-dir", _dataDir);

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Contains("--data-dir applies only to --target local", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aws_WithoutARegion_ExitsTwoSayingWhereToSetIt()
    {
        var result = await Run(
            ["stack", "--target", "aws", "--stack", "costs-prod"],
            CliEnvironment.From(new Dictionary<string, string?> { ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_dataDir, "credentials") }));

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.StartsWith("error: no AWS region: pass --region, set AWS_REGION", OneLine(result.Error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aws_WithAProfile_TakesItsRegionAndCredentials()
    {
        Directory.CreateDirectory(_dataDir);
        await File.WriteAllTextAsync(Path.Combine(_dataDir, "credentials"), "[ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = secret\n");
        await File.WriteAllTextAsync(Path.Combine(_dataDir, "config"), "[profile ops]\nregion = eu-central-1\n");

        var result = await Run(
            ["replay", "--date", "2026-11-20", "--report", "r", "--dry-run", "--target", "aws", "--stack", "costs-prod", "--profile", "ops"],
            CliEnvironment.From(new Dictionary<string, string?>
            {
                ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_dataDir, "credentials"),
                ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9",
            }));

        // Region and credentials resolved: the command got as far as the (unreachable) endpoint.
        Assert.Equal(CliApp.Failure, result.Exit);
        Assert.StartsWith("error: could not reach AWS", OneLine(result.Error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aws_WithAProfileThatDoesNotExist_ExitsTwo()
    {
        var result = await Run("stack", "--target", "aws", "--stack", "costs-prod", "--profile", "no-such-profile-" + Guid.NewGuid().ToString("N")[..6]);

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Contains("is not a profile in ~/.aws/config or ~/.aws/credentials", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    public async Task Redrive_WithAnImpossibleRate_ExitsTwo(string rate)
    {
        var result = await Run("redrive", "--queue", "collector", "--max-per-second", rate, "--target", "aws", "--stack", "costs-prod", "--region", "eu-west-1");

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Contains("--max-per-second", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redrive_OfAQueueThatIsNotInThePipeline_ExitsTwo()
    {
        var result = await Run("redrive", "--queue", "scheduler", "--data-dir", _dataDir);

        Assert.Equal(CliApp.Usage, result.Exit);
    }

    [Theory]
    [InlineData("stack")]
    [InlineData("replay")]
    [InlineData("redrive")]
    [InlineData("dlq list")]
    [InlineData("snapshots list")]
    [InlineData("snapshots show")]
    [InlineData("events")]
    public async Task EveryOperatingCommand_HasHelpWithAnExampleAndTheTargetOptions(string command)
    {
        var result = await Run([.. command.Split(' '), "--help"]);

        Assert.Equal(CliApp.Ok, result.Exit);
        Assert.Contains("Example: costnotifier " + command, result.Output, StringComparison.Ordinal);
        Assert.Contains("--target", result.Output, StringComparison.Ordinal);
        Assert.Contains("--stack", result.Output, StringComparison.Ordinal);
        Assert.Contains("--endpoint-url", result.Output, StringComparison.Ordinal);
    }

    private Task<(int Exit, string Output, string Error)> Run(params string[] args) => Run(args, _aws);

    private async Task<(int Exit, string Output, string Error)> Run(string[] args, CliEnvironment environment)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, _time, environment, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private static string OneLine(string text) => Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('\r');
}
