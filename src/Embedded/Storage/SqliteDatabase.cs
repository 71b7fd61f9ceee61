using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CostNotifier.Embedded.Storage;

/// <summary>
/// The embedded default's one SQLite database file (<c>costnotifier.db</c> in a data directory), holding the event
/// store, the claims and the local queues. Several processes may open the same file at once (the CLI and tests):
/// SQLite's own locking keeps them consistent, in WAL mode so readers never wait for a writer.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    /// <summary>The database file's name inside the data directory.</summary>
    public const string FileName = "costnotifier.db";

    /// <summary>How long a statement waits for another connection's write lock before it fails.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _connectionString;

    /// <summary>
    /// Opens (creating when needed) the directory and its database, and brings the schema up to date. Safe to call
    /// from several processes at once: the schema is migrated once, inside a write transaction.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dataDirectory"/> is empty.</exception>
    /// <exception cref="IOException">The directory cannot be created or the file is not a usable database.</exception>
    public SqliteDatabase(string dataDirectory)
    {
        if (string.IsNullOrWhiteSpace(dataDirectory))
        {
            throw new ArgumentException("The data directory must be a non-empty path.", nameof(dataDirectory));
        }

        DataDirectory = Path.GetFullPath(dataDirectory);
        if (File.Exists(DataDirectory))
        {
            throw new IOException($"The data directory '{DataDirectory}' is a file, not a directory.");
        }

        try
        {
            Directory.CreateDirectory(DataDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot create the data directory '{DataDirectory}': {ex.Message}", ex);
        }

        FilePath = Path.Combine(DataDirectory, FileName);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();

        try
        {
            SchemaVersion = SqliteSchema.Migrate(this);
        }
        catch (SqliteException ex)
        {
            throw new IOException($"'{FilePath}' cannot be used as the CostNotifier database: {ex.Message}", ex);
        }
    }

    /// <summary>The full path of the data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>The full path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>The schema version the database is at after opening.</summary>
    public int SchemaVersion { get; }

    /// <summary>
    /// Opens a connection with the busy timeout and foreign keys on. The caller disposes it, which returns it to
    /// the pool.
    /// </summary>
    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = string.Create(
                CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)BusyTimeout.TotalMilliseconds};");
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Closes the idle pooled connections to this file; connections in use close when disposed.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <inheritdoc />
    public override string ToString() => FilePath;
}
