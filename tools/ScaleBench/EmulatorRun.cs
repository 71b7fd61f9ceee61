using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using CostNotifier.Aws;
using CostNotifier.Aws.Configuration;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Aws.Hosting;
using CostNotifier.TestSupport;

namespace CostNotifier.ScaleBench;

/// <summary>
/// The pipeline on the emulators, laid out as Terraform lays it out and run by the real function code, each
/// function in processes of its own (<see cref="FunctionRole"/>): one scheduler invocation, one collector and
/// <see cref="ScaleOptions.NotifierProcesses"/> notifiers polling their queues. Every AWS client goes through a
/// <see cref="CountingProxy"/> per service. The clock runs from the scheduler's invocation to the last email
/// aws-ses-v2-local accepted.
/// </summary>
internal static class EmulatorRun
{
    private const int MaxReceiveCount = 5;
    private const int BatchingWindowSeconds = 1;
    private const int SchedulerTimeoutSeconds = 30;
    private const int CollectorTimeoutSeconds = 60;
    private const int NotifierTimeoutSeconds = 60;

    public static async Task<ScaleFigures> RunAsync(ScaleOptions options, ScaleConfiguration configuration, DateTimeOffset scheduledTime, string work, CancellationToken cancellationToken)
    {
        Console.WriteLine("Emulators: starting dynalite, fauxqs, aws-ses-v2-local and the Cost Explorer stand-in...");
        var installation = EmulatorInstallation.At(options.EmulatorDirectory);
        await using var dynamoDb = await EmulatorProcess.StartAsync(installation, "dynamodb", "/", cancellationToken);
        await using var sqs = await EmulatorProcess.StartAsync(installation, "sqs", "/health", cancellationToken);
        await using var ses = await EmulatorProcess.StartAsync(installation, "ses", "/health-check", cancellationToken);
        await using var costExplorer = new CostExplorerStub(configuration.Accounts, options.CostExplorerPageGroups);
        await using var dynamoDbProxy = new CountingProxy("DynamoDB", dynamoDb.Url);
        await using var sqsProxy = new CountingProxy("SQS", sqs.Url);
        await using var sesProxy = new CountingProxy("SES", ses.Url);
        await using var costExplorerProxy = new CountingProxy("Cost Explorer", costExplorer.Url);

        // Set-up goes straight to the emulators: only the functions' own requests are counted.
        var credentials = new BasicAWSCredentials("bench", "bench");
        using var dynamoDbClient = AwsPipelineServices.CreateDynamoDbClient(new AwsConnection("us-east-1", EndpointUrl: dynamoDb.Url, Credentials: credentials));
        using var sqsClient = AwsPipelineServices.CreateSqsClient(new AwsConnection("us-east-1", EndpointUrl: sqs.Url, Credentials: credentials));
        const string table = "scale-events";
        await EventTableSchema.EnsureCreatedAsync(dynamoDbClient, table, cancellationToken);
        var collector = await CreateQueueAsync(sqsClient, "scale-collector", CollectorTimeoutSeconds, cancellationToken);
        var notifier = await CreateQueueAsync(sqsClient, "scale-notifier", NotifierTimeoutSeconds, cancellationToken);
        var published = await new DynamoDbReportConfigurationStore(dynamoDbClient, table, TimeProvider.System)
            .PublishAsync(ReportConfigurationDocument.Parse(configuration.Json()), "scale-bench", cancellationToken);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Emulators: table and queues created; configuration v{published.Version} published to the table ({configuration.AccountCount} accounts)."));

        var common = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "bench",
            ["AWS_SECRET_ACCESS_KEY"] = "bench",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDbProxy.Url,
            ["AWS_ENDPOINT_URL_SQS"] = sqsProxy.Url,
            ["AWS_ENDPOINT_URL_SESV2"] = sesProxy.Url,
            ["AWS_ENDPOINT_URL_COST_EXPLORER"] = costExplorerProxy.Url,
            ["COSTNOTIFIER_STACK"] = "scale",
            ["COSTNOTIFIER_LOG_LEVEL"] = "Information",
            ["COSTNOTIFIER_REPORTS_SOURCE"] = "table",
            ["COSTNOTIFIER_EVENTS_TABLE"] = table,
        };
        var collectorEnvironment = With(common, new()
        {
            ["COSTNOTIFIER_COLLECTOR_DLQ_URL"] = collector.DeadLetterUrl,
            ["COSTNOTIFIER_NOTIFIER_QUEUE_URL"] = notifier.Url,
            ["COSTNOTIFIER_COST_METRIC"] = "UnblendedCost",
            ["COSTNOTIFIER_CLAIM_SECONDS"] = (2 * CollectorTimeoutSeconds).ToString(CultureInfo.InvariantCulture),
            ["COSTNOTIFIER_MAX_RECEIVE_COUNT"] = MaxReceiveCount.ToString(CultureInfo.InvariantCulture),
            [FunctionRole.QueueVariable] = collector.Url,
            [FunctionRole.TimeoutVariable] = CollectorTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            [FunctionRole.LogVariable] = Path.Combine(work, "collector.log"),
        });
        var notifierEnvironment = With(common, new()
        {
            ["COSTNOTIFIER_NOTIFIER_DLQ_URL"] = notifier.DeadLetterUrl,
            ["COSTNOTIFIER_SENDER_ADDRESS"] = "costs@example.com",
            ["COSTNOTIFIER_CLAIM_SECONDS"] = (2 * NotifierTimeoutSeconds).ToString(CultureInfo.InvariantCulture),
            ["COSTNOTIFIER_MAX_RECEIVE_COUNT"] = MaxReceiveCount.ToString(CultureInfo.InvariantCulture),
            ["COSTNOTIFIER_SES_MAX_SEND_RATE"] = options.Rate.ToString(CultureInfo.InvariantCulture),
            ["COSTNOTIFIER_NOTIFIER_MAX_CONCURRENCY"] = ScaleOptions.NotifierProcesses.ToString(CultureInfo.InvariantCulture),
            [FunctionRole.QueueVariable] = notifier.Url,
            [FunctionRole.TimeoutVariable] = NotifierTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        });
        var schedulerEnvironment = With(common, new()
        {
            ["COSTNOTIFIER_COLLECTOR_QUEUE_URL"] = collector.Url,
            [FunctionRole.EventVariable] = $$"""{"source":"eventbridge-scheduler","scheduledTime":"{{scheduledTime.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}}"}""",
            [FunctionRole.TimeoutVariable] = SchedulerTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            [FunctionRole.LogVariable] = Path.Combine(work, "scheduler.log"),
        });

