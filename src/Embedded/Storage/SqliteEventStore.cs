using System.Globalization;
using CostNotifier.Domain;
using CostNotifier.EventStore;
using Microsoft.Data.Sqlite;

namespace CostNotifier.Embedded.Storage;

/// <summary>
/// The event store of the embedded default. Events are rows keyed by (stream, version): an append is one
/// conditional insert, so a writer that lost a race gets <see cref="WrongExpectedVersionException"/>, never an
/// overwrite. <c>report_id</c> and <c>report_date</c> columns with their own index answer
/// <see cref="ReadReportAsync"/> without a scan.
/// </summary>
public sealed class SqliteEventStore(SqliteDatabase database) : IEventStore, IReportHistory
{
    // The insert happens only when the stream's last version is the expected one. A single statement takes the
    // write lock before it reads, so no other writer can slip in between the check and the insert; the primary
    // key still refuses a duplicate version should anything else try.
    private const string AppendSql = """
        INSERT INTO events (stream, version, report_id, report_date, type, data, recorded_at)
        SELECT $stream, $version, $reportId, $reportDate, $type, $data, $recordedAt
        WHERE (SELECT COALESCE(MAX(version), 0) FROM events WHERE stream = $stream) = $expected;
        """;

    private const string ReadStreamSql = """
        SELECT report_id, report_date, version, type, data, recorded_at
        FROM events
        WHERE stream = $stream
        ORDER BY version;
        """;

    /// <summary>The query behind <see cref="ReadReportAsync"/>; served by <c>events_by_report_date</c>.</summary>
    internal const string ReadReportSql = """
        SELECT report_id, report_date, version, type, data, recorded_at
        FROM events
        WHERE report_id = $reportId AND report_date >= $first AND report_date <= $last
        ORDER BY report_date, version;
        """;

    private const int SqliteConstraintPrimaryKey = 1555;

    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(StreamId stream, CancellationToken cancellationToken)
    {
        var name = NameOf(stream);
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = ReadStreamSql;
        command.Parameters.AddWithValue("$stream", name);
        return await ReadEventsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> AppendAsync(StreamId stream, ExpectedVersion expected, NewEvent @event, CancellationToken cancellationToken)
    {
        var name = NameOf(stream);
        ArgumentNullException.ThrowIfNull(@event);
        if (string.IsNullOrWhiteSpace(@event.Type))
        {
            throw new ArgumentException($"An event appended to {name} has no type name.", nameof(@event));
        }

        if (@event.Data is null)
        {
            throw new ArgumentException($"The {@event.Type} event appended to {name} has no data.", nameof(@event));
        }

        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = AppendSql;
        command.Parameters.AddWithValue("$stream", name);
        command.Parameters.AddWithValue("$version", expected.Next);
        command.Parameters.AddWithValue("$expected", expected.Value);
        command.Parameters.AddWithValue("$reportId", stream.Report.Value);
        command.Parameters.AddWithValue("$reportDate", stream.Period.ToString());
        command.Parameters.AddWithValue("$type", @event.Type);
        command.Parameters.AddWithValue("$data", @event.Data);
        command.Parameters.AddWithValue("$recordedAt", @event.RecordedAt.ToString("O", CultureInfo.InvariantCulture));

        int inserted;
        try
        {
            inserted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintPrimaryKey)
        {
            throw new WrongExpectedVersionException(stream, expected, ex);
        }

        return inserted == 1 ? expected.Next : throw new WrongExpectedVersionException(stream, expected);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadReportAsync(ReportId report, PeriodRange periods, CancellationToken cancellationToken)
    {
        if (report.Value is null)
        {
            throw new ArgumentException("The report id is empty.", nameof(report));
        }

        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = ReadReportSql;
        command.Parameters.AddWithValue("$reportId", report.Value);

        // Periods of one cadence sort as text in time order, so the range is a plain index range; periods of another
        // cadence that sort among them are dropped.
        command.Parameters.AddWithValue("$first", periods.First.ToString());
        command.Parameters.AddWithValue("$last", periods.Last.ToString());
        var events = await ReadEventsAsync(command, cancellationToken).ConfigureAwait(false);
        return events.Where(e => periods.Contains(e.Stream.Period)).ToList();
    }

    private static string NameOf(StreamId stream) =>
        stream.Report.Value is null
            ? throw new ArgumentException("The stream has no report id.", nameof(stream))
            : stream.Name;

    private static async Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var events = new List<StoredEvent>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var stream = new StreamId(ReportId.Parse(reader.GetString(0)), ReportPeriod.Parse(reader.GetString(1)));
            events.Add(new StoredEvent(
                stream,
                reader.GetInt64(2),
                reader.GetString(3),
                reader.GetString(4),
                DateTimeOffset.ParseExact(reader.GetString(5), "O", CultureInfo.InvariantCulture, DateTimeStyles.None)));
        }

        return events;
    }
}
