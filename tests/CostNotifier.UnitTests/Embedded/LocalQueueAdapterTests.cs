using System.Text.Json;
using CostNotifier.Aws.Hosting;
using CostNotifier.BatchProcessing;
using CostNotifier.Embedded.Queues;
using CostNotifier.Messaging;
using CostNotifier.Observability;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Embedded;

public sealed class LocalQueueAdapterTests : IDisposable
{
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);
    private readonly TemporaryDataDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 7, 0, 0, TimeSpan.Zero));

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Publish_PutsEveryBodyOnThePipelinesQueueAndReturnsIdsInOrder()
    {
        var queues = new LocalQueueStore(_directory.Open(), _time);
        var publisher = new LocalQueuePublisher(queues);
        OutgoingMessage[] messages = [new("env-1", "first"), new("env-2", "second"), new("env-3", "third")];

        var ids = await publisher.PublishAsync(PipelineQueue.Notifier, messages, CancellationToken.None);

        var received = await queues.ReceiveAsync(LocalQueue.Notifier, 10, Visibility, CancellationToken.None);
        Assert.Equal(ids, received.Select(m => m.MessageId));
        Assert.Equal(["first", "second", "third"], received.Select(m => m.Body));
        Assert.Equal(0, await queues.CountAsync(LocalQueue.Collector, CancellationToken.None));
    }

    [Fact]
    public async Task Publish_OfNoMessages_SendsNothing()
    {
        var queues = new LocalQueueStore(_directory.Open(), _time);

        var ids = await new LocalQueuePublisher(queues).PublishAsync(PipelineQueue.Collector, [], CancellationToken.None);

        Assert.Empty(ids);
        Assert.Equal(0, await queues.CountAsync(LocalQueue.Collector, CancellationToken.None));
    }

    [Fact]
    public async Task DeadLetterSink_MovesTheMessageToItsQueuesDeadLetterQueueWithTheReason()
    {
        var queues = new LocalQueueStore(_directory.Open(), _time);
        var id = await queues.SendAsync(LocalQueue.Collector, "not json", CancellationToken.None);
        var sink = new LocalDeadLetterSink(queues);

        await sink.SendAsync(PipelineQueue.Collector, id, "not json", "The message body is not a valid envelope", CancellationToken.None);

        var dead = Assert.Single(await queues.ListDeadLettersAsync(PipelineQueue.Collector, 10, CancellationToken.None));
        Assert.Equal((id, "not json", "The message body is not a valid envelope"), (dead.MessageId, dead.Body, dead.Reason));
        Assert.Equal(0, await queues.CountAsync(LocalQueue.Collector, CancellationToken.None));
        Assert.Equal(0, await queues.CountAsync(LocalQueue.NotifierDeadLetter, CancellationToken.None));
    }

    [Fact]
    public async Task ToSqsMessage_ShapesTheRecordAsLambdaDelivers()
    {
        var queues = new LocalQueueStore(_directory.Open(), _time);
        var id = await queues.SendAsync(LocalQueue.Collector, "hello", CancellationToken.None);
        var sentAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await queues.ReceiveAsync(LocalQueue.Collector, 1, TimeSpan.Zero, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        var message = Assert.Single(await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None));

        var json = JsonSerializer.Serialize(LocalSqsEvents.Create([message]), LambdaJsonContext.Default.SqsEvent);

        using var document = JsonDocument.Parse(json);
        var record = Assert.Single(document.RootElement.GetProperty("Records").EnumerateArray().ToList());
        Assert.Equal(id, record.GetProperty("messageId").GetString());
        Assert.Equal(message.ReceiptHandle, record.GetProperty("receiptHandle").GetString());
        Assert.Equal("hello", record.GetProperty("body").GetString());
        Assert.Equal("5d41402abc4b2a76b9719d911017c592", record.GetProperty("md5OfBody").GetString());
        Assert.Equal("aws:sqs", record.GetProperty("eventSource").GetString());
        Assert.Equal("arn:aws:sqs:local:000000000000:collector", record.GetProperty("eventSourceARN").GetString());
        Assert.Equal("local", record.GetProperty("awsRegion").GetString());
        Assert.Equal(JsonValueKind.Object, record.GetProperty("messageAttributes").ValueKind);
        var attributes = record.GetProperty("attributes");
        var sentTimestamp = sentAt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("2", attributes.GetProperty("ApproximateReceiveCount").GetString());
        Assert.Equal(sentTimestamp, attributes.GetProperty("SentTimestamp").GetString());
        Assert.Equal(sentTimestamp, attributes.GetProperty("ApproximateFirstReceiveTimestamp").GetString());
        Assert.Equal("000000000000", attributes.GetProperty("SenderId").GetString());

        var parsed = JsonSerializer.Deserialize(json, LambdaJsonContext.Default.SqsEvent);
        Assert.Equal(2, Assert.Single(parsed!.Records!).ReceiveCount);
    }

    [Fact]
    public async Task BatchProcessor_OnLocalQueues_DeadLettersPoisonAtOnceAndRetriesTransientFailuresUntilMaxReceiveCount()
    {
        // Arrange: one good, one poison and one always-failing message, driven the way an event source mapping
        // drives a function: receive, process, delete only what did not fail.
        var queues = new LocalQueueStore(_directory.Open(), _time, maxReceiveCount: 3);
        var processor = new SqsBatchProcessor(
            new ScriptedHandler(), new LocalDeadLetterSink(queues), PipelineMetrics.None, NullLogger<SqsBatchProcessor>.Instance);
        var good = await queues.SendAsync(LocalQueue.Collector, "good", CancellationToken.None);
        var poison = await queues.SendAsync(LocalQueue.Collector, "poison", CancellationToken.None);
        var flaky = await queues.SendAsync(LocalQueue.Collector, "always-fails", CancellationToken.None);

        // Act
        var succeeded = new List<string>();
        for (var round = 0; round < 5; round++)
        {
            var batch = await queues.ReceiveAsync(LocalQueue.Collector, 10, Visibility, CancellationToken.None);
            var response = await processor.ProcessAsync(LocalSqsEvents.Create(batch), CancellationToken.None);
            var failed = response.BatchItemFailures.Select(f => f.ItemIdentifier).ToHashSet();
            foreach (var message in batch.Where(m => !failed.Contains(m.MessageId)))
            {
                await queues.DeleteAsync(LocalQueue.Collector, message.ReceiptHandle, CancellationToken.None);
                succeeded.Add(message.MessageId);
            }

            _time.Advance(Visibility);
        }

        // Assert
        Assert.Equal(0, await queues.CountAsync(LocalQueue.Collector, CancellationToken.None));
        var dead = (await queues.ListDeadLettersAsync(PipelineQueue.Collector, 10, CancellationToken.None))
            .ToDictionary(m => m.MessageId);
        Assert.Equal(2, dead.Count);
        Assert.Equal("Cannot read this message", dead[poison].Reason);
        Assert.Equal(1, dead[poison].ReceiveCount);
        Assert.Equal(LocalQueueStore.MaxReceiveCountReason, dead[flaky].Reason);
        Assert.Equal(3, dead[flaky].ReceiveCount);
        Assert.Contains(good, succeeded);
        Assert.DoesNotContain(flaky, succeeded);
    }

    private sealed class ScriptedHandler : IRecordHandler
    {
        public PipelineQueue Queue => PipelineQueue.Collector;

        public ValueTask HandleAsync(SqsMessage message, CancellationToken cancellationToken) => message.Body switch
        {
            "poison" => throw new PoisonMessageException("Cannot read this message"),
            "always-fails" => throw new TimeoutException("The cost source timed out"),
            _ => ValueTask.CompletedTask,
        };
    }
}
