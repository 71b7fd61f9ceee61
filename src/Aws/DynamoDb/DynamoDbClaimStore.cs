using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CostNotifier.Claims;

namespace CostNotifier.Aws.DynamoDb;

/// <summary>
/// Claims as items of the event table (<see cref="EventTableSchema"/>): <c>pk = lease#&lt;key&gt;</c> (the stored
/// prefix keeps its original name so existing items stay readable), <c>sk = 0</c>, the owner, and the expiry both in
/// epoch seconds (the table's TTL attribute, so DynamoDB eventually removes dead claims) and in epoch milliseconds, which the conditions compare because TTL deletion
/// can lag by days. Every decision is a single conditional write, so concurrent workers cannot both win.
/// </summary>
public sealed class DynamoDbClaimStore : IClaimStore
{
    private const string KeyPrefix = "lease#";

    private readonly IAmazonDynamoDB _client;
    private readonly string _tableName;
    private readonly TimeProvider _time;

    /// <summary>Keeps claims in <paramref name="tableName"/>; <paramref name="time"/> decides what has expired.</summary>
    public DynamoDbClaimStore(IAmazonDynamoDB client, string tableName, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        ArgumentNullException.ThrowIfNull(time);
        _client = client;
        _tableName = tableName;
        _time = time;
    }

    /// <inheritdoc />
    public async Task<Claim?> TryAcquireAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A claim must last a positive time.");
        }

        var now = _time.GetUtcNow();
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds((now + duration).ToUnixTimeMilliseconds());
        var request = new PutItemRequest
        {
            TableName = _tableName,
            Item = new Dictionary<string, AttributeValue>
            {
                [EventTableSchema.PartitionKey] = new() { S = KeyPrefix + key },
                [EventTableSchema.SortKey] = new() { N = "0" },
                [EventTableSchema.Owner] = new() { S = owner },
                // TTL works in whole seconds; rounding up never removes a claim before it expires.
                [EventTableSchema.ExpiresAt] = new() { N = Number((expiresAt.ToUnixTimeMilliseconds() + 999) / 1000) },
                [EventTableSchema.ExpiresAtMs] = new() { N = Number(expiresAt.ToUnixTimeMilliseconds()) },
            },
            // Free, or held by a claim that has run out. A live claim wins even against its own owner.
            ConditionExpression = "attribute_not_exists(#pk) OR #expiresAtMs < :now",
            ExpressionAttributeNames = new Dictionary<string, string>
            {
                ["#pk"] = EventTableSchema.PartitionKey,
                ["#expiresAtMs"] = EventTableSchema.ExpiresAtMs,
            },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":now"] = new() { N = Number(now.ToUnixTimeMilliseconds()) },
            },
        };
        try
        {
            await _client.PutItemAsync(request, cancellationToken).ConfigureAwait(false);
            return new Claim(key, owner, expiresAt);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
        catch (ResourceNotFoundException ex)
        {
            throw MissingTable(ex);
        }
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(Claim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var request = new DeleteItemRequest
        {
            TableName = _tableName,
            Key = new Dictionary<string, AttributeValue>
            {
                [EventTableSchema.PartitionKey] = new() { S = KeyPrefix + claim.Key },
                [EventTableSchema.SortKey] = new() { N = "0" },
            },
            // Owner and expiry together identify this very claim: the same owner may hold a newer one.
            ConditionExpression = "#owner = :me AND #expiresAtMs = :mine",
            ExpressionAttributeNames = new Dictionary<string, string>
            {
                ["#owner"] = EventTableSchema.Owner,
                ["#expiresAtMs"] = EventTableSchema.ExpiresAtMs,
            },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":me"] = new() { S = claim.Owner },
                [":mine"] = new() { N = Number(claim.ExpiresAt.ToUnixTimeMilliseconds()) },
            },
        };
        try
        {
            await _client.DeleteItemAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Somebody else holds the key now, or nobody does: either way it is no longer ours to give back.
        }
        catch (ResourceNotFoundException ex)
        {
            throw MissingTable(ex);
        }
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private InvalidOperationException MissingTable(ResourceNotFoundException inner) =>
        new($"The DynamoDB table '{_tableName}' does not exist or is not active in this account and region (COSTNOTIFIER_EVENTS_TABLE).", inner);
}
