using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CostNotifier.Cli;
using CostNotifier.Cli.Composition;
using CostNotifier.CostData;
using CostNotifier.Embedded.Queues;
using CostNotifier.Embedded.SampleCost;
using CostNotifier.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace CostNotifier.IntegrationTests.EndToEnd;

/// <summary>The README's first command, end to end: scheduler → collector → notifier through SQLite queues and store.</summary>
public sealed partial class EmbeddedPipelineTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "costnotifier-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(Now);

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Run_WritesEveryRecipientsEmail_WhoseTotalEqualsTheStoredSnapshotToTheCent()
    {
        var (exit, output, error) = await Cli("run", "--date", "2026-11-24", "--output", "json");

        Assert.True(exit == CliApp.Ok, error);
        using var summary = JsonDocument.Parse(output);
        var reports = summary.RootElement.GetProperty("reports").EnumerateArray().ToList();
        Assert.Equal(3, reports.Count);
        foreach (var report in reports)
        {
            var reportId = report.GetProperty("reportId").GetString()!;
            var (showExit, shown, _) = await Cli("snapshots", "show", "--date", "2026-11-24", "--report", reportId, "--output", "json");
            Assert.Equal(CliApp.Ok, showExit);
            var storedTotal = JsonDocument.Parse(shown).RootElement.GetProperty("total").GetDecimal();
            Assert.Equal(storedTotal, report.GetProperty("total").GetDecimal());

            var directory = Path.Combine(_dataDir, "outbox", "2026-11-24", reportId);
            var texts = Directory.GetFiles(directory, "*.txt");
            Assert.Equal(report.GetProperty("emailedRecipients").GetArrayLength(), texts.Length);
            foreach (var text in texts)
            {
                Assert.Equal(storedTotal, TotalIn(await File.ReadAllTextAsync(text)));
                Assert.True(File.Exists(Path.ChangeExtension(text, ".html")));
                var mime = await MimeMessage.LoadAsync(Path.ChangeExtension(text, ".eml"));
                Assert.NotNull(mime.HtmlBody);
                Assert.NotNull(mime.TextBody);
                Assert.Contains(mime.To.Mailboxes, m => text.Contains(m.Address, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task Run_TheSameDateTwice_SendsNoSecondEmail_ButReplaySendsOneMore()
    {
        await Cli("run", "--date", "2026-11-24");
        var afterFirst = EmailCount();

        var (again, _, _) = await Cli("run", "--date", "2026-11-24");
        var afterSecond = EmailCount();
        var (replayed, _, replayError) = await Cli("replay", "--date", "2026-11-24", "--report", "daily-by-service");
        var afterReplay = EmailCount();

        Assert.Equal(CliApp.Ok, again);
        Assert.True(replayed == CliApp.Ok, replayError);
        Assert.Equal(4, afterFirst);
        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(afterFirst + 2, afterReplay);
    }

    [Fact]
    public async Task Run_SaysWhichEmailsItWrote_AndASecondRunThatItWroteNone()
    {
        var (_, first, _) = await Cli("run", "--date", "2026-11-24", "--output", "json");
        var (_, second, _) = await Cli("run", "--date", "2026-11-24", "--output", "json");

        var written = JsonDocument.Parse(first).RootElement.GetProperty("reports").EnumerateArray()
            .SelectMany(r => r.GetProperty("emailFiles").EnumerateArray().Select(f => f.GetString()!)).ToList();
        Assert.Equal(4, written.Count);
        Assert.All(written, f => Assert.True(File.Exists(f), f));
        Assert.All(
            JsonDocument.Parse(second).RootElement.GetProperty("reports").EnumerateArray(),
            r => Assert.Equal(0, r.GetProperty("sentNow").GetArrayLength()));
    }

    [Fact]
    public async Task Run_ARangeAcrossAMonthBoundary_ReportsEachDayOnce()
    {
        var (exit, output, error) = await Cli("run", "--date", "2026-10-30", "--to", "2026-11-02", "--report", "daily-by-account", "--output", "json");

        Assert.True(exit == CliApp.Ok, error);
        var dates = JsonDocument.Parse(output).RootElement.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("date").GetString()).ToList();
        Assert.Equal(["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"], dates);
        var (_, listed, _) = await Cli("snapshots", "list", "--from", "2026-10-01", "--to", "2026-11-30", "--report", "daily-by-account", "--output", "json");
        Assert.Equal(4, JsonDocument.Parse(listed).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task AMessageThatAlwaysFails_EndsInTheDeadLetterQueueAfterFiveReceives_AndRedriveBringsItBack()
    {
        var costs = new SwitchableCostSource(new SampleCostSource(_time));
        using (var stack = Open(costs))
        {
            costs.Failing = true;
            await stack.Mediator.Send(new Scheduler.ScheduleReports(
                Domain.ReportDate.Parse("2026-11-24"), Domain.ReportDate.Parse("2026-11-24"), Domain.Trigger.Scheduled, [Domain.ReportId.Parse("daily-by-service")], null, "c1"));
            await stack.Runner.DrainAsync(CancellationToken.None);

            var dead = Assert.Single(await stack.Queues.ListDeadLettersAsync(PipelineQueue.Collector, 10, CancellationToken.None));
            Assert.Equal(LocalQueueStore.DefaultMaxReceiveCount, dead.ReceiveCount);
            Assert.Equal(LocalQueueStore.MaxReceiveCountReason, dead.Reason);
            Assert.Equal(LocalQueueStore.DefaultMaxReceiveCount, costs.Calls);
        }

        costs.Failing = false;
        var (exit, output, error) = await Cli("redrive", "--queue", "collector");

        Assert.True(exit == CliApp.Ok, error + output);
        Assert.Equal(2, EmailCount());
    }

    [Fact]
    public async Task AnUnreadableMessage_GoesToTheDeadLetterQueueAtOnce_WithItsReason()
    {
        using (var stack = Open(new SampleCostSource(_time)))
        {
            await stack.Queues.SendAsync(LocalQueue.Collector, "{not json", CancellationToken.None);
            await stack.Runner.DrainAsync(CancellationToken.None);
        }

        var (exit, output, _) = await Cli("dlq", "list", "--queue", "collector", "--output", "json");

        Assert.Equal(CliApp.Ok, exit);
        var dead = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray());
        Assert.Equal(1, dead.GetProperty("receiveCount").GetInt32());
        Assert.Contains("not a valid envelope", dead.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "run", "--date", "2026-02-30" }, "'2026-02-30' is not a valid date")]
    [InlineData(new[] { "run", "--date", "2026-11-25" }, "not a complete UTC day")]
    [InlineData(new[] { "run", "--date", "2026-11-20", "--to", "2026-11-19" }, "ends (2026-11-19) before it starts")]
    [InlineData(new[] { "run", "--report", "nope" }, "report 'nope' is not configured")]
    [InlineData(new[] { "replay", "--date", "2024-01-01" }, "older than Cost Explorer's 13 months")]
    [InlineData(new[] { "snapshots", "show", "--date", "2026-11-24", "--report", "nope" }, "Unknown report 'nope'")]
    public async Task BadInput_GetsOneClearLineAndExitCodeTwo(string[] args, string expected)
    {
        var (exit, _, error) = await Cli(args);

        Assert.Equal(CliApp.Usage, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    private EmbeddedStack Open(ICostSource costs) =>
        EmbeddedStack.Open(_dataDir, _time, TextWriter.Null, LogLevel.Warning, costs, wait: (delay, _) =>
        {
            _time.Advance(delay);
            return Task.CompletedTask;
        });

    [Fact]
    public async Task TheSampleSpike_IsFlaggedInTheEmailAndTheData_WithTheMonthsProjectionAgainstTheBudget()
    {
        var (exit, _, error) = await Cli("run", "--date", "2026-11-12", "--report", "daily-by-service");
        Assert.True(exit == CliApp.Ok, error);

        var (showExit, shown, showError) = await Cli("snapshots", "show", "--date", "2026-11-12", "--report", "daily-by-service", "--output", "json");

        Assert.True(showExit == CliApp.Ok, showError);
        using var snapshot = JsonDocument.Parse(shown);
        var anomalies = snapshot.RootElement.GetProperty("anomalies").EnumerateArray().ToList();
        var ec2 = Assert.Single(anomalies, a => a.TryGetProperty("group", out var g) && g.GetString() == "Amazon Elastic Compute Cloud - Compute");
        Assert.Equal("spike", ec2.GetProperty("kind").GetString());
        Assert.True(ec2.GetProperty("amount").GetDecimal() > ec2.GetProperty("expectedHigh").GetDecimal());
        var forecast = snapshot.RootElement.GetProperty("forecast");
        Assert.Equal("2026-11", forecast.GetProperty("month").GetString());
        Assert.True(forecast.GetProperty("low").GetDecimal() <= forecast.GetProperty("value").GetDecimal());
        Assert.Equal(8000m, forecast.GetProperty("budget").GetDecimal());
        Assert.Equal("on-track-to-exceed", forecast.GetProperty("budgetStatus").GetString());

        var text = await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(_dataDir, "outbox", "2026-11-12", "daily-by-service"), "*.txt")[0]);
        Assert.Contains("What changed", text, StringComparison.Ordinal);
        Assert.Contains("Amazon Elastic Compute Cloud - Compute $577.35, expected", text, StringComparison.Ordinal);
        Assert.Contains("Projected month total", text, StringComparison.Ordinal);
        Assert.Contains("budget", text, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output, string Error)> Cli(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync([.. args, "--data-dir", _dataDir], output, error, _time, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private int EmailCount() =>
        Directory.Exists(Path.Combine(_dataDir, "outbox"))
            ? Directory.GetFiles(Path.Combine(_dataDir, "outbox"), "*.eml", SearchOption.AllDirectories).Length
            : 0;

    private static decimal TotalIn(string text)
    {
        var match = TotalLine().Match(text);
        Assert.True(match.Success, "The text email has no 'Total for the day' line.");
        return decimal.Parse(match.Groups["amount"].Value, NumberStyles.Number, CultureInfo.InvariantCulture) * (match.Groups["sign"].Success ? -1 : 1);
    }

    [GeneratedRegex(@"Total for the day\s+(?<sign>-)?\$(?<amount>[\d,]+\.\d\d)")]
    private static partial Regex TotalLine();

    private sealed class SwitchableCostSource(ICostSource inner) : ICostSource
    {
        public bool Failing { get; set; }

        public int Calls { get; private set; }

        public Task<CostQueryResult> GetCostAsync(CostQuery query, CancellationToken cancellationToken)
        {
            Calls++;
            return Failing
                ? throw new HttpRequestException("Cost Explorer is unreachable (injected)")
                : inner.GetCostAsync(query, cancellationToken);
        }
    }
}
