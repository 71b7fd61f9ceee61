using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.SQS;
using Amazon.SQS.Model;
using CostNotifier.Aws;
using CostNotifier.Aws.Hosting;
using CostNotifier.BatchProcessing;
using CostNotifier.Collector;
using CostNotifier.Notifier;
using CostNotifier.Scheduler;

namespace CostNotifier.ScaleBench;

/// <summary>
/// One measured function in a process of its own, configured as Terraform configures it, through the environment
/// (<see cref="FunctionSettings.FromEnvironment"/>, endpoints from <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>). The
/// container is built first, as in Lambda's init phase. The scheduler then answers the one event in
/// <see cref="EventVariable"/>; the collector and notifier are fed from their queue as an SQS event source mapping
/// feeds them: long polls of up to ten messages, gathered for at most the batching window, handed over as a Lambda
/// SQS event with the function's timeout as deadline; what the partial batch response does not name is deleted,
/// the rest comes back after the visibility timeout. A failed invocation leaves the whole batch.
/// </summary>
/// <remarks>
/// Talks to its parent in lines on standard output: <c>ready</c> once built; <c>invoked UNIX_MS</c> and
/// <c>answer JSON</c> for the scheduler; <c>batch RECORDS FAILURES</c> per invocation; <c>error TEXT</c> for an
/// invocation that threw; <c>peak KB</c> (VmHWM) before the scheduler exits. What the function logs goes to the file
/// in <see cref="LogVariable"/>.
/// </remarks>
internal static class FunctionRole
{
    public const string EventVariable = "SCALEBENCH_EVENT";
    public const string LogVariable = "SCALEBENCH_LOG";
    public const string QueueVariable = "SCALEBENCH_QUEUE_URL";
    public const string TimeoutVariable = "SCALEBENCH_TIMEOUT_SECONDS";

    /// <summary>How long the mapping gathers a batch (Terraform's <c>maximum_batching_window_in_seconds</c>).</summary>
    private static readonly TimeSpan BatchingWindow = TimeSpan.FromSeconds(1);

    /// <summary>How long before the deadline the handler is cancelled, so it can answer what it did not finish.</summary>
    private static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(string role)
    {
        var logPath = Environment.GetEnvironmentVariable(LogVariable);
        await using var log = logPath is null ? TextWriter.Null : TextWriter.Synchronized(new StreamWriter(logPath, append: false, Encoding.UTF8));
        try
        {
            var settings = FunctionSettings.FromEnvironment();
            var connection = new AwsConnection();
            switch (role)
            {
                case "scheduler":
                    {
                        var function = new SchedulerFunction(SchedulerComposition.Build(settings, connection, TimeProvider.System, log));
                        Say("ready");
                        var payload = Environment.GetEnvironmentVariable(EventVariable) ?? throw new InvalidOperationException($"{EventVariable} is not set.");
                        Say("invoked " + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
                        using var input = new MemoryStream(Encoding.UTF8.GetBytes(payload));
                        using var deadline = new CancellationTokenSource(Timeout() - DeadlineMargin);
                        await using var output = await function.HandleAsync(input, deadline.Token);
                        using var reader = new StreamReader(output);
                        Say("answer " + (await reader.ReadToEndAsync()).ReplaceLineEndings(" "));
                        Say("peak " + PeakKilobytes().ToString(CultureInfo.InvariantCulture));
                        return 0;
                    }

                case "collector":
                    {
                        var function = new CollectorFunction(CollectorComposition.Build(settings, connection, TimeProvider.System, log));
                        return await PollAsync(function.HandleAsync, log);
                    }

                case "notifier":
                    {
                        var function = new NotifierFunction(NotifierComposition.Build(settings, connection, TimeProvider.System, log));
                        return await PollAsync(function.HandleAsync, log);
                    }

                default:
                    await Console.Error.WriteLineAsync($"ScaleBench: unknown role '{role}': scheduler, collector or notifier");
                    return 2;
            }
        }
        catch (Exception ex)
        {
            Say("error " + ex.ToString().ReplaceLineEndings(" | "));
            return 1;
        }
    }

    /// <summary>The process's peak resident memory (VmHWM) in kB; 0 where /proc does not say.</summary>
    public static long PeakKilobytes(int? processId = null)
    {
        try
        {
            var line = File.ReadLines($"/proc/{(processId?.ToString(CultureInfo.InvariantCulture) ?? "self")}/status")
                .FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static async Task<int> PollAsync(Func<Stream, CancellationToken, Task<Stream>> function, TextWriter log)
    {
        var queueUrl = Environment.GetEnvironmentVariable(QueueVariable) ?? throw new InvalidOperationException($"{QueueVariable} is not set.");
        var timeout = Timeout();
        using var sqs = AwsPipelineServices.CreateSqsClient(new AwsConnection());
        Say("ready");
        while (true)
        {
            var messages = await ReceiveBatchAsync(sqs, queueUrl);
            if (messages.Count == 0)
            {
                continue;
            }

            var batch = JsonSerializer.SerializeToUtf8Bytes(new SqsEvent { Records = [.. messages.Select(m => ToRecord(m, queueUrl))] }, RoleJsonContext.Default.SqsEvent);
            HashSet<string> failed;
            try
            {
                using var input = new MemoryStream(batch);
                using var deadline = new CancellationTokenSource(timeout - DeadlineMargin);
                await using var output = await function(input, deadline.Token);
                var response = await JsonSerializer.DeserializeAsync(output, RoleJsonContext.Default.SqsBatchResponse)
                    ?? throw new InvalidOperationException("The function answered JSON null instead of a batch response.");
                failed = response.BatchItemFailures.Select(f => f.ItemIdentifier).ToHashSet(StringComparer.Ordinal);
            }
            catch (Exception ex)
            {
                // As Lambda does with an invocation that fails: nothing is deleted, every message comes back.
                Say("error " + ex.GetType().Name + ": " + ex.Message.ReplaceLineEndings(" "));
                await log.FlushAsync();
                failed = messages.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);
            }

            var done = messages.Where(m => !failed.Contains(m.MessageId)).ToList();
            if (done.Count > 0)
            {
                await sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest
                {
                    QueueUrl = queueUrl,
                    Entries = [.. done.Select((m, i) => new DeleteMessageBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle))],
                });
            }

            Say(string.Create(CultureInfo.InvariantCulture, $"batch {messages.Count} {failed.Count}"));
        }
    }

