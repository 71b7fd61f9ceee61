using System.Text.Json;
using CostNotifier.Aws;
using CostNotifier.Aws.Hosting;
using CostNotifier.Collector;
using CostNotifier.Domain;
using CostNotifier.IntegrationTests.Emulators;
using CostNotifier.IntegrationTests.EndToEnd;
using CostNotifier.Notifier;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.IntegrationTests.Cli;

/// <summary>
/// <c>replay --target aws</c> against the emulators: the CLI enqueues, and the collector and notifier entry points,
/// driven as Lambda's event source mappings drive them, collect, store and email.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ReplayOnAwsTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));
    private readonly CostExplorerStub _costExplorer = new();
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly string _reportsFile = Path.Combine(Path.GetTempPath(), $"costnotifier-reports-{Guid.NewGuid():N}.json");
    private EmulatorStack _stack = null!;

    private string Report => $"by-service-{_suffix}";

    private string Recipient => $"finops-{_suffix}@example.com";

    private string ReportsJson => $$"""[{"id":"{{Report}}","name":"By service","recipients":["{{Recipient}}"],"groupBy":"SERVICE"}]""";

    public async Task InitializeAsync()
    {
        _stack = await EmulatorStack.CreateAsync(emulators, maxReceiveCount: 3, visibilityTimeoutSeconds: 1);
        await File.WriteAllTextAsync(_reportsFile, ReportsJson);
    }

    public async Task DisposeAsync()
    {
        await _costExplorer.DisposeAsync();
        File.Delete(_reportsFile);
    }

    [Fact]
    public async Task Replay_ThreeDayRange_DeliveredAsLambdaWould_StoresThreeSnapshotsAndSendsThreeEmails()
    {
        var replay = await Cli("replay", "--date", "2026-11-20", "--to", "2026-11-22", "--all-reports", "--reports-file", _reportsFile, "--output", "json");
        Assert.True(replay.Exit == 0, replay.ToString());
        using var enqueued = JsonDocument.Parse(replay.Output);
        var requestId = enqueued.RootElement.GetProperty("requestId").GetString()!;
        var messages = enqueued.RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["2026-11-20", "2026-11-21", "2026-11-22"], messages.Select(m => m.GetProperty("date").GetString()));
        Assert.All(messages, m => Assert.Equal(Report, m.GetProperty("reportId").GetString()));
        Assert.All(messages, m => Assert.False(string.IsNullOrEmpty(m.GetProperty("messageId").GetString())));
        Assert.Equal(_stack.Name + "-collector", enqueued.RootElement.GetProperty("queue").GetString());

        var (collector, notifier) = Pollers();
        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(60), collector, notifier);

        var emails = (await emulators.ReadSentEmailsAsync()).EnumerateArray()
            .Where(e => e.GetProperty("destination").GetProperty("to").EnumerateArray().Any(a => a.GetString() == Recipient))
            .ToList();
        Assert.Equal(3, emails.Count);
        foreach (var day in new[] { "2026-11-20", "2026-11-21", "2026-11-22" })
        {
            var total = Money.RoundToCents(CostExplorerStub.GroupsOf(ReportDate.Parse(day)).Sum(g => g.Amount));
            Assert.Single(emails, e => e.GetProperty("subject").GetString()!.Contains($"${total:0.00}", StringComparison.Ordinal));
        }

        var listed = await Cli("snapshots", "list", "--from", "2026-11-20", "--to", "2026-11-22", "--report", Report, "--output", "json");
        Assert.True(listed.Exit == 0, listed.ToString());
        using var snapshots = JsonDocument.Parse(listed.Output);
        var rows = snapshots.RootElement.EnumerateArray().ToList();
        Assert.Equal(["2026-11-20", "2026-11-21", "2026-11-22"], rows.Select(r => r.GetProperty("date").GetString()));
        foreach (var row in rows)
        {
            var exact = CostExplorerStub.GroupsOf(ReportDate.Parse(row.GetProperty("date").GetString())).Sum(g => g.Amount);
            Assert.Equal(exact, row.GetProperty("totalExact").GetDecimal());
            Assert.Equal(Money.RoundToCents(exact), row.GetProperty("total").GetDecimal());
            Assert.Equal("replay", row.GetProperty("trigger").GetString());
            Assert.Equal(requestId, row.GetProperty("requestId").GetString());
            Assert.Equal(1, row.GetProperty("emailsSent").GetInt32());
        }
    }

    [Fact]
    public async Task Replay_DryRun_PlansEveryReportDayAndEnqueuesNothing()
    {
        var dryRun = await Cli("replay", "--date", "2026-11-20", "--to", "2026-11-21", "--reports-file", _reportsFile, "--dry-run", "--output", "json");

        Assert.True(dryRun.Exit == 0, dryRun.ToString());
        using var plan = JsonDocument.Parse(dryRun.Output);
        Assert.True(plan.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Equal(2, plan.RootElement.GetProperty("messages").GetArrayLength());
        Assert.Equal(0, await Depth(_stack.Collector));
    }

    [Fact]
    public async Task Replay_OfANamedReport_WithoutTheReportList_EnqueuesEachDay()
    {
        var replay = await Cli("replay", "--date", "2026-11-20", "--to", "2026-11-21", "--report", Report, "--output", "json");

        Assert.True(replay.Exit == 0, replay.ToString());
        using var enqueued = JsonDocument.Parse(replay.Output);
        Assert.Equal(
            [$"{Report} 2026-11-20", $"{Report} 2026-11-21"],
            enqueued.RootElement.GetProperty("messages").EnumerateArray().Select(m => $"{m.GetProperty("reportId").GetString()} {m.GetProperty("date").GetString()}"));

        // One report's days ask one question: they travel together, so the collector pays for one request.
        Assert.Equal(1, await Depth(_stack.Collector));
        Assert.Equal(1, enqueued.RootElement.GetProperty("collectorMessages").GetInt32());
    }

    [Fact]
    public async Task Replay_OfAStackThatDoesNotExist_SaysWhichQueueIsMissingAndEnqueuesNothing()
    {
        var result = await CliRunner.RunAsync(
            ["replay", "--date", "2026-11-20", "--report", Report, "--target", "aws", "--stack", "nosuch-" + _suffix, "--region", EmulatorFixture.Region],
            EmulatorStack.Environment(emulators),
            _time);

        Assert.Equal(1, result.Exit);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"'nosuch-{_suffix}-collector' does not exist", line, StringComparison.Ordinal);
        Assert.Contains("--stack", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task Replay_ToAnExplicitQueueUrlThatDoesNotExist_FailsBeforeSendingAnything()
    {
        var missing = _stack.Collector.Replace(_stack.Name + "-collector", _stack.Name + "-gone", StringComparison.Ordinal);

        var result = await CliRunner.RunAsync(
            ["replay", "--date", "2026-11-20", "--report", Report, "--target", "aws", "--collector-queue-url", missing, "--region", EmulatorFixture.Region],
            EmulatorStack.Environment(emulators),
            _time);

        Assert.Equal(1, result.Exit);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
        Assert.Contains("--collector-queue-url", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, await Depth(_stack.Collector));
    }

    private Task<CliResult> Cli(params string[] args) =>
        CliRunner.RunAsync([.. args, .. _stack.Args], EmulatorStack.Environment(emulators), _time);

    private (LambdaPoller Collector, LambdaPoller Notifier) Pollers()
    {
        var queues = new PipelineQueues(_stack.Collector, _stack.CollectorDeadLetter, _stack.Notifier, _stack.NotifierDeadLetter);
        var settings = EmulatorFixture.FunctionSettings(_stack.Name, ReportsJson, _stack.Table, queues);
        var connection = emulators.Connection(_costExplorer.Url);
        var collector = new CollectorFunction(CollectorComposition.Build(settings, connection, _time, TextWriter.Null));
        var notifier = new NotifierFunction(NotifierComposition.Build(settings, connection, _time, TextWriter.Null));
        return (new LambdaPoller(emulators.Sqs, _stack.Collector, collector.HandleAsync), new LambdaPoller(emulators.Sqs, _stack.Notifier, notifier.HandleAsync));
    }

    private async Task<int> Depth(string queueUrl) =>
        await new LambdaPoller(emulators.Sqs, queueUrl, (_, _) => throw new InvalidOperationException("Not a consumer.")).DepthAsync(CancellationToken.None);
}
