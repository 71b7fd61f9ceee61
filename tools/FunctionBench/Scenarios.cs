using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.SQS;
using Amazon.SQS.Model;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.TestSupport;

namespace CostNotifier.FunctionBench;

/// <summary>A function as Terraform deploys it: its package name and its timeout (Terraform's default).</summary>
internal sealed record FunctionPackage(string Name, TimeSpan Timeout)
{
    public static IReadOnlyList<FunctionPackage> All { get; } =
    [
        new("scheduler", TimeSpan.FromSeconds(30)),
        new("collector", TimeSpan.FromSeconds(60)),
        new("notifier", TimeSpan.FromSeconds(60)),
    ];
}

/// <summary>
/// Everything one measured process needs: the function's own environment, its two payloads and how to check, from
/// the two responses and the servers, that both invocations did their work.
/// </summary>
internal sealed record PreparedRun(
    IReadOnlyDictionary<string, string> Environment,
    byte[] ColdEvent,
    byte[] WarmEvent,
    Func<string, string, Task<string?>> VerifyAsync);

/// <summary>The servers every run talks to, and the clients the benchmark uses to set up and check each run.</summary>
internal sealed class BenchServers(
    EmulatorProcess dynamoDb,
    EmulatorProcess sqs,
    EmulatorProcess ses,
    CostExplorerStub costExplorer,
    IAmazonDynamoDB dynamoDbClient,
    IAmazonSQS sqsClient,
    HttpClient http)
{
    public EmulatorProcess DynamoDb => dynamoDb;

    public EmulatorProcess Sqs => sqs;

    public EmulatorProcess Ses => ses;

    public CostExplorerStub CostExplorer => costExplorer;

    public IAmazonDynamoDB DynamoDbClient => dynamoDbClient;

    public IAmazonSQS SqsClient => sqsClient;

    public async Task<int> SentEmailCountAsync(CancellationToken cancellationToken)
    {
        using var store = JsonDocument.Parse(await http.GetStringAsync(new Uri(ses.Url + "/store"), cancellationToken));
        return store.RootElement.GetProperty("emails").GetArrayLength();
    }

    public async Task<int> QueueDepthAsync(string queueUrl, CancellationToken cancellationToken)
    {
        var attributes = await sqsClient.GetQueueAttributesAsync(
            new GetQueueAttributesRequest { QueueUrl = queueUrl, AttributeNames = ["ApproximateNumberOfMessages"] },
            cancellationToken);
        return int.Parse(attributes.Attributes["ApproximateNumberOfMessages"], CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Sets up one run of one function on fresh resources (its own table and queues, so runs never see each other's
/// data), with a cold and a warm payload that do the same amount of work on two different report-days.
/// </summary>
internal static class Scenarios
{
    private const string Region = "us-east-1";
    private const string Account = "000000000000";
    private const string ReportIdText = "daily-costs";
    private const string Recipient = "finops@example.com";

    /// <summary>One report, grouped by service, one recipient: one message per scheduled day.</summary>
    private static readonly string Reports =
        $$"""[{"id":"{{ReportIdText}}","name":"Daily AWS cost","recipients":["{{Recipient}}"],"groupBy":"SERVICE","top":8}]""";

    public static async Task<PreparedRun> PrepareAsync(FunctionPackage function, BenchServers servers, CancellationToken cancellationToken)
    {
        var table = UniqueName("bench-events");
        await EventTableSchema.EnsureCreatedAsync(servers.DynamoDbClient, table, cancellationToken);
        var collectorQueue = await CreateQueueAsync(servers, "bench-collector", cancellationToken);
        var collectorDeadLetters = await CreateQueueAsync(servers, "bench-collector-dlq", cancellationToken);
        var notifierQueue = await CreateQueueAsync(servers, "bench-notifier", cancellationToken);
        var notifierDeadLetters = await CreateQueueAsync(servers, "bench-notifier-dlq", cancellationToken);

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_REGION"] = Region,
            ["AWS_ACCESS_KEY_ID"] = "bench",
            ["AWS_SECRET_ACCESS_KEY"] = "bench",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_ENDPOINT_URL_DYNAMODB"] = servers.DynamoDb.Url,
            ["AWS_ENDPOINT_URL_SQS"] = servers.Sqs.Url,
            ["AWS_ENDPOINT_URL_SESV2"] = servers.Ses.Url,
            ["AWS_ENDPOINT_URL_COST_EXPLORER"] = servers.CostExplorer.Url,
            ["COSTNOTIFIER_STACK"] = "bench",
            ["COSTNOTIFIER_REPORTS"] = Reports,
            ["COSTNOTIFIER_EVENTS_TABLE"] = table,
            ["COSTNOTIFIER_COLLECTOR_QUEUE_URL"] = collectorQueue,
            ["COSTNOTIFIER_COLLECTOR_DLQ_URL"] = collectorDeadLetters,
            ["COSTNOTIFIER_NOTIFIER_QUEUE_URL"] = notifierQueue,
            ["COSTNOTIFIER_NOTIFIER_DLQ_URL"] = notifierDeadLetters,
            ["COSTNOTIFIER_SENDER_ADDRESS"] = "costs@example.com",
        };

        var yesterday = ReportDate.FromInstant(DateTimeOffset.UtcNow).AddDays(-1);
        var dayBefore = yesterday.AddDays(-1);
        switch (function.Name)
        {
            case "scheduler":
                return new PreparedRun(
                    environment,
                    Encoding.UTF8.GetBytes($$"""{"date":"{{yesterday}}"}"""),
                    Encoding.UTF8.GetBytes($$"""{"date":"{{dayBefore}}"}"""),
                    async (cold, warm) =>
                        ScheduledOne(cold) ?? ScheduledOne(warm)
                        ?? await ExpectDepthAsync(servers, collectorQueue, 2, "collector queue", cancellationToken));

            case "collector":
                {
                    var requestsBefore = servers.CostExplorer.Requests;
                    return new PreparedRun(
                        environment,
                        SqsEvent(ReportRequestedBody(yesterday), collectorQueue),
                        SqsEvent(ReportRequestedBody(dayBefore), collectorQueue),
                        async (cold, warm) =>
                            NoBatchFailures(cold) ?? NoBatchFailures(warm)
                            ?? (servers.CostExplorer.Requests - requestsBefore == 2 ? null : $"expected 2 Cost Explorer requests, saw {servers.CostExplorer.Requests - requestsBefore}")
                            ?? await ExpectDepthAsync(servers, notifierQueue, 2, "notifier queue", cancellationToken));
                }

            case "notifier":
                {
                    var store = new DynamoDbEventStore(servers.DynamoDbClient, table);
                    var coldReady = await SeedSnapshotAsync(store, yesterday, cancellationToken);
                    var warmReady = await SeedSnapshotAsync(store, dayBefore, cancellationToken);
                    var emailsBefore = await servers.SentEmailCountAsync(cancellationToken);
                    return new PreparedRun(
                        environment,
                        SqsEvent(coldReady, notifierQueue),
                        SqsEvent(warmReady, notifierQueue),
                        async (cold, warm) =>
                        {
                            var sent = await servers.SentEmailCountAsync(cancellationToken) - emailsBefore;
                            return NoBatchFailures(cold) ?? NoBatchFailures(warm)
                                ?? (sent == 2 ? null : $"expected 2 emails at the SES server, saw {sent}");
                        });
                }

            default:
                throw new ArgumentException($"unknown function '{function.Name}'", nameof(function));
        }
    }

    private static string ReportRequestedBody(ReportDate date) =>
        MessageCodec.Encode(
            new ReportRequested(ReportId.Parse(ReportIdText), date, Trigger.Replay, RequestId.Parse("bench-" + Guid.NewGuid().ToString("N"))),
            Guid.NewGuid().ToString("N"),
            Guid.NewGuid().ToString("N"),
            DateTimeOffset.UtcNow);

    /// <summary>Appends a collected snapshot as the collector would, and returns the message announcing it.</summary>
    private static async Task<string> SeedSnapshotAsync(DynamoDbEventStore store, ReportDate date, CancellationToken cancellationToken)
    {
        var requestId = RequestId.Parse("bench-" + Guid.NewGuid().ToString("N"));
        var now = DateTimeOffset.UtcNow;
        var groups = new List<GroupLine>
        {
            new("Amazon Elastic Compute Cloud - Compute", 182.40m, 175.10m, 190.02m),
            new("Amazon Relational Database Service", 96.15m, 96.15m, 91.40m),
            new("Amazon Simple Storage Service", 41.72m, 40.98m, 39.11m),
            new("Amazon DynamoDB", 18.09m, 12.50m, 17.95m),
            new("AWS Lambda", 7.31m, 7.02m, 6.80m),
            new("Amazon CloudWatch", 6.88m, 6.91m, 6.40m),
            new("Amazon Simple Queue Service", 0.42m, 0.40m, null),
            new("Amazon Route 53", 0.51m, 0.50m, 0.50m),
        };
        var total = groups.Sum(g => g.Amount);
        var trend = Enumerable.Range(0, 15)
            .Select(i => new DayTotal(date.AddDays(i - 14).ToString(), total * (0.9m + (i % 7 * 0.03m)), Estimated: i == 14))
            .ToList();
        var collected = new CostSnapshotCollected
        {
            ReportId = ReportIdText,
            Date = date.ToString(),
            RequestId = requestId.Value,
            Trigger = Trigger.Replay,
            Figures = new CostFigures(
                "SERVICE", "UnblendedCost", "USD", total, Estimated: true, PreviousDayTotal: trend[^2].Total,
                SameWeekdayLastWeekTotal: trend[^8].Total, MonthToDate: total * date.Day.Day, groups, trend),
            CostSourceRequests = 1,
            CollectedAt = now,
        };
        var version = await store.AppendAsync(
            new StreamId(ReportId.Parse(ReportIdText), date), ExpectedVersion.NoStream, EventTypes.ToNewEvent(collected, now), cancellationToken);
        return MessageCodec.Encode(
            new CostSnapshotReady(ReportId.Parse(ReportIdText), date, version, requestId, Trigger.Replay),
            Guid.NewGuid().ToString("N"),
            Guid.NewGuid().ToString("N"),
            now);
    }

    /// <summary>A Lambda SQS event with one record, shaped as an event source mapping delivers it.</summary>
    private static byte[] SqsEvent(string body, string queueUrl)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("Records");
            json.WriteStartObject();
            json.WriteString("messageId", Guid.NewGuid().ToString());
            json.WriteString("receiptHandle", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
            json.WriteString("body", body);
            json.WriteStartObject("attributes");
            json.WriteString("ApproximateReceiveCount", "1");
            json.WriteString("SentTimestamp", now);
            json.WriteString("SenderId", "AIDAIENQZJOLO23YVJ4VO");
            json.WriteString("ApproximateFirstReceiveTimestamp", now);
            json.WriteEndObject();
            json.WriteStartObject("messageAttributes");
            json.WriteEndObject();
            json.WriteString("md5OfBody", BodyChecksum(body));
            json.WriteString("eventSource", "aws:sqs");
            json.WriteString("eventSourceARN", $"arn:aws:sqs:{Region}:{Account}:{queueUrl[(queueUrl.LastIndexOf('/') + 1)..]}");
            json.WriteString("awsRegion", Region);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

#pragma warning disable CA5351 // SQS's own body checksum is MD5; nothing here depends on it for security.
    private static string BodyChecksum(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));
#pragma warning restore CA5351

    private static string? ScheduledOne(string response)
    {
        using var document = JsonDocument.Parse(response);
        var count = document.RootElement.GetProperty("messages").GetArrayLength();
        return count == 1 ? null : $"expected the scheduler to enqueue 1 message, it answered {response}";
    }

    private static string? NoBatchFailures(string response)
    {
        using var document = JsonDocument.Parse(response);
        return document.RootElement.GetProperty("batchItemFailures").GetArrayLength() == 0
            ? null
            : $"the batch reported failures: {response}";
    }

    private static async Task<string?> ExpectDepthAsync(BenchServers servers, string queueUrl, int expected, string what, CancellationToken cancellationToken)
    {
        var depth = await servers.QueueDepthAsync(queueUrl, cancellationToken);
        return depth == expected ? null : $"expected {expected} messages on the {what}, found {depth}";
    }

    private static async Task<string> CreateQueueAsync(BenchServers servers, string prefix, CancellationToken cancellationToken) =>
        (await servers.SqsClient.CreateQueueAsync(new CreateQueueRequest { QueueName = UniqueName(prefix) }, cancellationToken)).QueueUrl;

    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}

/// <summary>
/// What one measured process showed, in milliseconds: from just before the process was started to its first
/// request for an event (initialisation done) and to its response to the cold event (the cold-start proxy); each
/// event's time from being handed out to being answered; and its peak resident memory after both.
/// </summary>
internal sealed record MeasuredRun(
    string Function,
    string Kind,
    double InitMs,
    double AnsweredMs,
    double ColdInvokeMs,
    double WarmInvokeMs,
    long PeakBytes);
