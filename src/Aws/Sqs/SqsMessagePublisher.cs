using System.Globalization;
using System.Text;
using Amazon.SQS;
using Amazon.SQS.Model;
using CostNotifier.Messaging;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Aws.Sqs;

/// <summary>
/// Publishes pipeline messages with <c>SendMessageBatch</c>, at most ten per call. Entries SQS rejects through no
/// fault of the sender are sent again with backoff; whatever still fails is reported by envelope id in a
/// <see cref="PublishException"/>, together with what was sent, so the caller can tell exactly what to retry.
/// </summary>
public sealed class SqsMessagePublisher : IMessagePublisher
{
    /// <summary>Most entries SQS accepts in one <c>SendMessageBatch</c>.</summary>
    public const int MaxEntriesPerBatch = 10;

    /// <summary>Most body bytes put in one batch: SQS's classic 256 KiB batch limit, safe on every queue.</summary>
    public const int MaxBatchBytes = 256 * 1024;

    /// <summary>Sends of one entry before it counts as failed: the first and three retries.</summary>
    public const int MaxAttempts = 4;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly IAmazonSQS _client;
    private readonly SqsQueueUrls _urls;
    private readonly ILogger<SqsMessagePublisher> _logger;

    /// <summary>Publishes through <paramref name="client"/> to the queues in <paramref name="urls"/>.</summary>
    public SqsMessagePublisher(IAmazonSQS client, SqsQueueUrls urls, ILogger<SqsMessagePublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(urls);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _urls = urls;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> PublishAsync(
        PipelineQueue queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not { } message || string.IsNullOrWhiteSpace(message.EnvelopeId) || string.IsNullOrEmpty(message.Body))
            {
                throw new ArgumentException($"Message {i} has no envelope id or an empty body; nothing was sent.", nameof(messages));
            }
        }

        var queueUrl = _urls.For(queue);
        var messageIds = new string?[messages.Count];
        var errors = new string?[messages.Count];
        foreach (var batch in Batches(messages))
        {
            await SendBatchAsync(queue, queueUrl, messages, batch, messageIds, errors, cancellationToken).ConfigureAwait(false);
        }

        var failed = Enumerable.Range(0, messages.Count).Where(i => messageIds[i] is null).ToList();
        if (failed.Count > 0)
        {
            var sentIds = Enumerable.Range(0, messages.Count).Where(i => messageIds[i] is not null).Select(i => messages[i].EnvelopeId).ToList();
            var failedIds = failed.Select(i => messages[i].EnvelopeId).ToList();
            _logger.LogError(
                "Sent {SentCount} of {Total} messages to the {Queue} queue; {FailedCount} were not sent: {FailedEnvelopeIds}",
                sentIds.Count, messages.Count, queue, failedIds.Count, failedIds);
            throw new PublishException(Describe(queue, messages, failed, errors, sentIds), sentIds, failedIds);
        }

        _logger.LogDebug("Sent {Total} messages to the {Queue} queue", messages.Count, queue);
        return messageIds.Select(id => id!).ToList();
    }

    private async Task SendBatchAsync(
        PipelineQueue queue,
        string queueUrl,
        IReadOnlyList<OutgoingMessage> messages,
        IReadOnlyList<int> batch,
        string?[] messageIds,
        string?[] errors,
        CancellationToken cancellationToken)
    {
        var pending = batch.ToList();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var request = new SendMessageBatchRequest
            {
                QueueUrl = queueUrl,
                Entries = pending.Select(i => new SendMessageBatchRequestEntry(EntryId(i), messages[i].Body)).ToList(),
            };

            SendMessageBatchResponse response;
            try
            {
                response = await _client.SendMessageBatchAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonSQSException ex)
            {
                // The SDK has already retried throttling and server errors; what reaches here will not pass by repeating.
                _logger.LogWarning(ex, "SendMessageBatch to the {Queue} queue failed for {Count} messages: {ErrorCode}", queue, pending.Count, ex.ErrorCode);
                foreach (var i in pending)
                {
                    errors[i] = $"{ex.ErrorCode}: {ex.Message}";
                }

                return;
            }

            foreach (var entry in response.Successful ?? [])
            {
                if (IndexOf(entry.Id) is { } i && pending.Contains(i))
                {
                    messageIds[i] = entry.MessageId;
                }
            }

            var retry = new List<int>();
            foreach (var entry in response.Failed ?? [])
            {
                if (IndexOf(entry.Id) is not { } i || !pending.Contains(i))
                {
                    continue;
                }

                errors[i] = $"{entry.Code}: {entry.Message}";
                if (entry.SenderFault != true)
                {
                    retry.Add(i);
                }
            }

            // An entry SQS answered neither way was not confirmed sent: treat it as a failure worth retrying.
            foreach (var i in pending.Where(i => messageIds[i] is null && errors[i] is null))
            {
                errors[i] = "SQS returned no result for this entry.";
                retry.Add(i);
            }

            if (retry.Count == 0 || attempt == MaxAttempts)
            {
                return;
            }

            var delay = FirstRetryDelay * Math.Pow(2, attempt - 1) * (0.5 + (Random.Shared.NextDouble() / 2));
            _logger.LogWarning(
                "SQS did not accept {Count} of {BatchSize} messages for the {Queue} queue (attempt {Attempt} of {MaxAttempts}); retrying in {DelayMs} ms",
                retry.Count, pending.Count, queue, attempt, MaxAttempts, (int)delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            foreach (var i in retry)
            {
                errors[i] = null;
            }

            pending = retry;
        }
    }

    /// <summary>Splits the messages, in order, into runs of at most ten entries and <see cref="MaxBatchBytes"/>.</summary>
    private static IEnumerable<IReadOnlyList<int>> Batches(IReadOnlyList<OutgoingMessage> messages)
    {
        var batch = new List<int>(MaxEntriesPerBatch);
        var bytes = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var size = Encoding.UTF8.GetByteCount(messages[i].Body);
            if (batch.Count == MaxEntriesPerBatch || (batch.Count > 0 && bytes + size > MaxBatchBytes))
            {
                yield return batch;
                batch = new List<int>(MaxEntriesPerBatch);
                bytes = 0;
            }

            batch.Add(i);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static string EntryId(int index) => "m" + index.ToString(CultureInfo.InvariantCulture);

    private static int? IndexOf(string? entryId) =>
        entryId is ['m', .. var digits] && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : null;

    private static string Describe(
        PipelineQueue queue, IReadOnlyList<OutgoingMessage> messages, List<int> failed, string?[] errors, List<string> sentIds)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Sent {sentIds.Count} of {messages.Count} messages to the {queue} queue. Not sent: ");
        text.AppendJoin(", ", failed.Select(i => $"{messages[i].EnvelopeId} ({errors[i] ?? "unknown error"})"));
        text.Append(". Sent: ").Append(sentIds.Count == 0 ? "none" : string.Join(", ", sentIds)).Append('.');
        return text.ToString();
    }
}
