using Amazon.SQS.Model;
using CostNotifier.Aws.Sqs;
using CostNotifier.IntegrationTests.Emulators;
using CostNotifier.Messaging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CostNotifier.IntegrationTests.Aws;

[Collection(EmulatorCollection.Name)]
public sealed class SqsDeadLetterTests(EmulatorFixture emulators)
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task DeadLetterSink_Send_PutsTheBodyOnTheSourcesDeadLetterQueueWithReasonSourceAndOriginalId()
    {
        var queues = await emulators.CreatePipelineQueuesAsync();
        var sink = Sink(queues);
        const string body = """{"type":"ReportRequested","version":7}""";

        await sink.SendAsync(PipelineQueue.Notifier, "original-123", body, "ReportRequested version 7 is not supported.", CancellationToken.None);

        var message = Assert.Single(await emulators.ReceiveAndDeleteAsync(queues.NotifierDeadLetter, 1, ArrivalTimeout));
        Assert.Equal(body, message.Body);
        Assert.Equal("ReportRequested version 7 is not supported.", message.MessageAttributes[SqsDeadLetterSink.ReasonAttribute].StringValue);
        Assert.Equal("notifier", message.MessageAttributes[SqsDeadLetterSink.SourceQueueAttribute].StringValue);
        Assert.Equal("original-123", message.MessageAttributes[SqsDeadLetterSink.OriginalMessageIdAttribute].StringValue);
        Assert.Empty(await emulators.ReceiveAndDeleteAsync(queues.CollectorDeadLetter, 1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task DeadLetterSink_Send_WithAHugeReasonHoldingCharactersSqsRefuses_StoresACleanTruncatedReason()
    {
        var queues = await emulators.CreatePipelineQueuesAsync();
        var sink = Sink(queues);
        var reason = "bad byte \u0000 then " + new string('x', 5_000);

        await sink.SendAsync(PipelineQueue.Collector, "original-9", "{}", reason, CancellationToken.None);

        var message = Assert.Single(await emulators.ReceiveAndDeleteAsync(queues.CollectorDeadLetter, 1, ArrivalTimeout));
        var stored = message.MessageAttributes[SqsDeadLetterSink.ReasonAttribute].StringValue;
        Assert.Equal(SqsDeadLetterSink.MaxReasonLength, stored.Length);
        Assert.StartsWith("bad byte \uFFFD then xxx", stored, StringComparison.Ordinal);
        Assert.EndsWith("…", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadLetterSink_Send_WhenTheDeadLetterQueueIsNotConfigured_ThrowsNamingTheSetting()
    {
        var sink = new SqsDeadLetterSink(emulators.Sqs, new SqsQueueUrls("http://127.0.0.1:1/q", null, null, null), NullLogger<SqsDeadLetterSink>.Instance);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => sink.SendAsync(PipelineQueue.Collector, "m", "{}", "reason", CancellationToken.None));

        Assert.Contains(SqsQueueUrls.CollectorDeadLetterVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedrivePolicy_MessageReceivedTwiceWithoutDelete_MovesToTheDeadLetterQueueOnTheNextReceive()
    {
        var queue = await emulators.CreateQueueWithDeadLetterAsync("poison", maxReceiveCount: 2);
        await emulators.Sqs.SendMessageAsync(new SendMessageRequest(queue.Url, "poison body"));

        // Each receive counts; making the message visible again at once stands in for a failed handler's timeout.
        var receives = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var response = await emulators.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queue.Url,
                WaitTimeSeconds = 1,
                MessageSystemAttributeNames = ["ApproximateReceiveCount"],
            });
            var messages = response.Messages ?? [];
            receives.Add(messages.Count);
            foreach (var message in messages)
            {
                await emulators.Sqs.ChangeMessageVisibilityAsync(queue.Url, message.ReceiptHandle, 0);
            }
        }

        Assert.Equal([1, 1, 0], receives);
        var dead = Assert.Single(await emulators.ReceiveAndDeleteAsync(queue.DeadLetterUrl, 1, ArrivalTimeout));
        Assert.Equal("poison body", dead.Body);
    }

    [Fact]
    public async Task Fauxqs_StartMessageMoveTask_IsNotSupported()
    {
        // Pins the emulator's gap that redrive works around: receive, send to the source, then delete.
        var queue = await emulators.CreateQueueWithDeadLetterAsync("move", maxReceiveCount: 2);
        var deadLetterArn = (await emulators.Sqs.GetQueueAttributesAsync(queue.DeadLetterUrl, ["QueueArn"])).Attributes["QueueArn"];

        var error = await Assert.ThrowsAnyAsync<Amazon.SQS.AmazonSQSException>(
            () => emulators.Sqs.StartMessageMoveTaskAsync(new StartMessageMoveTaskRequest { SourceArn = deadLetterArn }));

        Assert.Equal("InvalidAction", error.ErrorCode);
    }

    private SqsDeadLetterSink Sink(PipelineQueues queues) =>
        new(emulators.Sqs, new SqsQueueUrls(queues.Collector, queues.CollectorDeadLetter, queues.Notifier, queues.NotifierDeadLetter), NullLogger<SqsDeadLetterSink>.Instance);
}
