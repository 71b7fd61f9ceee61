using Amazon.SQS.Model;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.IntegrationTests.Emulators;
using CostNotifier.Messaging;
using CostNotifier.Scheduler;

namespace CostNotifier.IntegrationTests.EndToEnd;

/// <summary>
/// The three Lambda entry points as AWS runs them: real SQS (fauxqs) between them, events in DynamoDB (dynalite),
/// email through SES v2 (aws-ses-v2-local), Cost Explorer served from its documented JSON on a loopback port.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class AwsPipelineTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private static readonly DateTimeOffset ScheduledTime = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private EmulatedPipeline _pipeline = null!;

    private PipelineQueues Queues => _pipeline.Queues;

    private CostExplorerStub CostExplorer => _pipeline.CostExplorer;

    private string ServiceReport => $"by-service-{_suffix}";

    private string AccountReport => $"by-account-{_suffix}";

    private string TagReport => $"by-team-{_suffix}";

    private string WeeklyReport => $"weekly-{_suffix}";

    private string MonthlyReport => $"monthly-{_suffix}";

    private string Finops => $"finops-{_suffix}@example.com";

    private string Platform => $"platform-{_suffix}@example.com";

    public async Task InitializeAsync() => _pipeline = await EmulatedPipeline.CreateAsync(emulators, ScheduledTime);

    public async Task DisposeAsync() => await _pipeline.DisposeAsync();

    [Fact]
    public async Task ScheduledRun_FlowsThroughQueuesStoreAndSes_OneEmailPerRecipient()
    {
        var (scheduler, collector, notifier) = Functions(includeTagReport: false);

        var answer = await EmulatedPipeline.InvokeAsync(scheduler.HandleAsync, """{"source":"eventbridge-scheduler","scheduledTime":"2026-11-25T08:00:00Z"}""");
        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(60), collector, notifier);

        Assert.Equal("scheduled-2026-11-24", answer.GetProperty("requestId").GetString());
        Assert.Equal(2, answer.GetProperty("messages").GetArrayLength());
        var emails = await _pipeline.EmailsToAsync(Finops, Platform);
        Assert.Equal(3, emails.Count);
        var expectedTotal = Money.RoundToCents(CostExplorerStub.GroupsOf(ReportDate.Parse("2026-11-24")).Sum(g => g.Amount));
        Assert.All(emails, e => Assert.Contains($"${expectedTotal:0.00}", e.GetProperty("subject").GetString(), StringComparison.Ordinal));
        Assert.All(emails, e => Assert.Contains("<table", e.GetProperty("body").GetProperty("html").GetString(), StringComparison.Ordinal));

        var store = _pipeline.Store;
        var stream = await store.ReadStreamAsync(new StreamId(ReportId.Parse(ServiceReport), ReportDate.Parse("2026-11-24")), CancellationToken.None);
        Assert.Equal([EventTypes.NameOf<CostSnapshotCollected>(), EventTypes.NameOf<NotificationSent>(), EventTypes.NameOf<NotificationSent>()], stream.Select(e => e.Type));
        Assert.Equal(2, CostExplorer.Requests / 2);
        Assert.Equal(0, await _pipeline.DepthAsync(Queues.CollectorDeadLetter) + await _pipeline.DepthAsync(Queues.NotifierDeadLetter));
    }

    [Fact]
    public async Task ScheduleFiringTwice_AndEveryMessageDeliveredTwice_StillSendsOneEmailPerRecipient()
    {
        var (scheduler, collector, notifier) = Functions(includeTagReport: false);
        const string payload = """{"source":"eventbridge-scheduler","scheduledTime":"2026-11-25T08:00:00Z"}""";

        await EmulatedPipeline.InvokeAsync(scheduler.HandleAsync, payload);
        await EmulatedPipeline.InvokeAsync(scheduler.HandleAsync, payload);
        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(60), collector, notifier);

        Assert.Equal(3, (await _pipeline.EmailsToAsync(Finops, Platform)).Count);
        Assert.Equal(2, CostExplorer.Requests / 2);
    }

    [Fact]
    public async Task WeeklyAndMonthlyDigests_RunThroughTheFunctions_EachFromOneCostExplorerQuery()
    {
        var (scheduler, collector, notifier) = Functions(includeTagReport: false, includeDigests: true);
        var store = _pipeline.Store;

        // Monday 30 November: Sunday the 29th ends ISO week 48.
        _pipeline.Time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        var monday = await EmulatedPipeline.InvokeAsync(scheduler.HandleAsync, """{"source":"eventbridge-scheduler","scheduledTime":"2026-11-30T08:00:00Z"}""");
        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(60), collector, notifier);

        Assert.Contains(monday.GetProperty("messages").EnumerateArray(), m => m.GetProperty("reportId").GetString() == WeeklyReport && m.GetProperty("period").GetString() == "2026-W48");
        Assert.DoesNotContain(monday.GetProperty("messages").EnumerateArray(), m => m.GetProperty("reportId").GetString() == MonthlyReport);
        var week = ReportPeriodState.Fold(await store.ReadStreamAsync(new StreamId(ReportId.Parse(WeeklyReport), ReportPeriod.Parse("2026-W48")), CancellationToken.None));
        var weekly = Assert.IsType<CostSnapshotCollected>(week.LatestSnapshot);
        Assert.Equal(7, weekly.Figures.Digest!.Days.Count);
        // The week asks the daily question by service that the daily report asks for the 29th: they travel in one
        // collector message and share one query (two pages from the stub), counted on the daily report's snapshot.
        Assert.Equal(0, weekly.CostSourceRequests);
        var sunday = ReportPeriodState.Fold(await store.ReadStreamAsync(new StreamId(ReportId.Parse(ServiceReport), ReportPeriod.Parse("2026-11-29")), CancellationToken.None));
        Assert.Equal(2, sunday.LatestSnapshot!.CostSourceRequests);
        Assert.Equal(DailyAmounts(ReportPeriod.Parse("2026-W48")), weekly.Figures.Total);
        Assert.True(week.WasSent(RequestId.Parse("scheduled-2026-W48"), Platform));

        // Tuesday 1 December: Monday the 30th ends November.
        _pipeline.Time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await EmulatedPipeline.InvokeAsync(scheduler.HandleAsync, """{"source":"eventbridge-scheduler","scheduledTime":"2026-12-01T08:00:00Z"}""");
        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(60), collector, notifier);

        var month = ReportPeriodState.Fold(await store.ReadStreamAsync(new StreamId(ReportId.Parse(MonthlyReport), ReportPeriod.Parse("2026-11")), CancellationToken.None));
        var monthly = Assert.IsType<CostSnapshotCollected>(month.LatestSnapshot);
        Assert.Equal(DailyAmounts(ReportPeriod.Parse("2026-11")), monthly.Figures.Total);
        Assert.Equal(2, monthly.CostSourceRequests);
        Assert.Equal("2025-11", monthly.Figures.Digest!.ComparisonPeriod);
        Assert.True(month.WasSent(RequestId.Parse("scheduled-2026-11"), Finops));

        var subjects = (await _pipeline.EmailsToAsync(Finops, Platform)).Select(e => e.GetProperty("subject").GetString()).ToList();
        Assert.Contains(subjects, s => s!.Contains("week 48", StringComparison.Ordinal));
        Assert.Contains(subjects, s => s!.Contains("November 2026", StringComparison.Ordinal));
        Assert.Equal(0, await _pipeline.DepthAsync(Queues.CollectorDeadLetter) + await _pipeline.DepthAsync(Queues.NotifierDeadLetter));
    }

    [Fact]
    public async Task AMessageThatKeepsFailing_ReachesTheDeadLetterQueueAfterMaxReceives_WhileItsNeighboursSucceed()
    {
        var (scheduler, collector, notifier) = Functions(includeTagReport: true);

        await EmulatedPipeline.InvokeAsync(scheduler.HandleAsync, """{"source":"eventbridge-scheduler","scheduledTime":"2026-11-25T08:00:00Z"}""");
        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(60), collector, notifier);

        Assert.Equal(3, (await _pipeline.EmailsToAsync(Finops, Platform)).Count);
        var dead = await emulators.ReceiveAndDeleteAsync(Queues.CollectorDeadLetter, 1, TimeSpan.FromSeconds(5));
        var payload = MessageCodec.DecodeReportRequested(Assert.Single(dead).Body).Payload;
        Assert.Equal(TagReport, payload.ReportId.Value);
        Assert.Equal(3 + 2, collector.Deliveries);
        Assert.Equal(3, collector.Failures);
    }

    [Fact]
    public async Task AnUnreadableMessage_IsMovedToTheDeadLetterQueueAtOnceWithItsReason()
    {
        var (_, collector, notifier) = Functions(includeTagReport: false);
        await emulators.Sqs.SendMessageAsync(Queues.Collector, """{"type":"ReportRequested","version":7}""");

        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(30), collector, notifier);

        var response = await emulators.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = Queues.CollectorDeadLetter,
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

        var functions = _pipeline.Functions("[" + string.Join(',', reports) + "]");
        return (functions.Scheduler, functions.Collector, functions.Notifier);
    }
}
