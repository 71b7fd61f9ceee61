using System.Text.Json;
using Amazon.SQS.Model;
using CostNotifier.Aws.Sqs;
using CostNotifier.Cli;
using CostNotifier.Domain;
using CostNotifier.IntegrationTests.Emulators;
using CostNotifier.Messaging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.IntegrationTests.Cli;

/// <summary>
/// <c>dlq list</c> and <c>redrive --target aws</c> against fauxqs, which has no message move tasks, so redrive moves
/// one message at a time: receive, send to the source queue, delete. Nothing may be lost, even when interrupted.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class RedriveOnAwsTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));
    private EmulatorStack _stack = null!;

    public async Task InitializeAsync() => _stack = await EmulatorStack.CreateAsync(emulators);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task DlqList_ShowsEachMessageWithItsReason_AndLeavesThemVisible()
    {
        var bodies = await DeadLetterPoisonAsync(3);

        var listed = await Cli(CliEnvironmentFor(), "dlq", "list", "--queue", "collector", "--output", "json");
        var again = await Cli(CliEnvironmentFor(), "dlq", "list", "--queue", "collector", "--output", "json");

        Assert.True(listed.Exit == 0, listed.ToString());
        using var views = JsonDocument.Parse(listed.Output);
        var rows = views.RootElement.EnumerateArray().ToList();
        Assert.Equal(bodies.Order(StringComparer.Ordinal), rows.Select(r => r.GetProperty("body").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal("reportId 'gone' is not a configured report", r.GetProperty("reason").GetString()));
        Assert.All(rows, r => Assert.Equal(_stack.Name + "-collector-dlq", r.GetProperty("queue").GetString()));
        Assert.Equal(["2026-11-20", "2026-11-21", "2026-11-22"], rows.Select(r => r.GetProperty("date").GetString()).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal("gone", r.GetProperty("reportId").GetString()));
        using var second = JsonDocument.Parse(again.Output);
        Assert.Equal(3, second.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Redrive_MovesEveryMessageBack_WithItsBodyAndAttributes_AndNoneLost()
    {
        var bodies = await DeadLetterPoisonAsync(4);
        await emulators.Sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = _stack.CollectorDeadLetter,
            MessageBody = "not an envelope",
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                ["trace-id"] = new() { DataType = "String", StringValue = "abc-123" },
                [SqsDeadLetterSink.ReasonAttribute] = new() { DataType = "String", StringValue = "The message body is not a valid envelope." },
            },
        });
        bodies.Add("not an envelope");

        var redrive = await Cli(CliEnvironmentFor(), "redrive", "--queue", "collector", "--output", "json");

        Assert.True(redrive.Exit == 0, redrive.ToString());
        using var summary = JsonDocument.Parse(redrive.Output);
        Assert.Equal(5, summary.RootElement.GetProperty("moved").GetInt32());
        Assert.Equal("receive-send-delete", summary.RootElement.GetProperty("method").GetString());
        Assert.Equal(0, summary.RootElement.GetProperty("remaining").GetInt32());
        Assert.Contains("no message move tasks", redrive.Error, StringComparison.Ordinal);
        var back = await emulators.ReceiveAndDeleteAsync(_stack.Collector, 6, TimeSpan.FromSeconds(3));
        Assert.Equal(bodies.Order(StringComparer.Ordinal), back.Select(m => m.Body).Order(StringComparer.Ordinal));
        var traced = Assert.Single(back, m => m.Body == "not an envelope");
        Assert.Equal("abc-123", traced.MessageAttributes["trace-id"].StringValue);
        Assert.All(back, m => Assert.DoesNotContain((IEnumerable<string>?)m.MessageAttributes?.Keys ?? [], k => k.StartsWith("CostNotifier.", StringComparison.Ordinal)));
        Assert.Empty(await emulators.ReceiveAndDeleteAsync(_stack.CollectorDeadLetter, 1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task TheDeliveryDlq_IsListedAndRedrivenToTheDeliveryQueue_ByTheStacksNaming()
    {
        const string sesEvent = """{"eventType":"Open","mail":{"messageId":"0100019abc-open","destination":["a@example.com"],"tags":{}},"open":{}}""";
        await emulators.Sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = _stack.DeliveryDeadLetter,
            MessageBody = sesEvent,
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                [SqsDeadLetterSink.ReasonAttribute] = new() { DataType = "String", StringValue = "unknown SES event type 'Open'" },
            },
        });

        var listed = await Cli(CliEnvironmentFor(), "dlq", "list", "--queue", "delivery", "--output", "json");
        var redrive = await Cli(CliEnvironmentFor(), "redrive", "--queue", "delivery", "--output", "json");

        Assert.True(listed.Exit == 0, listed.ToString());
        using var views = JsonDocument.Parse(listed.Output);
        var row = Assert.Single(views.RootElement.EnumerateArray());
        Assert.Equal(_stack.Name + "-delivery-dlq", row.GetProperty("queue").GetString());
        Assert.Equal("unknown SES event type 'Open'", row.GetProperty("reason").GetString());
        Assert.False(row.TryGetProperty("reportId", out _));
        Assert.True(redrive.Exit == 0, redrive.ToString());
        var back = await emulators.ReceiveAndDeleteAsync(_stack.Delivery, 2, TimeSpan.FromSeconds(3));
        Assert.Equal([sesEvent], back.Select(m => m.Body));
    }

    [Theory]
    [InlineData("throw")]
    [InlineData("cancel")]
    public async Task Redrive_InterruptedBetweenCopyAndDelete_ThenRunAgain_LosesNoMessage(string interruption)
    {
        var bodies = await DeadLetterPoisonAsync(6);
        var before = await DepthAsync(_stack.CollectorDeadLetter);
        using var cancellation = new CancellationTokenSource();
        var copies = 0;
        var crashing = CliEnvironmentFor() with
        {
            AfterRedriveCopy = (_, _) =>
            {
                if (++copies < 3)
                {
                    return Task.CompletedTask;
                }

                if (interruption == "throw")
                {
                    throw new InvalidOperationException("simulated crash after the copy, before the delete");
                }

                cancellation.Cancel();
                return Task.CompletedTask;
            },
        };

        var first = await CliRunner.RunAsync(["redrive", "--queue", "collector", .. _stack.Args], crashing, _time, cancellation.Token);

        Assert.True(first.Exit == 1, first.ToString());
        Assert.Contains("redrive stopped after moving 2 message(s)", first.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was lost", first.Error, StringComparison.Ordinal);
        Assert.Equal(3, await DepthAsync(_stack.Collector));
        Assert.Equal(4, await DepthAsync(_stack.CollectorDeadLetter));

        var second = await Cli(CliEnvironmentFor(), "redrive", "--queue", "collector");

        Assert.True(second.Exit == 0, second.ToString());
        Assert.Contains("Moved 4 message(s)", second.Output, StringComparison.Ordinal);
        var back = await emulators.ReceiveAndDeleteAsync(_stack.Collector, 7, TimeSpan.FromSeconds(3));
        Assert.Equal(before, back.Select(m => m.Body).Distinct().Count());
        Assert.Equal(bodies.Order(StringComparer.Ordinal), back.Select(m => m.Body).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(before + 1, back.Count);
        Assert.Equal(0, await DepthAsync(_stack.CollectorDeadLetter));
    }

    [Fact]
    public async Task Redrive_WithMax_MovesOnlyThatMany()
    {
        await DeadLetterPoisonAsync(5);

        var redrive = await Cli(CliEnvironmentFor(), "redrive", "--queue", "collector", "--max", "2");

        Assert.True(redrive.Exit == 0, redrive.ToString());
        Assert.Equal(2, await DepthAsync(_stack.Collector));
        Assert.Equal(3, await DepthAsync(_stack.CollectorDeadLetter));
    }

    [Fact]
    public async Task Redrive_DryRun_SaysWhatWouldMoveAndMovesNothing()
    {
        await DeadLetterPoisonAsync(2);

        var dryRun = await Cli(CliEnvironmentFor(), "redrive", "--queue", "collector", "--dry-run");

        Assert.True(dryRun.Exit == 0, dryRun.ToString());
        Assert.Contains($"would move 2 of 2 message(s) from {_stack.Name}-collector-dlq to {_stack.Name}-collector (receive-send-delete)", dryRun.Output, StringComparison.Ordinal);
        Assert.Equal(2, await DepthAsync(_stack.CollectorDeadLetter));
        Assert.Equal(0, await DepthAsync(_stack.Collector));
    }

    [Fact]
    public async Task Redrive_ToAQueueThatDoesNotDeadLetterThere_IsRefusedAndMovesNothing()
    {
        await DeadLetterPoisonAsync(2);
        var unrelated = await emulators.CreateQueueAsync("unrelated");

        var result = await CliRunner.RunAsync(
            ["redrive", "--queue", "collector", "--target", "aws", "--region", EmulatorFixture.Region, "--collector-queue-url", unrelated, "--collector-dlq-url", _stack.CollectorDeadLetter],
            CliEnvironmentFor(),
            _time);

        Assert.Equal(1, result.Exit);
        Assert.Contains($"{_stack.Name}-collector-dlq is not the dead-letter queue of", result.Error, StringComparison.Ordinal);
        Assert.Contains("has no redrive policy", result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was moved", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, await DepthAsync(_stack.CollectorDeadLetter));
        Assert.Equal(0, await DepthAsync(unrelated));
    }

    private CliEnvironment CliEnvironmentFor() => EmulatorStack.Environment(emulators);

    private Task<CliResult> Cli(CliEnvironment environment, params string[] args) =>
        CliRunner.RunAsync([.. args, .. _stack.Args], environment, _time);

    /// <summary>Dead-letters report requests for an unknown report the way the collector does: through the sink.</summary>
    private async Task<List<string>> DeadLetterPoisonAsync(int count)
    {
        var sink = new SqsDeadLetterSink(
            emulators.Sqs,
            new SqsQueueUrls(_stack.Collector, _stack.CollectorDeadLetter, _stack.Notifier, _stack.NotifierDeadLetter),
            NullLogger<SqsDeadLetterSink>.Instance);
        var bodies = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid().ToString("N");
            var body = MessageCodec.Encode(new ReportRequested(ReportId.Parse("gone"), ReportDate.Parse($"2026-11-{20 + i}"), Trigger.Replay, RequestId.Parse("replay-" + id)), id, id, _time.GetUtcNow());
            await sink.SendAsync(PipelineQueue.Collector, "original-" + i, body, "reportId 'gone' is not a configured report", CancellationToken.None);
            bodies.Add(body);
        }

        return bodies;
    }

    private async Task<int> DepthAsync(string queueUrl)
    {
        var attributes = await emulators.Sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }
}
