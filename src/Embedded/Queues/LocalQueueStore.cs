// Longer than 400 lines on purpose: it is the whole SQS contract the embedded host relies on (send, receive with
// visibility, delete, change visibility, the redrive policy, dead-letter listing and redrive), each operation one
// SQLite transaction over the same two tables. Split apart, the invariants those transactions share would be too.
using System.Globalization;
using System.Text;
using CostNotifier.Embedded.Storage;
using CostNotifier.Messaging;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CostNotifier.Embedded.Queues;

/// <summary>
/// Durable queues in the embedded database that behave like SQS standard queues with a redrive policy: a received
/// message stays hidden for its visibility timeout, then comes back unless deleted; every receive counts, and the
/// receive that would go past <see cref="MaxReceiveCount"/> moves the message to the dead-letter queue instead.
/// Every operation is one SQLite transaction, so two processes on the same data directory never receive the same
/// delivery and a crash loses nothing.
/// </summary>
public sealed class LocalQueueStore
{
    /// <summary>The redrive policy's default <c>maxReceiveCount</c>.</summary>
    public const int DefaultMaxReceiveCount = 5;

    /// <summary>The most messages one receive returns, as in SQS.</summary>
    public const int MaxMessagesPerReceive = 10;

    /// <summary>The largest body accepted, as in SQS (256 KiB of UTF-8).</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>The reason recorded for a message moved by the redrive policy.</summary>
    public const string MaxReceiveCountReason = "exceeded maxReceiveCount";

    /// <summary>The longest visibility timeout, as in SQS.</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromHours(12);

    private const string InsertSql = """
        INSERT INTO queue_messages (queue, message_id, body, sent_at, visible_at, receive_count, dead_lettered_at)
        VALUES ($queue, $messageId, $body, $now, $now, 0, $deadLetteredAt);
        """;

    private const string SelectVisibleSql = """
        SELECT seq, message_id, body, sent_at, receive_count, first_received_at
        FROM queue_messages
        WHERE queue = $queue AND visible_at <= $now AND seq > $after
        ORDER BY seq
        LIMIT $limit;
        """;

    private const string DeliverSql = """
        UPDATE queue_messages
        SET receive_count = receive_count + 1,
            receipt_handle = $receiptHandle,
            visible_at = $visibleAt,
            first_received_at = COALESCE(first_received_at, $now)
        WHERE seq = $seq;
        """;

    // Copies a row into a dead-letter queue keeping its id, body, send time and receive count. A message already
    // there under the same id is kept as it is rather than duplicated.
    private const string CopyToDeadLetterSql = """
        INSERT INTO queue_messages (
            queue, message_id, body, sent_at, visible_at, receive_count, first_received_at,
            source_queue, dead_letter_reason, dead_lettered_at)
        SELECT $deadLetterQueue, message_id, body, sent_at, $now, receive_count, first_received_at,
            queue, $reason, $now
        FROM queue_messages
        WHERE seq = $seq
        ON CONFLICT (queue, message_id) DO NOTHING;
        """;

