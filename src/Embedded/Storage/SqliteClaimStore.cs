using CostNotifier.Claims;

namespace CostNotifier.Embedded.Storage;

/// <summary>
/// Expiring exclusive claims in the embedded database. Acquiring is one conditional upsert: it inserts a free key
/// or takes over an expired claim, and changes nothing while a live claim exists (whoever holds it). Times are
/// whole milliseconds from the injected clock; a claim is live while now is before its expiry. The table keeps its
/// original name, <c>leases</c>, so existing data directories keep working.
/// </summary>
public sealed class SqliteClaimStore(SqliteDatabase database, TimeProvider time) : IClaimStore
{
    private const string AcquireSql = """
        INSERT INTO leases (key, owner, expires_at) VALUES ($key, $owner, $expiresAt)
        ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
        WHERE leases.expires_at <= $now;
        """;

    // The expiry identifies one grant of the claim, so a late release by an earlier holder, even one with the
    // same owner name, cannot free a newer claim.
    private const string ReleaseSql = """
        DELETE FROM leases WHERE key = $key AND owner = $owner AND expires_at = $expiresAt;
        """;

    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));
    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <inheritdoc />
    public async Task<Claim?> TryAcquireAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, $"A claim on '{key}' must last longer than zero.");
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var expiresAt = now + (long)Math.Ceiling(duration.TotalMilliseconds);
        if (expiresAt > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, $"A claim on '{key}' for {duration} would end after the year 9999.");
        }

        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = AcquireSql;
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$expiresAt", expiresAt);
        command.Parameters.AddWithValue("$now", now);
        var changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        return changed == 1 ? new Claim(key, owner, DateTimeOffset.FromUnixTimeMilliseconds(expiresAt)) : null;
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(Claim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = ReleaseSql;
        command.Parameters.AddWithValue("$key", claim.Key);
        command.Parameters.AddWithValue("$owner", claim.Owner);
        command.Parameters.AddWithValue("$expiresAt", claim.ExpiresAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
