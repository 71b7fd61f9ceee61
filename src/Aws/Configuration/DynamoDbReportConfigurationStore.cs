using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Configuration;

namespace CostNotifier.Aws.Configuration;

/// <summary>
/// The report configuration as versioned items of the event table (<see cref="EventTableSchema"/>), for stacks whose
/// reports are too many for a Lambda environment variable. Version N is the document in parts of at most
/// <see cref="MaxPartBytes"/> bytes, items (<c>config#reports#v&lt;N&gt;</c>, 0..k-1), with a manifest at sort key
/// -1 (part count, length, SHA-256, counts, who and when); the pointer (<c>config#reports</c>, 0) names the
/// version in force.
/// </summary>
/// <remarks>
/// Publishing claims a version by writing its manifest only where none exists, writes the parts, then moves the
/// pointer only if it still names the version read at the start: of two publishers who started from the same
/// version, one wins and the other is refused, and a reader never sees a version whose parts are incomplete.
/// Every read is strongly consistent. Old versions stay, so rolling back is publishing an old version's text again.
/// </remarks>
public sealed class DynamoDbReportConfigurationStore
{
    /// <summary>The pointer's partition key.</summary>
    public const string PointerKey = "config#reports";

    /// <summary>The largest part, in bytes: under DynamoDB's 400 KB item limit with room for the key and names.</summary>
    public const int MaxPartBytes = 350 * 1000;

    /// <summary>The manifest's sort key, before the parts (0..k-1) so one query reads both in order.</summary>
    public const long ManifestSortKey = -1;

    /// <summary>How many versions past the pointer a publish tries to claim before giving up.</summary>
    private const int ClaimAttempts = 10;

    private const string VersionAttribute = "version";
    private const string UpdatedAtAttribute = "updatedAt";
    private const string PartAttribute = "part";
    private const string PartsAttribute = "parts";
    private const string BytesAttribute = "bytes";
    private const string Sha256Attribute = "sha256";
    private const string ReportsAttribute = "reports";
    private const string AccountsAttribute = "accounts";
    private const string PublishedAtAttribute = "publishedAt";
    private const string PublishedByAttribute = "publishedBy";

    private readonly IAmazonDynamoDB _client;
    private readonly TimeProvider _time;

    /// <summary>Keeps the configuration in <paramref name="tableName"/> through <paramref name="client"/>.</summary>
    public DynamoDbReportConfigurationStore(IAmazonDynamoDB client, string tableName, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        ArgumentNullException.ThrowIfNull(time);
        _client = client;
        TableName = tableName;
        _time = time;
    }

    /// <summary>The table.</summary>
    public string TableName { get; }

    /// <summary>The partition key of version <paramref name="version"/>'s manifest and parts.</summary>
    public static string VersionKey(long version) => $"{PointerKey}#v{version.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The version the pointer names, or null when nothing was ever published.</summary>
    public async Task<long?> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        var item = await GetAsync(PointerKey, 0, cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            return null;
        }

        return item.TryGetValue(VersionAttribute, out var value) && long.TryParse(value.N, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? version
            : throw new InvalidDataException($"The report configuration pointer ({PointerKey}, 0) in table {TableName} has no valid '{VersionAttribute}' number; publish again to repair it.");
    }

