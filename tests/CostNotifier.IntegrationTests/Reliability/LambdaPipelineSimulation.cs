using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.SQS.Model;
using CostNotifier.Aws;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Aws.Hosting;
using CostNotifier.Aws.Protocol;
using CostNotifier.Aws.Sqs;
using CostNotifier.BatchProcessing;
using CostNotifier.Collector;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.IntegrationTests.Emulators;
using CostNotifier.Notifier;
using CostNotifier.Scheduler;
using CostNotifier.Testing.Faults;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.IntegrationTests.Reliability;

/// <summary>
/// Runs one <see cref="PipelineSchedule"/> through the three Lambda function classes as AWS runs them — each
/// container built by its <c>*Composition.Build</c>, DynamoDB on dynalite, SQS on fauxqs, SES v2 on aws-ses-v2-local,
/// Cost Explorer served on loopback — with faults injected inside the AWS SDK (<see cref="SdkFaultInjection"/>). The
/// test plays Lambda's event source mapping: SQS events built from fauxqs ReceiveMessage results, only successes
/// deleted, a dead invocation's execution environment never reused, duplicates and two instances at once. fauxqs
/// keeps real time; claims and dates follow a fake clock that moves on 361 s per round, after which every message
/// received and not deleted is made visible again — its visibility timeout (Terraform's 6 × 60 s) has passed — so
/// every redelivery comes after the claims of dead workers expired.
/// </summary>
internal sealed class LambdaPipelineSimulation : IAsyncDisposable
{
    private const int MaxRounds = 120;
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan RoundClock = TimeSpan.FromSeconds(361);

    private readonly EmulatorFixture _emulators;
    private readonly PipelineSchedule _schedule;
    private readonly string _table;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly FakeTimeProvider _time = new(Start);
    private readonly Random _choices;
    private readonly TextWriter _log = TextWriter.Synchronized(new StringWriter(CultureInfo.InvariantCulture));
    private readonly ConcurrentBag<IDisposable> _containers = [];
    private readonly ConcurrentDictionary<string, ConcurrentBag<Func<Stream, CancellationToken, Task<Stream>>>> _idle = new(StringComparer.Ordinal);
    private readonly HashSet<(string ReportId, string Date, string RequestId)> _requested = [];
    private readonly List<string> _poison = [];
    private readonly List<(int Round, string Payload)> _triggers = [];
    private readonly HashSet<int> _triggersDone = [];
    private readonly ConcurrentDictionary<string, string> _inFlight = new(StringComparer.Ordinal);
    private PipelineQueues _queues = null!;
    private FunctionSettings _settings = null!;
    private AwsConnection _connection = null!;
    private ReportCatalog _catalog = null!;
    private int _workers;

    public LambdaPipelineSimulation(EmulatorFixture emulators, string table, string costExplorerUrl, PipelineSchedule schedule)
    {
        _emulators = emulators;
        _table = table;
        _schedule = schedule;
        _choices = new Random(schedule.Seed);
        CostExplorerUrl = costExplorerUrl;
        Session = new FaultSession(unchecked(schedule.Seed * 17 + 3), schedule.Rates)
        {
            Exceptions = SdkFaultInjection.SdkException,
            Tag = new SdkSeams(IsDeadLetterQueue, Observe),
        };
    }

    public string CostExplorerUrl { get; }

    public FaultSession Session { get; }

    public SimulationOutcome Outcome { get; } = new();

    /// <summary>Runs the schedule and checks every invariant; throws with the evidence when one fails.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        SdkFaultInjection.EnsureRegistered();
        _queues = await _emulators.CreatePipelineQueuesAsync(maxReceiveCount: 5, visibilityTimeoutSeconds: 1, cancellationToken);
        _catalog = Catalog();
        _settings = EmulatorFixture.FunctionSettings(
            "reliability", Configuration.ReportConfiguration.Serialize(_catalog), _table, _queues, new Dictionary<string, string?> { ["COSTNOTIFIER_LOG_LEVEL"] = "Warning" });
        _connection = _emulators.Connection(CostExplorerUrl);
        Plan();
        foreach (var body in PoisonBodies().OrderBy(_ => _choices.Next()).Take(_schedule.PoisonMessages))
        {
            await _emulators.Sqs.SendMessageAsync(body.Queue, body.Body, cancellationToken);
            _poison.Add(body.Body);
        }

        // Phase 1: faults on until both queues are empty.
        await SettleAsync(withTriggers: true, cancellationToken);

