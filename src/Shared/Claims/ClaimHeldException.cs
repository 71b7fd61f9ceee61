namespace CostNotifier.Claims;

/// <summary>
/// Another worker holds a live claim on the work. Transient: the message is delivered again after its visibility
/// timeout, by which time the other worker has finished or its claim has expired.
/// </summary>
public sealed class ClaimHeldException(string key)
    : Exception($"Another worker is doing '{key}' right now; retrying later.")
{
    /// <summary>The claim's key.</summary>
    public string Key { get; } = key;
}