    /// <summary>
    /// Publishes <paramref name="document"/> as the next version and makes it the one in force. Throws
    /// <see cref="ReportConfigurationConflictException"/> when another publish moved the pointer meanwhile; nothing
    /// then points at what this call wrote, and it is removed.
    /// </summary>
    /// <param name="document">A validated document.</param>
    /// <param name="publishedBy">Who publishes, as they say (a user name, a note); null when unknown.</param>
    /// <param name="cancellationToken">Cancels the publish.</param>
    public async Task<ReportConfigurationVersion> PublishAsync(ReportConfigurationDocument document, string? publishedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var current = await CurrentVersionAsync(cancellationToken).ConfigureAwait(false);
        var parts = Split(document.Bytes);
        var metadata = await ClaimAsync(document, parts.Count, current, string.IsNullOrWhiteSpace(publishedBy) ? null : publishedBy.Trim(), cancellationToken).ConfigureAwait(false);
        try
        {
            // Only this publish writes under the version it claimed; a part already there is this publish's own,
            // written by an attempt the SDK retried.
            for (var i = 0; i < parts.Count; i++)
            {
                await PutNewAsync(
                    new Dictionary<string, AttributeValue>
                    {
                        [EventTableSchema.PartitionKey] = new() { S = VersionKey(metadata.Version) },
                        [EventTableSchema.SortKey] = Number(i),
                        [PartAttribute] = new() { B = new MemoryStream(parts[i].ToArray()) },
                    },
                    cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing points at this version yet: remove what was written, so no half-written version lingers.
            await DeleteVersionAsync(metadata.Version, parts.Count).ConfigureAwait(false);
            throw;
        }

        if (!await MovePointerAsync(current, metadata.Version, cancellationToken).ConfigureAwait(false))
        {
            var now = await CurrentVersionAsync(CancellationToken.None).ConfigureAwait(false);
            await DeleteVersionAsync(metadata.Version, parts.Count).ConfigureAwait(false);
            throw new ReportConfigurationConflictException(
                $"Version {Text(now)} of the report configuration was published to table {TableName} meanwhile (this publish started from version {Text(current)}); read it with `costnotifier reports show` and publish again.");
        }

        return metadata;
    }

    /// <summary>The version in force, its document verified against its manifest and parsed.</summary>
    public async Task<PublishedReportConfiguration> LoadCurrentAsync(CancellationToken cancellationToken)
    {
        var version = await CurrentVersionAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new ReportConfigurationMissingException(
                $"No report configuration has been published to table {TableName}; run `costnotifier reports publish --target aws --file reports.json` (with --stack or --table naming this stack).");
        return await LoadAsync(version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Version <paramref name="version"/>, its document verified against its manifest and parsed.</summary>
    public async Task<PublishedReportConfiguration> LoadAsync(long version, CancellationToken cancellationToken)
    {
        var request = new QueryRequest
        {
            TableName = TableName,
            KeyConditionExpression = "#pk = :pk",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#pk"] = EventTableSchema.PartitionKey },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":pk"] = new() { S = VersionKey(version) } },
            ConsistentRead = true,
        };
        var items = new List<Dictionary<string, AttributeValue>>();
        do
        {
            var response = await CallAsync(() => _client.QueryAsync(request, cancellationToken)).ConfigureAwait(false);
            items.AddRange(response.Items ?? []);
            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (request.ExclusiveStartKey is not null);

        if (items.Count == 0)
        {
            throw new ReportConfigurationMissingException($"Version {version} of the report configuration is not in table {TableName}.");
        }

        var manifest = items.Find(i => SortKeyOf(i) == ManifestSortKey)
            ?? throw Corrupt(version, "its manifest (sort key -1) is missing");
        var metadata = ToMetadata(version, manifest);
        var parts = items.Where(i => SortKeyOf(i) != ManifestSortKey).ToList();
        using var buffer = new MemoryStream();
        for (var i = 0; i < metadata.Parts; i++)
        {
            var part = i < parts.Count ? parts[i] : null;
            if (part is null || SortKeyOf(part) != i)
            {
                throw Corrupt(version, $"part {i} of {metadata.Parts} is missing");
            }

            if (!part.TryGetValue(PartAttribute, out var value) || value.B is null)
            {
                throw Corrupt(version, $"part {i} has no binary '{PartAttribute}' attribute");
            }

            value.B.Position = 0;
            await value.B.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        if (parts.Count > metadata.Parts)
        {
            throw Corrupt(version, $"it has {parts.Count} parts where its manifest says {metadata.Parts}");
        }

        var bytes = buffer.ToArray();
        if (bytes.Length != metadata.Bytes)
        {
            throw Corrupt(version, $"its parts hold {bytes.Length} bytes where its manifest says {metadata.Bytes}");
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(sha256, metadata.Sha256, StringComparison.Ordinal))
        {
            throw Corrupt(version, $"its parts' SHA-256 is {sha256} where its manifest says {metadata.Sha256}");
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw Corrupt(version, $"its document is not UTF-8 ({ex.Message})");
        }

        try
        {
            return new PublishedReportConfiguration(metadata, text, ReportConfiguration.Parse(text));
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"Version {version} of the report configuration in table {TableName} no longer passes validation; publish a corrected file. {ex.Message}", ex);
        }
    }

    /// <summary>What was recorded about <paramref name="version"/>, without reading its document; null when it does not exist.</summary>
    public async Task<ReportConfigurationVersion?> ReadMetadataAsync(long version, CancellationToken cancellationToken)
    {
        var manifest = await GetAsync(VersionKey(version), ManifestSortKey, cancellationToken).ConfigureAwait(false);
        return manifest is null ? null : ToMetadata(version, manifest);
    }

    /// <summary>Splits <paramref name="bytes"/> into parts of at most <see cref="MaxPartBytes"/> bytes (one, possibly empty, at least).</summary>
    internal static List<ReadOnlyMemory<byte>> Split(ReadOnlyMemory<byte> bytes)
    {
        var parts = new List<ReadOnlyMemory<byte>>();
        for (var offset = 0; offset < bytes.Length || parts.Count == 0; offset += MaxPartBytes)
        {
            parts.Add(bytes.Slice(offset, Math.Min(MaxPartBytes, bytes.Length - offset)));
        }

        return parts;
    }

    private async Task<ReportConfigurationVersion> ClaimAsync(
        ReportConfigurationDocument document, int parts, long? current, string? publishedBy, CancellationToken cancellationToken)
    {
        // A version a crashed or beaten publish claimed is skipped: the pointer decides which version is in force.
        var first = (current ?? 0) + 1;
        for (var version = first; version < first + ClaimAttempts; version++)
        {
            var metadata = new ReportConfigurationVersion(
                version, parts, document.Bytes.Length, document.Sha256, document.ReportCount, document.AccountCount, _time.GetUtcNow(), publishedBy);
            var item = new Dictionary<string, AttributeValue>
            {
                [EventTableSchema.PartitionKey] = new() { S = VersionKey(version) },
                [EventTableSchema.SortKey] = Number(ManifestSortKey),
                [PartsAttribute] = Number(parts),
                [BytesAttribute] = Number(metadata.Bytes),
                [Sha256Attribute] = new() { S = metadata.Sha256 },
                [ReportsAttribute] = Number(metadata.Reports),
                [AccountsAttribute] = Number(metadata.Accounts),
                [PublishedAtAttribute] = new() { S = metadata.PublishedAt.ToString("O", CultureInfo.InvariantCulture) },
            };
            if (publishedBy is not null)
            {
                item[PublishedByAttribute] = new() { S = publishedBy };
            }

            if (await PutNewAsync(item, cancellationToken).ConfigureAwait(false))
            {
                return metadata;
            }
        }

        throw new ReportConfigurationConflictException(
            $"Versions {first} to {first + ClaimAttempts - 1} of the report configuration in table {TableName} are all taken while the pointer names {Text(current)}: other publishes are running or failed; try again.");
    }

    /// <summary>
    /// Points at <paramref name="version"/> if the pointer still names <paramref name="expected"/>; false when another
    /// publish moved it first. A refusal because an earlier attempt of this very call (retried by the SDK) already
    /// moved it counts as success.
    /// </summary>
    private async Task<bool> MovePointerAsync(long? expected, long version, CancellationToken cancellationToken)
    {
        var request = new PutItemRequest
        {
            TableName = TableName,
            Item = new Dictionary<string, AttributeValue>
            {
                [EventTableSchema.PartitionKey] = new() { S = PointerKey },
                [EventTableSchema.SortKey] = Number(0),
                [VersionAttribute] = Number(version),
                [UpdatedAtAttribute] = new() { S = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) },
            },
            ConditionExpression = expected is null ? "attribute_not_exists(#v)" : "attribute_not_exists(#v) OR #v = :expected",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#v"] = VersionAttribute },
        };
        if (expected is { } value)
        {
            request.ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":expected"] = Number(value) };
        }

        try
        {
            await CallAsync(() => _client.PutItemAsync(request, cancellationToken)).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return await CurrentVersionAsync(CancellationToken.None).ConfigureAwait(false) == version;
        }
    }

    private async Task DeleteVersionAsync(long version, int parts)
    {
        for (var sortKey = ManifestSortKey; sortKey < parts; sortKey++)
        {
            try
            {
                await _client.DeleteItemAsync(
                    new DeleteItemRequest
                    {
                        TableName = TableName,
                        Key = new Dictionary<string, AttributeValue>
                        {
                            [EventTableSchema.PartitionKey] = new() { S = VersionKey(version) },
                            [EventTableSchema.SortKey] = Number(sortKey),
                        },
                    },
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch (AmazonDynamoDBException)
            {
                // Best effort: an unreferenced version is harmless, and the next publish skips its number.
            }
        }
    }

    /// <summary>Writes an item where none exists; false when one does.</summary>
    private async Task<bool> PutNewAsync(Dictionary<string, AttributeValue> item, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(() => _client.PutItemAsync(
                new PutItemRequest
                {
                    TableName = TableName,
                    Item = item,
                    ConditionExpression = "attribute_not_exists(#pk)",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#pk"] = EventTableSchema.PartitionKey },
                },
                cancellationToken)).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(string partitionKey, long sortKey, CancellationToken cancellationToken)
    {
        var request = new GetItemRequest
        {
            TableName = TableName,
            Key = new Dictionary<string, AttributeValue>
            {
                [EventTableSchema.PartitionKey] = new() { S = partitionKey },
                [EventTableSchema.SortKey] = Number(sortKey),
            },
            ConsistentRead = true,
        };
        var response = await CallAsync(() => _client.GetItemAsync(request, cancellationToken)).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ResourceNotFoundException ex)
        {
            throw new InvalidOperationException(
                $"The DynamoDB table '{TableName}' does not exist or is not active in this account and region (COSTNOTIFIER_EVENTS_TABLE).", ex);
        }
    }

    private ReportConfigurationVersion ToMetadata(long version, Dictionary<string, AttributeValue> manifest)
    {
        long NumberOf(string name) =>
            manifest.TryGetValue(name, out var value) && long.TryParse(value.N, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= 0
                ? number
                : throw Corrupt(version, $"its manifest has no valid '{name}' number");

        string TextOf(string name) =>
            manifest.TryGetValue(name, out var value) && value.S is { Length: > 0 } text
                ? text
                : throw Corrupt(version, $"its manifest has no '{name}' text");

        var parts = NumberOf(PartsAttribute);
        if (parts is < 1 or > int.MaxValue)
        {
            throw Corrupt(version, $"its manifest's part count {parts} is not a positive number");
        }

        if (!DateTimeOffset.TryParseExact(TextOf(PublishedAtAttribute), "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var publishedAt))
        {
            throw Corrupt(version, $"its manifest's '{PublishedAtAttribute}' is not an ISO-8601 instant");
        }

        return new ReportConfigurationVersion(
            version,
            (int)parts,
            NumberOf(BytesAttribute),
            TextOf(Sha256Attribute),
            (int)Math.Min(NumberOf(ReportsAttribute), int.MaxValue),
            (int)Math.Min(NumberOf(AccountsAttribute), int.MaxValue),
            publishedAt,
            manifest.TryGetValue(PublishedByAttribute, out var by) ? by.S : null);
    }

    private static long? SortKeyOf(Dictionary<string, AttributeValue> item) =>
        item.TryGetValue(EventTableSchema.SortKey, out var value) && long.TryParse(value.N, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    private static string Text(long? version) => version?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private InvalidDataException Corrupt(long version, string problem) =>
        new($"Version {version} of the report configuration in table {TableName} is damaged: {problem}. Publish the configuration again (`costnotifier reports publish --target aws --file reports.json`).");
}

/// <summary>No report configuration (or not the asked version) has been published to the table.</summary>
public sealed class ReportConfigurationMissingException(string message) : InvalidOperationException(message);

/// <summary>Another publish moved the pointer first; nothing of this publish is in force.</summary>
public sealed class ReportConfigurationConflictException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
