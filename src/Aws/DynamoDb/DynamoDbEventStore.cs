using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CostNotifier.Domain;
using CostNotifier.EventStore;

namespace CostNotifier.Aws.DynamoDb;

/// <summary>
/// The event store on one DynamoDB table (<see cref="EventTableSchema"/>): an item per event keyed by stream name
/// and version, written by a conditional put so an existing version is never overwritten, and indexed by report
/// and date so a report's history over a date range is one Query, never a Scan.
/// </summary>
/// <remarks>
/// Stream reads are strongly consistent. Index reads (<see cref="ReadReportAsync"/>) are eventually consistent,
/// as every global secondary index is: an event appended a moment ago may be missing from them, so decisions that
/// depend on the latest event read the stream.
/// </remarks>
public sealed class DynamoDbEventStore : IEventStore, IReportHistory
{
    private const int VersionDigits = 10;
    private const long MaxVersion = 9_999_999_999;

    private readonly IAmazonDynamoDB _client;
    private readonly string _tableName;

    /// <summary>Stores events in <paramref name="tableName"/> through <paramref name="client"/>.</summary>
    public DynamoDbEventStore(IAmazonDynamoDB client, string tableName)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        _client = client;
        _tableName = tableName;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(StreamId stream, CancellationToken cancellationToken)
    {
        var request = new QueryRequest
        {
            TableName = _tableName,
            KeyConditionExpression = "#pk = :pk",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#pk"] = EventTableSchema.PartitionKey },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":pk"] = new() { S = stream.Name } },
            ConsistentRead = true,
        };
        var items = await QueryAllAsync(request, cancellationToken).ConfigureAwait(false);
        return items.Select(item => ToStoredEvent(item, stream)).ToList();
    }

