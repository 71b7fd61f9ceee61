using System.Globalization;
using System.Text;
using CostNotifier.BatchProcessing;
using CostNotifier.Cli.Composition;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Embedded.Outbox;
using CostNotifier.Embedded.Queues;
using CostNotifier.Embedded.SampleCost;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Scheduler;
using CostNotifier.Testing.Faults;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Reliability;

/// <summary>
/// Runs one <see cref="PipelineSchedule"/> through the embedded pipeline (<see cref="EmbeddedStack"/>: SQLite store,
/// claims and queues, the real scheduler, collector and notifier handlers) with every adapter wrapped in a fault
/// decorator, and plays Lambda's SQS event source mapping itself: batches of 1-10, a failed or crashed message comes
/// back after the queue's visibility timeout (six times the function timeout, as Terraform sets it), duplicates,
/// two workers at once, reordered and held-back deliveries. Workers interleave deterministically
/// (<see cref="Interleaver"/>). Phase 1 runs with faults until the queues are empty; phase 2 turns faults off,
/// redrives both dead-letter queues as an operator would and settles again.
/// </summary>
internal sealed class EmbeddedPipelineSimulation : IDisposable
{
    /// <summary>The queues' visibility timeout: 6 × the functions' 60 s timeout, as terraform/modules/pipeline sets it.</summary>
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(360);

    private const int MaxRounds = 400;

    private readonly PipelineSchedule _schedule;
    private readonly FakeTimeProvider _time = new(FaultyEmbeddedStack.Start);
    private readonly Random _choices;
    private readonly Interleaver _interleaver;
    private readonly FaultSession _session;
    private readonly FaultyEmbeddedStack _pipeline;
    private readonly EmbeddedStack _stack;
    private readonly RecordingEmailSender _email;
    private readonly SqsBatchProcessor _collector;
    private readonly SqsBatchProcessor _notifier;
    private readonly SqsBatchProcessor _delivery;
    private readonly ReportCatalog _catalog;
    private readonly List<PlannedTrigger> _triggers = [];
    private readonly HashSet<(string ReportId, string Date, string RequestId)> _requested = [];
    private readonly Dictionary<string, string> _poison = new(StringComparer.Ordinal);
    private int _workerCount;

    public EmbeddedPipelineSimulation(PipelineSchedule schedule)
    {
        _schedule = schedule;
        _choices = new Random(schedule.Seed);
        _interleaver = new Interleaver(new Random(unchecked(schedule.Seed * 31 + 7)), step => _time.Advance(step));
        _session = new FaultSession(unchecked(schedule.Seed * 17 + 3), schedule.Rates, _interleaver);
        _catalog = Catalog(schedule);
        _pipeline = new FaultyEmbeddedStack(_catalog, _session, _time, new DriftingCostSource(new SampleCostSource(_time)), Published);
        _stack = _pipeline.Stack;
        _email = _pipeline.Email;
        _collector = _pipeline.Collector;
        _notifier = _pipeline.Notifier;
        _delivery = _pipeline.Delivery;
        if (SesSendEvents)
        {
            // As SES does: once it has accepted an email, its Send event is on its way, whatever becomes of the sender.
            _email.AfterAccept = (email, id) => _stack.Queues.SendAsync(LocalQueue.Delivery, SesEventBodies.Send(email, id, _time.GetUtcNow()), CancellationToken.None);
        }
    }

