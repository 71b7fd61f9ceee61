using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Aws.Sqs;
using CostNotifier.Collector;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.IntegrationTests.Emulators;
using CostNotifier.Notifier;
using CostNotifier.Scheduler;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.IntegrationTests.EndToEnd;

/// <summary>
/// One stack of the pipeline on the emulators, laid out as Terraform lays it out: a fresh event table, the collector
/// and notifier queues with their dead-letter queues and, when asked for, the delivery queue SES's sending events
/// arrive on, with its own. Cost Explorer is <see cref="CostExplorerStub"/>, the clock a fake one, and everything the
/// functions write (JSON log lines and metric lines) goes to <see cref="Written"/>.
/// </summary>
internal sealed class EmulatedPipeline : IAsyncDisposable
{
    private readonly EmulatorFixture _emulators;
    private readonly StringWriter _written = new();
    private readonly QueueWithDeadLetter? _delivery;

    private EmulatedPipeline(
        EmulatorFixture emulators, DateTimeOffset now, string table, PipelineQueues queues, QueueWithDeadLetter? delivery, CostExplorerStub costExplorer)
    {
        _emulators = emulators;
        CostExplorer = costExplorer;
        _delivery = delivery;
        Time = new FakeTimeProvider(now);
        Table = table;
        Queues = queues;
        Output = TextWriter.Synchronized(_written);
        Store = new DynamoDbEventStore(emulators.DynamoDb, table);
    }

    public FakeTimeProvider Time { get; }

    public CostExplorerStub CostExplorer { get; }

    public string Table { get; }

    public PipelineQueues Queues { get; }

    /// <summary>The delivery queue and its dead-letter queue; only on a pipeline created with one.</summary>
    public QueueWithDeadLetter Delivery =>
        _delivery ?? throw new InvalidOperationException("This pipeline was created without a delivery queue.");

    /// <summary>Where every function of this pipeline writes its log and metric lines.</summary>
    public TextWriter Output { get; }

    /// <summary>Everything the functions have written so far.</summary>
    public string Written
    {
        get
        {
            lock (Output)
            {
                return _written.ToString();
            }
        }
    }

    public DynamoDbEventStore Store { get; }

    /// <summary>
    /// Creates the table and queues; the queues hide a received message for one second. <paramref name="accounts"/>
    /// and <paramref name="maxGroupsPerPage"/> shape Cost Explorer's answers by account (see <see cref="CostExplorerStub"/>).
    /// </summary>
    public static async Task<EmulatedPipeline> CreateAsync(
        EmulatorFixture emulators,
        DateTimeOffset now,
        bool withDeliveryQueue = false,
        int maxReceiveCount = 3,
        IReadOnlyList<string>? accounts = null,
        int? maxGroupsPerPage = null)
    {
        ArgumentNullException.ThrowIfNull(emulators);
        var table = await emulators.CreateEventTableAsync();
        var queues = await emulators.CreatePipelineQueuesAsync(maxReceiveCount, visibilityTimeoutSeconds: 1);
        var delivery = withDeliveryQueue
            ? await emulators.CreateQueueWithDeadLetterAsync("delivery", maxReceiveCount, visibilityTimeoutSeconds: 1)
            : null;
        return new EmulatedPipeline(emulators, now, table, queues, delivery, new CostExplorerStub(accounts, maxGroupsPerPage));
    }

    /// <summary>
    /// Builds the three functions' containers for <paramref name="reportsJson"/>, as Lambda builds each once per
    /// instance, with pollers standing in for the SQS event source mappings. <paramref name="settings"/> adds
    /// environment variables, <paramref name="endpoints"/> more service endpoints (SSM, say), and
    /// <paramref name="deliverNotifierMessagesTwice"/> hands every notifier batch to the function twice, as SQS's
    /// at-least-once delivery may.
    /// </summary>
    public PipelineFunctions Functions(
        string reportsJson,
        IReadOnlyDictionary<string, string?>? settings = null,
        IReadOnlyDictionary<string, string>? endpoints = null,
        AWSCredentials? credentials = null,
        bool deliverNotifierMessagesTwice = false)
    {
        var variables = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (_delivery is not null)
        {
            variables[SqsQueueUrls.DeliveryVariable] = _delivery.Url;
            variables[SqsQueueUrls.DeliveryDeadLetterVariable] = _delivery.DeadLetterUrl;
        }

        var functionSettings = EmulatorFixture.FunctionSettings("e2e", reportsJson, Table, Queues, variables);
        var connection = _emulators.Connection(CostExplorer.Url, credentials);
        if (endpoints is not null)
        {
            var all = new Dictionary<string, string>(connection.ServiceEndpoints!);
            foreach (var (service, url) in endpoints)
            {
                all[service] = url;
            }

            connection = connection with { ServiceEndpoints = all };
        }

        var scheduler = new SchedulerFunction(SchedulerComposition.Build(functionSettings, connection, Time, Output));
        var collector = new CollectorFunction(CollectorComposition.Build(functionSettings, connection, Time, Output));
        var notifier = new NotifierFunction(NotifierComposition.Build(functionSettings, connection, Time, Output));
        return new PipelineFunctions(
            scheduler,
            new LambdaPoller(_emulators.Sqs, Queues.Collector, collector.HandleAsync),
            new LambdaPoller(_emulators.Sqs, Queues.Notifier, notifier.HandleAsync, deliverNotifierMessagesTwice ? 2 : 1),
            _delivery is null ? null : new LambdaPoller(_emulators.Sqs, _delivery.Url, notifier.HandleAsync));
    }

