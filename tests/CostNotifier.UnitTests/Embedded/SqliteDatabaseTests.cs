using System.Globalization;
using CostNotifier.Domain;
using CostNotifier.Embedded.Storage;
using CostNotifier.EventStore;
using Microsoft.Data.Sqlite;

namespace CostNotifier.UnitTests.Embedded;

public sealed class SqliteDatabaseTests : IDisposable
{
    private static readonly StreamId Stream = new(ReportId.Parse("daily"), ReportDate.Parse("2026-02-28"));
    private readonly TemporaryDataDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Open_InAMissingDirectory_CreatesTheDirectoryAndTheDatabaseFile()
    {
        var database = _directory.Open("nested/data");

        Assert.True(File.Exists(Path.Combine(_directory.Path, "nested", "data", SqliteDatabase.FileName)));
        Assert.Equal(Path.Combine(database.DataDirectory, SqliteDatabase.FileName), database.FilePath);
    }

    [Fact]
    public void Open_UsesWriteAheadLoggingAndForeignKeys()
    {
        var database = _directory.Open();

        using var connection = database.OpenConnection();

        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal(1L, Scalar(connection, "PRAGMA foreign_keys;"));
        Assert.Equal((long)SqliteDatabase.BusyTimeout.TotalMilliseconds, Scalar(connection, "PRAGMA busy_timeout;"));
    }

    [Fact]
    public async Task Open_AgainOnTheSameDirectory_MigratesOnceAndKeepsTheData()
    {
        var first = _directory.Open();
        await new SqliteEventStore(first).AppendAsync(
            Stream, ExpectedVersion.NoStream, new NewEvent("CostSnapshotConfirmed.v1", "{}", DateTimeOffset.UnixEpoch), CancellationToken.None);

        var second = _directory.Open();

        Assert.Equal(first.SchemaVersion, second.SchemaVersion);
        using var connection = second.OpenConnection();
        Assert.Equal((long)second.SchemaVersion, Scalar(connection, "SELECT COUNT(*) FROM schema_version;"));
        Assert.Single(await new SqliteEventStore(second).ReadStreamAsync(Stream, CancellationToken.None));
    }

    [Fact]
    public void Open_FromSeveralThreadsAtOnce_MigratesExactlyOnce()
    {
        var databases = Enumerable.Range(0, 8).AsParallel().Select(_ => _directory.Open()).ToList();

        using var connection = databases[0].OpenConnection();
        Assert.Equal((long)databases[0].SchemaVersion, Scalar(connection, "SELECT COUNT(*) FROM schema_version;"));
    }

    [Fact]
    public void Open_WhenTheDataDirectoryIsAFile_ThrowsNamingThePath()
    {
        var file = Path.Combine(_directory.Path, "not-a-directory");
        Directory.CreateDirectory(_directory.Path);
        File.WriteAllText(file, "x");

        var error = Assert.Throws<IOException>(() => new SqliteDatabase(file));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("is a file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WhenTheFileIsNotADatabase_ThrowsNamingTheFile()
    {
        Directory.CreateDirectory(_directory.Path);
        var file = Path.Combine(_directory.Path, SqliteDatabase.FileName);
        File.WriteAllText(file, new string('x', 4096));

        var error = Assert.Throws<IOException>(() => new SqliteDatabase(_directory.Path));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WhenTheSchemaIsNewerThanThisBuild_ThrowsNamingBothVersions()
    {
        var database = _directory.Open();
        var newer = database.SchemaVersion + 1;
        using (var connection = database.OpenConnection())
        {
            Execute(connection, string.Create(
                CultureInfo.InvariantCulture, $"INSERT INTO schema_version (version, applied_at) VALUES ({newer}, 'later');"));
        }

        var error = Assert.Throws<InvalidOperationException>(() => new SqliteDatabase(_directory.Path));

        Assert.Contains($"schema version {newer}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"({database.SchemaVersion})", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Open_WithAnEmptyPath_ThrowsArgumentException(string path) =>
        Assert.Throws<ArgumentException>(() => new SqliteDatabase(path));

    [Fact]
    public void ReadReportQuery_IsServedByTheReportDateIndex()
    {
        var database = _directory.Open();
        using var connection = database.OpenConnection();
        using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + SqliteEventStore.ReadReportSql;
        explain.Parameters.AddWithValue("$reportId", "daily");
        explain.Parameters.AddWithValue("$start", "2026-01-01");
        explain.Parameters.AddWithValue("$end", "2026-02-01");

        var plan = new List<string>();
        using (var reader = explain.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        // One indexed search and no separate sort: the index order is the result order.
        var step = Assert.Single(plan);
        Assert.StartsWith("SEARCH events USING INDEX events_by_report_date", step, StringComparison.Ordinal);
        Assert.Contains("report_date>?", step, StringComparison.Ordinal);
    }

    [Fact]
    public void EventsTable_RefusesASecondRowWithTheSameStreamAndVersion()
    {
        var database = _directory.Open();
        using var connection = database.OpenConnection();
        const string insert = """
            INSERT INTO events (stream, version, report_id, report_date, type, data, recorded_at)
            VALUES ('report#daily#2026-02-28', 1, 'daily', '2026-02-28', 't', '{}', '2026-03-01T00:00:00.0000000+00:00');
            """;
        Execute(connection, insert);

        var error = Assert.Throws<SqliteException>(() => Execute(connection, insert));

        Assert.Equal(1555, error.SqliteExtendedErrorCode);
    }

    [Fact]
    public async Task Append_ConcurrentlyFromTwoDatabaseInstancesOnOneFile_ExactlyOneWins()
    {
        var stores = new[] { new SqliteEventStore(_directory.Open()), new SqliteEventStore(_directory.Open()) };
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, 20)
            .Select(i => Task.Run(async () =>
            {
                await start.Task;
                try
                {
                    await stores[i % 2].AppendAsync(
                        Stream, ExpectedVersion.NoStream, new NewEvent("t", $"{{\"writer\":{i}}}", DateTimeOffset.UnixEpoch), CancellationToken.None);
                    return true;
                }
                catch (WrongExpectedVersionException)
                {
                    return false;
                }
            }))
            .ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, won => won);
        Assert.Single(await stores[0].ReadStreamAsync(Stream, CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquire_ForAClaimEndingAfterTheYear9999_ThrowsAndStoresNothing()
    {
        var claims = new SqliteClaimStore(_directory.Open(), TimeProvider.System);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => claims.TryAcquireAsync("key", "worker-a", TimeSpan.MaxValue, CancellationToken.None));

        Assert.NotNull(await claims.TryAcquireAsync("key", "worker-b", TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
