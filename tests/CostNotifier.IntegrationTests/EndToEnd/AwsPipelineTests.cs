using System.Text;
using System.Text.Json;
using Amazon.SQS.Model;
using CostNotifier.Aws;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Aws.Hosting;
using CostNotifier.Collector;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.IntegrationTests.Emulators;
using CostNotifier.Messaging;
using CostNotifier.Notifier;
using CostNotifier.Scheduler;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.IntegrationTests.EndToEnd;

/// <summary>
/// The three Lambda entry points as AWS runs them: real SQS (fauxqs) between them, events in DynamoDB (dynalite),
/// email through SES v2 (aws-ses-v2-local), Cost Explorer served from its documented JSON on a loopback port.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class AwsPipelineTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private static readonly DateTimeOffset ScheduledTime = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(ScheduledTime);
    private readonly CostExplorerStub _costExplorer = new();
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly StringWriter _logs = new();
    private string _table = string.Empty;
    private PipelineQueues _queues = null!;

    private string ServiceReport => $"by-service-{_suffix}";

    private string AccountReport => $"by-account-{_suffix}";

    private string TagReport => $"by-team-{_suffix}";

    private string WeeklyReport => $"weekly-{_suffix}";

    private string MonthlyReport => $"monthly-{_suffix}";

    private string Finops => $"finops-{_suffix}@example.com";

    private string Platform => $"platform-{_suffix}@example.com";

    public async Task InitializeAsync()
    {
        _table = await emulators.CreateEventTableAsync();
        _queues = await emulators.CreatePipelineQueuesAsync(maxReceiveCount: 3, visibilityTimeoutSeconds: 1);
    }

    public async Task DisposeAsync() => await _costExplorer.DisposeAsync();

    [Fact]
    public async Task ScheduledRun_FlowsThroughQueuesStoreAndSes_OneEmailPerRecipient()
    {
        var (scheduler, collector, notifier) = Functions(includeTagReport: false);

        var answer = await Invoke(scheduler.HandleAsync, """{"source":"eventbridge-scheduler","scheduledTime":"2026-11-25T08:00:00Z"}""");
        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(60), collector, notifier);

        Assert.Equal("scheduled-2026-11-24", answer.GetProperty("requestId").GetString());
        Assert.Equal(2, answer.GetProperty("messages").GetArrayLength());
        var emails = await EmailsTo(Finops, Platform);
        Assert.Equal(3, emails.Count);
        var expectedTotal = Money.RoundToCents(CostExplorerStub.GroupsOf(ReportDate.Parse("2026-11-24")).Sum(g => g.Amount));
        Assert.All(emails, e => Assert.Contains($"${expectedTotal:0.00}", e.GetProperty("subject").GetString(), StringComparison.Ordinal));
        Assert.All(emails, e => Assert.Contains("<table", e.GetProperty("body").GetProperty("html").GetString(), StringComparison.Ordinal));

        var store = new DynamoDbEventStore(emulators.DynamoDb, _table);
        var stream = await store.ReadStreamAsync(new StreamId(ReportId.Parse(ServiceReport), ReportDate.Parse("2026-11-24")), CancellationToken.None);
        Assert.Equal([EventTypes.NameOf<CostSnapshotCollected>(), EventTypes.NameOf<NotificationSent>(), EventTypes.NameOf<NotificationSent>()], stream.Select(e => e.Type));
        Assert.Equal(2, _costExplorer.Requests / 2);
        Assert.Equal(0, await Depth(_queues.CollectorDeadLetter) + await Depth(_queues.NotifierDeadLetter));
    }

    [Fact]
    public async Task ScheduleFiringTwice_AndEveryMessageDeliveredTwice_StillSendsOneEmailPerRecipient()
    {
        var (scheduler, collector, notifier) = Functions(includeTagReport: false);
        const string payload = """{"source":"eventbridge-scheduler","scheduledTime":"2026-11-25T08:00:00Z"}""";

        await Invoke(scheduler.HandleAsync, payload);
        await Invoke(scheduler.HandleAsync, payload);
        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(60), collector, notifier);

        Assert.Equal(3, (await EmailsTo(Finops, Platform)).Count);
        Assert.Equal(2, _costExplorer.Requests / 2);
    }

    [Fact]
    public async Task WeeklyAndMonthlyDigests_RunThroughTheFunctions_EachFromOneCostExplorerQuery()
    {
        var (scheduler, collector, notifier) = Functions(includeTagReport: false, includeDigests: true);
        var store = new DynamoDbEventStore(emulators.DynamoDb, _table);

        // Monday 30 November: Sunday the 29th ends ISO week 48.
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        var monday = await Invoke(scheduler.HandleAsync, """{"source":"eventbridge-scheduler","scheduledTime":"2026-11-30T08:00:00Z"}""");
        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(60), collector, notifier);

        Assert.Contains(monday.GetProperty("messages").EnumerateArray(), m => m.GetProperty("reportId").GetString() == WeeklyReport && m.GetProperty("period").GetString() == "2026-W48");
        Assert.DoesNotContain(monday.GetProperty("messages").EnumerateArray(), m => m.GetProperty("reportId").GetString() == MonthlyReport);
        var week = ReportPeriodState.Fold(await store.ReadStreamAsync(new StreamId(ReportId.Parse(WeeklyReport), ReportPeriod.Parse("2026-W48")), CancellationToken.None));
        var weekly = Assert.IsType<CostSnapshotCollected>(week.LatestSnapshot);
        Assert.Equal(7, weekly.Figures.Digest!.Days.Count);
        Assert.Equal(2, weekly.CostSourceRequests); // one query, answered in two pages by the stub
        Assert.Equal(DailyAmounts(ReportPeriod.Parse("2026-W48")), weekly.Figures.Total);
        Assert.True(week.WasSent(RequestId.Parse("scheduled-2026-W48"), Platform));

        // Tuesday 1 December: Monday the 30th ends November.
        _time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await Invoke(scheduler.HandleAsync, """{"source":"eventbridge-scheduler","scheduledTime":"2026-12-01T08:00:00Z"}""");
        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(60), collector, notifier);

        var month = ReportPeriodState.Fold(await store.ReadStreamAsync(new StreamId(ReportId.Parse(MonthlyReport), ReportPeriod.Parse("2026-11")), CancellationToken.None));
        var monthly = Assert.IsType<CostSnapshotCollected>(month.LatestSnapshot);
        Assert.Equal(DailyAmounts(ReportPeriod.Parse("2026-11")), monthly.Figures.Total);
        Assert.Equal(2, monthly.CostSourceRequests);
        Assert.Equal("2025-11", monthly.Figures.Digest!.ComparisonPeriod);
        Assert.True(month.WasSent(RequestId.Parse("scheduled-2026-11"), Finops));

        var subjects = (await EmailsTo(Finops, Platform)).Select(e => e.GetProperty("subject").GetString()).ToList();
        Assert.Contains(subjects, s => s!.Contains("week 48", StringComparison.Ordinal));
        Assert.Contains(subjects, s => s!.Contains("November 2026", StringComparison.Ordinal));
        Assert.Equal(0, await Depth(_queues.CollectorDeadLetter) + await Depth(_queues.NotifierDeadLetter));
    }

    [Fact]
    public async Task AMessageThatKeepsFailing_ReachesTheDeadLetterQueueAfterMaxReceives_WhileItsNeighboursSucceed()
    {
        var (scheduler, collector, notifier) = Functions(includeTagReport: true);

        await Invoke(scheduler.HandleAsync, """{"source":"eventbridge-scheduler","scheduledTime":"2026-11-25T08:00:00Z"}""");
        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(60), collector, notifier);

        Assert.Equal(3, (await EmailsTo(Finops, Platform)).Count);
        var dead = await emulators.ReceiveAndDeleteAsync(_queues.CollectorDeadLetter, 1, TimeSpan.FromSeconds(5));
        var payload = MessageCodec.DecodeReportRequested(Assert.Single(dead).Body).Payload;
        Assert.Equal(TagReport, payload.ReportId.Value);
        Assert.Equal(3 + 2, collector.Deliveries);
        Assert.Equal(3, collector.Failures);
    }

    [Fact]
    public async Task AnUnreadableMessage_IsMovedToTheDeadLetterQueueAtOnceWithItsReason()
    {
        var (_, collector, notifier) = Functions(includeTagReport: false);
        await emulators.Sqs.SendMessageAsync(_queues.Collector, """{"type":"ReportRequested","version":7}""");

        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(30), collector, notifier);

        var response = await emulators.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = _queues.CollectorDeadLetter,
            MessageAttributeNames = ["All"],
            WaitTimeSeconds = 1,
        });
        var dead = Assert.Single(response.Messages);
        Assert.Equal(1, collector.Deliveries);
        Assert.Equal(0, collector.Failures);
        Assert.Contains("not a valid envelope", dead.MessageAttributes["CostNotifier.Reason"].StringValue, StringComparison.Ordinal);
    }

    private static decimal DailyAmounts(ReportPeriod period) =>
        period.Days.EachDay().SelectMany(CostExplorerStub.GroupsOf).Sum(g => g.Amount);

    private (SchedulerFunction Scheduler, LambdaPoller Collector, LambdaPoller Notifier) Functions(bool includeTagReport, bool includeDigests = false)
    {
        var reports = new List<string>
        {
            $$"""{"id":"{{ServiceReport}}","name":"By service","recipients":["{{Finops}}","{{Platform}}"],"groupBy":"SERVICE"}""",
            $$"""{"id":"{{AccountReport}}","name":"By account","recipients":["{{Finops}}"],"groupBy":"LINKED_ACCOUNT","top":5}""",
        };
        if (includeTagReport)
        {
            reports.Add($$"""{"id":"{{TagReport}}","name":"By team","recipients":["{{Platform}}"],"groupBy":"TAG:team"}""");
        }

        if (includeDigests)
        {
            reports.Add($$"""{"id":"{{WeeklyReport}}","cadence":"weekly","name":"Weekly","recipients":["{{Platform}}"],"groupBy":"SERVICE"}""");
            reports.Add($$"""{"id":"{{MonthlyReport}}","cadence":"monthly","name":"Monthly","recipients":["{{Finops}}"],"groupBy":"SERVICE"}""");
        }

        var settings = EmulatorFixture.FunctionSettings("e2e", "[" + string.Join(',', reports) + "]", _table, _queues);
        var connection = emulators.Connection(_costExplorer.Url);

        var scheduler = new SchedulerFunction(SchedulerComposition.Build(settings, connection, _time, _logs));
        var collector = new CollectorFunction(CollectorComposition.Build(settings, connection, _time, _logs));
        var notifier = new NotifierFunction(NotifierComposition.Build(settings, connection, _time, _logs));
        return (scheduler,
            new LambdaPoller(emulators.Sqs, _queues.Collector, collector.HandleAsync),
            new LambdaPoller(emulators.Sqs, _queues.Notifier, notifier.HandleAsync));
    }

    private static async Task<JsonElement> Invoke(Func<Stream, CancellationToken, Task<Stream>> function, string payload)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(payload));
        await using var output = await function(input, CancellationToken.None);
        using var answer = await JsonDocument.ParseAsync(output);
        return answer.RootElement.Clone();
    }

    private async Task<List<JsonElement>> EmailsTo(params string[] recipients) =>
        (await emulators.ReadSentEmailsAsync()).EnumerateArray()
            .Where(e => e.GetProperty("destination").GetProperty("to").EnumerateArray().Any(a => recipients.Contains(a.GetString())))
            .ToList();

    private async Task<int> Depth(string queueUrl) => await new LambdaPoller(emulators.Sqs, queueUrl, (_, _) => throw new InvalidOperationException()).DepthAsync(CancellationToken.None);
}