    /// <summary>Invokes a function with a JSON payload, as Lambda does, and returns its JSON answer.</summary>
    public static async Task<JsonElement> InvokeAsync(Func<Stream, CancellationToken, Task<Stream>> function, string payload)
    {
        ArgumentNullException.ThrowIfNull(function);
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(payload));
        await using var output = await function(input, CancellationToken.None);
        using var answer = await JsonDocument.ParseAsync(output);
        return answer.RootElement.Clone();
    }

    /// <summary>What EventBridge Scheduler sends the scheduler at <paramref name="time"/>.</summary>
    public static string ScheduledEvent(DateTimeOffset time) =>
        $$"""{"source":"eventbridge-scheduler","scheduledTime":"{{time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}}"}""";

    /// <summary>The emails aws-ses-v2-local holds that went to any of <paramref name="recipients"/>.</summary>
    public async Task<List<JsonElement>> EmailsToAsync(params string[] recipients) =>
        (await _emulators.ReadSentEmailsAsync()).EnumerateArray()
            .Where(e => e.GetProperty("destination").GetProperty("to").EnumerateArray().Any(a => recipients.Contains(a.GetString())))
            .ToList();

    /// <summary>The queue's visible plus in-flight message count.</summary>
    public async Task<int> DepthAsync(string queueUrl) =>
        await new LambdaPoller(_emulators.Sqs, queueUrl, (_, _) => throw new InvalidOperationException()).DepthAsync(CancellationToken.None);

    /// <summary>The events of one report period's stream, read back as their records.</summary>
    public async Task<IReadOnlyList<ReportPeriodEvent>> EventsOfAsync(string reportId, string period) =>
        [.. (await Store.ReadStreamAsync(new StreamId(ReportId.Parse(reportId), ReportPeriod.Parse(period)), CancellationToken.None))
            .Select(EventTypes.Deserialize)];

    /// <summary>Receives and deletes the messages of a dead-letter queue: each body with the reason it was moved for.</summary>
    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string deadLetterUrl, int expected)
    {
        var messages = await _emulators.ReceiveAndDeleteAsync(deadLetterUrl, expected, TimeSpan.FromSeconds(5));
        return [.. messages.Select(m => new DeadLetter(
            m.Body,
            m.MessageAttributes?.GetValueOrDefault(SqsDeadLetterSink.ReasonAttribute)?.StringValue,
            (m.MessageAttributes ?? []).ToDictionary(a => a.Key, a => a.Value.StringValue ?? string.Empty)))];
    }

    /// <summary>
    /// Everything the pipeline left behind in one text: what the functions wrote, the emails SES holds, what the
    /// dead-letter queues hold (bodies and attributes) and every item of the event table.
    /// </summary>
    public async Task<string> EverythingLeftBehindAsync()
    {
        var text = new StringBuilder(Written)
            .AppendLine((await _emulators.ReadSentEmailsAsync()).GetRawText())
            .AppendLine(await _emulators.QueueContentsAsync(Queues.CollectorDeadLetter))
            .AppendLine(await _emulators.QueueContentsAsync(Queues.NotifierDeadLetter));
        if (_delivery is not null)
        {
            text.AppendLine(await _emulators.QueueContentsAsync(_delivery.DeadLetterUrl));
        }

        return text.AppendLine(await _emulators.TableContentsAsync(Table)).ToString();
    }

    public ValueTask DisposeAsync() => CostExplorer.DisposeAsync();
}

/// <summary>The pipeline's functions: the scheduler to invoke, and pollers that feed the others from their queues.</summary>
/// <param name="Scheduler">The scheduler, invoked directly as EventBridge Scheduler does.</param>
/// <param name="Collector">The collector fed from the collector queue.</param>
/// <param name="Notifier">The notifier fed from the notifier queue.</param>
/// <param name="DeliveryEvents">The same notifier fed from the delivery queue; null without one.</param>
internal sealed record PipelineFunctions(SchedulerFunction Scheduler, LambdaPoller Collector, LambdaPoller Notifier, LambdaPoller? DeliveryEvents)
{
    /// <summary>Runs one schedule: invokes the scheduler, then polls collector and notifier until both queues are empty.</summary>
    public async Task<JsonElement> RunScheduleAsync(DateTimeOffset scheduledTime)
    {
        var answer = await EmulatedPipeline.InvokeAsync(Scheduler.HandleAsync, EmulatedPipeline.ScheduledEvent(scheduledTime));
        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(60), Collector, Notifier);
        return answer;
    }
}

/// <summary>A message as a dead-letter queue holds it.</summary>
/// <param name="Body">The body, unchanged.</param>
/// <param name="Reason">Why it was moved, when the function moved it; null when the redrive policy did.</param>
/// <param name="Attributes">Every message attribute.</param>
internal sealed record DeadLetter(string Body, string? Reason, IReadOnlyDictionary<string, string> Attributes);
