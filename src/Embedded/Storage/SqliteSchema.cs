using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CostNotifier.Embedded.Storage;

/// <summary>
/// The database's tables, as an ordered list of migrations. <c>schema_version</c> records every migration applied;
/// a database is brought forward one migration at a time and never edited in place, so an older data directory
/// keeps working after an upgrade.
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        // 1: event store, claims (table leases) and local queues.
        """
        CREATE TABLE events (
            stream      TEXT    NOT NULL,
            version     INTEGER NOT NULL CHECK (version >= 1),
            report_id   TEXT    NOT NULL,
            report_date TEXT    NOT NULL,
            type        TEXT    NOT NULL,
            data        TEXT    NOT NULL,
            recorded_at TEXT    NOT NULL,
            PRIMARY KEY (stream, version)
        ) WITHOUT ROWID;

        CREATE INDEX events_by_report_date ON events (report_id, report_date, version);

        CREATE TABLE leases (
            key        TEXT    NOT NULL PRIMARY KEY,
            owner      TEXT    NOT NULL,
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE queue_messages (
            seq                INTEGER PRIMARY KEY AUTOINCREMENT,
            queue              TEXT    NOT NULL,
            message_id         TEXT    NOT NULL,
            body               TEXT    NOT NULL,
            sent_at            INTEGER NOT NULL,
            visible_at         INTEGER NOT NULL,
            receive_count      INTEGER NOT NULL DEFAULT 0,
            first_received_at  INTEGER,
            receipt_handle     TEXT,
            source_queue       TEXT,
            dead_letter_reason TEXT,
            dead_lettered_at   INTEGER,
            UNIQUE (queue, message_id)
        );

        CREATE INDEX queue_messages_by_visibility ON queue_messages (queue, visible_at);

        CREATE UNIQUE INDEX queue_messages_by_receipt ON queue_messages (receipt_handle)
            WHERE receipt_handle IS NOT NULL;
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Applies every migration the database lacks; returns the version it is at.</summary>
    public static int Migrate(SqliteDatabase database)
    {
        using var connection = database.OpenConnection();

        // Persistent per file; needs no transaction and is a no-op once set.
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        // Immediate: a second process migrating at the same moment waits here, then finds the work done.
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INTEGER NOT NULL PRIMARY KEY,
                applied_at TEXT    NOT NULL
            );
            """);

        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
        var current = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (current > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database '{database.FilePath}' is at schema version {current}, newer than this build understands "
                + $"({CurrentVersion}). Use a newer costnotifier or another data directory.");
        }

        for (var version = current + 1; version <= CurrentVersion; version++)
        {
            Execute(connection, transaction, Migrations[version - 1]);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = """
                INSERT INTO schema_version (version, applied_at)
                VALUES ($version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
                """;
            record.Parameters.AddWithValue("$version", version);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
        return CurrentVersion;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
