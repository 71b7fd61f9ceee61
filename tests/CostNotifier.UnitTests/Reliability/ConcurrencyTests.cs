using System.Text.RegularExpressions;
using CostNotifier.Configuration;
using CostNotifier.Domain;
using CostNotifier.Embedded.Queues;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Testing.Faults;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Reliability;

/// <summary>
/// Two workers on the same message at once, in every interleaving the <see cref="Interleaver"/> draws from 200
/// seeds, and the determinism that lets a failing schedule be replayed from its seed.
/// </summary>
public sealed partial class ConcurrencyTests
{
    private static readonly ReportDate Day = ReportDate.FromInstant(FaultyEmbeddedStack.Start).AddDays(-1);
    private static readonly ReportCatalog Reports = ReportConfiguration.Parse("""
        [{ "id": "by-service", "name": "By service", "recipients": ["finops@example.com", "platform@example.com"], "groupBy": "SERVICE" }]
        """);

    [Fact]
    public async Task TwoWorkersOnTheSameMessages_InEveryDrawnInterleaving_CollectOnceAndEmailEachRecipientOnce()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            // Arrange
            var time = new FakeTimeProvider(FaultyEmbeddedStack.Start);
            var interleaver = new Interleaver(new Random(seed), step => time.Advance(step));
            var session = new FaultSession(seed, FaultRates.None, interleaver);
            using var pipeline = new FaultyEmbeddedStack(Reports, session, time);
            await pipeline.ScheduleAsync(Day);

            // Act: both queues, each batch handed to two workers at once; a worker that lost a claim race reports
            // its message failed, which comes back after the visibility timeout.
            for (var pass = 0; pass < 4; pass++)
            {
                foreach (var queue in new[] { LocalQueue.Collector, LocalQueue.Notifier })
                {
                    var batch = await pipeline.ReceiveAsync(queue, TimeSpan.FromSeconds(360));
                    if (batch.Count == 0)
                    {
                        continue;
                    }

                    interleaver.Spawn(new WorkerContext("A", session), () => pipeline.InvokeAsync(queue, batch));
                    interleaver.Spawn(new WorkerContext("B", session), () => pipeline.InvokeAsync(queue, [.. batch.Reverse()]));
                    await Task.Run(() => interleaver.RunAsync(CancellationToken.None));
                }

                time.Advance(TimeSpan.FromSeconds(361));
            }

            // Assert
            var events = await pipeline.Events.ReadStreamAsync(new StreamId(ReportId.Parse("by-service"), Day), CancellationToken.None);
            Assert.Equal(EventTypes.NameOf<CostSnapshotCollected>(), events[0].Type);
            Assert.Equal(1, StreamAudit.CollectionsOf(events, RequestId.Scheduled(Day)));
            Assert.Equal(2, events.Count(e => e.Type == EventTypes.NameOf<NotificationSent>()));
            Assert.Equal(["finops@example.com", "platform@example.com"], pipeline.Email.Sent.Select(e => e.To).Order(StringComparer.Ordinal));
            Assert.Empty(session.Ledger.Violations);
            Assert.Equal(0, await pipeline.Queues.CountAsync(LocalQueue.Collector, CancellationToken.None) + await pipeline.Queues.CountAsync(LocalQueue.Notifier, CancellationToken.None));
        }
    }

    [Fact]
    public async Task AScheduleReplaysExactlyFromItsSeed_SameFaultsSameOutcome()
    {
        // A busy schedule: every kind of fault, duplicates, two workers at once, reordering and held-back messages.
        var schedule = new PipelineSchedule(
            Seed: 20261125, Reports: 3, Recipients: 3, Days: 3, ScheduledFires: 2, Replays: 2, PoisonMessages: 3, BouncingRecipient: true,
            Rates: new FaultRates(20, 10, 10, 10, 15, 150), DuplicatePerMille: 250, ConcurrentPerMille: 500, ReorderPerMille: 500, HoldBackPerMille: 100);

        var first = await RunAsync(schedule);
        var second = await RunAsync(schedule);

        Assert.NotEmpty(first.Trace);
        Assert.Equal(first.Trace, second.Trace);
        Assert.Equal(first.Summary, second.Summary);
    }

    private static async Task<(List<string> Trace, string Summary)> RunAsync(PipelineSchedule schedule)
    {
        using var simulation = new EmbeddedPipelineSimulation(schedule);
        var steps = await Task.Run(() => simulation.RunAsync(CancellationToken.None));
        var outcome = simulation.Outcome;
        var ledger = simulation.Session.Ledger;

        // Message ids and receipt handles are fresh GUIDs on every run; everything else must repeat.
        var trace = simulation.Session.Trace.Select(line => Guids().Replace(line, "<id>")).ToList();
        return (trace, $"{steps} steps, {outcome.Rounds} rounds, {outcome.Deliveries} deliveries, {outcome.Emails} emails, {ledger.DuplicateEmails} duplicates, {simulation.Session.Tally.Describe()}");
    }

    [GeneratedRegex("[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex Guids();
}
