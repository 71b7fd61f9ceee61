using System.Globalization;
using System.Text.Json;
using CostNotifier.Cli;
using CostNotifier.Domain;
using CostNotifier.TestSupport;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace CostNotifier.UnitTests.Cli;

/// <summary>
/// A per-account report on the embedded default, run in process: the example configuration
/// <c>docs/examples/per-account-reports.json</c> published to a fresh data directory, one run of a day, and what the
/// run summary, the outbox and the stored snapshots say about each account.
/// </summary>
public sealed class PerAccountRunTests : IDisposable
{
    private const string Day = "2026-11-24";
    private const string Report = "org-accounts";

    // The sample organisation's five accounts, with the name each share's title should carry: the configured one,
    // else the sample's (as Cost Explorer's DimensionValueAttributes would give it).
    private static readonly (string Account, string Name, string[] Recipients)[] Accounts =
    [
        ("111122223333", "payments", ["payments-team@example.com"]),
        ("444455556666", "search-prod", ["search-team@example.com", "search-lead@example.com"]),
        ("777788889999", "platform-shared", ["platform-team@example.com"]),
        ("123456789012", "data lake", ["cloud-platform@example.com"]),
        ("210987654321", "sandbox", ["cloud-platform@example.com"]),
    ];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero));
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("costnotifier-per-account-");

    private static string Example => Path.Combine(PackagedFunction.RepositoryRoot(), "docs", "examples", "per-account-reports.json");

    private string DataDir => Path.Combine(_root.FullName, "data");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _root.Delete(recursive: true);
    }

    [Fact]
    public async Task TheExample_Validates()
    {
        var result = await Run("reports", "validate", "--file", Example, "--output", "json");

        Assert.True(result.Exit == CliApp.Ok, result.Error);
    }

    [Fact]
    public async Task Run_OfThePublishedExample_EmailsEachAccountsOwnersTheirShareAndTheSharesAddUpToTheOrganisation()
    {
        await Publish(File.ReadAllText(Example));

        var result = await Run("run", "--date", Day, "--output", "json");

        Assert.True(result.Exit == CliApp.Ok, result.Error);
        var summary = JsonDocument.Parse(result.Output).RootElement;
        var row = Row(summary, Report);
        var accounts = row.GetProperty("accounts");
        Assert.Equal(5, accounts.GetProperty("collected").GetInt32());
        Assert.Equal(6, accounts.GetProperty("emailed").GetInt32());
        Assert.Equal(0, accounts.GetProperty("emailsFailed").GetInt32());
        Assert.Equal(0, accounts.GetProperty("skipped").GetInt32());
        Assert.Equal(6, accounts.GetProperty("sentNow").GetInt32());

        // One query by account and service for the report and all five shares; the report by service asks its own.
        Assert.Equal(1, row.GetProperty("costSourceRequests").GetInt32());
        Assert.Equal(1, Row(summary, "daily-by-service").GetProperty("costSourceRequests").GetInt32());
        Assert.Equal(2, summary.GetProperty("costSourceRequests").GetInt32());
        Assert.Equal(["finops@example.com"], row.GetProperty("sentNow").EnumerateArray().Select(e => e.GetString()));

        // The organisation's email lists the accounts.
        var organisation = Assert.Single(row.GetProperty("emailFiles").EnumerateArray()).GetString()!;
        var organisationText = MimeMessage.Load(organisation).TextBody;
        Assert.All(Accounts, a => Assert.Contains(a.Account, organisationText, StringComparison.Ordinal));

        // Each account's owners have its email, titled with the account, its total that of the share's snapshot.
        var outbox = summary.GetProperty("outboxDirectory").GetString()!;
        var shareTotals = 0m;
        foreach (var (account, name, recipients) in Accounts)
        {
            var share = $"{Report}.{account}";
            var snapshot = await Snapshot(share);
            Assert.Equal(share, snapshot.GetProperty("reportId").GetString());
            var total = snapshot.GetProperty("totalExact").GetDecimal();
            shareTotals += total;

            var emails = Directory.GetFiles(Path.Combine(outbox, Day, share), "*.eml").Select(path => MimeMessage.Load(path)).ToList();
            Assert.Equal(recipients.Order(), emails.Select(e => e.To.Mailboxes.Single().Address).Order());
            Assert.All(emails, e =>
            {
                Assert.Contains($"Cost by account: {name} ({account})", e.Subject, StringComparison.Ordinal);
                Assert.Contains("$" + Money.RoundToCents(total).ToString("#,0.00", CultureInfo.InvariantCulture), e.Subject, StringComparison.Ordinal);
            });
        }

        // The shares add up to the organisation total exactly, so to the cent.
        Assert.Equal(row.GetProperty("totalExact").GetDecimal(), shareTotals);
        Assert.Equal(row.GetProperty("total").GetDecimal(), Money.RoundToCents(shareTotals));
    }

    [Fact]
    public async Task Run_Again_SendsNothingNewAndAsksNothing()
    {
        await Publish(File.ReadAllText(Example));
        await Run("run", "--date", Day, "--output", "json");
        var written = Directory.GetFiles(DataDir, "*.eml", SearchOption.AllDirectories).Length;

        var result = await Run("run", "--date", Day, "--output", "json");

        Assert.True(result.Exit == CliApp.Ok, result.Error);
        var summary = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(0, summary.GetProperty("costSourceRequests").GetInt32());
        var accounts = Row(summary, Report).GetProperty("accounts");
        Assert.Equal((5, 6, 0), (accounts.GetProperty("collected").GetInt32(), accounts.GetProperty("emailed").GetInt32(), accounts.GetProperty("sentNow").GetInt32()));
        Assert.All(summary.GetProperty("reports").EnumerateArray(), r => Assert.Empty(r.GetProperty("sentNow").EnumerateArray()));
        Assert.Equal(written, Directory.GetFiles(DataDir, "*.eml", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task Run_WithUnownedAccountsSkipped_CountsThemSkippedAndEmailsOnlyTheOwners()
    {
        var skipping = File.ReadAllText(Example)
            .Replace("\"unowned\": \"default\"", "\"unowned\": \"skip\"", StringComparison.Ordinal)
            .Replace("\"defaultRecipients\": [\"cloud-platform@example.com\"],", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("cloud-platform", skipping, StringComparison.Ordinal);
        await Publish(skipping);

        var result = await Run("run", "--date", Day, "--output", "json");

        Assert.True(result.Exit == CliApp.Ok, result.Error);
        var summary = JsonDocument.Parse(result.Output).RootElement;
        var accounts = Row(summary, Report).GetProperty("accounts");
        Assert.Equal((3, 4, 2), (accounts.GetProperty("collected").GetInt32(), accounts.GetProperty("emailed").GetInt32(), accounts.GetProperty("skipped").GetInt32()));
        var outbox = summary.GetProperty("outboxDirectory").GetString()!;
        Assert.False(Directory.Exists(Path.Combine(outbox, Day, $"{Report}.123456789012")));
        Assert.False(Directory.Exists(Path.Combine(outbox, Day, $"{Report}.210987654321")));
    }

    [Fact]
    public async Task EventsOfAShare_AfterARun_ReadTheAccountsStream()
    {
        await Publish(File.ReadAllText(Example));
        await Run("run", "--date", Day);

        var result = await Run("events", "--date", Day, "--report", $"{Report}.444455556666", "--output", "json");

        Assert.True(result.Exit == CliApp.Ok, result.Error);
        var events = JsonDocument.Parse(result.Output).RootElement.EnumerateArray().ToList();
        Assert.All(events, e => Assert.Equal($"report#{Report}.444455556666#{Day}", e.GetProperty("stream").GetString()));
        Assert.StartsWith("CostSnapshotCollected", events[0].GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, events.Count(e => e.GetProperty("type").GetString()!.StartsWith("NotificationSent", StringComparison.Ordinal)));
    }

    private async Task Publish(string configuration)
    {
        var file = Path.Combine(_root.FullName, "reports-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        await File.WriteAllTextAsync(file, configuration);
        var result = await Run("reports", "publish", "--file", file);
        Assert.True(result.Exit == CliApp.Ok, result.Error);
    }

    private async Task<JsonElement> Snapshot(string report)
    {
        var result = await Run("snapshots", "show", "--report", report, "--date", Day, "--output", "json");
        Assert.True(result.Exit == CliApp.Ok, $"snapshots show --report {report}: {result.Error}");
        return JsonDocument.Parse(result.Output).RootElement;
    }

    private async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] withDataDir = args[0] == "reports" && args[1] == "validate" ? args : [.. args, "--data-dir", DataDir];
        var exit = await CliApp.RunAsync(withDataDir, output, error, _time, CliEnvironment.From(new Dictionary<string, string?>()), CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private static JsonElement Row(JsonElement summary, string report) =>
        Assert.Single(summary.GetProperty("reports").EnumerateArray(), r => r.GetProperty("reportId").GetString() == report);
}