    /// <summary>
    /// Whether the provider publishes Send events that the notifier records (the default). Set
    /// <c>COSTNOTIFIER_RELIABILITY_SES_EVENTS=off</c> to measure the duplicate window without them.
    /// </summary>
    public static bool SesSendEvents { get; } =
        !string.Equals(Environment.GetEnvironmentVariable("COSTNOTIFIER_RELIABILITY_SES_EVENTS"), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>What the run produced; filled in by <see cref="RunAsync"/>.</summary>
    public SimulationOutcome Outcome { get; } = new();

    public FaultSession Session => _session;

    /// <summary>Runs the schedule to the end and checks every invariant; throws with the evidence when one fails.</summary>
    /// <returns>How many external calls the interleaver stepped through.</returns>
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        await PlanAsync(cancellationToken).ConfigureAwait(false);
        if (_schedule.BouncingRecipient)
        {
            _email.Rejecting.Add(_catalog.Reports[0].Recipients[0]);
        }

        // Phase 1: faults on until nothing is left to deliver.
        await SettleAsync(withTriggers: true, cancellationToken).ConfigureAwait(false);
        await AuditAtRestAsync(cancellationToken).ConfigureAwait(false);

        // Phase 2: the operator fixed what was wrong and redrives the dead-letter queues.
        _session.Rates = FaultRates.None;
        _email.Rejecting.Clear();
        Outcome.Redriven += (await _stack.Queues.RedriveAsync(PipelineQueue.Collector, int.MaxValue, cancellationToken).ConfigureAwait(false)).Count;
        Outcome.Redriven += (await _stack.Queues.RedriveAsync(PipelineQueue.Notifier, int.MaxValue, cancellationToken).ConfigureAwait(false)).Count;
        Outcome.Redriven += (await _stack.Queues.RedriveAsync(PipelineQueue.Delivery, int.MaxValue, cancellationToken).ConfigureAwait(false)).Count;
        await SettleAsync(withTriggers: false, cancellationToken).ConfigureAwait(false);
        await AuditFinalAsync(cancellationToken).ConfigureAwait(false);
        return _interleaver.Steps;
    }

    public void Dispose() => _pipeline.Dispose();

    /// <summary>Report i has recipients u0..u(min(i, n-1)) so reports share some recipients; all group differently.</summary>
    internal static ReportCatalog Catalog(PipelineSchedule schedule)
    {
        string[] groupBys = ["SERVICE", "LINKED_ACCOUNT", "TAG:team"];
        var reports = Enumerable.Range(0, schedule.Reports).Select(i =>
        {
            var recipients = Enumerable.Range(0, 1 + ((i + schedule.Seed) & 0x7fff_ffff) % schedule.Recipients)
                .Select(j => $"\"u{j}@example.com\"");
            return $$"""{ "id": "report-{{(char)('a' + i)}}", "name": "Report {{i}}", "recipients": [{{string.Join(',', recipients)}}], "groupBy": "{{groupBys[i % 3]}}", "top": 5 }""";
        });
        return Configuration.ReportConfiguration.Parse("[" + string.Join(',', reports) + "]");
    }

    private async Task PlanAsync(CancellationToken cancellationToken)
    {
        var yesterday = ReportDate.FromInstant(FaultyEmbeddedStack.Start).AddDays(-1);
        var days = Enumerable.Range(0, _schedule.Days).Select(d => yesterday.AddDays(-d)).ToList();
        foreach (var day in days)
        {
            for (var fire = 0; fire < _schedule.ScheduledFires; fire++)
            {
                _triggers.Add(new PlannedTrigger(_choices.Next(0, 6), new ScheduleReports(day, day, Trigger.Scheduled, [], null, Guid.NewGuid().ToString("N"))));
            }
        }

        for (var replay = 0; replay < _schedule.Replays; replay++)
        {
            var report = _catalog.Reports[_choices.Next(_catalog.Reports.Count)].Id;
            var day = days[_choices.Next(days.Count)];
            _triggers.Add(new PlannedTrigger(_choices.Next(0, 12), new ScheduleReports(day, day, Trigger.Replay, [report], null, Guid.NewGuid().ToString("N"))));
        }

        var poison = PoisonBodies(yesterday).OrderBy(_ => _choices.Next()).Take(_schedule.PoisonMessages).ToList();
        foreach (var (queue, body) in poison)
        {
            var id = await _stack.Queues.SendAsync(queue, body, cancellationToken).ConfigureAwait(false);
            _poison[id] = queue.Name;
        }
    }