    /// <inheritdoc />
    public async Task<long> AppendAsync(StreamId stream, ExpectedVersion expected, NewEvent @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentException.ThrowIfNullOrWhiteSpace(@event.Type);
        ArgumentNullException.ThrowIfNull(@event.Data);
        var version = expected.Next;
        if (version > MaxVersion)
        {
            throw new ArgumentOutOfRangeException(nameof(expected), expected, $"A stream holds at most {MaxVersion} events.");
        }

        // The put below refuses an existing version; it cannot see a missing predecessor. Versions are never
        // deleted, so once n-1 is seen it stays, and a put of n that follows cannot open a gap. (dynalite has no
        // TransactWriteItems, which could otherwise pair the put with a ConditionCheck on n-1.)
        if (version > 1 && !await VersionExistsAsync(stream, version - 1, cancellationToken).ConfigureAwait(false))
        {
            throw new WrongExpectedVersionException(stream, expected);
        }

        var request = new PutItemRequest
        {
            TableName = _tableName,
            Item = new Dictionary<string, AttributeValue>
            {
                [EventTableSchema.PartitionKey] = new() { S = stream.Name },
                [EventTableSchema.SortKey] = new() { N = version.ToString(CultureInfo.InvariantCulture) },
                [EventTableSchema.Type] = new() { S = @event.Type },
                [EventTableSchema.Data] = new() { S = @event.Data },
                [EventTableSchema.RecordedAt] = new() { S = @event.RecordedAt.ToString("O", CultureInfo.InvariantCulture) },
                [EventTableSchema.IndexPartitionKey] = new() { S = IndexPartition(stream.Report) },
                [EventTableSchema.IndexSortKey] = new() { S = IndexSort(stream.Period, version) },
            },
            ConditionExpression = "attribute_not_exists(#pk)",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#pk"] = EventTableSchema.PartitionKey },
        };
        try
        {
            await _client.PutItemAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException ex)
        {
            throw new WrongExpectedVersionException(stream, expected, ex);
        }
        catch (ResourceNotFoundException ex)
        {
            throw MissingTable(ex);
        }

        return version;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadReportAsync(ReportId report, PeriodRange periods, CancellationToken cancellationToken)
    {
        // Index sort keys are "<period>#<version padded>", and periods of one cadence sort as text in time order, so
        // one BETWEEN covers every version of every period in range (plus, at most, periods of another cadence that
        // sort among them, dropped below).
        var request = new QueryRequest
        {
            TableName = _tableName,
            IndexName = EventTableSchema.ReportDateIndex,
            KeyConditionExpression = "#gpk = :report AND #gsk BETWEEN :from AND :to",
            ExpressionAttributeNames = new Dictionary<string, string>
            {
                ["#gpk"] = EventTableSchema.IndexPartitionKey,
                ["#gsk"] = EventTableSchema.IndexSortKey,
            },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":report"] = new() { S = IndexPartition(report) },
                [":from"] = new() { S = IndexSort(periods.First, 0) },
                [":to"] = new() { S = IndexSort(periods.Last, MaxVersion) },
            },
        };
        var items = await QueryAllAsync(request, cancellationToken).ConfigureAwait(false);
        return items
            .Select(item => ToStoredEvent(item, StreamId.Parse(Text(item, EventTableSchema.PartitionKey))))
            .Where(e => periods.Contains(e.Stream.Period))
            .ToList();
    }

    /// <summary>The index partition of a report: <c>report#&lt;id&gt;</c>.</summary>
    internal static string IndexPartition(ReportId report) => $"report#{report}";

    /// <summary>The index sort key of an event: <c>&lt;period&gt;#&lt;version padded to 10 digits&gt;</c>.</summary>
    internal static string IndexSort(ReportPeriod period, long version) =>
        $"{period}#{version.ToString(new string('0', VersionDigits), CultureInfo.InvariantCulture)}";

    private async Task<bool> VersionExistsAsync(StreamId stream, long version, CancellationToken cancellationToken)
    {
        var request = new GetItemRequest
        {
            TableName = _tableName,
            Key = new Dictionary<string, AttributeValue>
            {
                [EventTableSchema.PartitionKey] = new() { S = stream.Name },
                [EventTableSchema.SortKey] = new() { N = version.ToString(CultureInfo.InvariantCulture) },
            },
            ProjectionExpression = "#pk",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#pk"] = EventTableSchema.PartitionKey },
            ConsistentRead = true,
        };
        try
        {
            var response = await _client.GetItemAsync(request, cancellationToken).ConfigureAwait(false);
            return response.Item is { Count: > 0 };
        }
        catch (ResourceNotFoundException ex)
        {
            throw MissingTable(ex);
        }
    }

    private async Task<List<Dictionary<string, AttributeValue>>> QueryAllAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        do
        {
            QueryResponse response;
            try
            {
                response = await _client.QueryAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ResourceNotFoundException ex)
            {
                throw MissingTable(ex);
            }

            // The SDK answers null rather than an empty list or map when DynamoDB sends none.
            items.AddRange(response.Items ?? []);
            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (request.ExclusiveStartKey is not null);

        return items;
    }

    private StoredEvent ToStoredEvent(Dictionary<string, AttributeValue> item, StreamId stream)
    {
        var versionText = item.TryGetValue(EventTableSchema.SortKey, out var sk) ? sk.N : null;
        if (!long.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw Corrupt(item, $"its {EventTableSchema.SortKey} '{versionText}' is not a version number");
        }

        var recordedAtText = Text(item, EventTableSchema.RecordedAt);
        if (!DateTimeOffset.TryParseExact(recordedAtText, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var recordedAt))
        {
            throw Corrupt(item, $"its {EventTableSchema.RecordedAt} '{recordedAtText}' is not an ISO-8601 instant");
        }

        return new StoredEvent(stream, version, Text(item, EventTableSchema.Type), Text(item, EventTableSchema.Data), recordedAt);
    }

    private string Text(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.S is { } text
            ? text
            : throw Corrupt(item, $"it has no string attribute '{name}'");

    private InvalidDataException Corrupt(Dictionary<string, AttributeValue> item, string problem)
    {
        var key = item.TryGetValue(EventTableSchema.PartitionKey, out var pk) ? pk.S : "?";
        var sort = item.TryGetValue(EventTableSchema.SortKey, out var sk) ? sk.N : "?";
        return new InvalidDataException($"The event item ({key}, {sort}) in table {_tableName} is not readable: {problem}.");
    }

    private InvalidOperationException MissingTable(ResourceNotFoundException inner) =>
        new($"The DynamoDB table '{_tableName}' does not exist or is not active in this account and region (COSTNOTIFIER_EVENTS_TABLE).", inner);
}
