using CostNotifier.Configuration;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Embedded.Queues;
using CostNotifier.Embedded.SampleCost;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Testing.Faults;
using CostNotifier.UnitTests.Timing;

namespace CostNotifier.UnitTests.Reliability;

/// <summary>
/// Claims expire: a worker that dies holding one blocks its report-day only until the claim's lifetime ends, and
/// a late worker whose claim expired meets an expected-version conflict instead of overwriting a newer result.
/// The event source mapping here behaves as Lambda's: a message that failed or whose worker died comes back after
/// the queue's visibility timeout.
/// </summary>
public sealed class ClaimExpiryTests : IDisposable
{
    private static readonly TimeSpan ClaimLifetime = CostNotifier.Cli.Composition.EmbeddedStack.ClaimLifetime;
    private static readonly ReportDate Day = ReportDate.FromInstant(FaultyEmbeddedStack.Start).AddDays(-1);
    private static readonly StreamId Stream = new(ReportId.Parse("by-service"), Day);

    private static readonly ReportCatalog Reports = ReportConfiguration.Parse("""
        [{ "id": "by-service", "name": "By service", "recipients": ["finops@example.com"], "groupBy": "SERVICE" }]
        """);

    private readonly FaultSession _session = new(1, FaultRates.None);
    private readonly CountingCostSource _costs;
    private readonly ObservedClock _clock;
    private readonly FaultyEmbeddedStack _pipeline;

