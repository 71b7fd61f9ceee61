using CostNotifier.Cli;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Cli;

/// <summary>
/// <c>reports validate</c> needs nothing but the file; <c>reports publish|show</c> on the embedded default keep the
/// data directory's <c>reports.json</c> as numbered versions.
/// </summary>
public sealed class ReportsCommandTests : IDisposable
{
    private const string Valid = """
        [
          { "id": "by-service", "name": "Costs", "recipients": ["ops@example.com", "cfo@example.com"], "groupBy": "SERVICE" },
          { "id": "org", "name": "Org", "cadence": "monthly", "groupBy": "LINKED_ACCOUNT",
            "perAccount": { "accounts": [{ "id": "123456789012", "owners": ["a@example.com", "ops@example.com"] }, { "id": "210987654321" }] } }
        ]
        """;

    private const string Invalid = """
        [
          { "id": "by-service", "name": "Costs", "recipients": ["ops@example"], "groupBy": "SERVICE", "top": 0 },
          { "id": "org", "name": "Org", "groupBy": "LINKED_ACCOUNT", "perAccount": { "unowned": "email" } }
        ]
        """;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("costnotifier-reports-");

    // Nothing listens on port 9: a command that reached for AWS would fail.
    private readonly CliEnvironment _environment = CliEnvironment.From(new Dictionary<string, string?>
    {
        ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9",
    });

    private string DataDir => Path.Combine(_root.FullName, "data");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task Validate_AValidFile_SummarisesItsReports()
    {
        var result = await Run("reports", "validate", "--file", File("ok.json", Valid));

        Assert.True(result.Exit == CliApp.Ok, result.Error);
        var lines = result.Output.ReplaceLineEndings("\n").Split('\n');
        Assert.StartsWith($"{File("ok.json", Valid)} is valid (", lines[0], StringComparison.Ordinal);
        Assert.Equal("REPORT      CADENCE  GROUP BY        RECIPIENTS  CHANNELS  ACCOUNTS  OWNED  NAME", lines[2]);
        Assert.Equal("by-service  daily    SERVICE                  2         0  -         -      Costs", lines[3]);
        Assert.Equal("org         monthly  LINKED_ACCOUNT           0         0         2      1  Org", lines[4]);
        Assert.Equal("2 report(s): 1 daily, 0 weekly, 1 monthly; 1 per account, listing 2 account(s); 3 distinct address(es).", lines[6]);
    }

    [Fact]
    public async Task Validate_AsJson_GivesTheCounts()
    {
        var result = await Run("reports", "validate", "--file", File("ok.json", Valid), "--output", "json");

        Assert.Equal(CliApp.Ok, result.Exit);
        using var json = System.Text.Json.JsonDocument.Parse(result.Output);
        Assert.Equal(2, json.RootElement.GetProperty("reports").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("accounts").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("recipients").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("items")[1].GetProperty("ownedAccounts").GetInt32());
    }

    [Fact]
    public async Task Validate_AnInvalidFile_ExitsTwoNamingEveryProblemByReportAndField()
    {
        var result = await Run("reports", "validate", "--file", File("bad.json", Invalid));

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Empty(result.Output);
        Assert.Contains("report 'by-service': recipients[0] 'ops@example' is not a valid email address", result.Error, StringComparison.Ordinal);
        Assert.Contains("report 'org': perAccount.unowned 'email' must be skip", result.Error, StringComparison.Ordinal);
        Assert.Contains("report 'by-service': top 0 must be between 1 and 100", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Nothing was published", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_AFileThatCannotBeRead_ExitsTwoNamingIt()
    {
        var missing = Path.Combine(_root.FullName, "nope.json");

        var result = await Run("reports", "validate", "--file", missing);

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.StartsWith($"error: --file '{missing}' cannot be read:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishLocal_Twice_KeepsTheFirstAsVersionOne_AndShowReadsEither()
    {
        var first = await Run("reports", "publish", "--file", File("v1.json", Valid), "--data-dir", DataDir);
        var secondText = Valid.Replace("\"Costs\"", "\"Cost by service\"", StringComparison.Ordinal);
        var second = await Run("reports", "publish", "--file", File("v2.json", secondText), "--data-dir", DataDir);

        Assert.True(first.Exit == CliApp.Ok, first.Error);
        Assert.StartsWith($"Published version 1 to {Path.Combine(DataDir, "reports.json")}.", first.Output, StringComparison.Ordinal);
        Assert.True(second.Exit == CliApp.Ok, second.Error);
        Assert.StartsWith($"Published version 2 to {Path.Combine(DataDir, "reports.json")}; version 1 is kept as {Path.Combine(DataDir, "reports.json.1")}.", second.Output, StringComparison.Ordinal);
        Assert.Equal(secondText, System.IO.File.ReadAllText(Path.Combine(DataDir, "reports.json")));
        Assert.Equal(Valid, System.IO.File.ReadAllText(Path.Combine(DataDir, "reports.json.1")));
        Assert.Equal(["reports.json", "reports.json.1"], Directory.GetFiles(DataDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        Assert.Equal(Valid, (await Run("reports", "show", "--version", "1", "--output", "json", "--data-dir", DataDir)).Output);
        var current = await Run("reports", "show", "--data-dir", DataDir);
        Assert.StartsWith($"Report configuration version 2 in {DataDir}", current.Output, StringComparison.Ordinal);
        Assert.Contains("Cost by service", current.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishLocal_OfAnInvalidFile_ExitsTwo_AndLeavesTheFileInForce()
    {
        await Run("reports", "publish", "--file", File("v1.json", Valid), "--data-dir", DataDir);

        var result = await Run("reports", "publish", "--file", File("bad.json", Invalid), "--data-dir", DataDir);

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Contains("report 'by-service': recipients[0] 'ops@example' is not a valid email address", result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was published.", result.Error, StringComparison.Ordinal);
        Assert.Equal(Valid, System.IO.File.ReadAllText(Path.Combine(DataDir, "reports.json")));
        Assert.Single(Directory.GetFiles(DataDir));
    }

    [Fact]
    public async Task ShowLocal_OfAVersionThatDoesNotExist_ExitsOneSayingWhichExist()
    {
        await Run("reports", "publish", "--file", File("v1.json", Valid), "--data-dir", DataDir);

        var result = await Run("reports", "show", "--version", "4", "--data-dir", DataDir);

        Assert.Equal(CliApp.Failure, result.Exit);
        Assert.Contains("Version 4 of the report configuration is not in", result.Error, StringComparison.Ordinal);
        Assert.Contains("the version in force is 1", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    public async Task Show_WithAVersionBelowOne_ExitsTwo(string version)
    {
        var result = await Run("reports", "show", "--version", version, "--data-dir", DataDir);

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Contains("--version must be 1 or more.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishLocal_WithBy_ExitsTwo_BecauseOnlyTheTableRecordsIt()
    {
        var result = await Run("reports", "publish", "--file", File("v1.json", Valid), "--data-dir", DataDir, "--by", "alice");

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Contains("--by applies only to --target aws", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(DataDir));
    }

    private string File(string name, string text)
    {
        var path = Path.Combine(_root.FullName, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, _time, _environment, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }
}
