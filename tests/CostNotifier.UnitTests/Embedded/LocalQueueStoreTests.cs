using Bogus;
using CostNotifier.Embedded.Queues;
using CostNotifier.Messaging;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Embedded;

public sealed class LocalQueueStoreTests : IDisposable
{
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);
    private readonly TemporaryDataDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 7, 0, 0, TimeSpan.Zero));

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Receive_AfterSend_ReturnsTheBodyWithReceiveCountOne()
    {
        var queues = CreateStore();
        var id = await queues.SendAsync(LocalQueue.Collector, "{\"n\":1}", CancellationToken.None);

        var message = Assert.Single(await queues.ReceiveAsync(LocalQueue.Collector, 10, Visibility, CancellationToken.None));

        Assert.Equal(id, message.MessageId);
        Assert.Equal("{\"n\":1}", message.Body);
        Assert.Equal(1, message.ReceiveCount);
        Assert.Equal(LocalQueue.Collector, message.Queue);
        Assert.Equal(_time.GetUtcNow(), message.SentAt);
        Assert.False(string.IsNullOrWhiteSpace(message.ReceiptHandle));
    }

    [Fact]
    public async Task Receive_ReturnsMessagesOldestFirstUpToTheMaximum()
    {
        var queues = CreateStore();
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await queues.SendAsync(LocalQueue.Notifier, $"m{i}", CancellationToken.None));
            _time.Advance(TimeSpan.FromMilliseconds(5));
        }

        var first = await queues.ReceiveAsync(LocalQueue.Notifier, 3, Visibility, CancellationToken.None);
        var rest = await queues.ReceiveAsync(LocalQueue.Notifier, 3, Visibility, CancellationToken.None);

        Assert.Equal(ids.Take(3), first.Select(m => m.MessageId));
        Assert.Equal(ids.Skip(3), rest.Select(m => m.MessageId));
    }

    [Fact]
    public async Task Receive_OnlyFromTheQueueAsked()
    {
        var queues = CreateStore();
        await queues.SendAsync(LocalQueue.Notifier, "for the notifier", CancellationToken.None);

        var fromCollector = await queues.ReceiveAsync(LocalQueue.Collector, 10, Visibility, CancellationToken.None);

        Assert.Empty(fromCollector);
        Assert.Equal(1, await queues.CountAsync(LocalQueue.Notifier, CancellationToken.None));
    }

    [Fact]
    public async Task Receive_HidesTheMessageUntilItsVisibilityTimeoutEnds()
    {
        var queues = CreateStore();
        await queues.SendAsync(LocalQueue.Collector, "body", CancellationToken.None);
        await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None);

        _time.Advance(Visibility - TimeSpan.FromMilliseconds(1));
        var whileHidden = await queues.ReceiveAsync(LocalQueue.Collector, 10, Visibility, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var afterTimeout = await queues.ReceiveAsync(LocalQueue.Collector, 10, Visibility, CancellationToken.None);

        Assert.Empty(whileHidden);
        Assert.Equal(2, Assert.Single(afterTimeout).ReceiveCount);
    }

    [Fact]
    public async Task Receive_EveryTime_IncrementsTheReceiveCountAndIssuesANewReceiptHandle()
    {
        var queues = CreateStore(maxReceiveCount: 10);
        await queues.SendAsync(LocalQueue.Collector, "body", CancellationToken.None);

        var deliveries = new List<ReceivedMessage>();
        for (var i = 0; i < 4; i++)
        {
            deliveries.Add(Assert.Single(await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None)));
            _time.Advance(Visibility);
        }

        Assert.Equal([1, 2, 3, 4], deliveries.Select(d => d.ReceiveCount));
        Assert.Equal(4, deliveries.Select(d => d.ReceiptHandle).Distinct().Count());
        Assert.Single(deliveries.Select(d => d.MessageId).Distinct());
        Assert.All(deliveries, d => Assert.Equal(deliveries[0].SentAt, d.FirstReceivedAt));
    }

    [Fact]
    public async Task Receive_WithZeroVisibilityTimeout_NeverReturnsOneMessageTwiceInABatch()
    {
        var queues = CreateStore();
        await queues.SendAsync(LocalQueue.Collector, "a", CancellationToken.None);
        await queues.SendAsync(LocalQueue.Collector, "b", CancellationToken.None);

        var batch = await queues.ReceiveAsync(LocalQueue.Collector, 10, TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(["a", "b"], batch.Select(m => m.Body));
        Assert.All(batch, m => Assert.Equal(1, m.ReceiveCount));
    }

    [Fact]
    public async Task Receive_AfterMaxReceiveCountFailedReceives_MovesTheMessageToTheDeadLetterQueueWithItsReason()
    {
        var queues = CreateStore(maxReceiveCount: 3);
        var id = await queues.SendAsync(LocalQueue.Collector, "always fails", CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            Assert.Single(await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None));
            _time.Advance(Visibility);
        }

        var fourth = await queues.ReceiveAsync(LocalQueue.Collector, 10, Visibility, CancellationToken.None);

        Assert.Empty(fourth);
        Assert.Equal(0, await queues.CountAsync(LocalQueue.Collector, CancellationToken.None));
        var dead = Assert.Single(await queues.ListDeadLettersAsync(PipelineQueue.Collector, 10, CancellationToken.None));
        Assert.Equal(id, dead.MessageId);
        Assert.Equal("always fails", dead.Body);
        Assert.Equal(3, dead.ReceiveCount);
        Assert.Equal(LocalQueueStore.MaxReceiveCountReason, dead.Reason);
        Assert.Equal(LocalQueue.CollectorDeadLetter, dead.Queue);
        Assert.Equal(_time.GetUtcNow(), dead.DeadLetteredAt);
    }

    [Fact]
    public async Task Receive_WhenSomeMessagesAreDeadLettered_FillsTheBatchFromTheOthers()
    {
        var queues = CreateStore(maxReceiveCount: 1);
        await queues.SendAsync(LocalQueue.Notifier, "poison-1", CancellationToken.None);
        await queues.SendAsync(LocalQueue.Notifier, "poison-2", CancellationToken.None);
        await queues.ReceiveAsync(LocalQueue.Notifier, 2, Visibility, CancellationToken.None);
        _time.Advance(Visibility);
        await queues.SendAsync(LocalQueue.Notifier, "fresh-1", CancellationToken.None);
        await queues.SendAsync(LocalQueue.Notifier, "fresh-2", CancellationToken.None);

        var batch = await queues.ReceiveAsync(LocalQueue.Notifier, 2, Visibility, CancellationToken.None);

        Assert.Equal(["fresh-1", "fresh-2"], batch.Select(m => m.Body));
        Assert.Equal(2, await queues.CountAsync(LocalQueue.NotifierDeadLetter, CancellationToken.None));
    }

    [Fact]
    public async Task Receive_FromADeadLetterQueue_NeverDeadLettersAgain()
    {
        var queues = CreateStore(maxReceiveCount: 1);
        await queues.MoveToDeadLetterAsync(PipelineQueue.Collector, "id-1", "body", "bad", CancellationToken.None);

        for (var i = 1; i <= 3; i++)
        {
            var message = Assert.Single(await queues.ReceiveAsync(LocalQueue.CollectorDeadLetter, 1, TimeSpan.Zero, CancellationToken.None));
            Assert.Equal(i, message.ReceiveCount);
        }
    }

    [Fact]
    public async Task Delete_WithTheCurrentReceiptHandle_RemovesTheMessage()
    {
        var queues = CreateStore();
        await queues.SendAsync(LocalQueue.Collector, "body", CancellationToken.None);
        var message = Assert.Single(await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None));

        var deleted = await queues.DeleteAsync(LocalQueue.Collector, message.ReceiptHandle, CancellationToken.None);

        Assert.True(deleted);
        _time.Advance(Visibility * 2);
        Assert.Empty(await queues.ReceiveAsync(LocalQueue.Collector, 10, Visibility, CancellationToken.None));
        Assert.Equal(0, await queues.CountAsync(LocalQueue.Collector, CancellationToken.None));
    }

    [Fact]
    public async Task Delete_WithAStaleReceiptHandleAfterAnotherReceive_DeletesNothing()
    {
        var queues = CreateStore();
        await queues.SendAsync(LocalQueue.Collector, "body", CancellationToken.None);
        var slow = Assert.Single(await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None));
        _time.Advance(Visibility);
        var current = Assert.Single(await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None));

        var deletedByStale = await queues.DeleteAsync(LocalQueue.Collector, slow.ReceiptHandle, CancellationToken.None);

        Assert.False(deletedByStale);
        Assert.Equal(1, await queues.CountAsync(LocalQueue.Collector, CancellationToken.None));
        Assert.True(await queues.DeleteAsync(LocalQueue.Collector, current.ReceiptHandle, CancellationToken.None));
    }

    [Fact]
    public async Task Delete_WithAHandleFromAnotherQueue_DeletesNothing()
    {
        var queues = CreateStore();
        await queues.SendAsync(LocalQueue.Collector, "body", CancellationToken.None);
        var message = Assert.Single(await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None));

        Assert.False(await queues.DeleteAsync(LocalQueue.Notifier, message.ReceiptHandle, CancellationToken.None));
        Assert.Equal(1, await queues.CountAsync(LocalQueue.Collector, CancellationToken.None));
    }

    [Fact]
    public async Task ChangeVisibility_ToZero_MakesTheMessageVisibleAtOnce()
    {
        var queues = CreateStore();
        await queues.SendAsync(LocalQueue.Collector, "body", CancellationToken.None);
        var message = Assert.Single(await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None));

        var changed = await queues.ChangeVisibilityAsync(LocalQueue.Collector, message.ReceiptHandle, TimeSpan.Zero, CancellationToken.None);

        Assert.True(changed);
        Assert.Equal(2, Assert.Single(await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None)).ReceiveCount);
    }

    [Fact]
    public async Task ChangeVisibility_ForABackoff_HidesTheMessageForTheNewDelayFromNow()
    {
        var queues = CreateStore();
        await queues.SendAsync(LocalQueue.Collector, "body", CancellationToken.None);
        var message = Assert.Single(await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(10));

        await queues.ChangeVisibilityAsync(LocalQueue.Collector, message.ReceiptHandle, TimeSpan.FromMinutes(5), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));
        var beforeBackoffEnds = await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var afterBackoff = await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None);

        Assert.Empty(beforeBackoffEnds);
        Assert.Single(afterBackoff);
    }

    [Fact]
    public async Task ChangeVisibility_WithAStaleReceiptHandle_ChangesNothing()
    {
        var queues = CreateStore();
        await queues.SendAsync(LocalQueue.Collector, "body", CancellationToken.None);
        var slow = Assert.Single(await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None));
        _time.Advance(Visibility);
        Assert.Single(await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None));

        var changed = await queues.ChangeVisibilityAsync(LocalQueue.Collector, slow.ReceiptHandle, TimeSpan.Zero, CancellationToken.None);

        Assert.False(changed);
        Assert.Empty(await queues.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None));
    }

    [Fact]
    public async Task MoveToDeadLetter_KeepsIdBodyReasonAndReceiveCount_AndTakesTheMessageOffItsQueue()
    {
        var queues = CreateStore();
        var id = await queues.SendAsync(LocalQueue.Notifier, "{\"type\":\"Unknown\"}", CancellationToken.None);
        var message = Assert.Single(await queues.ReceiveAsync(LocalQueue.Notifier, 1, Visibility, CancellationToken.None));

        await queues.MoveToDeadLetterAsync(
            PipelineQueue.Notifier, id, message.Body, "Expected a CostSnapshotReady message but got type 'Unknown'.", CancellationToken.None);

        Assert.Equal(0, await queues.CountAsync(LocalQueue.Notifier, CancellationToken.None));
        Assert.False(await queues.DeleteAsync(LocalQueue.Notifier, message.ReceiptHandle, CancellationToken.None));
        var dead = Assert.Single(await queues.ListDeadLettersAsync(PipelineQueue.Notifier, 10, CancellationToken.None));
        Assert.Equal(id, dead.MessageId);
        Assert.Equal("{\"type\":\"Unknown\"}", dead.Body);
        Assert.Equal("Expected a CostSnapshotReady message but got type 'Unknown'.", dead.Reason);
        Assert.Equal(1, dead.ReceiveCount);
    }

    [Fact]
    public async Task MoveToDeadLetter_TwiceForOneMessage_KeepsOneRecordWithTheFirstReason()
    {
        var queues = CreateStore();
        var id = await queues.SendAsync(LocalQueue.Collector, "body", CancellationToken.None);

        await queues.MoveToDeadLetterAsync(PipelineQueue.Collector, id, "body", "first reason", CancellationToken.None);
        await queues.MoveToDeadLetterAsync(PipelineQueue.Collector, id, "body", "second reason", CancellationToken.None);

        var dead = Assert.Single(await queues.ListDeadLettersAsync(PipelineQueue.Collector, 10, CancellationToken.None));
        Assert.Equal("first reason", dead.Reason);
    }

    [Fact]
    public async Task MoveToDeadLetter_OfAMessageWithoutAnId_RecordsItUnderANewId()
    {
        var queues = CreateStore();

        await queues.MoveToDeadLetterAsync(PipelineQueue.Collector, string.Empty, "orphan", "no message id", CancellationToken.None);

        var dead = Assert.Single(await queues.ListDeadLettersAsync(PipelineQueue.Collector, 10, CancellationToken.None));
        Assert.False(string.IsNullOrWhiteSpace(dead.MessageId));
        Assert.Equal("orphan", dead.Body);
        Assert.Equal(0, dead.ReceiveCount);
    }

    [Fact]
    public async Task MoveToDeadLetter_WithoutAReason_Throws()
    {
        var queues = CreateStore();

        await Assert.ThrowsAsync<ArgumentException>(
            () => queues.MoveToDeadLetterAsync(PipelineQueue.Collector, "id", "body", " ", CancellationToken.None));
    }

    [Fact]
    public async Task ListDeadLetters_DoesNotReceiveOrRemoveThem()
    {
        var queues = CreateStore();
        await queues.MoveToDeadLetterAsync(PipelineQueue.Notifier, "id-1", "one", "reason", CancellationToken.None);

        await queues.ListDeadLettersAsync(PipelineQueue.Notifier, 10, CancellationToken.None);
        var again = await queues.ListDeadLettersAsync(PipelineQueue.Notifier, 10, CancellationToken.None);

        Assert.Single(again);
        Assert.Equal(new QueueDepth(1, 0), await queues.GetDepthAsync(LocalQueue.NotifierDeadLetter, CancellationToken.None));
    }

    [Fact]
    public async Task Redrive_MovesEveryMessageBack_NoneLostAndNoneDuplicated()
    {
        var faker = new Faker { Random = new Randomizer(42) };
        var queues = CreateStore(maxReceiveCount: 2);
        var bodies = Enumerable.Range(0, 12).Select(i => $"{{\"n\":{i},\"note\":\"{faker.Lorem.Word()}\"}}").ToList();
        var sent = new List<string>();
        foreach (var body in bodies)
        {
            sent.Add(await queues.SendAsync(LocalQueue.Collector, body, CancellationToken.None));
        }

        // Half are dead-lettered explicitly, half exhaust their receives.
        foreach (var id in sent.Skip(6))
        {
            await queues.MoveToDeadLetterAsync(PipelineQueue.Collector, id, "ignored", "poison", CancellationToken.None);
        }

        for (var i = 0; i < 3; i++)
        {
            await queues.ReceiveAsync(LocalQueue.Collector, 10, Visibility, CancellationToken.None);
            _time.Advance(Visibility);
        }

        Assert.Equal(12, await queues.CountAsync(LocalQueue.CollectorDeadLetter, CancellationToken.None));

        var moved = await queues.RedriveAsync(PipelineQueue.Collector, int.MaxValue, CancellationToken.None);

        Assert.Equal(sent.Order(), moved.Order());
        Assert.Equal(0, await queues.CountAsync(LocalQueue.CollectorDeadLetter, CancellationToken.None));
        var back = new List<ReceivedMessage>();
        back.AddRange(await queues.ReceiveAsync(LocalQueue.Collector, 10, Visibility, CancellationToken.None));
        back.AddRange(await queues.ReceiveAsync(LocalQueue.Collector, 10, Visibility, CancellationToken.None));
        Assert.Equal(sent.Order(), back.Select(m => m.MessageId).Order());
        Assert.All(back, m => Assert.Equal(1, m.ReceiveCount));
        Assert.Equal(bodies.Order(StringComparer.Ordinal), back.Select(m => m.Body).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Redrive_WithAMaximum_MovesOnlyThatManyOldestFirst()
    {
        var queues = CreateStore();
        for (var i = 0; i < 5; i++)
        {
            await queues.MoveToDeadLetterAsync(PipelineQueue.Notifier, $"id-{i}", $"body-{i}", "reason", CancellationToken.None);
        }

        var moved = await queues.RedriveAsync(PipelineQueue.Notifier, 2, CancellationToken.None);

        Assert.Equal(["id-0", "id-1"], moved);
        Assert.Equal(2, await queues.CountAsync(LocalQueue.Notifier, CancellationToken.None));
        Assert.Equal(
            ["id-2", "id-3", "id-4"],
            (await queues.ListDeadLettersAsync(PipelineQueue.Notifier, 10, CancellationToken.None)).Select(m => m.MessageId));
    }

    [Fact]
    public async Task Redrive_OfAnEmptyDeadLetterQueue_MovesNothing()
    {
        var queues = CreateStore();

        var moved = await queues.RedriveAsync(PipelineQueue.Collector, int.MaxValue, CancellationToken.None);

        Assert.Empty(moved);
    }

    [Fact]
    public async Task GetDepth_CountsVisibleAndInFlightMessagesApart()
    {
        var queues = CreateStore();
        for (var i = 0; i < 3; i++)
        {
            await queues.SendAsync(LocalQueue.Collector, $"m{i}", CancellationToken.None);
        }

        await queues.ReceiveAsync(LocalQueue.Collector, 2, Visibility, CancellationToken.None);

        Assert.Equal(new QueueDepth(1, 2), await queues.GetDepthAsync(LocalQueue.Collector, CancellationToken.None));
        Assert.Equal(3, await queues.CountAsync(LocalQueue.Collector, CancellationToken.None));
        _time.Advance(Visibility);
        Assert.Equal(new QueueDepth(3, 0), await queues.GetDepthAsync(LocalQueue.Collector, CancellationToken.None));
    }

    [Fact]
    public async Task TwoStoresOnOneDataDirectory_SeeTheSameQueue()
    {
        var writer = CreateStore();
        var reader = new LocalQueueStore(_directory.Open(), _time);
        var id = await writer.SendAsync(LocalQueue.Notifier, "shared", CancellationToken.None);

        var message = Assert.Single(await reader.ReceiveAsync(LocalQueue.Notifier, 10, Visibility, CancellationToken.None));
        var deleted = await reader.DeleteAsync(LocalQueue.Notifier, message.ReceiptHandle, CancellationToken.None);

        Assert.Equal(id, message.MessageId);
        Assert.True(deleted);
        Assert.Equal(0, await writer.CountAsync(LocalQueue.Notifier, CancellationToken.None));
    }

    [Fact]
    public async Task Receive_ConcurrentlyFromTwoStoresOnOneFile_NeverHandsOutAMessageTwice()
    {
        var first = CreateStore();
        var second = new LocalQueueStore(_directory.Open(), _time);
        var sent = await first.SendBatchAsync(
            LocalQueue.Collector, Enumerable.Range(0, 60).Select(i => $"m{i}").ToList(), CancellationToken.None);

        static async Task<List<string>> DrainAsync(LocalQueueStore store)
        {
            var ids = new List<string>();
            while (true)
            {
                var batch = await store.ReceiveAsync(LocalQueue.Collector, 3, Visibility, CancellationToken.None);
                if (batch.Count == 0)
                {
                    return ids;
                }

                ids.AddRange(batch.Select(m => m.MessageId));
            }
        }

        var drained = await Task.WhenAll(Task.Run(() => DrainAsync(first)), Task.Run(() => DrainAsync(second)));

        Assert.Equal(sent.Order(), drained.SelectMany(ids => ids).Order());
    }

    [Fact]
    public async Task Messages_SurviveReopeningTheDataDirectory()
    {
        var id = await CreateStore().SendAsync(LocalQueue.Collector, "durable", CancellationToken.None);

        var reopened = new LocalQueueStore(_directory.Open(), _time);

        Assert.Equal(id, Assert.Single(await reopened.ReceiveAsync(LocalQueue.Collector, 1, Visibility, CancellationToken.None)).MessageId);
    }

    [Fact]
    public async Task SendBatch_WithOneEmptyBody_SendsNothingAndNamesIt()
    {
        var queues = CreateStore();

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => queues.SendBatchAsync(LocalQueue.Collector, ["fine", ""], CancellationToken.None));

        Assert.Contains("Message 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await queues.CountAsync(LocalQueue.Collector, CancellationToken.None));
    }

    [Fact]
    public async Task Send_WithABodyOverTheSqsLimit_Throws()
    {
        var queues = CreateStore();

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => queues.SendAsync(LocalQueue.Collector, new string('x', LocalQueueStore.MaxBodyBytes + 1), CancellationToken.None));

        Assert.Contains("limit is 262144", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public async Task Receive_AskingForOutsideOneToTenMessages_Throws(int maxMessages)
    {
        var queues = CreateStore();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => queues.ReceiveAsync(LocalQueue.Collector, maxMessages, Visibility, CancellationToken.None));
    }

    [Fact]
    public async Task Receive_WithANegativeVisibilityTimeout_Throws()
    {
        var queues = CreateStore();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => queues.ReceiveAsync(LocalQueue.Collector, 1, TimeSpan.FromSeconds(-1), CancellationToken.None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Create_WithAnOutOfRangeMaxReceiveCount_Throws(int maxReceiveCount) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LocalQueueStore(_directory.Open(), _time, maxReceiveCount));

    [Fact]
    public void Parse_OfAnUnknownQueueName_ThrowsListingTheValidNames()
    {
        var error = Assert.Throws<FormatException>(() => LocalQueue.Parse("colector"));

        Assert.Contains("collector, collector-dlq, notifier, notifier-dlq", error.Message, StringComparison.Ordinal);
        Assert.Equal(LocalQueue.NotifierDeadLetter, LocalQueue.Parse("notifier-dlq"));
    }

    private LocalQueueStore CreateStore(int maxReceiveCount = LocalQueueStore.DefaultMaxReceiveCount) =>
        new(_directory.Open(), _time, maxReceiveCount);
}