    // A long poll for the first message, then more receives until ten are held or the batching window closes.
    private static async Task<List<Message>> ReceiveBatchAsync(IAmazonSQS sqs, string queueUrl)
    {
        var batch = await ReceiveAsync(sqs, queueUrl, 10, waitSeconds: 20);
        var window = Stopwatch.StartNew();
        while (batch.Count is > 0 and < 10 && window.Elapsed < BatchingWindow)
        {
            var more = await ReceiveAsync(sqs, queueUrl, 10 - batch.Count, waitSeconds: 1);
            if (more.Count == 0)
            {
                break;
            }

            batch.AddRange(more);
        }

        return batch;
    }

    private static async Task<List<Message>> ReceiveAsync(IAmazonSQS sqs, string queueUrl, int count, int waitSeconds)
    {
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            MaxNumberOfMessages = count,
            WaitTimeSeconds = waitSeconds,
            MessageSystemAttributeNames = ["All"],
            MessageAttributeNames = ["All"],
        });
        return [.. received.Messages ?? []];
    }

    private static SqsMessage ToRecord(Message message, string queueUrl) => new()
    {
        MessageId = message.MessageId,
        ReceiptHandle = message.ReceiptHandle,
        Body = message.Body,
        Attributes = message.Attributes is null ? new Dictionary<string, string>() : new Dictionary<string, string>(message.Attributes),
        MessageAttributes = (message.MessageAttributes ?? []).ToDictionary(
            a => a.Key,
            a => new SqsMessageAttribute { StringValue = a.Value.StringValue, DataType = a.Value.DataType, StringListValues = [], BinaryListValues = [] }),
        Md5OfBody = message.MD5OfBody,
        EventSource = "aws:sqs",
        EventSourceArn = "arn:aws:sqs:us-east-1:000000000000:" + queueUrl[(queueUrl.LastIndexOf('/') + 1)..],
        AwsRegion = "us-east-1",
    };

    private static TimeSpan Timeout() =>
        int.TryParse(Environment.GetEnvironmentVariable(TimeoutVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(60);

    private static void Say(string line)
    {
        lock (Console.Out)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}

/// <summary>The Lambda SQS event and partial batch response, written as Lambda writes them.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
internal sealed partial class RoleJsonContext : JsonSerializerContext;
