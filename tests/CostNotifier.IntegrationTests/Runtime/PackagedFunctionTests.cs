using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.SQS.Model;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Aws.Hosting;
using CostNotifier.Aws.Sqs;
using CostNotifier.BatchProcessing;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.IntegrationTests.Emulators;
using CostNotifier.IntegrationTests.EndToEnd;
using CostNotifier.Messaging;
using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.Runtime;

/// <summary>
/// The functions as Lambda runs them: each package extracted from its zip in <c>artifacts/</c>, started as its runtime
/// starts it (<c>dotnet exec</c> on dotnet10, <c>bootstrap</c> on provided.al2023) with only Lambda's environment,
/// answering events from a Runtime API emulator, talking to the emulators through the production SDK clients.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class PackagedFunctionTests(EmulatorFixture emulators)
{
    /// <summary>The newest glibc Amazon Linux 2023 (provided.al2023) ships.</summary>
    private static readonly Version AmazonLinux2023Glibc = new(2, 34);

    /// <summary>The newest libstdc++ symbol version of Amazon Linux 2023's GCC 11.</summary>
    private static readonly Version AmazonLinux2023Glibcxx = new(3, 4, 29);

    /// <summary>Libraries every provided.al2023 image has; a bootstrap may need these and nothing else.</summary>
    private static readonly string[] AmazonLinux2023BaseLibraries =
    [
        "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "ld-linux-x86-64.so.2", "libgcc_s.so.1",
        "libstdc++.so.6", "libz.so.1",
    ];

    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(10);

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly ReportDate _yesterday = ReportDate.FromInstant(DateTimeOffset.UtcNow).AddDays(-1);

    private string ServiceReport => $"by-service-{_suffix}";

    private string AccountReport => $"by-account-{_suffix}";

    public static TheoryData<string, string, string> MissingSettings => new()
    {
        { PackagedFunction.ReadyToRun, "scheduler", "COSTNOTIFIER_REPORTS" },
        { PackagedFunction.NativeAot, "scheduler", "COSTNOTIFIER_REPORTS" },
        { PackagedFunction.ReadyToRun, "collector", "COSTNOTIFIER_EVENTS_TABLE" },
        { PackagedFunction.NativeAot, "collector", "COSTNOTIFIER_EVENTS_TABLE" },
    };

    [Theory]
    [InlineData(PackagedFunction.ReadyToRun)]
    [InlineData(PackagedFunction.NativeAot)]
    public async Task Scheduler_WhenInvokedBySchedule_AnswersTheEnqueuedReportDaysAndTheCollectorQueueHoldsThem(string kind)
    {
        var pipeline = await PipelineAsync(costExplorerUrl: "http://127.0.0.1:1");
        await using var scheduler = await LambdaSandbox.StartAsync(kind, "scheduler", pipeline.Settings);
        var scheduledTime = At(_yesterday.AddDays(1), hour: 6);

        var outcome = await scheduler.InvokeAsync(Scheduled(scheduledTime), DateTimeOffset.UtcNow.AddSeconds(30));

        Assert.True(outcome.Answer == InvocationAnswer.Response, $"{outcome}{Environment.NewLine}{scheduler.Diagnostics()}");
        using var answer = outcome.Json();
        Assert.Equal($"scheduled-{_yesterday}", answer.RootElement.GetProperty("requestId").GetString());
        var answered = answer.RootElement.GetProperty("messages").EnumerateArray()
            .Select(m => $"{m.GetProperty("messageId").GetString()} {m.GetProperty("reportId").GetString()} {m.GetProperty("period").GetString()}")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(2, answered.Count);
        Assert.Contains(answered, m => m.EndsWith($" {ServiceReport} {_yesterday}", StringComparison.Ordinal));
        Assert.Contains(answered, m => m.EndsWith($" {AccountReport} {_yesterday}", StringComparison.Ordinal));
        var queued = (await emulators.ReceiveAndDeleteAsync(pipeline.Queues.Collector, 2, ArrivalTimeout))
            .Select(m => (m.MessageId, MessageCodec.DecodeReportRequested(m.Body).Payload))
            .ToList();
        Assert.Equal(answered, queued.Select(m => $"{m.MessageId} {m.Payload.ReportId} {m.Payload.Period}").Order(StringComparer.Ordinal));
        Assert.All(queued, m => Assert.Equal(Trigger.Scheduled, m.Payload.Trigger));
        Assert.Equal(0, await DepthAsync(pipeline.Queues.Collector));
    }

    [Theory]
    [InlineData(PackagedFunction.ReadyToRun)]
    [InlineData(PackagedFunction.NativeAot)]
    public async Task Collector_WhenABatchHasOneMalformedRecord_DeadLettersItWithItsReasonAndCollectsItsNeighbours(string kind)
    {
        await using var costExplorer = new CostExplorerStub();
        var pipeline = await PipelineAsync(costExplorer.Url);
        await using var collector = await LambdaSandbox.StartAsync(kind, "collector", pipeline.Settings);
        var first = RequestOf(ServiceReport, _yesterday);
        var second = RequestOf(AccountReport, _yesterday);
        const string malformed = "{\"type\":\"ReportRequested\",\"version\":1,\"payload\":";
        var batch = SqsBatch(pipeline.Queues.Collector, first.Body, malformed, second.Body);

        var outcome = await collector.InvokeAsync(batch.Event, DateTimeOffset.UtcNow.AddSeconds(30));

        Assert.True(outcome.Answer == InvocationAnswer.Response, $"{outcome}{Environment.NewLine}{collector.Diagnostics()}");
        Assert.Empty(BatchItemFailures(outcome));
        var dead = Assert.Single(await emulators.ReceiveAndDeleteAsync(pipeline.Queues.CollectorDeadLetter, 1, ArrivalTimeout));
        Assert.Equal(malformed, dead.Body);
        Assert.Equal(batch.MessageIds[1], dead.MessageAttributes[SqsDeadLetterSink.OriginalMessageIdAttribute].StringValue);
        Assert.Contains("not a valid envelope", dead.MessageAttributes[SqsDeadLetterSink.ReasonAttribute].StringValue, StringComparison.Ordinal);
        var ready = (await emulators.ReceiveAndDeleteAsync(pipeline.Queues.Notifier, 2, ArrivalTimeout))
            .Select(m => MessageCodec.DecodeCostSnapshotReady(m.Body).Payload.RequestId.Value)
            .Order(StringComparer.Ordinal);
        Assert.Equal(new[] { first.RequestId, second.RequestId }.Order(StringComparer.Ordinal), ready);
        Assert.Equal([EventTypes.NameOf<CostSnapshotCollected>()], await StoredEventTypesAsync(pipeline.Table, ServiceReport, _yesterday));
        Assert.Equal([EventTypes.NameOf<CostSnapshotCollected>()], await StoredEventTypesAsync(pipeline.Table, AccountReport, _yesterday));
        Assert.Equal(0, await DepthAsync(pipeline.Queues.CollectorDeadLetter) + await DepthAsync(pipeline.Queues.Notifier));
    }

    [Theory]
    [InlineData(PackagedFunction.ReadyToRun)]
    [InlineData(PackagedFunction.NativeAot)]
    public async Task Scheduler_WhenInvokedTwice_AnswersBothFromTheProcessThatInitialisedOnce(string kind)
    {
        var pipeline = await PipelineAsync(costExplorerUrl: "http://127.0.0.1:1", reports: 1);
        await using var scheduler = await LambdaSandbox.StartAsync(kind, "scheduler", pipeline.Settings);
        await scheduler.WaitUntilReadyAsync();

        var firstRun = await scheduler.InvokeAsync(Scheduled(At(_yesterday.AddDays(1), hour: 6)), DateTimeOffset.UtcNow.AddSeconds(30));
        var secondRun = await scheduler.InvokeAsync(Scheduled(At(_yesterday, hour: 6)), DateTimeOffset.UtcNow.AddSeconds(30));

        Assert.True(firstRun.Answer == InvocationAnswer.Response, $"{firstRun}{Environment.NewLine}{scheduler.Diagnostics()}");
        Assert.True(secondRun.Answer == InvocationAnswer.Response, $"{secondRun}{Environment.NewLine}{scheduler.Diagnostics()}");
        Assert.Equal(_yesterday.ToString(), EnqueuedDates(firstRun).Single());
        Assert.Equal(_yesterday.AddDays(-1).ToString(), EnqueuedDates(secondRun).Single());
        Assert.False(scheduler.Process.HasExited, scheduler.Diagnostics());
        Assert.Equal(
            [
                "/2018-06-01/runtime/invocation/next",
                $"/2018-06-01/runtime/invocation/{firstRun.RequestId}/response",
                "/2018-06-01/runtime/invocation/next",
                $"/2018-06-01/runtime/invocation/{secondRun.RequestId}/response",
            ],
            scheduler.Runtime.Requests.Select(r => r.Path).Take(4));
        Assert.Equal(2, (await emulators.ReceiveAndDeleteAsync(pipeline.Queues.Collector, 2, ArrivalTimeout)).Count);
        Assert.Equal(0, await DepthAsync(pipeline.Queues.Collector));
    }

    [Theory]
    [InlineData(PackagedFunction.ReadyToRun)]
    [InlineData(PackagedFunction.NativeAot)]
    public async Task Collector_WhenTheDeadlineRunsOutMidBatch_ReturnsTheUnfinishedRecordsAsFailures(string kind)
    {
        // The default margin, as deployed: ample for a loaded test machine to stop, serialise and post in time.
        var margin = CostNotifier.LambdaRuntime.RuntimeSettings.DefaultDeadlineMargin;
        await using var costExplorer = new StallingCostExplorer();
        var pipeline = await PipelineAsync(costExplorer.Url, reports: 1);
        await using var collector = await LambdaSandbox.StartAsync(kind, "collector", pipeline.Settings);
        var requests = new[] { _yesterday, _yesterday.AddDays(-1), _yesterday.AddDays(-2) }
            .Select(date => RequestOf(ServiceReport, date))
            .ToList();
        var batch = SqsBatch(pipeline.Queues.Collector, [.. requests.Select(r => r.Body)]);
        await collector.WaitUntilReadyAsync();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(8);

        var outcome = await collector.InvokeAsync(batch.Event, deadline);

        Assert.True(outcome.Answer == InvocationAnswer.Response, $"{outcome}{Environment.NewLine}{collector.Diagnostics()}");
        Assert.True(
            outcome.AnsweredAt < deadline,
            $"The answer came at {outcome.AnsweredAt:O}, after the deadline {deadline:O}.{Environment.NewLine}{collector.Diagnostics()}");
        Assert.True(
            outcome.AnsweredAt >= deadline - margin - TimeSpan.FromSeconds(1),
            $"The answer came at {outcome.AnsweredAt:O}, long before the deadline {deadline:O}: the stalled record was not waited for.");
        Assert.Equal(batch.MessageIds[1..], BatchItemFailures(outcome));
        Assert.Equal(2, costExplorer.Requests);
        Assert.Equal([EventTypes.NameOf<CostSnapshotCollected>()], await StoredEventTypesAsync(pipeline.Table, ServiceReport, _yesterday));
        var ready = Assert.Single(await emulators.ReceiveAndDeleteAsync(pipeline.Queues.Notifier, 1, ArrivalTimeout));
        Assert.Equal(requests[0].RequestId, MessageCodec.DecodeCostSnapshotReady(ready.Body).Payload.RequestId.Value);
        Assert.Equal(0, await DepthAsync(pipeline.Queues.Notifier));
        Assert.False(collector.Process.HasExited, collector.Diagnostics());
    }

    [Theory]
    [MemberData(nameof(MissingSettings))]
    public async Task Function_WhenASettingIsMissing_ReportsAnInitErrorNamingItAndExitsByItself(string kind, string function, string variable)
    {
        var pipeline = await PipelineAsync(costExplorerUrl: "http://127.0.0.1:1", reports: 1);
        var settings = new Dictionary<string, string?>(pipeline.Settings) { [variable] = null };
        await using var sandbox = await LambdaSandbox.StartAsync(kind, function, settings);

        var invocation = sandbox.InvokeAsync("{}", DateTimeOffset.UtcNow.AddSeconds(30));
        var error = await sandbox.InitErrorAsync();
        var exitCode = await sandbox.ExitCodeAsync(TimeSpan.FromSeconds(10));

        Assert.Contains(variable, error.ErrorMessage ?? error.Body, StringComparison.Ordinal);
        Assert.NotNull(error.ErrorTypeHeader);
        Assert.NotEqual(0, exitCode);
        Assert.Equal(InvocationAnswer.InitError, (await invocation).Answer);
        Assert.DoesNotContain(sandbox.Runtime.Requests, r => r.Path.EndsWith("/invocation/next", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("scheduler")]
    [InlineData("collector")]
    [InlineData("notifier")]
    public async Task NativeAotBootstrap_ImportsNoGlibcNewerThanAmazonLinux2023s(string function)
    {
        using var package = PackagedFunction.Extract(PackagedFunction.NativeAot, function);

        var dependencies = await ElfDependencies.ReadAsync(package.EntryPoint);

        var glibc = dependencies.Newest("GLIBC");
        Assert.NotNull(glibc);
        Assert.True(glibc <= AmazonLinux2023Glibc, $"{function}'s bootstrap needs GLIBC_{glibc}; Amazon Linux 2023 has {AmazonLinux2023Glibc}.");
        var glibcxx = dependencies.Newest("GLIBCXX");
        Assert.True(glibcxx is null || glibcxx <= AmazonLinux2023Glibcxx, $"{function}'s bootstrap needs GLIBCXX_{glibcxx}; Amazon Linux 2023 has {AmazonLinux2023Glibcxx}.");
    }

    [Theory]
    [InlineData("scheduler")]
    [InlineData("collector")]
    [InlineData("notifier")]
    public async Task NativeAotBootstrap_NeedsNoLibraryAmazonLinux2023Lacks(string function)
    {
        using var package = PackagedFunction.Extract(PackagedFunction.NativeAot, function);

        var dependencies = await ElfDependencies.ReadAsync(package.EntryPoint);

        Assert.Contains("libc.so.6", dependencies.NeededLibraries);
        Assert.DoesNotContain(dependencies.NeededLibraries, library => library.StartsWith("libicu", StringComparison.Ordinal));
        Assert.All(dependencies.NeededLibraries, library => Assert.Contains(library, AmazonLinux2023BaseLibraries));
    }

    [Fact]
    public async Task NativeAotScheduler_OnAMachineWithoutDotnetOrIcu_AnswersAnInvocation()
    {
        using var bare = BareMountNamespace.Create();
        var pipeline = await PipelineAsync(costExplorerUrl: "http://127.0.0.1:1", reports: 1);
        var settings = new Dictionary<string, string?>(pipeline.Settings) { ["PATH"] = "/usr/bin:/bin" };
        await using var scheduler = await LambdaSandbox.StartAsync(PackagedFunction.NativeAot, "scheduler", settings, bare.Launcher);

        var outcome = await scheduler.InvokeAsync(Scheduled(At(_yesterday.AddDays(1), hour: 6)), DateTimeOffset.UtcNow.AddSeconds(30));

        Assert.True(outcome.Answer == InvocationAnswer.Response, $"{outcome}{Environment.NewLine}{scheduler.Diagnostics()}");
        Assert.Equal(_yesterday.ToString(), EnqueuedDates(outcome).Single());
        var pid = scheduler.Process.Id;
        var mounts = await File.ReadAllTextAsync($"/proc/{pid}/mountinfo");
        Assert.All(bare.HiddenDirectories, directory => Assert.Contains($" {directory} ", mounts, StringComparison.Ordinal));
        Assert.Contains(Path.GetDirectoryName(PackagedFunction.DotnetHost())!, bare.HiddenDirectories);
        var environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("PATH=/usr/bin:/bin", environment);
        Assert.DoesNotContain(environment, variable => variable.StartsWith("DOTNET_", StringComparison.Ordinal));
        var loaded = await File.ReadAllTextAsync($"/proc/{pid}/maps");
        Assert.DoesNotContain("libicu", loaded, StringComparison.Ordinal);
        Assert.DoesNotContain("libcoreclr", loaded, StringComparison.Ordinal);
    }

    /// <summary>A fresh table and set of queues, and the settings that point a function at them.</summary>
    private async Task<Pipeline> PipelineAsync(string costExplorerUrl, int reports = 2)
    {
        var table = await emulators.CreateEventTableAsync();
        var queues = await emulators.CreatePipelineQueuesAsync();
        var definitions = new[]
        {
            $$"""{"id":"{{ServiceReport}}","name":"By service","recipients":["finops-{{_suffix}}@example.com"],"groupBy":"SERVICE"}""",
            $$"""{"id":"{{AccountReport}}","name":"By account","recipients":["finops-{{_suffix}}@example.com"],"groupBy":"LINKED_ACCOUNT","top":5}""",
        };
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["AWS_ENDPOINT_URL_DYNAMODB"] = emulators.DynamoDbUrl,
            ["AWS_ENDPOINT_URL_SQS"] = emulators.SqsUrl,
            ["AWS_ENDPOINT_URL_SESV2"] = emulators.SesUrl,
            ["AWS_ENDPOINT_URL_COST_EXPLORER"] = costExplorerUrl,
            ["AWS_LAMBDA_HANDLER_LOG_FORMAT"] = "Unformatted",
            ["COSTNOTIFIER_STACK"] = "packaged",
            ["COSTNOTIFIER_REPORTS"] = "[" + string.Join(',', definitions.Take(reports)) + "]",
            ["COSTNOTIFIER_EVENTS_TABLE"] = table,
            ["COSTNOTIFIER_COLLECTOR_QUEUE_URL"] = queues.Collector,
            ["COSTNOTIFIER_COLLECTOR_DLQ_URL"] = queues.CollectorDeadLetter,
            ["COSTNOTIFIER_NOTIFIER_QUEUE_URL"] = queues.Notifier,
            ["COSTNOTIFIER_NOTIFIER_DLQ_URL"] = queues.NotifierDeadLetter,
            ["COSTNOTIFIER_SENDER_ADDRESS"] = "costs@example.com",
        };
        return new Pipeline(table, queues, settings);
    }

    private async Task<IReadOnlyList<string>> StoredEventTypesAsync(string table, string report, ReportDate date) =>
        (await new DynamoDbEventStore(emulators.DynamoDb, table).ReadStreamAsync(new StreamId(ReportId.Parse(report), date), CancellationToken.None))
            .Select(e => e.Type)
            .ToList();

    /// <summary>Messages visible or in flight on the queue.</summary>
    private async Task<int> DepthAsync(string queueUrl)
    {
        var attributes = await emulators.Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = queueUrl,
            AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        });
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }

    private static DateTimeOffset At(ReportDate day, int hour) => new(day.Day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    private static string Scheduled(DateTimeOffset scheduledTime) =>
        $$"""{"source":"eventbridge-scheduler","scheduledTime":"{{scheduledTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}"}""";

    private static (string Body, string RequestId) RequestOf(string report, ReportDate date)
    {
        var requestId = "packaged-" + Guid.NewGuid().ToString("N");
        var body = MessageCodec.Encode(
            new ReportRequested(ReportId.Parse(report), date, Trigger.Replay, RequestId.Parse(requestId)),
            Guid.NewGuid().ToString("N"),
            Guid.NewGuid().ToString("N"),
            DateTimeOffset.UtcNow);
        return (body, requestId);
    }

    /// <summary>A Lambda SQS event holding <paramref name="bodies"/> as an event source mapping delivers them.</summary>
    private static (string Event, string[] MessageIds) SqsBatch(string queueUrl, params string[] bodies)
    {
        var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var records = bodies.Select(body => new SqsMessage
        {
            MessageId = Guid.NewGuid().ToString(),
            ReceiptHandle = Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
            Body = body,
            Attributes = new Dictionary<string, string>
            {
                ["ApproximateReceiveCount"] = "1",
                ["SentTimestamp"] = sent,
                ["SenderId"] = "AIDAIENQZJOLO23YVJ4VO",
                ["ApproximateFirstReceiveTimestamp"] = sent,
            },
            MessageAttributes = new Dictionary<string, SqsMessageAttribute>(),
            Md5OfBody = BodyChecksum(body),
            EventSource = "aws:sqs",
            EventSourceArn = $"arn:aws:sqs:{EmulatorFixture.Region}:000000000000:{queueUrl[(queueUrl.LastIndexOf('/') + 1)..]}",
            AwsRegion = EmulatorFixture.Region,
        }).ToList();
        var json = JsonSerializer.Serialize(new SqsEvent { Records = records }, LambdaJsonContext.Default.SqsEvent);
        return (json, [.. records.Select(r => r.MessageId!)]);
    }

#pragma warning disable CA5351 // SQS's own body checksum is MD5; nothing here depends on it for security.
    private static string BodyChecksum(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));
#pragma warning restore CA5351

    private static List<string> BatchItemFailures(InvocationOutcome outcome)
    {
        using var answer = outcome.Json();
        return [.. answer.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString() ?? "(null)")];
    }

    private static List<string> EnqueuedDates(InvocationOutcome outcome)
    {
        using var answer = outcome.Json();
        return [.. answer.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("period").GetString() ?? "(null)")];
    }

    private sealed record Pipeline(string Table, PipelineQueues Queues, IReadOnlyDictionary<string, string?> Settings);
}
