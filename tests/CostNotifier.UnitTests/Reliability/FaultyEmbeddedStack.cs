using CostNotifier.BatchProcessing;
using CostNotifier.Claims;
using CostNotifier.Cli.Composition;
using CostNotifier.Collector;
using CostNotifier.Configuration;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Embedded.Queues;
using CostNotifier.Embedded.SampleCost;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Notifier;
using CostNotifier.Notifier.Delivery;
using CostNotifier.Observability;
using CostNotifier.Scheduler;
using CostNotifier.Testing.Faults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Reliability;

/// <summary>
/// The embedded pipeline (<see cref="EmbeddedStack"/>) with a fault decorator around every adapter — cost source,
/// event store, claims, queue sends, dead-letter moves, email — and the two SQS batch processors the functions
/// use, so a test can play the event source mapping itself. The email provider keeps what it accepts in memory.
/// </summary>
internal sealed class FaultyEmbeddedStack : IDisposable
{
    /// <summary>The clock's start: yesterday is 2026-03-01.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    /// <summary>Where the stacks keep their databases: memory-backed when possible, since SQLite syncs every commit.</summary>
    public static string ScratchRoot { get; } = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    private readonly string _directory = Path.Combine(ScratchRoot, "costnotifier-reliability", Guid.NewGuid().ToString("N"));

    public FaultyEmbeddedStack(
        ReportCatalog catalog,
        FaultSession session,
        FakeTimeProvider? time = null,
        ICostSource? costSource = null,
        Action<PipelineQueue, IReadOnlyList<OutgoingMessage>, IReadOnlyList<string>>? published = null,
        Func<TimeSpan, CancellationToken, Task>? wait = null,
        TextWriter? log = null,
        TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Session = session;
        Time = time ?? new FakeTimeProvider(Start);
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, EmbeddedStack.ReportsFileName), ReportConfiguration.Serialize(catalog));
        IServiceProvider? captured = null;
        Stack = EmbeddedStack.Open(
            _directory,
            clock ?? Time,
            log ?? TextWriter.Null,
            log is null ? LogLevel.None : LogLevel.Information,
            new FaultingCostSource(costSource ?? new SampleCostSource(Time)),
            new FaultingEmailSender(Email),
            wait ?? ((delay, _) =>
            {
                Time.Advance(delay);
                return Task.CompletedTask;
            }),
            services => services
                .Decorate<IEventStore>((inner, sp) => Capture(sp, new FaultingEventStore(inner)))
                .Decorate<IReportHistory>((inner, sp) => Capture(sp, new FaultingReportHistory(inner)))
                .Decorate<IClaimStore>((inner, sp) => Capture(sp, new FaultingClaimStore(inner)))
                .Decorate<IMessagePublisher>((inner, sp) => Capture(sp, new FaultingMessagePublisher(inner, published)))
                .Decorate<IDeadLetterSink>((inner, sp) => Capture(sp, new FaultingDeadLetterSink(inner))));
        _ = Stack.Events;
        Services = captured ?? throw new InvalidOperationException("The stack's container was not captured.");
        Collector = Processor(Services.GetRequiredService<CollectorRecordHandler>());
        Notifier = Processor(Services.GetRequiredService<NotifierRecordHandler>());
        Delivery = Processor(Services.GetRequiredService<DeliveryRecordHandler>());

        T Capture<T>(IServiceProvider provider, T service)
        {
            captured ??= provider;
            return service;
        }
    }

    public EmbeddedStack Stack { get; }

    public IServiceProvider Services { get; }

    public FaultSession Session { get; }

    public FakeTimeProvider Time { get; }

    public RecordingEmailSender Email { get; } = new();

    public LocalQueueStore Queues => Stack.Queues;

    /// <summary>The store without faults, for the test's own reads.</summary>
    public IEventStore Events => Stack.Events;

    /// <summary>The store's report history, faulted like the store.</summary>
    public IReportHistory History => Stack.History;

    public SqsBatchProcessor Collector { get; }

    public SqsBatchProcessor Notifier { get; }

    /// <summary>The notifier's processor of the delivery queue (SES's sending events).</summary>
    public SqsBatchProcessor Delivery { get; }

    public SqsBatchProcessor ProcessorFor(LocalQueue queue) =>
        queue == LocalQueue.Collector ? Collector : queue == LocalQueue.Delivery ? Delivery : Notifier;

    /// <summary>Enqueues the scheduled request of <paramref name="date"/> for every report, without faults.</summary>
    public async Task ScheduleAsync(ReportDate date, Trigger trigger = Trigger.Scheduled)
    {
        WorkerContext.Enter(null);
        await Stack.Mediator.Send(new ScheduleReports(date, date, trigger, [], null, Guid.NewGuid().ToString("N")));
    }

    /// <summary>Receives up to ten visible messages of <paramref name="queue"/>, hidden for <paramref name="visibility"/>.</summary>
    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(LocalQueue queue, TimeSpan visibility) =>
        Queues.ReceiveAsync(queue, LocalQueueStore.MaxMessagesPerReceive, visibility, CancellationToken.None);

    /// <summary>
    /// Hands <paramref name="batch"/> to the queue's processor as one invocation and deletes the messages it did not
    /// report failed, as Lambda's event source mapping does. Runs as the current worker, if any.
    /// </summary>
    public async Task<SqsBatchResponse> InvokeAsync(LocalQueue queue, IReadOnlyList<ReceivedMessage> batch)
    {
        var response = await ProcessorFor(queue).ProcessAsync(LocalSqsEvents.Create(batch), CancellationToken.None).ConfigureAwait(false);
        var failed = response.BatchItemFailures.Select(f => f.ItemIdentifier).ToHashSet(StringComparer.Ordinal);
        if (!failed.Contains(string.Empty))
        {
            foreach (var message in batch.Where(m => !failed.Contains(m.MessageId)))
            {
                await Queues.DeleteAsync(queue, message.ReceiptHandle, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return response;
    }

    /// <summary>
    /// Runs <paramref name="body"/> as a new worker of the session and waits until it finishes or dies; with
    /// <paramref name="advanceClock"/> the clock moves on while it waits, for retry delays measured on it.
    /// </summary>
    public async Task<WorkerContext> AsWorkerAsync(string name, Func<Task> body, bool advanceClock = false)
    {
        var worker = new WorkerContext(name, Session);
        var flow = Task.Run(() => WorkerContext.RunAsync(worker, body));
        while (advanceClock && !flow.IsCompleted && !worker.IsDead)
        {
            await Task.Delay(2).ConfigureAwait(false);
            Time.Advance(TimeSpan.FromMilliseconds(100));
        }

        await Task.WhenAny(flow, worker.Died).ConfigureAwait(false);
        if (flow.IsCompleted)
        {
            await flow.ConfigureAwait(false);
        }

        return worker;
    }

    public void Dispose()
    {
        Stack.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine: the scratch folder is cleaned eventually.
        }
    }

    private SqsBatchProcessor Processor(IRecordHandler handler) => new(
        handler,
        Services.GetRequiredService<IDeadLetterSink>(),
        Services.GetRequiredService<PipelineMetrics>(),
        Services.GetRequiredService<ILogger<SqsBatchProcessor>>());
}
