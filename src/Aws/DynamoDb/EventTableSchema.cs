using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace CostNotifier.Aws.DynamoDb;

/// <summary>
/// The single table that holds every report-day stream and every claim, as Terraform declares it: hash key
/// <c>pk</c> (S), range key <c>sk</c> (N), the <c>by-report-date</c> index over <c>gsi1pk</c>/<c>gsi1sk</c>
/// projecting all attributes, on-demand billing, and TTL on <c>expiresAt</c> (claims only).
/// </summary>
public static class EventTableSchema
{
    /// <summary>Partition key: the stream name <c>report#&lt;id&gt;#&lt;yyyy-MM-dd&gt;</c>, or <c>lease#&lt;key&gt;</c> for a claim.</summary>
    public const string PartitionKey = "pk";

    /// <summary>Sort key: the event's version (1..n); 0 for a claim.</summary>
    public const string SortKey = "sk";

    /// <summary>The event's stable type name.</summary>
    public const string Type = "type";

    /// <summary>The event as a JSON string.</summary>
    public const string Data = "data";

    /// <summary>When the event was recorded, ISO-8601 with offset.</summary>
    public const string RecordedAt = "recordedAt";

    /// <summary>Index partition key: <c>report#&lt;id&gt;</c>.</summary>
    public const string IndexPartitionKey = "gsi1pk";

    /// <summary>Index sort key: <c>&lt;yyyy-MM-dd&gt;#&lt;version padded to 10 digits&gt;</c>.</summary>
    public const string IndexSortKey = "gsi1sk";

    /// <summary>The index answering "events of report R between dates A and B".</summary>
    public const string ReportDateIndex = "by-report-date";

    /// <summary>A claim's holder.</summary>
    public const string Owner = "owner";

    /// <summary>A claim's expiry in epoch seconds: the table's TTL attribute, so DynamoDB removes dead claims.</summary>
    public const string ExpiresAt = "expiresAt";

    /// <summary>A claim's exact expiry in epoch milliseconds, which the conditions compare (TTL deletion is lazy).</summary>
    public const string ExpiresAtMs = "expiresAtMs";

    /// <summary>The request that creates the table named <paramref name="tableName"/>.</summary>
    public static CreateTableRequest CreateTable(string tableName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        return new CreateTableRequest
        {
            TableName = tableName,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema =
            [
                new KeySchemaElement(PartitionKey, KeyType.HASH),
                new KeySchemaElement(SortKey, KeyType.RANGE),
            ],
            AttributeDefinitions =
            [
                new AttributeDefinition(PartitionKey, ScalarAttributeType.S),
                new AttributeDefinition(SortKey, ScalarAttributeType.N),
                new AttributeDefinition(IndexPartitionKey, ScalarAttributeType.S),
                new AttributeDefinition(IndexSortKey, ScalarAttributeType.S),
            ],
            GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = ReportDateIndex,
                    KeySchema =
                    [
                        new KeySchemaElement(IndexPartitionKey, KeyType.HASH),
                        new KeySchemaElement(IndexSortKey, KeyType.RANGE),
                    ],
                    Projection = new Projection { ProjectionType = ProjectionType.ALL },
                },
            ],
        };
    }

    /// <summary>
    /// The request that turns on TTL for <c>expiresAt</c>. Optional: claims compare <see cref="ExpiresAtMs"/>
    /// themselves, so a table without TTL (dynalite has no <c>UpdateTimeToLive</c>) only keeps dead claims longer.
    /// </summary>
    public static UpdateTimeToLiveRequest EnableTimeToLive(string tableName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        return new UpdateTimeToLiveRequest
        {
            TableName = tableName,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = ExpiresAt, Enabled = true },
        };
    }

    /// <summary>
    /// Creates the table and waits until it is ACTIVE; does nothing when it already exists. TTL is enabled when
    /// the endpoint supports it.
    /// </summary>
    /// <returns>True when the table was created, false when it already existed.</returns>
    public static async Task<bool> EnsureCreatedAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        bool created;
        try
        {
            await client.CreateTableAsync(CreateTable(tableName), cancellationToken).ConfigureAwait(false);
            created = true;
        }
        catch (ResourceInUseException)
        {
            created = false;
        }

        await WaitUntilActiveAsync(client, tableName, cancellationToken).ConfigureAwait(false);
        if (created)
        {
            try
            {
                await client.UpdateTimeToLiveAsync(EnableTimeToLive(tableName), cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonDynamoDBException ex) when (ex.ErrorCode is "UnknownOperationException" or "UnrecognizedClientException")
            {
                // Local DynamoDB-compatible servers may lack TTL; claims stay correct without it.
            }
        }

        return created;
    }

    private static async Task WaitUntilActiveAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var table = (await client.DescribeTableAsync(tableName, cancellationToken).ConfigureAwait(false)).Table;
            var indexesActive = (table.GlobalSecondaryIndexes ?? []).TrueForAll(index => index.IndexStatus == IndexStatus.ACTIVE);
            if (table.TableStatus == TableStatus.ACTIVE && indexesActive)
            {
                return;
            }

            if (waited.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"Table {tableName} is still {table.TableStatus} after two minutes.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }
}
