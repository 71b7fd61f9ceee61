using System.Globalization;
using System.Text;
using CostNotifier.Aws.Hosting;
using CostNotifier.BatchProcessing;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Messaging;
using CostNotifier.Observability;
using CostNotifier.Scheduler;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Handlers;

public sealed class SchedulerAndBatchTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Schedule_AScheduledRange_GivesEachDayItsOwnDerivedRequestId()
    {
        var publisher = new HandlerTestBed.RecordingPublisher();
        var handler = new ScheduleReportsHandler(HandlerTestBed.Catalog, publisher, Time, PipelineMetrics.None, NullLogger<ScheduleReportsHandler>.Instance);

        var result = await handler.Handle(new ScheduleReports(ReportDate.Parse("2026-11-22"), ReportDate.Parse("2026-11-24"), Trigger.Scheduled, [], null, "c"), CancellationToken.None);

        Assert.Equal(6, result.Messages.Count);
        Assert.Equal(
            ["scheduled-2026-11-22", "scheduled-2026-11-23", "scheduled-2026-11-24"],
            result.Messages.Select(m => m.RequestId.Value).Distinct());
        var payloads = publisher.Sent.SelectMany(s => MessageCodec.DecodeCollectorMessage(s.Body).Payload).ToList();
        Assert.All(payloads, p => Assert.Equal($"scheduled-{p.Period}", p.RequestId.Value));
        Assert.All(publisher.Sent, s => Assert.Equal(PipelineQueue.Collector, s.Queue));
    }

    [Fact]
    public async Task Schedule_AReplay_SharesOneFreshRequestIdAcrossItsReportDays()
    {
        var publisher = new HandlerTestBed.RecordingPublisher();
        var handler = new ScheduleReportsHandler(HandlerTestBed.Catalog, publisher, Time, PipelineMetrics.None, NullLogger<ScheduleReportsHandler>.Instance);
        var command = new ScheduleReports(ReportDate.Parse("2026-11-23"), ReportDate.Parse("2026-11-24"), Trigger.Replay, [ReportId.Parse("daily")], null, "c");

        var first = await handler.Handle(command, CancellationToken.None);
        var second = await handler.Handle(command, CancellationToken.None);

        Assert.Single(first.Messages.Select(m => m.RequestId).Distinct());
        Assert.StartsWith("replay-", first.RequestId.Value, StringComparison.Ordinal);
        Assert.NotEqual(first.RequestId, second.RequestId);
    }

    [Theory]
    [InlineData("2026-11-24", "2026-11-23", Trigger.Replay, null, "ends (2026-11-23) before it starts")]
    [InlineData("2026-11-25", "2026-11-25", Trigger.Replay, null, "not a complete UTC day")]
    [InlineData("2026-11-24", "2026-11-24", Trigger.Scheduled, "r1", "derives its request id")]
    public void ScheduleValidator_RefusesWithAClearReason(string from, string to, Trigger trigger, string? requestId, string expected)
    {
        var validator = new ScheduleReportsValidator(HandlerTestBed.Catalog, Time);

        var result = validator.Validate(new ScheduleReports(
            ReportDate.Parse(from), ReportDate.Parse(to), trigger, [], requestId is null ? null : RequestId.Parse(requestId), "c"));

        Assert.Contains(result.Errors, e => e.ErrorMessage.Contains(expected, StringComparison.Ordinal));
    }

    // A trigger is typed now: the scheduler refuses an unknown one where it reads it, before there is a command.
    [Fact]
    public void SchedulerInvocation_ManualRunWithAnUnknownTrigger_IsRefusedWithAClearReason()
    {
        var error = Assert.Throws<FormatException>(() => new SchedulerInvocation { Date = "2026-11-24", Trigger = "sometimes" }.ToCommand(Time, "c"));

        Assert.Contains("'sometimes' must be one of scheduled, replay, backfill", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SchedulerInvocation_FromEventBridgeInAnyTimeZone_ReportsTheLastCompleteUtcDay()
    {
        var invocation = new SchedulerInvocation { Source = "eventbridge-scheduler", ScheduledTime = DateTimeOffset.Parse("2026-11-25T23:30:00+01:00", System.Globalization.CultureInfo.InvariantCulture) };

        var command = invocation.ToCommand(Time, "c");

        Assert.Equal("2026-11-24", command.From.ToString());
        Assert.Equal(Trigger.Scheduled, command.Trigger);
    }

    [Fact]
    public void SchedulerInvocation_ManualRunWithoutADate_IsRefused()
    {
        Assert.Throws<FormatException>(() => new SchedulerInvocation { To = "2026-11-24" }.ToCommand(Time, "c"));
    }

    [Fact]
    public async Task BatchProcessor_ReportsOnlyTransientFailures_AndMovesPoisonToTheDeadLetterQueue()
    {
        var sink = new RecordingSink();
        var processor = new SqsBatchProcessor(new ScriptedHandler(), sink, PipelineMetrics.None, NullLogger<SqsBatchProcessor>.Instance);
        var batch = new SqsEvent
        {
            Records =
            [
                new SqsMessage { MessageId = "ok", Body = "ok" },
                new SqsMessage { MessageId = "poison", Body = "poison" },
                new SqsMessage { MessageId = "flaky", Body = "flaky" },
                new SqsMessage { MessageId = "ok2", Body = "ok" },
            ],
        };

        var response = await processor.ProcessAsync(batch, CancellationToken.None);

        Assert.Equal(["flaky"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
        var moved = Assert.Single(sink.Moved);
        Assert.Equal("poison", moved.MessageId);
        Assert.Contains("cannot be read", moved.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchProcessor_ADayWithoutDataOnItsLastReceive_GoesToTheDeadLetterQueueSayingSo()
    {
        var sink = new RecordingSink { MaxReceiveCount = 5 };
        var processor = new SqsBatchProcessor(new ScriptedHandler(), sink, PipelineMetrics.None, NullLogger<SqsBatchProcessor>.Instance);

        var early = await processor.ProcessAsync(new SqsEvent { Records = [Received("pending", 4), Received("flaky", 4)] }, CancellationToken.None);
        var last = await processor.ProcessAsync(new SqsEvent { Records = [Received("pending", 5), Received("flaky", 5)] }, CancellationToken.None);

        Assert.Equal(["pending", "flaky"], early.BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Equal(["flaky"], last.BatchItemFailures.Select(f => f.ItemIdentifier));
        var moved = Assert.Single(sink.Moved);
        Assert.Equal("pending", moved.MessageId);
        Assert.Equal("Still failing after 5 receives: Cost Explorer has no data for 2026-11-24 yet; the report waits for it rather than showing it as without cost.", moved.Reason);
    }

    [Fact]
    public async Task BatchProcessor_WhenTheRedriveLimitIsUnknown_LeavesADayWithoutDataToTheRedrivePolicy()
    {
        var sink = new RecordingSink();
        var processor = new SqsBatchProcessor(new ScriptedHandler(), sink, PipelineMetrics.None, NullLogger<SqsBatchProcessor>.Instance);

        var response = await processor.ProcessAsync(new SqsEvent { Records = [Received("pending", 20)] }, CancellationToken.None);

        Assert.Equal(["pending"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Empty(sink.Moved);
    }

    [Fact]
    public async Task BatchProcessor_WhenTheDeadLetterQueueIsUnreachable_LeavesPoisonToTheRedrivePolicy()
    {
        var processor = new SqsBatchProcessor(new ScriptedHandler(), new RecordingSink { Broken = true }, PipelineMetrics.None, NullLogger<SqsBatchProcessor>.Instance);

        var response = await processor.ProcessAsync(new SqsEvent { Records = [new SqsMessage { MessageId = "poison", Body = "poison" }] }, CancellationToken.None);

        Assert.Equal(["poison"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
    }

    [Fact]
    public async Task BatchProcessor_WhenTheDeadlineArrivesMidBatch_ReturnsTheRecordInHandAndEveryUnstartedRecordAsFailures()
    {
        using var deadline = new CancellationTokenSource();
        var handler = new DeadlineHandler(deadline, observesToken: true);
        var processor = new SqsBatchProcessor(handler, new RecordingSink(), PipelineMetrics.None, NullLogger<SqsBatchProcessor>.Instance);

        var response = await processor.ProcessAsync(Batch("done", "slow", "unstarted-1", "unstarted-2"), deadline.Token);

        Assert.Equal(["slow", "unstarted-1", "unstarted-2"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Equal(["done", "slow"], handler.Started);
    }

    [Fact]
    public async Task BatchProcessor_WhenAHandlerIgnoresTheDeadline_StillAnswersAtTheDeadline()
    {
        using var deadline = new CancellationTokenSource();
        var processor = new SqsBatchProcessor(
            new DeadlineHandler(deadline, observesToken: false), new RecordingSink(), PipelineMetrics.None, NullLogger<SqsBatchProcessor>.Instance);

        var response = await processor.ProcessAsync(Batch("done", "slow", "unstarted"), deadline.Token);

        Assert.Equal(["slow", "unstarted"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
    }

    [Fact]
    public async Task BatchProcessor_WhenAFailureComesAfterTheDeadline_DeliversItAgainRatherThanDeadLettering()
    {
        using var deadline = new CancellationTokenSource();
        var sink = new RecordingSink();
        var processor = new SqsBatchProcessor(new DeadlineHandler(deadline, observesToken: true), sink, PipelineMetrics.None, NullLogger<SqsBatchProcessor>.Instance);

        var response = await processor.ProcessAsync(Batch("poison-after-deadline"), deadline.Token);

        Assert.Equal(["poison-after-deadline"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Empty(sink.Moved);
    }

    [Fact]
    public async Task LambdaHandler_AnswersThePartialBatchResponseShapeAwsDocuments()
    {
        var processor = new SqsBatchProcessor(new ScriptedHandler(), new RecordingSink(), PipelineMetrics.None, NullLogger<SqsBatchProcessor>.Instance);
        const string lambdaEvent = """{"Records":[{"messageId":"m-1","receiptHandle":"r","body":"flaky","attributes":{"ApproximateReceiveCount":"2"},"messageAttributes":{},"md5OfBody":"x","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:q","awsRegion":"us-east-1"}]}""";

        await using var output = await LambdaSqsHandler.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(lambdaEvent)), processor, CancellationToken.None);

        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"m-1"}]}""", await new StreamReader(output).ReadToEndAsync());
    }

    [Fact]
    public async Task LambdaHandler_WhenTheDeadlineArrivesMidBatch_StillAnswersWhichRecordsToDeliverAgain()
    {
        using var deadline = new CancellationTokenSource();
        var processor = new SqsBatchProcessor(new DeadlineHandler(deadline, observesToken: true), new RecordingSink(), PipelineMetrics.None, NullLogger<SqsBatchProcessor>.Instance);
        const string lambdaEvent = """{"Records":[{"messageId":"done","body":"done"},{"messageId":"slow","body":"slow"},{"messageId":"unstarted","body":"unstarted"}]}""";

        await using var output = await LambdaSqsHandler.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(lambdaEvent)), processor, deadline.Token);

        Assert.Equal(
            """{"batchItemFailures":[{"itemIdentifier":"slow"},{"itemIdentifier":"unstarted"}]}""",
            await new StreamReader(output).ReadToEndAsync());
    }

    [Fact]
    public async Task LambdaHandler_WhenThePayloadIsNotAnSqsEvent_FailsTheInvocation()
    {
        var processor = new SqsBatchProcessor(new ScriptedHandler(), new RecordingSink(), PipelineMetrics.None, NullLogger<SqsBatchProcessor>.Instance);

        await Assert.ThrowsAsync<InvalidDataException>(() => LambdaSqsHandler.HandleAsync(new MemoryStream("nope"u8.ToArray()), processor, CancellationToken.None));
    }

    private static SqsEvent Batch(params string[] bodies) =>
        new() { Records = bodies.Select(b => new SqsMessage { MessageId = b, Body = b }).ToList() };

    private static SqsMessage Received(string body, int receiveCount) => new()
    {
        MessageId = body,
        Body = body,
        Attributes = new Dictionary<string, string> { ["ApproximateReceiveCount"] = receiveCount.ToString(CultureInfo.InvariantCulture) },
    };

    /// <summary>"slow" reaches the deadline (cancels it) and waits; "poison-after-deadline" fails for good once it has passed.</summary>
    private sealed class DeadlineHandler(CancellationTokenSource deadline, bool observesToken) : IRecordHandler
    {
        public List<string> Started { get; } = [];

        public PipelineQueue Queue => PipelineQueue.Collector;

        public async ValueTask HandleAsync(SqsMessage message, CancellationToken cancellationToken)
        {
            Started.Add(message.Body!);
            switch (message.Body)
            {
                case "slow":
                    await deadline.CancelAsync();
                    await Task.Delay(Timeout.Infinite, observesToken ? cancellationToken : CancellationToken.None);
                    break;
                case "poison-after-deadline":
                    await deadline.CancelAsync();
                    throw new PoisonMessageException("The body cannot be read.");
            }
        }
    }

    private sealed class ScriptedHandler : IRecordHandler
    {
        public PipelineQueue Queue => PipelineQueue.Collector;

        public ValueTask HandleAsync(SqsMessage message, CancellationToken cancellationToken) => message.Body switch
        {
            "poison" => throw new PoisonMessageException("The body cannot be read."),
            "flaky" => throw new TimeoutException("The store timed out."),
            "pending" => throw CostSourceException.DataPending(ReportDate.Parse("2026-11-24")),
            _ => ValueTask.CompletedTask,
        };
    }

    private sealed class RecordingSink : IDeadLetterSink
    {
        public bool Broken { get; init; }

        public int? MaxReceiveCount { get; init; }

        public List<(string MessageId, string Reason)> Moved { get; } = [];

        public Task SendAsync(PipelineQueue source, string messageId, string body, string reason, CancellationToken cancellationToken)
        {
            if (Broken)
            {
                throw new HttpRequestException("DLQ unreachable");
            }

            Moved.Add((messageId, reason));
            return Task.CompletedTask;
        }
    }
}