    private IEnumerable<(LocalQueue Queue, string Body)> PoisonBodies(ReportDate yesterday)
    {
        string Fill(string template) => template
            .Replace("REPORT", _catalog.Reports[0].Id.Value, StringComparison.Ordinal)
            .Replace("YESTERDAY", yesterday.ToString(), StringComparison.Ordinal)
            .Replace("OLDDAY", yesterday.AddDays(-20).ToString(), StringComparison.Ordinal)
            .Replace("NOW", FaultyEmbeddedStack.Start.ToString("O", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        yield return (LocalQueue.Collector, "not json at all");
        yield return (LocalQueue.Collector, Fill("""{"type":"ReportRequested","version":3,"id":"p1","correlationId":"c","occurredAt":"NOW","payload":{"reportId":"REPORT","date":"YESTERDAY","trigger":"scheduled","requestId":"r"}}"""));
        yield return (LocalQueue.Collector, Fill("""{"type":"ReportRequested","version":1,"id":"p2","correlationId":"c","occurredAt":"NOW","payload":{"reportId":"no-such-report","date":"YESTERDAY","trigger":"scheduled","requestId":"r"}}"""));
        yield return (LocalQueue.Collector, Fill("""{"type":"ReportRequested","version":1,"id":"p3","correlationId":"c","occurredAt":"NOW","payload":{"reportId":"REPORT","date":"2026-02-30","trigger":"scheduled","requestId":"r"}}"""));
        yield return (LocalQueue.Notifier, Fill("""{"type":"CostSnapshotReady","version":1,"id":"p4","correlationId":"c","occurredAt":"NOW","payload":{"reportId":"REPORT","date":"OLDDAY","snapshotVersion":99,"requestId":"r","trigger":"replay"}}"""));
        yield return (LocalQueue.Notifier, """{"type":"CostSnapshotReady"}""");
    }

    private void Published(PipelineQueue queue, IReadOnlyList<OutgoingMessage> messages, IReadOnlyList<string> ids)
    {
        foreach (var message in messages)
        {
            if (MessagePeek.RequestOf(message.Body) is { } request)
            {
                lock (_requested)
                {
                    _requested.Add(request);
                }
            }
        }

        lock (Outcome)
        {
            Outcome.Published += messages.Count;
        }
    }

    private async Task SettleAsync(bool withTriggers, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            Outcome.Rounds++;
            if (round > MaxRounds)
            {
                throw new InvalidOperationException($"The pipeline did not settle within {MaxRounds} rounds.");
            }

            if (withTriggers)
            {
                foreach (var trigger in _triggers.Where(t => t.Round <= round && !t.Done && !t.Running).ToList())
                {
                    SpawnTrigger(trigger);
                }
            }

            var delivered = 0;
            delivered += await DeliverAsync(LocalQueue.Collector, _collector, cancellationToken).ConfigureAwait(false);
            delivered += await DeliverAsync(LocalQueue.Notifier, _notifier, cancellationToken).ConfigureAwait(false);
            delivered += await DeliverAsync(LocalQueue.Delivery, _delivery, cancellationToken).ConfigureAwait(false);
            await _interleaver.RunAsync(cancellationToken).ConfigureAwait(false);
            ReapDeadTriggers();

            var depth = (await _stack.Queues.CountAsync(LocalQueue.Collector, cancellationToken).ConfigureAwait(false))
                + (await _stack.Queues.CountAsync(LocalQueue.Notifier, cancellationToken).ConfigureAwait(false))
                + (await _stack.Queues.CountAsync(LocalQueue.Delivery, cancellationToken).ConfigureAwait(false));
            var triggersLeft = withTriggers && _triggers.Any(t => !t.Done);
            if (depth == 0 && !triggersLeft)
            {
                return;
            }

            if (delivered == 0 && !triggersLeft)
            {
                // Everything left is in flight (failed, crashed or held back): it comes back after the visibility
                // timeout, by which time every claim a dead worker held (2 minutes) has expired.
                _time.Advance(VisibilityTimeout + TimeSpan.FromSeconds(1));
            }
            else
            {
                _time.Advance(TimeSpan.FromMilliseconds(_choices.Next(0, 3_000)));
            }
        }
    }

    private void SpawnTrigger(PlannedTrigger trigger)
    {
        trigger.Running = true;
        trigger.Attempts++;
        var worker = NewWorker($"scheduler {trigger.Command.Trigger.ToWireName()} {trigger.Command.From} attempt {trigger.Attempts}");
        trigger.Worker = worker;
        _interleaver.Spawn(worker, async () =>
        {
            try
            {
                // A replay's request id is made per invocation, so an operator re-running a failed replay makes a
                // new request, as the CLI does.
                await _stack.Mediator.Send(trigger.Command, CancellationToken.None).ConfigureAwait(false);
                trigger.Done = true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // EventBridge Scheduler retries a failed invocation.
                Outcome.SchedulerRetries++;
            }
            finally
            {
                trigger.Running = false;
            }
        });
    }

    /// <summary>A scheduler invocation that died is retried, as EventBridge Scheduler retries a timed-out one.</summary>
    private void ReapDeadTriggers()
    {
        foreach (var trigger in _triggers.Where(t => t.Running && t.Worker is { IsDead: true }))
        {
            trigger.Running = false;
            Outcome.SchedulerRetries++;
        }
    }

    private async Task<int> DeliverAsync(LocalQueue queue, SqsBatchProcessor processor, CancellationToken cancellationToken)
    {
        var batches = 1 + (Roll(_schedule.ConcurrentPerMille) ? 1 : 0);
        var delivered = 0;
        for (var b = 0; b < batches; b++)
        {
            var received = await _stack.Queues
                .ReceiveAsync(queue, 1 + _choices.Next(LocalQueueStore.MaxMessagesPerReceive), VisibilityTimeout, cancellationToken)
                .ConfigureAwait(false);
            if (received.Count == 0)
            {
                break;
            }

            var batch = received.ToList();
            if (Roll(_schedule.ReorderPerMille))
            {
                batch = [.. batch.OrderBy(_ => _choices.Next())];
            }

            // A held-back message is received but never handed over: it comes back after the visibility timeout,
            // after messages sent later. (Not while settling: held back five times, even a valid message would
            // exhaust its receives.)
            var held = batch.Where(_ => Roll(_session.Rates == FaultRates.None ? 0 : _schedule.HoldBackPerMille)).ToList();
            batch = [.. batch.Except(held)];
            Outcome.HeldBack += held.Count;
            if (batch.Count == 0)
            {
                continue;
            }

            delivered += batch.Count;
            Outcome.Deliveries += batch.Count;
            SpawnInvocation(queue, processor, batch);
            if (Roll(_schedule.DuplicatePerMille))
            {
                // SQS delivers at least once: the same messages reach a second worker at the same time.
                Outcome.DuplicateDeliveries += batch.Count;
                SpawnInvocation(queue, processor, [.. batch.OrderBy(_ => _choices.Next())]);
            }
        }

        Outcome.ConcurrentRounds += batches > 1 ? 1 : 0;
        return delivered;
    }

    private void SpawnInvocation(LocalQueue queue, SqsBatchProcessor processor, IReadOnlyList<ReceivedMessage> batch)
    {
        var worker = NewWorker($"{queue.Name} invocation of {batch.Count}");
        _interleaver.Spawn(worker, async () =>
        {
            SqsBatchResponse response;
            try
            {
                response = await processor.ProcessAsync(LocalSqsEvents.Create(batch), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The invocation itself failed: Lambda retries the whole batch after the visibility timeout.
                lock (Outcome)
                {
                    Outcome.WholeBatchFailures.Add($"{worker.Name}: {ex.GetType().Name}: {ex.Message}");
                }

                return;
            }

            var failed = response.BatchItemFailures.Select(f => f.ItemIdentifier).ToHashSet(StringComparer.Ordinal);
            Outcome.ItemFailures += failed.Count;
            if (failed.Contains(string.Empty))
            {
                return;
            }

            foreach (var message in batch.Where(m => !failed.Contains(m.MessageId)))
            {
                try
                {
                    await SeamCall.RunAsync(Seam.QueueDelete, $"delete {message.MessageId}", () => _stack.Queues.DeleteAsync(queue, message.ReceiptHandle, CancellationToken.None)).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Not deleted: the message comes back after its visibility timeout and is handled again.
                }
            }
        });
    }

    private WorkerContext NewWorker(string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"#{++_workerCount} {what}"), _session);

    private bool Roll(int perMille) => _choices.Next(1000) < perMille;

    /// <summary>Phase 1 at rest: nothing silently dropped — every requested email is sent or its message is in a DLQ.</summary>
    private async Task AuditAtRestAsync(CancellationToken cancellationToken)
    {
        var dead = await DeadLettersAsync(cancellationToken).ConfigureAwait(false);
        var parked = dead.Select(d => MessagePeek.RequestOf(d.Body)).OfType<(string ReportId, string Date, string RequestId)>().ToHashSet();
        foreach (var poison in _poison.Keys.Where(id => !dead.Any(d => d.MessageId == id)))
        {
            Fail($"poison message {poison} is neither processed nor in a dead-letter queue");
        }

        foreach (var message in dead)
        {
            if (string.IsNullOrWhiteSpace(message.Reason))
            {
                Fail($"dead-lettered message {message.MessageId} has no reason");
            }

            if (!_poison.ContainsKey(message.MessageId))
            {
                Outcome.DeadLetteredInPhase1.Add(message.Reason ?? "?");
            }
        }

        foreach (var key in ExpectedEmails())
        {
            var sent = await CountSentAsync(key, cancellationToken).ConfigureAwait(false);
            if (sent == 0 && !parked.Contains((key.ReportId, key.Date, key.RequestId)))
            {
                Outcome.Lost.Add(key.ToString());
            }
        }

        if (Outcome.Lost.Count > 0)
        {
            Fail($"reports lost (neither sent nor in a dead-letter queue): {string.Join("; ", Outcome.Lost)}");
        }
    }

    /// <summary>After the redrive: the whole promise.</summary>
    private async Task AuditFinalAsync(CancellationToken cancellationToken)
    {
        var store = _stack.Events;
        var streams = _requested.Select(r => new StreamId(ReportId.Parse(r.ReportId), ReportDate.Parse(r.Date))).Distinct().ToList();
        foreach (var stream in streams)
        {
            var events = await store.ReadStreamAsync(stream, cancellationToken).ConfigureAwait(false);
            var problem = StreamAudit.Check(stream, events);
            if (problem is not null)
            {
                Fail(problem);
            }

            var state = ReportPeriodState.Fold(events);
            if (state.LatestSnapshot is null)
            {
                Fail($"report-day {stream} was requested but has no snapshot");
            }

            var indexed = await _stack.History.ReadReportAsync(stream.Report, PeriodRange.Single(stream.Period), cancellationToken).ConfigureAwait(false);
            if (!indexed.Select(e => e.Version).SequenceEqual(events.Select(e => e.Version)))
            {
                Fail($"the report index of {stream} disagrees with the stream");
            }

            foreach (var request in _requested.Where(r => r.ReportId == stream.Report.Value && r.Date == stream.Period.ToString()))
            {
                var collections = StreamAudit.CollectionsOf(events, RequestId.Parse(request.RequestId));
                if (collections != 1)
                {
                    Fail($"request {request.RequestId} of {stream} has {collections} collection events, not exactly one");
                }
            }

            Outcome.Events += events.Count;
        }

        foreach (var key in ExpectedEmails())
        {
            var recorded = await CountSentAsync(key, cancellationToken).ConfigureAwait(false);
            if (recorded != 1)
            {
                Fail($"{key} has {recorded} NotificationSent events, not exactly one");
            }
        }

        var expected = ExpectedEmails().ToHashSet();
        foreach (var (key, sends) in _session.Ledger.Sends)
        {
            if (!expected.Contains(key))
            {
                Fail($"{key} was emailed although no such request was enqueued");
            }

            var explained = 1 + _session.Ledger.WindowDuplicates.Count(d => d.Key == key);
            if (sends != explained)
            {
                Fail($"{key} was emailed {sends} times; the documented window explains {explained}");
            }
        }

        foreach (var key in expected.Where(k => !_session.Ledger.Sends.ContainsKey(k)))
        {
            Fail($"{key} was never emailed");
        }

        if (_session.Ledger.Violations.Count > 0)
        {
            Fail(string.Join("; ", _session.Ledger.Violations));
        }

        var dead = await DeadLettersAsync(cancellationToken).ConfigureAwait(false);
        foreach (var message in dead.Where(m => !_poison.ContainsKey(m.MessageId)))
        {
            Fail($"after the redrive, {message.Queue} still holds a valid message ({message.Reason}): {message.Body}");
        }

        foreach (var (id, queue) in _poison)
        {
            var message = dead.SingleOrDefault(m => m.MessageId == id);
            if (message is null)
            {
                Fail($"poison message {id} ({queue}) is not in its dead-letter queue");
            }
            else if (string.IsNullOrWhiteSpace(message.Reason) || message.Reason == LocalQueueStore.MaxReceiveCountReason)
            {
                Fail($"poison message {id} is in {message.Queue} without its own reason ({message.Reason})");
            }
        }

        Outcome.Emails = _email.Sent.Count;
        Outcome.ExpectedEmails = expected.Count;
        Outcome.PoisonMessages = _poison.Count;
    }

    private IEnumerable<EmailKey> ExpectedEmails() =>
        _requested.SelectMany(r => _catalog.Get(ReportId.Parse(r.ReportId)).Recipients.Select(to => new EmailKey(r.ReportId, r.Date, r.RequestId, to)));

    private async Task<int> CountSentAsync(EmailKey key, CancellationToken cancellationToken)
    {
        var events = await _stack.Events.ReadStreamAsync(new StreamId(ReportId.Parse(key.ReportId), ReportDate.Parse(key.Date)), cancellationToken).ConfigureAwait(false);
        return events.Select(EventTypes.Deserialize)
            .OfType<NotificationSent>()
            .Count(e => e.RequestId == key.RequestId && e.Recipient == key.Recipient);
    }

    private async Task<List<DeadLetterMessage>> DeadLettersAsync(CancellationToken cancellationToken) =>
    [
        .. await _stack.Queues.ListDeadLettersAsync(PipelineQueue.Collector, 1000, cancellationToken).ConfigureAwait(false),
        .. await _stack.Queues.ListDeadLettersAsync(PipelineQueue.Notifier, 1000, cancellationToken).ConfigureAwait(false),
        .. await _stack.Queues.ListDeadLettersAsync(PipelineQueue.Delivery, 1000, cancellationToken).ConfigureAwait(false),
    ];

    private void Fail(string problem)
    {
        var trace = _session.Trace;
        var text = new StringBuilder()
            .AppendLine(problem)
            .AppendLine(CultureInfo.InvariantCulture, $"schedule: {_schedule}")
            .AppendLine(CultureInfo.InvariantCulture, $"requests: {string.Join(", ", _requested.Select(r => $"{r.ReportId} {r.Date} {r.RequestId}"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"window duplicates: {string.Join("; ", _session.Ledger.WindowDuplicates.Select(d => $"{d.Key} ({d.Cause}: {d.Detail})"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"whole-batch failures: {string.Join("; ", Outcome.WholeBatchFailures)}")
            .AppendLine(CultureInfo.InvariantCulture, $"faults injected ({trace.Count}), last 80:");
        foreach (var line in trace.TakeLast(80))
        {
            text.AppendLine("  " + line);
        }

        throw new ReliabilityViolationException(text.ToString());
    }

    private sealed class PlannedTrigger(int round, ScheduleReports command)
    {
        public int Round { get; } = round;

        public ScheduleReports Command { get; set; } = command;

        public bool Done { get; set; }

        public bool Running { get; set; }

        public int Attempts { get; set; }

        public WorkerContext? Worker { get; set; }
    }
}

/// <summary>An invariant of the reliability promise does not hold.</summary>
internal sealed class ReliabilityViolationException(string message) : Exception(message);

/// <summary>
/// A cost source whose figures for the report day move by a cent on some calls, as estimated Cost Explorer data
/// does between refreshes, so repeated collections record revisions as well as confirmations.
/// </summary>
internal sealed class DriftingCostSource(ICostSource inner) : ICostSource
{
    private int _calls;

    public async Task<CostQueryResult> GetCostAsync(CostQuery query, CancellationToken cancellationToken)
    {
        var result = await inner.GetCostAsync(query, cancellationToken).ConfigureAwait(false);
        var drift = Interlocked.Increment(ref _calls) % 3 * 0.01m;
        var last = result.Days[^1];
        if (drift == 0 || last.Groups.Count == 0)
        {
            return result;
        }

        var groups = last.Groups.ToList();
        groups[0] = groups[0] with { Amount = groups[0].Amount + drift };
        return result with { Days = [.. result.Days.Take(result.Days.Count - 1), last with { Groups = groups }] };
    }
}
