using CostNotifier.Embedded.Storage;

namespace CostNotifier.UnitTests.Embedded;

/// <summary>A data directory of its own for one test, with every database opened in it closed and deleted afterwards.</summary>
internal sealed class TemporaryDataDirectory : IDisposable
{
    private readonly List<SqliteDatabase> _databases = [];

    public TemporaryDataDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "costnotifier-tests", Guid.NewGuid().ToString("N"));
    }

    public string Path { get; }

    /// <summary>Opens the database in <see cref="Path"/>, or in a fresh subdirectory of it when <paramref name="subdirectory"/> is given.</summary>
    public SqliteDatabase Open(string? subdirectory = null)
    {
        var database = new SqliteDatabase(subdirectory is null ? Path : System.IO.Path.Combine(Path, subdirectory));
        lock (_databases)
        {
            _databases.Add(database);
        }

        return database;
    }

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }

        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
