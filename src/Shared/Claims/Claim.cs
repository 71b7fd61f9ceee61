namespace CostNotifier.Claims;

/// <summary>A claim on <paramref name="Key"/> held by <paramref name="Owner"/> until <paramref name="ExpiresAt"/>.</summary>
public sealed record Claim(string Key, string Owner, DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// How long a claim lives when nothing else is configured: longer than any live invocation of a function, so a
    /// claim outlives only a worker that died.
    /// </summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromMinutes(2);

    /// <summary><paramref name="configured"/> when it is positive, otherwise <see cref="DefaultDuration"/>.</summary>
    public static TimeSpan DurationOrDefault(TimeSpan configured) => configured > TimeSpan.Zero ? configured : DefaultDuration;
}
