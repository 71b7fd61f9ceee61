using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using CostNotifier.Aws;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Aws.Hosting;
using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.Emulators;

/// <summary>Every test class that talks to the emulators joins this collection and shares one set of servers.</summary>
[CollectionDefinition(Name)]
public sealed class EmulatorCollection : ICollectionFixture<EmulatorFixture>
{
    /// <summary>The collection's name, for <c>[Collection(EmulatorCollection.Name)]</c>.</summary>
    public const string Name = "emulators";
}

/// <summary>
/// Runs dynalite (DynamoDB), fauxqs (SQS) and aws-ses-v2-local (SES v2) as child processes on free loopback ports
/// for the duration of the test run, the way Testcontainers runs containers, and hands out clients and fresh,
/// uniquely named tables and queues so tests never see each other's data.
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    /// <summary>The region every emulator client uses.</summary>
    public const string Region = "us-east-1";

    private readonly List<EmulatorProcess> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private IAmazonDynamoDB? _dynamoDb;
    private IAmazonSQS? _sqs;

    /// <summary>Dummy credentials: the emulators accept any, and real AWS would reject these.</summary>
    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("test", "test");

    /// <summary>The DynamoDB-compatible endpoint (dynalite).</summary>
    public string DynamoDbUrl { get; private set; } = string.Empty;

    /// <summary>The SQS-compatible endpoint (fauxqs).</summary>
    public string SqsUrl { get; private set; } = string.Empty;

    /// <summary>The SES v2-compatible endpoint (aws-ses-v2-local); <c>GET /store</c> lists what was sent.</summary>
    public string SesUrl { get; private set; } = string.Empty;

    /// <summary>How production code reaches DynamoDB, pointed at dynalite.</summary>
    public AwsConnection DynamoDbConnection => ConnectionTo(DynamoDbUrl);

    /// <summary>How production code reaches SQS, pointed at fauxqs.</summary>
    public AwsConnection SqsConnection => ConnectionTo(SqsUrl);

    /// <summary>How production code reaches SES v2, pointed at aws-ses-v2-local.</summary>
    public AwsConnection SesConnection => ConnectionTo(SesUrl);

    /// <summary>A DynamoDB client shared by the tests; do not dispose it.</summary>
    public IAmazonDynamoDB DynamoDb => _dynamoDb ?? throw NotStarted();

    /// <summary>An SQS client shared by the tests; do not dispose it.</summary>
    public IAmazonSQS Sqs => _sqs ?? throw NotStarted();

    public async Task InitializeAsync()
    {
        var installation = EmulatorInstallation.Locate();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var starting = new[]
        {
            EmulatorProcess.StartAsync(installation, "dynamodb", "/", timeout.Token),
            EmulatorProcess.StartAsync(installation, "sqs", "/health", timeout.Token),
            EmulatorProcess.StartAsync(installation, "ses", "/health-check", timeout.Token),
        };
        try
        {
            await Task.WhenAll(starting);
        }
        finally
        {
            // Keep every server that did start, so DisposeAsync stops it even when another failed.
            _processes.AddRange(starting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
        }

        DynamoDbUrl = starting[0].Result.Url;
        SqsUrl = starting[1].Result.Url;
        SesUrl = starting[2].Result.Url;
        _dynamoDb = CreateDynamoDbClient();
        _sqs = CreateSqsClient();
    }

    public async Task DisposeAsync()
    {
        _dynamoDb?.Dispose();
        _sqs?.Dispose();
        _http.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }

    /// <summary>A new DynamoDB client for dynalite, configured exactly as production configures one. Dispose it.</summary>
    public IAmazonDynamoDB CreateDynamoDbClient()
    {
        var config = new AmazonDynamoDBConfig();
        DynamoDbConnection.Apply(config, AwsConnection.Services.DynamoDb);
        return new AmazonDynamoDBClient(Credentials, config);
    }

    /// <summary>A new SQS client for fauxqs, configured exactly as production configures one. Dispose it.</summary>
    public IAmazonSQS CreateSqsClient()
    {
        var config = new AmazonSQSConfig();
        SqsConnection.Apply(config, AwsConnection.Services.Sqs);
        return new AmazonSQSClient(Credentials, config);
    }

    /// <summary>Creates an empty event table (<see cref="EventTableSchema"/>) with a name no other test uses.</summary>
    public async Task<string> CreateEventTableAsync(CancellationToken cancellationToken = default)
    {
        var name = UniqueName("events");
        await EventTableSchema.EnsureCreatedAsync(DynamoDb, name, cancellationToken);
        return name;
    }

    /// <summary>Creates an empty standard queue named after <paramref name="prefix"/> and returns its URL.</summary>
    public async Task<string> CreateQueueAsync(
        string prefix, IReadOnlyDictionary<string, string>? attributes = null, CancellationToken cancellationToken = default)
    {
        var request = new CreateQueueRequest { QueueName = UniqueName(prefix) };
        if (attributes is not null)
        {
            request.Attributes = new Dictionary<string, string>(attributes);
        }

        return (await Sqs.CreateQueueAsync(request, cancellationToken)).QueueUrl;
    }

    /// <summary>
    /// Creates a queue whose redrive policy moves a message to a new dead-letter queue after
    /// <paramref name="maxReceiveCount"/> receives.
    /// </summary>
    public async Task<QueueWithDeadLetter> CreateQueueWithDeadLetterAsync(
        string prefix, int maxReceiveCount = 2, int visibilityTimeoutSeconds = 30, CancellationToken cancellationToken = default)
    {
        var deadLetterUrl = await CreateQueueAsync(prefix + "-dlq", cancellationToken: cancellationToken);
        var deadLetterArn = (await Sqs.GetQueueAttributesAsync(
            new GetQueueAttributesRequest { QueueUrl = deadLetterUrl, AttributeNames = ["QueueArn"] }, cancellationToken))
            .Attributes["QueueArn"];
        var redrivePolicy = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["deadLetterTargetArn"] = deadLetterArn,
            ["maxReceiveCount"] = maxReceiveCount.ToString(CultureInfo.InvariantCulture),
        });
        var url = await CreateQueueAsync(
            prefix,
            new Dictionary<string, string>
            {
                ["RedrivePolicy"] = redrivePolicy,
                ["VisibilityTimeout"] = visibilityTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            },
            cancellationToken);
        return new QueueWithDeadLetter(url, deadLetterUrl);
    }

    /// <summary>
    /// The settings Terraform gives the functions, for a stack on the emulators: its name, reports, table and queues,
    /// and a sender; <paramref name="extra"/> adds or overrides any variable (a log level, say).
    /// </summary>
    public static FunctionSettings FunctionSettings(
        string stack, string reportsJson, string table, PipelineQueues queues, IReadOnlyDictionary<string, string?>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var values = new Dictionary<string, string?>
        {
            ["COSTNOTIFIER_STACK"] = stack,
            ["COSTNOTIFIER_REPORTS"] = reportsJson,
            ["COSTNOTIFIER_EVENTS_TABLE"] = table,
            ["COSTNOTIFIER_COLLECTOR_QUEUE_URL"] = queues.Collector,
            ["COSTNOTIFIER_COLLECTOR_DLQ_URL"] = queues.CollectorDeadLetter,
            ["COSTNOTIFIER_NOTIFIER_QUEUE_URL"] = queues.Notifier,
            ["COSTNOTIFIER_NOTIFIER_DLQ_URL"] = queues.NotifierDeadLetter,
            ["COSTNOTIFIER_SENDER_ADDRESS"] = "costs@example.com",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            values[name] = value;
        }

        return CostNotifier.Aws.Hosting.FunctionSettings.From(values);
    }

    /// <summary>
    /// How the functions reach AWS in these tests: DynamoDB, SQS and SES on the emulators, Cost Explorer at
    /// <paramref name="costExplorerUrl"/>, with <paramref name="credentials"/> or the fixture's dummy ones.
    /// </summary>
    public AwsConnection Connection(string costExplorerUrl, AWSCredentials? credentials = null) =>
        new(
            Region: Region,
            Credentials: credentials ?? Credentials,
            ServiceEndpoints: new Dictionary<string, string>
            {
                [AwsConnection.Services.DynamoDb] = DynamoDbUrl,
                [AwsConnection.Services.Sqs] = SqsUrl,
                [AwsConnection.Services.SesV2] = SesUrl,
                [AwsConnection.Services.CostExplorer] = costExplorerUrl,
            });

    /// <summary>The four queues of the pipeline, each with its dead-letter queue, as Terraform lays them out.</summary>
    public async Task<PipelineQueues> CreatePipelineQueuesAsync(
        int maxReceiveCount = 3, int visibilityTimeoutSeconds = 30, CancellationToken cancellationToken = default)
    {
        var collector = await CreateQueueWithDeadLetterAsync("collector", maxReceiveCount, visibilityTimeoutSeconds, cancellationToken);
        var notifier = await CreateQueueWithDeadLetterAsync("notifier", maxReceiveCount, visibilityTimeoutSeconds, cancellationToken);
        return new PipelineQueues(collector.Url, collector.DeadLetterUrl, notifier.Url, notifier.DeadLetterUrl);
    }

    /// <summary>
    /// Receives from <paramref name="queueUrl"/> until <paramref name="count"/> messages arrived or
    /// <paramref name="timeout"/> passed, deleting each one, and returns what arrived (possibly fewer).
    /// </summary>
    public async Task<IReadOnlyList<Message>> ReceiveAndDeleteAsync(
        string queueUrl, int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var received = new List<Message>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (received.Count < count && waited.Elapsed < timeout)
        {
            var response = await Sqs.ReceiveMessageAsync(
                new ReceiveMessageRequest
                {
                    QueueUrl = queueUrl,
                    MaxNumberOfMessages = Math.Min(10, count - received.Count),
                    WaitTimeSeconds = 1,
                    MessageSystemAttributeNames = ["All"],
                    MessageAttributeNames = ["All"],
                },
                cancellationToken);
            foreach (var message in response.Messages ?? [])
            {
                received.Add(message);
                await Sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle, cancellationToken);
            }
        }

        return received;
    }

    /// <summary>
    /// Up to ten messages of <paramref name="queueUrl"/> as JSON, each body with its message attributes, for looking
    /// through what a queue holds. Received, not deleted: they come back after the queue's visibility timeout.
    /// </summary>
    public async Task<string> QueueContentsAsync(string queueUrl, CancellationToken cancellationToken = default)
    {
        var response = await Sqs.ReceiveMessageAsync(
            new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = 10,
                MessageAttributeNames = ["All"],
                MessageSystemAttributeNames = ["All"],
            },
            cancellationToken);
        return JsonSerializer.Serialize((response.Messages ?? []).Select(m => new
        {
            m.Body,
            Attributes = m.MessageAttributes?.ToDictionary(a => a.Key, a => a.Value.StringValue),
        }));
    }

    /// <summary>Every item of <paramref name="table"/> as JSON, its string and number attributes as text.</summary>
    public async Task<string> TableContentsAsync(string table, CancellationToken cancellationToken = default)
    {
        var scan = await DynamoDb.ScanAsync(new ScanRequest { TableName = table }, cancellationToken);
        return JsonSerializer.Serialize(scan.Items.Select(i => i.ToDictionary(a => a.Key, a => a.Value.S ?? a.Value.N)));
    }

    /// <summary>Every email the SES server accepted so far: the <c>emails</c> array of its <c>GET /store</c>.</summary>
    public async Task<JsonElement> ReadSentEmailsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(new Uri(SesUrl + "/store"), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var store = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return store.RootElement.GetProperty("emails").Clone();
    }

    /// <summary>Forgets every email the SES server holds.</summary>
    public async Task ClearSentEmailsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsync(new Uri(SesUrl + "/clear-store"), content: null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A name unique to this call: <paramref name="prefix"/>, a dash and 12 hex digits.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private static AwsConnection ConnectionTo(string url) =>
        string.IsNullOrEmpty(url)
            ? throw NotStarted()
            : new AwsConnection(Region: Region, EndpointUrl: url, Credentials: Credentials);

    private static InvalidOperationException NotStarted() =>
        new("The emulators are not running: use EmulatorFixture through [Collection(EmulatorCollection.Name)].");
}

/// <summary>A queue and its dead-letter queue.</summary>
public sealed record QueueWithDeadLetter(string Url, string DeadLetterUrl);

/// <summary>The pipeline's queue URLs on fauxqs.</summary>
public sealed record PipelineQueues(string Collector, string CollectorDeadLetter, string Notifier, string NotifierDeadLetter);