    private const string DeleteRowSql = "DELETE FROM queue_messages WHERE seq = $seq;";

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the queues' view of <paramref name="database"/>.</summary>
    /// <param name="database">The embedded database.</param>
    /// <param name="time">The clock behind visibility timeouts.</param>
    /// <param name="maxReceiveCount">Receives allowed before a message moves to its dead-letter queue (1 to 1000).</param>
    /// <param name="logger">Where moves to a dead-letter queue are logged.</param>
    public LocalQueueStore(
        SqliteDatabase database,
        TimeProvider time,
        int maxReceiveCount = DefaultMaxReceiveCount,
        ILogger<LocalQueueStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        if (maxReceiveCount is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxReceiveCount), maxReceiveCount, "maxReceiveCount must be between 1 and 1000, as in an SQS redrive policy.");
        }

        _database = database;
        _time = time;
        MaxReceiveCount = maxReceiveCount;
        _logger = logger ?? NullLogger<LocalQueueStore>.Instance;
    }

    /// <summary>Receives allowed before a message moves to its dead-letter queue.</summary>
    public int MaxReceiveCount { get; }

    /// <summary>Sends one message; returns its new message id.</summary>
    public async Task<string> SendAsync(LocalQueue queue, string body, CancellationToken cancellationToken) =>
        (await SendBatchAsync(queue, [body], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Sends every body in one transaction: all are sent or none. Returns the message ids in order.</summary>
    public Task<IReadOnlyList<string>> SendBatchAsync(LocalQueue queue, IReadOnlyList<string> bodies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bodies);
        for (var i = 0; i < bodies.Count; i++)
        {
            ValidateBody(queue, bodies[i], i);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var now = Now();
        var ids = new List<string>(bodies.Count);
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var body in bodies)
        {
            var id = Guid.NewGuid().ToString();
            using var insert = Command(connection, transaction, InsertSql);
            insert.Parameters.AddWithValue("$queue", queue.Name);
            insert.Parameters.AddWithValue("$messageId", id);
            insert.Parameters.AddWithValue("$body", body);
            insert.Parameters.AddWithValue("$now", now);
            insert.Parameters.AddWithValue("$deadLetteredAt", queue.IsDeadLetter ? now : DBNull.Value);
            insert.ExecuteNonQuery();
            ids.Add(id);
        }

        transaction.Commit();
        return Task.FromResult<IReadOnlyList<string>>(ids);
    }

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> visible messages, oldest first, hiding each for
    /// <paramref name="visibilityTimeout"/>. A message already received <see cref="MaxReceiveCount"/> times is
    /// moved to the dead-letter queue with the reason <see cref="MaxReceiveCountReason"/> instead of being returned.
    /// Returns an empty list when nothing is visible; it never waits.
    /// </summary>
    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(
        LocalQueue queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        if (maxMessages is < 1 or > MaxMessagesPerReceive)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxMessages), maxMessages, $"A receive returns 1 to {MaxMessagesPerReceive} messages.");
        }

        ValidateVisibilityTimeout(visibilityTimeout);
        cancellationToken.ThrowIfCancellationRequested();

        var now = Now();
        var visibleAt = now + Milliseconds(visibilityTimeout);
        var received = new List<ReceivedMessage>();
        var deadLettered = new List<(string MessageId, long ReceiveCount)>();
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);

        // Messages moved to the dead-letter queue make room for others, so keep looking until the batch is full.
        // Each pass starts after the last row looked at: with a zero timeout a delivered message stays visible.
        var after = 0L;
        while (received.Count < maxMessages)
        {
            var candidates = SelectVisible(connection, transaction, queue, now, after, maxMessages - received.Count);
            if (candidates.Count == 0)
            {
                break;
            }

            foreach (var candidate in candidates)
            {
                after = candidate.Seq;
                if (!queue.IsDeadLetter && candidate.ReceiveCount >= MaxReceiveCount)
                {
                    MoveRow(connection, transaction, candidate.Seq, queue.DeadLetter, MaxReceiveCountReason, now);
                    deadLettered.Add((candidate.MessageId, candidate.ReceiveCount));
                    continue;
                }

                var receiptHandle = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
                using var deliver = Command(connection, transaction, DeliverSql);
                deliver.Parameters.AddWithValue("$receiptHandle", receiptHandle);
                deliver.Parameters.AddWithValue("$visibleAt", visibleAt);
                deliver.Parameters.AddWithValue("$now", now);
                deliver.Parameters.AddWithValue("$seq", candidate.Seq);
                deliver.ExecuteNonQuery();
                received.Add(new ReceivedMessage(
                    queue,
                    candidate.MessageId,
                    receiptHandle,
                    candidate.Body,
                    checked((int)candidate.ReceiveCount + 1),
                    FromMilliseconds(candidate.SentAt),
                    FromMilliseconds(candidate.FirstReceivedAt ?? now)));
            }
        }

        transaction.Commit();
        foreach (var (messageId, receiveCount) in deadLettered)
        {
            _logger.LogWarning(
                "Message {MessageId} on {Queue} was received {ReceiveCount} times and moved to {DeadLetterQueue}: {Reason}",
                messageId,
                queue.Name,
                receiveCount,
                queue.DeadLetter.Name,
                MaxReceiveCountReason);
        }

        return Task.FromResult<IReadOnlyList<ReceivedMessage>>(received);
    }

    /// <summary>
    /// Deletes the message received with <paramref name="receiptHandle"/>. Returns false, deleting nothing, when the
    /// handle is no longer current: the message was deleted, dead-lettered, or received again by someone else after
    /// its visibility timeout ended.
    /// </summary>
    public async Task<bool> DeleteAsync(LocalQueue queue, string receiptHandle, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(receiptHandle);
        using var connection = _database.OpenConnection();
        using var delete = Command(connection, null, "DELETE FROM queue_messages WHERE queue = $queue AND receipt_handle = $receiptHandle;");
        delete.Parameters.AddWithValue("$queue", queue.Name);
        delete.Parameters.AddWithValue("$receiptHandle", receiptHandle);
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Hides an in-flight message for <paramref name="visibilityTimeout"/> from now (zero makes it visible at once),
    /// e.g. to back off before a retry. Returns false when the handle is not current or the message is no longer
    /// in flight.
    /// </summary>
    public async Task<bool> ChangeVisibilityAsync(
        LocalQueue queue, string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(receiptHandle);
        ValidateVisibilityTimeout(visibilityTimeout);
        var now = Now();
        using var connection = _database.OpenConnection();
        using var update = Command(connection, null, """
            UPDATE queue_messages SET visible_at = $visibleAt
            WHERE queue = $queue AND receipt_handle = $receiptHandle AND visible_at > $now;
            """);
        update.Parameters.AddWithValue("$visibleAt", now + Milliseconds(visibilityTimeout));
        update.Parameters.AddWithValue("$queue", queue.Name);
        update.Parameters.AddWithValue("$receiptHandle", receiptHandle);
        update.Parameters.AddWithValue("$now", now);
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Moves message <paramref name="messageId"/> of <paramref name="source"/> to its dead-letter queue with
    /// <paramref name="reason"/>, in one transaction: it keeps its id and receive count and leaves the source queue.
    /// A message no longer in the source queue is recorded from <paramref name="body"/>; an empty id gets a new one.
    /// Moving the same message twice keeps the first record.
    /// </summary>
    public Task MoveToDeadLetterAsync(
        PipelineQueue source, string messageId, string body, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        cancellationToken.ThrowIfCancellationRequested();
        var queue = LocalQueue.Of(source);
        var now = Now();
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);

        long? seq = null;
        if (!string.IsNullOrEmpty(messageId))
        {
            using var find = Command(connection, transaction, "SELECT seq FROM queue_messages WHERE queue = $queue AND message_id = $messageId;");
            find.Parameters.AddWithValue("$queue", queue.Name);
            find.Parameters.AddWithValue("$messageId", messageId);
            seq = find.ExecuteScalar() as long?;
        }

        if (seq is { } existing)
        {
            MoveRow(connection, transaction, existing, queue.DeadLetter, reason, now);
        }
        else
        {
            using var insert = Command(connection, transaction, """
                INSERT INTO queue_messages (
                    queue, message_id, body, sent_at, visible_at, receive_count, source_queue, dead_letter_reason, dead_lettered_at)
                VALUES ($deadLetterQueue, $messageId, $body, $now, $now, 0, $source, $reason, $now)
                ON CONFLICT (queue, message_id) DO NOTHING;
                """);
            insert.Parameters.AddWithValue("$deadLetterQueue", queue.DeadLetter.Name);
            insert.Parameters.AddWithValue("$messageId", string.IsNullOrEmpty(messageId) ? Guid.NewGuid().ToString() : messageId);
            insert.Parameters.AddWithValue("$body", body);
            insert.Parameters.AddWithValue("$now", now);
            insert.Parameters.AddWithValue("$source", queue.Name);
            insert.Parameters.AddWithValue("$reason", reason);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    /// <summary>Lists up to <paramref name="maxMessages"/> messages in <paramref name="source"/>'s dead-letter queue, oldest first, without receiving them.</summary>
    public async Task<IReadOnlyList<DeadLetterMessage>> ListDeadLettersAsync(
        PipelineQueue source, int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        var deadLetterQueue = LocalQueue.Of(source).DeadLetter;
        using var connection = _database.OpenConnection();
        using var select = Command(connection, null, """
            SELECT message_id, body, dead_letter_reason, receive_count, sent_at, COALESCE(dead_lettered_at, sent_at)
            FROM queue_messages
            WHERE queue = $queue
            ORDER BY seq
            LIMIT $limit;
            """);
        select.Parameters.AddWithValue("$queue", deadLetterQueue.Name);
        select.Parameters.AddWithValue("$limit", maxMessages);

        var messages = new List<DeadLetterMessage>();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            messages.Add(new DeadLetterMessage(
                deadLetterQueue,
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetInt32(3),
                FromMilliseconds(reader.GetInt64(4)),
                FromMilliseconds(reader.GetInt64(5))));
        }

        return messages;
    }

    /// <summary>How many messages <paramref name="queue"/> holds, visible and in flight.</summary>
    public async Task<int> CountAsync(LocalQueue queue, CancellationToken cancellationToken) =>
        (await GetDepthAsync(queue, cancellationToken).ConfigureAwait(false)).Total;

    /// <summary>How many messages <paramref name="queue"/> holds, split into visible and in flight.</summary>
    public async Task<QueueDepth> GetDepthAsync(LocalQueue queue, CancellationToken cancellationToken)
    {
        using var connection = _database.OpenConnection();
        using var count = Command(connection, null, """
            SELECT COALESCE(SUM(visible_at <= $now), 0), COALESCE(SUM(visible_at > $now), 0)
            FROM queue_messages
            WHERE queue = $queue;
            """);
        count.Parameters.AddWithValue("$queue", queue.Name);
        count.Parameters.AddWithValue("$now", Now());
        using var reader = await count.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new QueueDepth(reader.GetInt32(0), reader.GetInt32(1));
    }

    /// <summary>
    /// Moves up to <paramref name="maxMessages"/> messages, oldest first, from <paramref name="source"/>'s
    /// dead-letter queue back to <paramref name="source"/>: each is copied and then deleted in the same transaction,
    /// so none is lost or duplicated. A redriven message keeps its id and body, is visible at once and starts a new
    /// receive count. Pass <see cref="int.MaxValue"/> to move them all. Returns the ids moved.
    /// </summary>
    public Task<IReadOnlyList<string>> RedriveAsync(PipelineQueue source, int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var queue = LocalQueue.Of(source);
        var now = Now();
        var moved = new List<string>();
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);

        var rows = new List<(long Seq, string MessageId)>();
        using (var select = Command(connection, transaction, "SELECT seq, message_id FROM queue_messages WHERE queue = $queue ORDER BY seq LIMIT $limit;"))
        {
            select.Parameters.AddWithValue("$queue", queue.DeadLetter.Name);
            select.Parameters.AddWithValue("$limit", maxMessages);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        foreach (var (seq, messageId) in rows)
        {
            // A message already back in the source queue under the same id is not copied twice.
            using var copy = Command(connection, transaction, """
                INSERT INTO queue_messages (queue, message_id, body, sent_at, visible_at, receive_count)
                SELECT $source, message_id, body, sent_at, $now, 0
                FROM queue_messages
                WHERE seq = $seq
                ON CONFLICT (queue, message_id) DO NOTHING;
                """);
            copy.Parameters.AddWithValue("$source", queue.Name);
            copy.Parameters.AddWithValue("$now", now);
            copy.Parameters.AddWithValue("$seq", seq);
            copy.ExecuteNonQuery();
            DeleteRow(connection, transaction, seq);
            moved.Add(messageId);
        }

        transaction.Commit();
        return Task.FromResult<IReadOnlyList<string>>(moved);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static List<Candidate> SelectVisible(
        SqliteConnection connection, SqliteTransaction transaction, LocalQueue queue, long now, long after, int limit)
    {
        using var select = Command(connection, transaction, SelectVisibleSql);
        select.Parameters.AddWithValue("$queue", queue.Name);
        select.Parameters.AddWithValue("$now", now);
        select.Parameters.AddWithValue("$after", after);
        select.Parameters.AddWithValue("$limit", limit);
        var candidates = new List<Candidate>();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            candidates.Add(new Candidate(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt64(3),
                reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5)));
        }

        return candidates;
    }

    private static void MoveRow(
        SqliteConnection connection, SqliteTransaction transaction, long seq, LocalQueue deadLetterQueue, string reason, long now)
    {
        using var copy = Command(connection, transaction, CopyToDeadLetterSql);
        copy.Parameters.AddWithValue("$deadLetterQueue", deadLetterQueue.Name);
        copy.Parameters.AddWithValue("$now", now);
        copy.Parameters.AddWithValue("$reason", reason);
        copy.Parameters.AddWithValue("$seq", seq);
        copy.ExecuteNonQuery();
        DeleteRow(connection, transaction, seq);
    }

    private static void DeleteRow(SqliteConnection connection, SqliteTransaction transaction, long seq)
    {
        using var delete = Command(connection, transaction, DeleteRowSql);
        delete.Parameters.AddWithValue("$seq", seq);
        delete.ExecuteNonQuery();
    }

    private static void ValidateBody(LocalQueue queue, string? body, int index)
    {
        if (string.IsNullOrEmpty(body))
        {
            throw new ArgumentException($"Message {index} for {queue.Name} has an empty body; a message needs at least one character.", nameof(body));
        }

        var bytes = Encoding.UTF8.GetByteCount(body);
        if (bytes > MaxBodyBytes)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Message {index} for {queue.Name} is {bytes} bytes; the limit is {MaxBodyBytes}."),
                nameof(body));
        }
    }

    private static void ValidateVisibilityTimeout(TimeSpan visibilityTimeout)
    {
        if (visibilityTimeout < TimeSpan.Zero || visibilityTimeout > MaxVisibilityTimeout)
        {
            throw new ArgumentOutOfRangeException(
                nameof(visibilityTimeout), visibilityTimeout, "The visibility timeout must be between 0 and 12 hours, as in SQS.");
        }
    }

    private static long Milliseconds(TimeSpan span) => (long)Math.Ceiling(span.TotalMilliseconds);

    private static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed record Candidate(long Seq, string MessageId, string Body, long SentAt, long ReceiveCount, long? FirstReceivedAt);
}
