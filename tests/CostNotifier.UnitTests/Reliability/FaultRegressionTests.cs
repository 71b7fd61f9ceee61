using CostNotifier.Configuration;
using CostNotifier.Domain;
using CostNotifier.Embedded.Queues;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Testing.Faults;

namespace CostNotifier.UnitTests.Reliability;

/// <summary>
/// The exact faults behind the defects the generated schedules found (docs/RELIABILITY.md, "Defects found"), each
/// scripted so it happens every time. Every test failed before its fix.
/// </summary>
public sealed class FaultRegressionTests : IDisposable
{
    private static readonly ReportDate Day = ReportDate.FromInstant(FaultyEmbeddedStack.Start).AddDays(-1);
    private static readonly StreamId Stream = new(ReportId.Parse("by-service"), Day);

    private static readonly ReportCatalog Reports = ReportConfiguration.Parse("""
        [{ "id": "by-service", "name": "By service", "recipients": ["finops@example.com"], "groupBy": "SERVICE" }]
        """);

    private readonly FaultSession _session = new(1, FaultRates.None);
    private readonly FaultyEmbeddedStack _pipeline;

    public FaultRegressionTests() => _pipeline = new FaultyEmbeddedStack(Reports, _session);

    public void Dispose() => _pipeline.Dispose();

    // Defect 1, src/Notifier/SendReportEmail.cs RecordAsync (fixed: each retry first looks for its own event): an append of NotificationSent that took effect but
    // answered an error (lost response; or DynamoDB's own SDK retry of the PutItem then failing its condition, which
    // DynamoDbEventStore turns into WrongExpectedVersionException) is retried after re-reading the stream without
    // looking for the event there: a second NotificationSent is stored for one email.
    [Fact]
    public async Task Defect1_ARecordThatTookEffectButAnsweredAnError_IsStoredOnce()
    {
        await CollectAsync();
        var appends = 0;
        _session.TimeoutsAsCancellation = false;
        _session.Plan = (_, seam, operation) =>
            seam == Seam.StoreAppend && operation.Contains(EventTypes.NameOf<NotificationSent>(), StringComparison.Ordinal) && ++appends == 1
                ? FaultKind.AmbiguousTimeout
                : null;

        await _pipeline.AsWorkerAsync("notifier", () => NotifyOnceAsync(), advanceClock: true);

        var events = await _pipeline.Events.ReadStreamAsync(Stream, CancellationToken.None);
        Assert.Single(_pipeline.Email.Sent);
        Assert.Single(events, e => e.Type == EventTypes.NameOf<NotificationSent>());
    }

