using System.Text.Json;
using System.Text.Json.Nodes;
using CostNotifier.Cli;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.IntegrationTests.Cli;

/// <summary>
/// What fauxqs cannot show, against a scripted SQS endpoint: a redrive through an SQS message move task followed
/// to its end, and a replay whose batch SQS only partly accepts.
/// </summary>
public sealed class ScriptedSqsTests
{
    private const string Source = "prod-notifier";
    private const string DeadLetter = "prod-notifier-dlq";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));

    [Fact]
    public async Task Redrive_WhereSqsHasMoveTasks_StartsOneFromTheDlqToItsSource_AndFollowsItToCompletion()
    {
        await using var sqs = new ScriptedSqsEndpoint((call, before) => MoveTaskScript(call, before, finalStatus: "COMPLETED"));

        var result = await Redrive(sqs, "--max-per-second", "50", "--output", "json");

        Assert.True(result.Exit == 0, result.ToString());
        var start = Assert.Single(sqs.CallsOf("StartMessageMoveTask")).Body;
        Assert.Equal(ScriptedSqsEndpoint.Arn(DeadLetter), start["SourceArn"]!.GetValue<string>());
        Assert.Equal(ScriptedSqsEndpoint.Arn(Source), start["DestinationArn"]!.GetValue<string>());
        Assert.Equal(50, start["MaxNumberOfMessagesPerSecond"]!.GetValue<int>());
        Assert.Contains("RUNNING: moved 1 of ~3 message(s) from prod-notifier-dlq to prod-notifier", result.Error, StringComparison.Ordinal);
        Assert.Contains("COMPLETED: moved 3 of ~3", result.Error, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(result.Output);
        Assert.Equal("message-move-task", summary.RootElement.GetProperty("method").GetString());
        Assert.Equal("COMPLETED", summary.RootElement.GetProperty("status").GetString());
        Assert.Equal(3, summary.RootElement.GetProperty("moved").GetInt32());
        Assert.Empty(sqs.CallsOf("ReceiveMessage"));
    }

    [Fact]
    public async Task Redrive_WhenTheMoveTaskFails_ExitsOneWithSqssReason()
    {
        await using var sqs = new ScriptedSqsEndpoint((call, before) => MoveTaskScript(call, before, finalStatus: "FAILED"));

        var result = await Redrive(sqs);

        Assert.Equal(1, result.Exit);
        Assert.Contains("The move task failed: AWS.SimpleQueueService.KmsAccessDenied", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redrive_WhileAMoveTaskIsAlreadyRunning_FollowsItInsteadOfStartingAnother()
    {
        await using var sqs = new ScriptedSqsEndpoint((call, before) => MoveTaskScript(call, before + 1, finalStatus: "COMPLETED"));

        var result = await Redrive(sqs);

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Empty(sqs.CallsOf("StartMessageMoveTask"));
        Assert.Contains("already running", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redrive_WhenSqsKeepsThrottling_SaysSoInOneLine()
    {
        await using var sqs = new ScriptedSqsEndpoint((call, _) => call.Operation switch
        {
            "GetQueueAttributes" => Attributes(call),
            _ => ScriptedSqsEndpoint.Error("RequestThrottled", "Rate exceeded", 403),
        });

        var result = await Redrive(sqs);

        Assert.Equal(1, result.Exit);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: AWS is throttling these requests (RequestThrottled)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_WhenSqsRefusesPartOfTheBatch_SaysExactlyWhichReportDaysWereEnqueuedAndWhichNot()
    {
        // Twelve reports that each ask their own question (a region apiece) make twelve collector messages and two
        // batches: SQS takes the first ten and refuses the last two for good.
        await using var sqs = new ScriptedSqsEndpoint((call, before) => call.Operation switch
        {
            "GetQueueAttributes" => ScriptedSqsEndpoint.Ok(new JsonObject { ["Attributes"] = new JsonObject { ["QueueArn"] = ScriptedSqsEndpoint.Arn("prod-collector") } }),
            "SendMessageBatch" when before == 0 => ScriptedSqsEndpoint.Ok(new JsonObject
            {
                ["Successful"] = new JsonArray([.. Entries(call).Select(e => ScriptedSqsEndpoint.Accepted(e.Id, e.Body, "sqs-" + e.Id))]),
                ["Failed"] = new JsonArray(),
            }),
            "SendMessageBatch" => ScriptedSqsEndpoint.Ok(new JsonObject
            {
                ["Successful"] = new JsonArray(),
                ["Failed"] = new JsonArray([.. Entries(call).Select(e => new JsonObject { ["Id"] = e.Id, ["SenderFault"] = true, ["Code"] = "InvalidMessageContents", ["Message"] = "refused" })]),
            }),
            _ => ScriptedSqsEndpoint.Error("InvalidAction", "not scripted"),
        });
        var reports = "[" + string.Join(",", Enumerable.Range(1, 12).Select(i =>
            $$"""{"id":"r{{i:00}}","name":"R{{i}}","recipients":["r@example.com"],"groupBy":"SERVICE","filter":[{"dimension":"REGION","values":["region-{{i}}"]}]}""")) + "]";

        var result = await CliRunner.RunAsync(
            ["replay", "--date", "2026-11-21", "--output", "json", "--target", "aws", "--region", "us-east-1",
             "--endpoint-url", sqs.Url, "--collector-queue-url", sqs.QueueUrl("prod-collector")],
            Environment(("COSTNOTIFIER_REPORTS", reports)),
            _time);

        Assert.Equal(1, result.Exit);
        using var summary = JsonDocument.Parse(result.Output);
        var enqueued = summary.RootElement.GetProperty("messages").EnumerateArray().Select(m => $"{m.GetProperty("reportId").GetString()} {m.GetProperty("date").GetString()}").ToList();
        var notEnqueued = summary.RootElement.GetProperty("notEnqueued").EnumerateArray().Select(m => $"{m.GetProperty("reportId").GetString()} {m.GetProperty("date").GetString()}").ToList();
        Assert.Equal(10, enqueued.Count);
        Assert.Equal(["r11 2026-11-21", "r12 2026-11-21"], notEnqueued);
        Assert.Empty(enqueued.Intersect(notEnqueued));
        Assert.Contains("only 10 of 12 report periods were enqueued", result.Error, StringComparison.Ordinal);
        Assert.Contains("NOT enqueued: r11 2026-11-21, r12 2026-11-21", result.Error, StringComparison.Ordinal);
    }

    private static IEnumerable<(string Id, string Body)> Entries(ScriptedCall call) =>
        call.Body["Entries"]!.AsArray().Select(e => (e!["Id"]!.GetValue<string>(), e["MessageBody"]!.GetValue<string>()));

    private static (int, JsonObject) MoveTaskScript(ScriptedCall call, int before, string finalStatus) => call.Operation switch
    {
        "GetQueueAttributes" => Attributes(call),
        "StartMessageMoveTask" => ScriptedSqsEndpoint.Ok(new JsonObject { ["TaskHandle"] = "task-1" }),
        // First listing (before the start): nothing running; then running; then finished.
        "ListMessageMoveTasks" => before switch
        {
            0 => ScriptedSqsEndpoint.Ok(new JsonObject { ["Results"] = new JsonArray() }),
            1 => ScriptedSqsEndpoint.Ok(new JsonObject { ["Results"] = new JsonArray(Task("RUNNING", moved: 1, handle: "task-1")) }),
            _ => ScriptedSqsEndpoint.Ok(new JsonObject { ["Results"] = new JsonArray(Task(finalStatus, moved: finalStatus == "COMPLETED" ? 3 : 1, handle: null)) }),
        },
        _ => ScriptedSqsEndpoint.Error("InvalidAction", $"{call.Operation} is not scripted"),
    };

    private static JsonObject Task(string status, int moved, string? handle)
    {
        var task = new JsonObject
        {
            ["Status"] = status,
            ["SourceArn"] = ScriptedSqsEndpoint.Arn(DeadLetter),
            ["DestinationArn"] = ScriptedSqsEndpoint.Arn(Source),
            ["ApproximateNumberOfMessagesMoved"] = moved,
            ["ApproximateNumberOfMessagesToMove"] = 3,
            ["StartedTimestamp"] = 1764063000000,
        };
        if (handle is not null)
        {
            task["TaskHandle"] = handle;
        }

        if (status == "FAILED")
        {
            task["FailureReason"] = "AWS.SimpleQueueService.KmsAccessDenied";
        }

        return task;
    }

    private static (int, JsonObject) Attributes(ScriptedCall call)
    {
        var url = call.Body["QueueUrl"]!.GetValue<string>();
        var name = url[(url.LastIndexOf('/') + 1)..];
        var attributes = new JsonObject
        {
            ["QueueArn"] = ScriptedSqsEndpoint.Arn(name),
            ["ApproximateNumberOfMessages"] = "3",
            ["ApproximateNumberOfMessagesNotVisible"] = "0",
        };
        if (name == Source)
        {
            attributes["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{ScriptedSqsEndpoint.Arn(DeadLetter)}}","maxReceiveCount":5}""";
        }

        return ScriptedSqsEndpoint.Ok(new JsonObject { ["Attributes"] = attributes });
    }

    private Task<CliResult> Redrive(ScriptedSqsEndpoint sqs, params string[] extra) =>
        CliRunner.RunAsync(
            ["redrive", "--queue", "notifier", "--target", "aws", "--region", "us-east-1", "--endpoint-url", sqs.Url,
             "--notifier-queue-url", sqs.QueueUrl(Source), "--notifier-dlq-url", sqs.QueueUrl(DeadLetter), .. extra],
            Environment() with { MoveTaskPollInterval = TimeSpan.FromMilliseconds(10) },
            _time);

    private static CliEnvironment Environment(params (string Name, string Value)[] extra)
    {
        var variables = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test" };
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }

        return CliEnvironment.From(variables);
    }
}