    public ClaimExpiryTests()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(FaultyEmbeddedStack.Start);
        _costs = new CountingCostSource(new SampleCostSource(time));
        _clock = new ObservedClock(time);
        _pipeline = new FaultyEmbeddedStack(Reports, _session, time, _costs, clock: _clock);
    }

    public void Dispose() => _pipeline.Dispose();

    [Fact]
    public async Task ACollectorThatDiesHoldingItsClaim_BlocksTheReportDayOnlyUntilTheClaimExpires()
    {
        // Arrange: the first worker takes the claim and dies on the spot.
        await _pipeline.ScheduleAsync(Day);
        _session.Plan = (worker, seam, _) => worker.Name == "first" && seam == Seam.ClaimAcquire ? FaultKind.Crash : null;
        var died = await _pipeline.AsWorkerAsync("first", async () => await _pipeline.InvokeAsync(LocalQueue.Collector, await _pipeline.ReceiveAsync(LocalQueue.Collector, TimeSpan.FromSeconds(1))));
        var claimedAt = _pipeline.Time.GetUtcNow();
        Assert.True(died.IsDead);

        // Act: the message comes back (short visibility here) while the dead worker's claim still lives.
        _pipeline.Time.Advance(ClaimLifetime - TimeSpan.FromMilliseconds(1));
        var blocked = await _pipeline.InvokeAsync(LocalQueue.Collector, await _pipeline.ReceiveAsync(LocalQueue.Collector, TimeSpan.FromMilliseconds(1)));

        // Assert: refused for now, nothing fetched, nothing written.
        Assert.Single(blocked.BatchItemFailures);
        Assert.Equal(0, _costs.Calls);
        Assert.Empty(await _pipeline.Events.ReadStreamAsync(Stream, CancellationToken.None));

        // Act: the claim's lifetime ends exactly now.
        _pipeline.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(claimedAt + ClaimLifetime, _pipeline.Time.GetUtcNow());
        var retried = await _pipeline.InvokeAsync(LocalQueue.Collector, await _pipeline.ReceiveAsync(LocalQueue.Collector, TimeSpan.FromSeconds(360)));

        // Assert: collected once, announced once, the collector queue is empty.
        Assert.Empty(retried.BatchItemFailures);
        Assert.Equal(1, _costs.Calls);
        var events = await _pipeline.Events.ReadStreamAsync(Stream, CancellationToken.None);
        Assert.Equal([EventTypes.NameOf<CostSnapshotCollected>()], events.Select(e => e.Type));
        Assert.Equal(0, await _pipeline.Queues.CountAsync(LocalQueue.Collector, CancellationToken.None));
        Assert.Equal(1, await _pipeline.Queues.CountAsync(LocalQueue.Notifier, CancellationToken.None));
    }

    [Fact]
    public async Task ANotifierThatDiesAfterTheProviderAccepted_IsHeldOffUntilItsClaimExpires_ThenSendsTheOneDocumentedDuplicate()
    {
        // Arrange: collected; the first notifier worker's email is accepted, then it dies before recording it.
        await CollectAsync();
        _session.Plan = (worker, seam, _) => worker.Name == "first" && seam == Seam.EmailSend ? FaultKind.Crash : null;
        await _pipeline.AsWorkerAsync("first", async () => await _pipeline.InvokeAsync(LocalQueue.Notifier, await _pipeline.ReceiveAsync(LocalQueue.Notifier, TimeSpan.FromSeconds(1))));
        Assert.Single(_pipeline.Email.Sent);

        // Act: a retry before the claim expires.
        _pipeline.Time.Advance(ClaimLifetime - TimeSpan.FromSeconds(1));
        var early = await _pipeline.AsWorkerAsync("early", async () => Assert.Single((await _pipeline.InvokeAsync(LocalQueue.Notifier, await _pipeline.ReceiveAsync(LocalQueue.Notifier, TimeSpan.FromSeconds(1)))).BatchItemFailures));

        // Assert: nothing sent twice while the dead worker's claim lives.
        Assert.False(early.IsDead);
        Assert.Single(_pipeline.Email.Sent);

        // Act: a retry after the claim expired.
        _pipeline.Time.Advance(TimeSpan.FromSeconds(2));
        await _pipeline.AsWorkerAsync("late", async () => Assert.Empty((await _pipeline.InvokeAsync(LocalQueue.Notifier, await _pipeline.ReceiveAsync(LocalQueue.Notifier, TimeSpan.FromSeconds(360)))).BatchItemFailures));

        // Assert: exactly one more email (the window), one record, and the ledger names the cause.
        Assert.Equal(2, _pipeline.Email.Sent.Count);
        var events = await _pipeline.Events.ReadStreamAsync(Stream, CancellationToken.None);
        Assert.Equal([EventTypes.NameOf<CostSnapshotCollected>(), EventTypes.NameOf<NotificationSent>()], events.Select(e => e.Type));
        var duplicate = Assert.Single(_session.Ledger.WindowDuplicates);
        Assert.Equal("crash", duplicate.Cause);
        Assert.Empty(_session.Ledger.Violations);
    }

    [Fact]
    public async Task ALateCollectorWhoseClaimExpired_MeetsAVersionConflict_AndNeverOverwritesTheNewerSnapshot()
    {
        // Arrange: the scheduled request and a replay of the same day; the first worker stalls inside Cost Explorer.
        await _pipeline.ScheduleAsync(Day);
        await _pipeline.ScheduleAsync(Day, Trigger.Replay);
        var messages = await _pipeline.ReceiveAsync(LocalQueue.Collector, TimeSpan.FromSeconds(360));
        var scheduled = messages.Single(m => m.Body.Contains("\"scheduled\"", StringComparison.Ordinal));
        var replay = messages.Single(m => m.Body.Contains("\"replay\"", StringComparison.Ordinal));
        var stall = new TaskCompletionSource();
        _costs.BeforeCall = call => call == 1 ? stall.Task : Task.CompletedTask;
        var late = Task.Run(() => _pipeline.InvokeAsync(LocalQueue.Collector, [scheduled]));
        await _costs.FirstCallStarted;

        // Act: the stalled worker's claim expires; another worker collects the replay and records it as version 1.
        _pipeline.Time.Advance(ClaimLifetime + TimeSpan.FromSeconds(1));
        Assert.Empty((await _pipeline.InvokeAsync(LocalQueue.Collector, [replay])).BatchItemFailures);
        var newer = Assert.Single(await _pipeline.Events.ReadStreamAsync(Stream, CancellationToken.None));

        // Act: the late worker wakes up and tries to append what it decided against the empty stream it had read.
        stall.SetResult();
        var lateResponse = await late;

        // Assert: its append was refused (expected version 0, stream at 1) and its message will be delivered again.
        Assert.Single(lateResponse.BatchItemFailures);
        var afterLate = await _pipeline.Events.ReadStreamAsync(Stream, CancellationToken.None);
        Assert.Equal(newer, Assert.Single(afterLate));

        // Act: the redelivery re-reads the stream and records its own collection after the newer one.
        _pipeline.Time.Advance(TimeSpan.FromSeconds(361));
        Assert.Empty((await _pipeline.InvokeAsync(LocalQueue.Collector, await _pipeline.ReceiveAsync(LocalQueue.Collector, TimeSpan.FromSeconds(360)))).BatchItemFailures);

        // Assert: version 1 is untouched; the scheduled request's collection is version 2.
        var final = await _pipeline.Events.ReadStreamAsync(Stream, CancellationToken.None);
        Assert.Equal(newer, final[0]);
        Assert.Equal([1L, 2L], final.Select(e => e.Version));
        var state = ReportPeriodState.Fold(final);
        Assert.True(state.TryGetCollection(RequestId.Scheduled(Day), out _));
        Assert.Equal(1, StreamAudit.CollectionsOf(final, RequestId.Scheduled(Day)));
    }

    [Fact]
    public async Task ALateNotifierWhoseClaimExpired_AppendsAfterTheNewerRecord_AndNeverOverwritesIt()
    {
        // Arrange: collected; the first notifier worker stalls inside the email provider holding its claim.
        await CollectAsync();
        var message = Assert.Single(await _pipeline.ReceiveAsync(LocalQueue.Notifier, TimeSpan.FromSeconds(360)));
        var stall = new TaskCompletionSource();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sends = 0;
        _pipeline.Email.BeforeAccept = _ =>
        {
            if (Interlocked.Increment(ref sends) != 1)
            {
                return Task.CompletedTask;
            }

            entered.SetResult();
            return stall.Task;
        };
        var late = Task.Run(() => _pipeline.InvokeAsync(LocalQueue.Notifier, [message]));
        await entered.Task;

        // Act: the claim expires; a second worker sends and records.
        _pipeline.Time.Advance(ClaimLifetime + TimeSpan.FromSeconds(1));
        Assert.Empty((await _pipeline.InvokeAsync(LocalQueue.Notifier, [message])).BatchItemFailures);
        var recorded = (await _pipeline.Events.ReadStreamAsync(Stream, CancellationToken.None))[^1];
        Assert.Equal(EventTypes.NameOf<NotificationSent>(), recorded.Type);

        // Act: the late worker's send completes and it records against the version it had read (its retry waits
        // on the clock between attempts, which moves on as soon as it waits).
        stall.SetResult();
        await _clock.AdvanceWhileWaitingAsync(late);

        // Assert: the newer record is untouched at its version; anything the late worker wrote comes after it.
        var final = await _pipeline.Events.ReadStreamAsync(Stream, CancellationToken.None);
        Assert.Equal(recorded, final.Single(e => e.Version == recorded.Version));
        Assert.Null(StreamAudit.Check(Stream, final));

        // A worker that outlives its claim can send a second email: why the claim (2 min) must outlast the
        // function's timeout (60 s), as Terraform's defaults do.
        Assert.Equal(2, _pipeline.Email.Sent.Count);
    }

    private async Task CollectAsync()
    {
        await _pipeline.ScheduleAsync(Day);
        Assert.Empty((await _pipeline.InvokeAsync(LocalQueue.Collector, await _pipeline.ReceiveAsync(LocalQueue.Collector, TimeSpan.FromSeconds(360)))).BatchItemFailures);
    }

    /// <summary>Counts calls to the cost source and can hold one back.</summary>
    private sealed class CountingCostSource(ICostSource inner) : ICostSource
    {
        private readonly TaskCompletionSource _firstCall = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public int Calls => _calls;

        public Task FirstCallStarted => _firstCall.Task;

        public Func<int, Task> BeforeCall { get; set; } = _ => Task.CompletedTask;

        public async Task<CostQueryResult> GetCostAsync(CostQuery query, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            _firstCall.TrySetResult();
            await BeforeCall(call);
            return await inner.GetCostAsync(query, cancellationToken);
        }
    }
}