        // At rest: nothing silently dropped. Then the operator redrives both dead-letter queues.
        var dead = await DrainDeadLettersAsync(cancellationToken);
        await AuditAtRestAsync(dead, cancellationToken);
        Session.Rates = FaultRates.None;
        foreach (var (source, message) in dead)
        {
            await _emulators.Sqs.SendMessageAsync(source, message.Body, cancellationToken);
            Outcome.Redriven++;
        }

        // Phase 2: no faults; everything valid must now complete exactly once.
        await SettleAsync(withTriggers: false, cancellationToken);
        await AuditFinalAsync(await DrainDeadLettersAsync(cancellationToken), cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var container in _containers)
        {
            container.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private ReportCatalog Catalog()
    {
        // SERVICE and LINKED_ACCOUNT only: the Cost Explorer stub answers a tag group-by with DataUnavailable.
        string[] groupBys = ["SERVICE", "LINKED_ACCOUNT"];
        var reports = Enumerable.Range(0, Math.Min(_schedule.Reports, 2)).Select(i =>
        {
            var recipients = Enumerable.Range(0, 1 + ((i + _schedule.Seed) & 0x7fff_ffff) % Math.Min(_schedule.Recipients, 2))
                .Select(j => $"\"u{j}-{_suffix}@example.com\"");
            return $$"""{ "id": "r{{i}}-{{_suffix}}", "name": "Report {{i}}", "recipients": [{{string.Join(',', recipients)}}], "groupBy": "{{groupBys[i]}}", "top": 5 }""";
        });
        return Configuration.ReportConfiguration.Parse("[" + string.Join(',', reports) + "]");
    }

    private void Plan()
    {
        var days = Enumerable.Range(1, Math.Min(_schedule.Days, 2)).Select(d => Start.AddDays(-d + 1)).ToList();
        foreach (var scheduled in days)
        {
            for (var fire = 0; fire < _schedule.ScheduledFires; fire++)
            {
                _triggers.Add((_choices.Next(0, 3), $$"""{"source":"eventbridge-scheduler","scheduledTime":"{{scheduled:yyyy-MM-ddTHH:mm:ssZ}}"}"""));
            }
        }

        for (var replay = 0; replay < Math.Min(_schedule.Replays, 1); replay++)
        {
            var report = _catalog.Reports[_choices.Next(_catalog.Reports.Count)].Id;
            var day = ReportDate.FromInstant(days[_choices.Next(days.Count)]).AddDays(-1);
            _triggers.Add((_choices.Next(0, 6), $$"""{"date":"{{day}}","reports":["{{report}}"],"trigger":"replay"}"""));
        }
    }

    private IEnumerable<(string Queue, string Body)> PoisonBodies()
    {
        string Fill(string template) => template
            .Replace("REPORT", _catalog.Reports[0].Id.Value, StringComparison.Ordinal)
            .Replace("SUFFIX", _suffix, StringComparison.Ordinal);
        yield return (_queues.Collector, Fill("not json SUFFIX"));
        yield return (_queues.Collector, Fill("""{"type":"ReportRequested","version":9,"id":"p-SUFFIX","correlationId":"c","occurredAt":"2026-11-25T08:00:00Z","payload":{"reportId":"REPORT","date":"2026-11-24","trigger":"scheduled","requestId":"r"}}"""));
        yield return (_queues.Notifier, Fill("""{"type":"CostSnapshotReady","version":1,"id":"q-SUFFIX","correlationId":"c","occurredAt":"2026-11-25T08:00:00Z","payload":{"reportId":"REPORT","date":"2026-11-01","snapshotVersion":99,"requestId":"r","trigger":"replay"}}"""));
        yield return (_queues.Notifier, Fill("""{"type":"CostSnapshotReady","version":1,"id":"s-SUFFIX","correlationId":"c","occurredAt":"2026-11-25T08:00:00Z","payload":{"reportId":"no-such-SUFFIX","date":"2026-11-24","snapshotVersion":1,"requestId":"r","trigger":"replay"}}"""));
    }

    private bool IsDeadLetterQueue(string url) => url == _queues.CollectorDeadLetter || url == _queues.NotifierDeadLetter;

    private void Observe(WorkerContext worker, AmazonWebServiceRequest request)
    {
        switch (request)
        {
            case AwsJsonRequest { Operation.Name: "SendEmail" } email:
                worker.Session.Ledger.EmailAccepted(worker, SdkFaultInjection.EmailKeyOf(email));
                break;
            case PutItemRequest put when put.Item.TryGetValue(EventTableSchema.Type, out var type) && type.S == EventTypes.NameOf<NotificationSent>():
                var sent = (NotificationSent)EventTypes.Deserialize(new StoredEvent(default, 1, type.S, put.Item[EventTableSchema.Data].S, default));
                worker.Session.Ledger.NotificationRecorded(worker, new EmailKey(sent.ReportId, sent.Date, sent.RequestId, sent.Recipient));
                break;
            case SendMessageBatchRequest batch:
                lock (_requested)
                {
                    Outcome.Published += batch.Entries.Count;
                    foreach (var entry in batch.Entries.Where(_ => batch.QueueUrl == _queues.Collector))
                    {
                        if (MessagePeek.RequestOf(entry.MessageBody) is { } requested)
                        {
                            _requested.Add(requested);
                        }
                    }
                }

                break;
        }
    }

    private async Task SettleAsync(bool withTriggers, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            Outcome.Rounds++;
            if (round > MaxRounds)
            {
                Fail($"the pipeline did not settle within {MaxRounds} rounds");
            }

            var triggersLeft = false;
            if (withTriggers)
            {
                for (var i = 0; i < _triggers.Count; i++)
                {
                    if (_triggers[i].Round <= round && !_triggersDone.Contains(i))
                    {
                        var ran = await InvokeAsync("scheduler", "scheduler", Encoding.UTF8.GetBytes(_triggers[i].Payload));
                        if (ran is not null)
                        {
                            _triggersDone.Add(i);
                        }
                        else
                        {
                            Outcome.SchedulerRetries++;
                        }
                    }
                }

                triggersLeft = _triggersDone.Count < _triggers.Count;
            }

            var delivered = await PollAsync(_queues.Collector, "collector", cancellationToken)
                + await PollAsync(_queues.Notifier, "notifier", cancellationToken);
            _time.Advance(RoundClock);
            await ExpireVisibilityAsync(cancellationToken);

            if (delivered == 0 && !triggersLeft)
            {
                if (await DepthAsync(_queues.Collector) + await DepthAsync(_queues.Notifier) == 0)
                {
                    return;
                }

                // Failed, crashed and held-back messages come back after fauxqs's one-second visibility timeout.
                await UntilVisibleAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// The fake clock just passed the visibility timeout (6 × 60 s): every message received this round and not
    /// deleted — failed, held back, or held by a dead invocation — is visible again, as it would be in SQS.
    /// </summary>
    private async Task ExpireVisibilityAsync(CancellationToken cancellationToken)
    {
        foreach (var (receiptHandle, queueUrl) in _inFlight.ToArray())
        {
            _inFlight.TryRemove(receiptHandle, out _);
            try
            {
                await _emulators.Sqs.ChangeMessageVisibilityAsync(queueUrl, receiptHandle, 0, cancellationToken);
            }
            catch (AmazonServiceException)
            {
                // Deleted meanwhile by a duplicate delivery, or already visible again.
            }
        }
    }

    private async Task UntilVisibleAsync(CancellationToken cancellationToken)
    {
        for (var waited = 0; waited < 1_200; waited += 100)
        {
            await Task.Delay(100, cancellationToken);
            foreach (var queue in new[] { _queues.Collector, _queues.Notifier })
            {
                var attributes = await _emulators.Sqs.GetQueueAttributesAsync(
                    new GetQueueAttributesRequest { QueueUrl = queue, AttributeNames = ["ApproximateNumberOfMessages"] },
                    cancellationToken);
                if (attributes.ApproximateNumberOfMessages > 0)
                {
                    return;
                }
            }
        }
    }

    private async Task<int> PollAsync(string queueUrl, string function, CancellationToken cancellationToken)
    {
        var invocations = new List<Task>();
        var delivered = 0;
        var batches = 1 + (Roll(_schedule.ConcurrentPerMille) ? 1 : 0);
        for (var b = 0; b < batches; b++)
        {
            var received = await _emulators.Sqs.ReceiveMessageAsync(
                new ReceiveMessageRequest
                {
                    QueueUrl = queueUrl,
                    MaxNumberOfMessages = 1 + _choices.Next(10),
                    WaitTimeSeconds = 0,
                    MessageSystemAttributeNames = ["All"],
                    MessageAttributeNames = ["All"],
                },
                cancellationToken);
            var batch = (received.Messages ?? []).ToList();
            foreach (var message in batch)
            {
                _inFlight[message.ReceiptHandle] = queueUrl;
            }

            if (Roll(_schedule.ReorderPerMille))
            {
                batch = [.. batch.OrderBy(_ => _choices.Next())];
            }

            var held = batch.Where(_ => Roll(Session.Rates == FaultRates.None ? 0 : _schedule.HoldBackPerMille)).ToList();
            Outcome.HeldBack += held.Count;
            batch = [.. batch.Except(held)];
            if (batch.Count == 0)
            {
                continue;
            }

            delivered += batch.Count;
            Outcome.Deliveries += batch.Count;
            invocations.Add(DeliverAsync(queueUrl, function, batch));
            if (Roll(_schedule.DuplicatePerMille))
            {
                Outcome.DuplicateDeliveries += batch.Count;
                invocations.Add(DeliverAsync(queueUrl, function, [.. batch.OrderBy(_ => _choices.Next())]));
            }
        }

        Outcome.ConcurrentRounds += invocations.Count > 1 ? 1 : 0;
        var all = Task.WhenAll(invocations);
        while (!all.IsCompleted)
        {
            // Retry delays inside the functions are measured on the fake clock: let it run while they work.
            await Task.WhenAny(all, Task.Delay(10, cancellationToken));
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        await all;
        return delivered;
    }

    private async Task DeliverAsync(string queueUrl, string function, IReadOnlyList<Message> batch)
    {
        var records = new SqsEvent { Records = batch.Select(m => ToRecord(queueUrl, m)).ToList() };
        var answer = await InvokeAsync(function, $"{function} invocation of {batch.Count}", JsonSerializer.SerializeToUtf8Bytes(records, LambdaJsonContext.Default.SqsEvent));
        if (answer is null)
        {
            return;
        }

        var response = JsonSerializer.Deserialize(answer, LambdaJsonContext.Default.SqsBatchResponse)!;
        var failed = response.BatchItemFailures.Select(f => f.ItemIdentifier).ToHashSet(StringComparer.Ordinal);
        Outcome.ItemFailures += failed.Count;
        if (failed.Contains(string.Empty))
        {
            return;
        }

        foreach (var message in batch.Where(m => !failed.Contains(m.MessageId)))
        {
            await _emulators.Sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
            _inFlight.TryRemove(message.ReceiptHandle, out _);
        }
    }

    /// <summary>
    /// One Lambda invocation on an idle execution environment of <paramref name="function"/> (a new one when none is
    /// idle). Returns the response, or null when the invocation failed or its environment died (then discarded).
    /// </summary>
    private async Task<byte[]?> InvokeAsync(string function, string name, byte[] payload)
    {
        var handle = Rent(function);
        var worker = new WorkerContext(string.Create(CultureInfo.InvariantCulture, $"#{Interlocked.Increment(ref _workers)} {name}"), Session);
        byte[]? answer = null;
        var flow = Task.Run(() => WorkerContext.RunAsync(worker, async () =>
        {
            using var input = new MemoryStream(payload);
            await using var output = await handle(input, CancellationToken.None);
            using var copy = new MemoryStream();
            await output.CopyToAsync(copy);
            answer = copy.ToArray();
        }));
        await Task.WhenAny(flow, worker.Died);
        if (worker.IsDead)
        {
            return null;
        }

        try
        {
            await flow;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The invocation failed as a whole: Lambda retries the batch (EventBridge Scheduler the schedule).
            if (function != "scheduler")
            {
                lock (Outcome)
                {
                    Outcome.WholeBatchFailures.Add($"{worker.Name}: {ex.GetType().Name}: {ex.Message}");
                }
            }

            _idle.GetOrAdd(function, _ => []).Add(handle);
            return null;
        }

        _idle.GetOrAdd(function, _ => []).Add(handle);
        return answer;
    }

    private Func<Stream, CancellationToken, Task<Stream>> Rent(string function)
    {
        if (_idle.GetOrAdd(function, _ => []).TryTake(out var idle))
        {
            return idle;
        }

        IServiceProvider services = function switch
        {
            "scheduler" => SchedulerComposition.Build(_settings, _connection, _time, _log),
            "collector" => CollectorComposition.Build(_settings, _connection, _time, _log),
            _ => NotifierComposition.Build(_settings, _connection, _time, _log),
        };
        _containers.Add((IDisposable)services);
        return function switch
        {
            "scheduler" => new SchedulerFunction(services).HandleAsync,
            "collector" => new CollectorFunction(services).HandleAsync,
            _ => new NotifierFunction(services).HandleAsync,
        };
    }

    private async Task<List<(string Source, Message Message)>> DrainDeadLettersAsync(CancellationToken cancellationToken)
    {
        var dead = new List<(string, Message)>();
        foreach (var (source, deadLetter) in new[] { (_queues.Collector, _queues.CollectorDeadLetter), (_queues.Notifier, _queues.NotifierDeadLetter) })
        {
            while (true)
            {
                var response = await _emulators.Sqs.ReceiveMessageAsync(
                    new ReceiveMessageRequest { QueueUrl = deadLetter, MaxNumberOfMessages = 10, WaitTimeSeconds = 0, MessageAttributeNames = ["All"] },
                    cancellationToken);
                if (response.Messages is not { Count: > 0 } messages)
                {
                    break;
                }

                foreach (var message in messages)
                {
                    dead.Add((source, message));
                    await _emulators.Sqs.DeleteMessageAsync(deadLetter, message.ReceiptHandle, cancellationToken);
                }
            }
        }

        return dead;
    }

    private async Task AuditAtRestAsync(List<(string Source, Message Message)> dead, CancellationToken cancellationToken)
    {
        var parked = dead.Select(d => MessagePeek.RequestOf(d.Message.Body)).OfType<(string ReportId, string Date, string RequestId)>().ToHashSet();
        foreach (var poison in _poison.Where(p => !dead.Any(d => d.Message.Body == p)))
        {
            Fail($"poison message {poison} is neither processed nor in a dead-letter queue");
        }

        foreach (var (_, message) in dead.Where(d => !_poison.Contains(d.Message.Body)))
        {
            Outcome.DeadLetteredInPhase1.Add(message.MessageAttributes is { } attributes && attributes.TryGetValue(SqsDeadLetterSink.ReasonAttribute, out var reason)
                ? reason.StringValue
                : Embedded.Queues.LocalQueueStore.MaxReceiveCountReason);
        }

        foreach (var key in ExpectedEmails())
        {
            if (await CountSentAsync(key, cancellationToken) == 0 && !parked.Contains((key.ReportId, key.Date, key.RequestId)))
            {
                Outcome.Lost.Add(key.ToString());
            }
        }

        if (Outcome.Lost.Count > 0)
        {
            Fail($"reports lost (neither sent nor in a dead-letter queue): {string.Join("; ", Outcome.Lost)}");
        }
    }

    private async Task AuditFinalAsync(List<(string Source, Message Message)> dead, CancellationToken cancellationToken)
    {
        var store = new DynamoDbEventStore(_emulators.DynamoDb, _table);
        foreach (var stream in _requested.Select(r => new StreamId(ReportId.Parse(r.ReportId), ReportDate.Parse(r.Date))).Distinct())
        {
            var events = await store.ReadStreamAsync(stream, cancellationToken);
            if (StreamAudit.Check(stream, events) is { } problem)
            {
                Fail(problem);
            }

            if (ReportPeriodState.Fold(events).LatestSnapshot is null)
            {
                Fail($"report-day {stream} was requested but has no snapshot");
            }

            foreach (var request in _requested.Where(r => r.ReportId == stream.Report.Value && r.Date == stream.Period.ToString()))
            {
                if (StreamAudit.CollectionsOf(events, RequestId.Parse(request.RequestId)) is var collections and not 1)
                {
                    Fail($"request {request.RequestId} of {stream} has {collections} collection events, not exactly one");
                }
            }

            Outcome.Events += events.Count;
        }

        var expected = ExpectedEmails().ToHashSet();
        foreach (var key in expected)
        {
            if (await CountSentAsync(key, cancellationToken) is var recorded and not 1)
            {
                Fail($"{key} has {recorded} NotificationSent events, not exactly one");
            }
        }

        var sends = Session.Ledger.Sends;
        foreach (var (key, count) in sends)
        {
            if (!expected.Contains(key))
            {
                Fail($"{key} was emailed although no such request was enqueued");
            }

            if (count != 1 + Session.Ledger.WindowDuplicates.Count(d => d.Key == key))
            {
                Fail($"{key} was emailed {count} times; the documented window explains fewer");
            }
        }

        if (expected.FirstOrDefault(k => !sends.ContainsKey(k)) is { } never)
        {
            Fail($"{never} was never emailed");
        }

        if (Session.Ledger.Violations.Count > 0)
        {
            Fail(string.Join("; ", Session.Ledger.Violations));
        }

        // The SES server's own store agrees with what the SDK saw accepted.
        var stored = (await _emulators.ReadSentEmailsAsync(cancellationToken)).EnumerateArray()
            .SelectMany(e => e.GetProperty("destination").GetProperty("to").EnumerateArray().Select(a => a.GetString()!))
            .Where(to => to.Contains(_suffix, StringComparison.Ordinal))
            .GroupBy(to => to, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var recipient in sends.Keys.Select(k => k.Recipient).Distinct())
        {
            var seen = sends.Where(s => s.Key.Recipient == recipient).Sum(s => s.Value);
            if (stored.GetValueOrDefault(recipient) != seen)
            {
                Fail($"the SES server holds {stored.GetValueOrDefault(recipient)} emails to {recipient}; the SDK saw {seen} accepted");
            }
        }

        foreach (var (_, message) in dead.Where(d => !_poison.Contains(d.Message.Body)))
        {
            Fail($"after the redrive a valid message is still dead-lettered: {message.Body}");
        }

        foreach (var poison in _poison)
        {
            var message = dead.Select(d => d.Message).FirstOrDefault(m => m.Body == poison);
            if (message is null)
            {
                Fail($"poison message {poison} is not in its dead-letter queue");
            }
            else if (message.MessageAttributes is not { } attributes
                || !attributes.TryGetValue(SqsDeadLetterSink.ReasonAttribute, out var reason)
                || string.IsNullOrWhiteSpace(reason.StringValue))
            {
                Fail($"poison message {poison} is in its dead-letter queue without its reason");
            }
        }

        Outcome.Emails = sends.Values.Sum();
        Outcome.ExpectedEmails = expected.Count;
        Outcome.PoisonMessages = _poison.Count;
    }

    private IEnumerable<EmailKey> ExpectedEmails() =>
        _requested.SelectMany(r => _catalog.Get(ReportId.Parse(r.ReportId)).Recipients.Select(to => new EmailKey(r.ReportId, r.Date, r.RequestId, to)));

    private async Task<int> CountSentAsync(EmailKey key, CancellationToken cancellationToken)
    {
        var events = await new DynamoDbEventStore(_emulators.DynamoDb, _table)
            .ReadStreamAsync(new StreamId(ReportId.Parse(key.ReportId), ReportDate.Parse(key.Date)), cancellationToken);
        return events.Select(EventTypes.Deserialize)
            .OfType<NotificationSent>()
            .Count(e => e.RequestId == key.RequestId && e.Recipient == key.Recipient);
    }

    private async Task<int> DepthAsync(string queueUrl)
    {
        var attributes = await _emulators.Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = queueUrl,
            AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        });
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }

    private static SqsMessage ToRecord(string queueUrl, Message message) => new()
    {
        MessageId = message.MessageId,
        ReceiptHandle = message.ReceiptHandle,
        Body = message.Body,
        Attributes = message.Attributes is null ? new Dictionary<string, string>() : new Dictionary<string, string>(message.Attributes),
        MessageAttributes = new Dictionary<string, SqsMessageAttribute>(),
        Md5OfBody = message.MD5OfBody,
        EventSource = "aws:sqs",
        EventSourceArn = "arn:aws:sqs:us-east-1:000000000000:" + queueUrl[(queueUrl.LastIndexOf('/') + 1)..],
        AwsRegion = EmulatorFixture.Region,
    };

    private bool Roll(int perMille)
    {
        lock (_choices)
        {
            return _choices.Next(1000) < perMille;
        }
    }

    private void Fail(string problem)
    {
        var text = new StringBuilder()
            .AppendLine(problem)
            .AppendLine(CultureInfo.InvariantCulture, $"schedule: {_schedule}")
            .AppendLine(CultureInfo.InvariantCulture, $"requests: {string.Join(", ", _requested.Select(r => $"{r.ReportId} {r.Date} {r.RequestId}"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"window duplicates: {string.Join("; ", Session.Ledger.WindowDuplicates.Select(d => $"{d.Key} ({d.Cause}: {d.Detail})"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"whole-batch failures: {string.Join("; ", Outcome.WholeBatchFailures)}")
            .AppendLine("faults injected:");
        lock (Session.Trace)
        {
            foreach (var line in Session.Trace.TakeLast(80))
            {
                text.AppendLine("  " + line);
            }
        }

        var log = _log.ToString() ?? string.Empty;
        text.AppendLine("last log lines:").AppendLine(string.Join(Environment.NewLine, log.Split('\n').TakeLast(30)));
        throw new InvalidOperationException(text.ToString());
    }
}