    // Defect 2, src/Shared/Hosting/SqsBatchProcessor.cs DeadLetterAsync (fixed: only the caller's own cancellation escapes): `catch (Exception ex) when (ex is not
    // OperationCanceledException)` lets a timeout of the dead-letter send escape ProcessAsync when the caller never
    // cancelled (the AWS SDK surfaces HttpClient timeouts as TaskCanceledException, aws/aws-sdk-net#2004). The whole
    // invocation fails: every neighbour of the poison message is retried (Lambda), and LocalPipelineRunner.DrainAsync
    // throws out of `costnotifier run`. DESIGN §4: one bad message never fails its neighbours.
    [Fact]
    public async Task Defect2_ATimeoutWhileDeadLetteringAPoisonMessage_FailsOnlyThatMessage()
    {
        await _pipeline.ScheduleAsync(Day);
        var poisonId = await _pipeline.Queues.SendAsync(LocalQueue.Collector, "not json", CancellationToken.None);
        _session.TimeoutsAsCancellation = true;
        _session.Plan = (_, seam, _) => seam == Seam.DeadLetter ? FaultKind.Timeout : null;
        var batch = await _pipeline.ReceiveAsync(LocalQueue.Collector, TimeSpan.FromSeconds(360));

        BatchProcessing.SqsBatchResponse? response = null;
        await _pipeline.AsWorkerAsync("collector", async () => response = await _pipeline.InvokeAsync(LocalQueue.Collector, batch));

        Assert.Equal([poisonId], response!.BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Single(await _pipeline.Events.ReadStreamAsync(Stream, CancellationToken.None));
    }

    // Defect 3 (fixed: timeouts are retried and the re-read is part of the retried step) — src/Notifier/SendReportEmail.cs, RecordAsync: once the provider accepted the email, recording it
    // is the only thing that prevents a second email, yet (a) an OperationCanceledException (an SDK timeout; the
    // token passed is CancellationToken.None) is not retried and (b) the re-read inside the catch block is not
    // retried either. One timeout while recording leaves the email unrecorded; after the claim expires the retry
    // sends it again. The window is wider than it needs to be.
    [Theory]
    [InlineData("timeout on the append")]
    [InlineData("failure of the re-read between attempts")]
    public async Task Defect3_AFailureWhileRecordingAnAcceptedEmail_IsRetried_SoNoSecondEmailGoesOut(string fault)
    {
        await CollectAsync();
        var appends = 0;
        var reads = 0;
        _session.TimeoutsAsCancellation = true;
        _session.Plan = (_, seam, operation) => fault switch
        {
            "timeout on the append" when seam == Seam.StoreAppend && operation.Contains(EventTypes.NameOf<NotificationSent>(), StringComparison.Ordinal) && ++appends == 1 => FaultKind.Timeout,
            "failure of the re-read between attempts" when seam == Seam.StoreAppend && operation.Contains(EventTypes.NameOf<NotificationSent>(), StringComparison.Ordinal) && ++appends == 1 => FaultKind.Transient,
            "failure of the re-read between attempts" when seam == Seam.StoreRead && appends == 1 && ++reads == 1 => FaultKind.Transient,
            _ => null,
        };

        await _pipeline.AsWorkerAsync("first", () => NotifyOnceAsync(), advanceClock: true);
        _pipeline.Time.Advance(TimeSpan.FromSeconds(361));
        await _pipeline.AsWorkerAsync("retry", () => NotifyOnceAsync(), advanceClock: true);

        Assert.Single(_pipeline.Email.Sent);
    }

    // Defect 4 (fixed: the runner's backoff is sized to outlast the claim lifetime) — src/Embedded/Pipeline/LocalPipelineRunner.cs: a failed message is retried after 0.2-3.2 s, so its
    // five receives are spent in about 66 s (60 s visibility + backoff), while a claim left by a dead worker lives
    // 120 s. A `costnotifier run` killed after taking a claim and re-run within two minutes dead-letters the report
    // ("exceeded maxReceiveCount") instead of collecting it once the claim expires. (On AWS the message comes back
    // after 6 × 60 s, past the claim, so it does not happen with Terraform's defaults.)
    [Fact]
    public async Task Defect4_TheEmbeddedRunner_WaitsOutAClaimLeftByADeadProcess_InsteadOfDeadLetteringTheReport()
    {
        await _pipeline.ScheduleAsync(Day);
        _session.Plan = (worker, seam, _) => worker.Name == "killed run" && seam == Seam.ClaimAcquire ? FaultKind.Crash : null;
        await _pipeline.AsWorkerAsync("killed run", () => _pipeline.Stack.Runner.DrainAsync(CancellationToken.None));

        WorkerContext.Enter(null);
        await _pipeline.Stack.Runner.DrainAsync(CancellationToken.None);

        Assert.Empty(await _pipeline.Queues.ListDeadLettersAsync(PipelineQueue.Collector, 10, CancellationToken.None));
        Assert.Single(_pipeline.Email.Sent);
    }

    private async Task CollectAsync()
    {
        await _pipeline.ScheduleAsync(Day);
        Assert.Empty((await _pipeline.InvokeAsync(LocalQueue.Collector, await _pipeline.ReceiveAsync(LocalQueue.Collector, TimeSpan.FromSeconds(360)))).BatchItemFailures);
    }

    private async Task NotifyOnceAsync() =>
        await _pipeline.InvokeAsync(LocalQueue.Notifier, await _pipeline.ReceiveAsync(LocalQueue.Notifier, TimeSpan.FromSeconds(360)));
}