        var consumers = new List<ChildProcess>();
        ChildProcess? scheduler = null;
        try
        {
            consumers.Add(ChildProcess.Start("collector", "collector", collectorEnvironment));
            for (var i = 1; i <= ScaleOptions.NotifierProcesses; i++)
            {
                consumers.Add(ChildProcess.Start("notifier", "notifier", With(notifierEnvironment, new()
                {
                    [FunctionRole.LogVariable] = Path.Combine(work, $"notifier-{i.ToString(CultureInfo.InvariantCulture)}.log"),
                })));
            }

            foreach (var consumer in consumers)
            {
                await consumer.WaitReadyAsync(cancellationToken);
            }

            Console.WriteLine($"Emulators: collector and {ScaleOptions.NotifierProcesses} notifiers polling; invoking the scheduler for {scheduledTime:yyyy-MM-dd HH:mm}Z...");
            scheduler = ChildProcess.Start("scheduler", "scheduler", schedulerEnvironment);
            await scheduler.WaitForExitAsync(cancellationToken);
            var failures = new List<string>();
            if (scheduler.Lines("invoked") is not [var invokedText] || scheduler.Lines("answer") is not [var answer])
            {
                return new ScaleFigures("emulators") { Failures = [$"the scheduler did not answer its event:{scheduler.Tail()}"] };
            }

            var invokedAt = long.Parse(invokedText, CultureInfo.InvariantCulture);
            using (var answered = JsonDocument.Parse(answer))
            {
                var enqueued = answered.RootElement.GetProperty("messages").GetArrayLength();
                Console.WriteLine($"Emulators: the scheduler enqueued {enqueued} report-day(s); waiting for {configuration.ExpectedEmails} emails...");
            }

            var (settled, waitProblem) = await WaitForEmailsAsync(options, configuration, sesProxy, sqsClient, [collector, notifier], consumers, cancellationToken);
            if (waitProblem is not null)
            {
                failures.Add(waitProblem);
            }

            var peaks = new List<(string, long)> { ("scheduler", scheduler.PeakBytes()) };
            peaks.AddRange(consumers.GroupBy(c => c.Name).Select(g => (g.Key + (g.Count() > 1 ? $" (max of {g.Count()})" : string.Empty), g.Max(c => c.PeakBytes()))));
            foreach (var consumer in consumers)
            {
                await consumer.DisposeAsync();
            }

            var collectorWork = consumers.Where(c => c.Name == "collector").Select(c => c.Work).ToList();
            var notifierWork = consumers.Where(c => c.Name == "notifier").Select(c => c.Work).ToList();
            foreach (var consumer in consumers.Where(c => c.Lines("error").Count > 0))
            {
                failures.Add($"the {consumer.Name} failed an invocation:{consumer.Tail()}");
            }

            var delivered = await SentEmailCountAsync(ses.Url, cancellationToken);
            if (delivered != configuration.ExpectedEmails)
            {
                failures.Add($"aws-ses-v2-local holds {delivered} emails, not the {configuration.ExpectedEmails} expected");
            }

            var deadLetters = new List<(string Queue, int Depth)>();
            foreach (var (name, url) in new[] { ("collector DLQ", collector.DeadLetterUrl), ("notifier DLQ", notifier.DeadLetterUrl) })
            {
                deadLetters.Add((name, await DepthAsync(sqsClient, url, cancellationToken)));
            }

            var (storedBytes, configurationBytes, items) = await TableBytesAsync(dynamoDbClient, table, cancellationToken);
            var lastEmail = sesProxy.LastEmailAcceptedUnixMs;
            return new ScaleFigures("emulators")
            {
                CostExplorerRequests = costExplorer.Requests,
                CollectorMessages = collectorWork.Sum(w => w.Records),
                EmailsDelivered = delivered,
                EmailsWhere = "emails in aws-ses-v2-local's store",
                SesCalls = sesProxy.Requests,
                SqsRequests = sqsProxy.Requests,
                SqsOperations = Describe(sqsProxy.Operations),
                DynamoDbRequests = dynamoDbProxy.Requests,
                DynamoDbOperations = Describe(dynamoDbProxy.Operations),
                StoredBytes = storedBytes,
                StoredWhat = string.Create(
                    CultureInfo.InvariantCulture,
                    $"sum of DynamoDB item sizes (name + value rules) of the {items} items in the table after the run, the published configuration ({configurationBytes / 1024.0:0.0} KB) left out"),
                DeadLettered = deadLetters.Sum(d => d.Depth),
                DeadLetterDetail = string.Join(", ", deadLetters.Select(d => $"{d.Queue} {d.Depth.ToString(CultureInfo.InvariantCulture)}")),
                PeakMemory = peaks,
                WallSeconds = lastEmail == 0 ? double.NaN : (lastEmail - invokedAt) / 1000.0,
                WallWhat = "scheduler invocation to the last SendEmail aws-ses-v2-local accepted",
                Notes =
                [
                    string.Create(CultureInfo.InvariantCulture, $"Cost Explorer stand-in: {costExplorer.Answering.TotalSeconds:0.0} s building its answers, inside the wall time (Cost Explorer's own latency is not modelled)."),
                    string.Create(CultureInfo.InvariantCulture, $"Invocations: collector {collectorWork.Sum(w => w.Batches)} ({collectorWork.Sum(w => w.Failures)} records failed), notifier {notifierWork.Sum(w => w.Batches)} over {notifierWork.Sum(w => w.Records)} records ({notifierWork.Sum(w => w.Failures)} failed)."),
                    $"Function logs: {work}",
                ],
                Failures = settled ? failures : [.. failures, "the queues did not settle"],
            };
        }
        finally
        {
            foreach (var consumer in consumers)
            {
                await consumer.DisposeAsync();
            }

            if (scheduler is not null)
            {
                await scheduler.DisposeAsync();
            }
        }
    }

    // Until every expected email was accepted and both work queues are empty, then a short quiet spell to catch
    // extras; a consumer that exits, a dead-lettered message that can no longer become an email, or the timeout
    // ends the wait early.
    private static async Task<(bool Settled, string? Problem)> WaitForEmailsAsync(
        ScaleOptions options,
        ScaleConfiguration configuration,
        CountingProxy ses,
        IAmazonSQS sqs,
        IReadOnlyList<QueueUrls> queues,
        IReadOnlyList<ChildProcess> consumers,
        CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var lastReport = started;
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            if (consumers.FirstOrDefault(c => c.HasExited) is { } exited)
            {
                return (false, $"the {exited.Name} process exited:{exited.Tail()}");
            }

            var now = DateTimeOffset.UtcNow;
            if (now - lastReport > TimeSpan.FromSeconds(15))
            {
                lastReport = now;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(now - started).TotalSeconds,5:0} s: {ses.EmailsAccepted} of {configuration.ExpectedEmails} emails accepted"));
            }

            var depth = 0;
            var deadLettered = 0;
            foreach (var queue in queues)
            {
                depth += await DepthAsync(sqs, queue.Url, cancellationToken);
                deadLettered += await DepthAsync(sqs, queue.DeadLetterUrl, cancellationToken);
            }

            if (ses.EmailsAccepted >= configuration.ExpectedEmails && depth == 0)
            {
                var last = ses.LastEmailAcceptedUnixMs;
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
                if (ses.LastEmailAcceptedUnixMs == last)
                {
                    return (true, null);
                }

                continue;
            }

            if (depth == 0 && deadLettered > 0)
            {
                return (false, $"{deadLettered} message(s) were dead-lettered and the work queues are empty: {ses.EmailsAccepted} of {configuration.ExpectedEmails} emails were sent");
            }

            if (now - started > options.Timeout)
            {
                return (false, string.Create(
                    CultureInfo.InvariantCulture,
                    $"after {options.Timeout.TotalSeconds:0} s only {ses.EmailsAccepted} of {configuration.ExpectedEmails} emails were accepted ({depth} messages still queued, {deadLettered} dead-lettered)"));
            }
        }
    }

    private sealed record QueueUrls(string Url, string DeadLetterUrl);

    // As sqs.tf declares them: the visibility timeout six times the function's timeout plus the batching window,
    // and a dead-letter queue after MaxReceiveCount receives.
    private static async Task<QueueUrls> CreateQueueAsync(IAmazonSQS sqs, string name, int functionTimeoutSeconds, CancellationToken cancellationToken)
    {
        var deadLetter = (await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name + "-dlq",
            Attributes = new Dictionary<string, string> { ["MessageRetentionPeriod"] = (14 * 24 * 3600).ToString(CultureInfo.InvariantCulture) },
        }, cancellationToken)).QueueUrl;
        var deadLetterArn = (await sqs.GetQueueAttributesAsync(
            new GetQueueAttributesRequest { QueueUrl = deadLetter, AttributeNames = ["QueueArn"] }, cancellationToken)).Attributes["QueueArn"];
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name,
            Attributes = new Dictionary<string, string>
            {
                ["VisibilityTimeout"] = ((6 * functionTimeoutSeconds) + BatchingWindowSeconds).ToString(CultureInfo.InvariantCulture),
                ["MessageRetentionPeriod"] = (4 * 24 * 3600).ToString(CultureInfo.InvariantCulture),
                ["RedrivePolicy"] = JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["deadLetterTargetArn"] = deadLetterArn,
                    ["maxReceiveCount"] = MaxReceiveCount.ToString(CultureInfo.InvariantCulture),
                }),
            },
        }, cancellationToken)).QueueUrl;
        return new QueueUrls(url, deadLetter);
    }

    private static async Task<int> DepthAsync(IAmazonSQS sqs, string url, CancellationToken cancellationToken)
    {
        var attributes = await sqs.GetQueueAttributesAsync(
            new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] },
            cancellationToken);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }

    private static async Task<int> SentEmailCountAsync(string sesUrl, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var store = JsonDocument.Parse(await http.GetStringAsync(new Uri(sesUrl + "/store"), cancellationToken));
        return store.RootElement.GetProperty("emails").GetArrayLength();
    }

    // Every item's size by DynamoDB's rules; the published configuration (items under config#) apart.
    private static async Task<(long Stored, long Configuration, int Items)> TableBytesAsync(IAmazonDynamoDB client, string table, CancellationToken cancellationToken)
    {
        long stored = 0, configuration = 0;
        var items = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start }, cancellationToken);
            foreach (var item in page.Items ?? [])
            {
                var size = ItemSize.Of(item);
                if (item.TryGetValue(EventTableSchema.PartitionKey, out var key) && key.S?.StartsWith(DynamoDbReportConfigurationStore.PointerKey, StringComparison.Ordinal) == true)
                {
                    configuration += size;
                }
                else
                {
                    stored += size;
                    items++;
                }
            }

            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return (stored, configuration, items);
    }

    private static string Describe(IReadOnlyDictionary<string, int> operations) =>
        string.Join(", ", operations.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value.ToString(CultureInfo.InvariantCulture)}"));

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> baseline, Dictionary<string, string> more)
    {
        var all = new Dictionary<string, string>(baseline, StringComparer.Ordinal);
        foreach (var (name, value) in more)
        {
            all[name] = value;
        }

        return all;
    }
}
