using Amazon.SQS;
using Bogus;
using CostNotifier.Aws;
using CostNotifier.Aws.Sqs;
using CostNotifier.IntegrationTests.Emulators;
using CostNotifier.Messaging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CostNotifier.IntegrationTests.Aws;

[Collection(EmulatorCollection.Name)]
public sealed class SqsMessagePublisherTests(EmulatorFixture emulators)
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Publish_TwentyFiveMessages_SendsThreeBatchesAndEveryMessageArrives()
    {
        var queues = await emulators.CreatePipelineQueuesAsync();
        var counter = new CountingHttpClientFactory();
        using var client = CountedClient(counter);
        var publisher = Publisher(client, queues);
        var messages = Messages(25, seed: 25);

        var messageIds = await publisher.PublishAsync(PipelineQueue.Collector, messages, CancellationToken.None);

        Assert.Equal(3, counter.Count("AmazonSQS.SendMessageBatch"));
        Assert.Equal(25, messageIds.Distinct().Count());
        var arrived = await emulators.ReceiveAndDeleteAsync(queues.Collector, 25, ArrivalTimeout);
        Assert.Equal(messages.Select(m => m.Body).Order(), arrived.Select(m => m.Body).Order());
        Assert.Equal(messageIds.Order(), arrived.Select(m => m.MessageId).Order());
    }

    [Fact]
    public async Task Publish_ToTheNotifierQueue_LeavesTheCollectorQueueEmpty()
    {
        var queues = await emulators.CreatePipelineQueuesAsync();
        var publisher = Publisher(emulators.Sqs, queues);
        var messages = Messages(3, seed: 3);

        await publisher.PublishAsync(PipelineQueue.Notifier, messages, CancellationToken.None);

        Assert.Equal(3, (await emulators.ReceiveAndDeleteAsync(queues.Notifier, 3, ArrivalTimeout)).Count);
        Assert.Empty(await emulators.ReceiveAndDeleteAsync(queues.Collector, 1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Publish_WhenSqsRejectsOneEntryAsTheSendersFault_ThrowsNamingExactlyWhatWasAndWasNotSent()
    {
        var queues = await emulators.CreatePipelineQueuesAsync();
        var counter = new CountingHttpClientFactory();
        using var client = CountedClient(counter);
        var publisher = Publisher(client, queues);
        var messages = Messages(5, seed: 5).ToList();
        // U+FFFE is outside the characters SQS accepts in a body: a sender fault, not worth retrying.
        messages[2] = messages[2] with { Body = "bad \uFFFE body" };

        var error = await Assert.ThrowsAsync<PublishException>(
            () => publisher.PublishAsync(PipelineQueue.Collector, messages, CancellationToken.None));

        Assert.Equal([messages[2].EnvelopeId], error.FailedEnvelopeIds);
        Assert.Equal(messages.Where((_, i) => i != 2).Select(m => m.EnvelopeId), error.SentEnvelopeIds);
        Assert.Contains(messages[2].EnvelopeId, error.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidMessageContents", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, counter.Count("AmazonSQS.SendMessageBatch"));
        Assert.Equal(4, (await emulators.ReceiveAndDeleteAsync(queues.Collector, 5, TimeSpan.FromSeconds(3))).Count);
    }

    [Fact]
    public async Task Publish_WhenSqsFailsSomeEntriesOnItsSide_ResendsOnlyThoseAndReturnsIdsInOrder()
    {
        await using var server = new ScriptedSqsServer((call, _) => call == 1
            ? entry => entry.Id is "m1" or "m3" ? EntryOutcome.FailedBySqs() : EntryOutcome.Accepted
            : _ => EntryOutcome.Accepted);
        using var client = server.CreateClient();
        var publisher = Publisher(client, server.QueueUrl);
        var messages = Messages(5, seed: 55);

        var messageIds = await publisher.PublishAsync(PipelineQueue.Collector, messages, CancellationToken.None);

        Assert.Equal(2, server.Calls.Count);
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], server.Calls[0].Select(e => e.Id));
        Assert.Equal(["m1", "m3"], server.Calls[1].Select(e => e.Id));
        Assert.Equal([messages[1].Body, messages[3].Body], server.Calls[1].Select(e => e.Body));
        // The server numbers accepted entries as it goes: m0, m2, m4 first, then the retried m1 and m3.
        Assert.Equal(["scripted-1", "scripted-4", "scripted-2", "scripted-5", "scripted-3"], messageIds);
    }

    [Fact]
    public async Task Publish_WhenAnEntryKeepsFailingOnSqsSide_GivesUpAfterMaxAttemptsAndNamesIt()
    {
        await using var server = new ScriptedSqsServer((_, _) =>
            entry => entry.Id == "m12" ? EntryOutcome.FailedBySqs("ServiceUnavailable") : EntryOutcome.Accepted);
        using var client = server.CreateClient();
        var publisher = Publisher(client, server.QueueUrl);
        var messages = Messages(15, seed: 15);

        var error = await Assert.ThrowsAsync<PublishException>(
            () => publisher.PublishAsync(PipelineQueue.Collector, messages, CancellationToken.None));

        Assert.Equal([messages[12].EnvelopeId], error.FailedEnvelopeIds);
        Assert.Equal(messages.Where((_, i) => i != 12).Select(m => m.EnvelopeId), error.SentEnvelopeIds);
        Assert.Contains("ServiceUnavailable", error.Message, StringComparison.Ordinal);
        // One call for the first ten, then the second batch once plus three retries of m12 alone.
        Assert.Equal(1 + SqsMessagePublisher.MaxAttempts, server.Calls.Count);
        Assert.All(server.Calls.Skip(2), call => Assert.Equal(["m12"], call.Select(e => e.Id)));
    }

    [Fact]
    public async Task Publish_WhenOneWholeBatchIsRefused_SendsTheOtherBatchesAndNamesTheRefusedOnes()
    {
        await using var server = new ScriptedSqsServer((call, _) => call == 2 ? null : _ => EntryOutcome.Accepted);
        using var client = server.CreateClient();
        var publisher = Publisher(client, server.QueueUrl);
        var messages = Messages(25, seed: 26);

        var error = await Assert.ThrowsAsync<PublishException>(
            () => publisher.PublishAsync(PipelineQueue.Collector, messages, CancellationToken.None));

        Assert.Equal(messages.Skip(10).Take(10).Select(m => m.EnvelopeId), error.FailedEnvelopeIds);
        Assert.Equal(messages.Take(10).Concat(messages.Skip(20)).Select(m => m.EnvelopeId), error.SentEnvelopeIds);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Calls.Count);
    }

    [Fact]
    public async Task Publish_BodiesTooLargeForOneBatch_SplitsBatchesBelowTheBatchSizeLimit()
    {
        var queues = await emulators.CreatePipelineQueuesAsync();
        var counter = new CountingHttpClientFactory();
        using var client = CountedClient(counter);
        var publisher = Publisher(client, queues);
        // Four 100 KiB bodies: only two fit under 256 KiB per call.
        var messages = Enumerable.Range(0, 4)
            .Select(i => new OutgoingMessage($"env-{i}", new string((char)('a' + i), 100 * 1024)))
            .ToList();

        await publisher.PublishAsync(PipelineQueue.Collector, messages, CancellationToken.None);

        Assert.Equal(2, counter.Count("AmazonSQS.SendMessageBatch"));
        Assert.Equal(4, (await emulators.ReceiveAndDeleteAsync(queues.Collector, 4, ArrivalTimeout)).Count);
    }

    [Fact]
    public async Task Publish_WhenTheQueueUrlIsNotConfigured_ThrowsNamingTheSettingAndSendsNothing()
    {
        var counter = new CountingHttpClientFactory();
        using var client = CountedClient(counter);
        var publisher = new SqsMessagePublisher(client, new SqsQueueUrls(null, null, null, null), NullLogger<SqsMessagePublisher>.Instance);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => publisher.PublishAsync(PipelineQueue.Notifier, Messages(1, seed: 1), CancellationToken.None));

        Assert.Contains(SqsQueueUrls.NotifierVariable, error.Message, StringComparison.Ordinal);
        Assert.Empty(counter.Operations);
    }

    [Fact]
    public async Task Publish_NoMessages_ReturnsNoIdsWithoutCallingSqs()
    {
        var counter = new CountingHttpClientFactory();
        using var client = CountedClient(counter);
        var queues = await emulators.CreatePipelineQueuesAsync();
        var publisher = Publisher(client, queues);

        var ids = await publisher.PublishAsync(PipelineQueue.Collector, [], CancellationToken.None);

        Assert.Empty(ids);
        Assert.Empty(counter.Operations);
    }

    private static IReadOnlyList<OutgoingMessage> Messages(int count, int seed)
    {
        var faker = new Faker { Random = new Randomizer(seed) };
        return Enumerable.Range(0, count)
            .Select(i =>
            {
                var id = faker.Random.Guid().ToString();
                var date = new DateOnly(2026, 1, 1).AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                return new OutgoingMessage(id, $$$"""{"type":"ReportRequested","version":1,"id":"{{{id}}}","payload":{"reportId":"{{{faker.Internet.DomainWord()}}}","date":"{{{date}}}"}}""");
            })
            .ToList();
    }

    private IAmazonSQS CountedClient(CountingHttpClientFactory counter)
    {
        var config = new AmazonSQSConfig { HttpClientFactory = counter };
        emulators.SqsConnection.Apply(config, AwsConnection.Services.Sqs);
        return new AmazonSQSClient(EmulatorFixture.Credentials, config);
    }

    private static SqsMessagePublisher Publisher(IAmazonSQS client, PipelineQueues queues) =>
        new(client, new SqsQueueUrls(queues.Collector, queues.CollectorDeadLetter, queues.Notifier, queues.NotifierDeadLetter), NullLogger<SqsMessagePublisher>.Instance);

    private static SqsMessagePublisher Publisher(IAmazonSQS client, string collectorUrl) =>
        new(client, new SqsQueueUrls(collectorUrl, null, null, null), NullLogger<SqsMessagePublisher>.Instance);
}
