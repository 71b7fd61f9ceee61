namespace CostNotifier.Claims;

/// <summary>
/// Short-lived exclusive claims ("I am doing this now"). A claim expires on its own, so a worker that dies
/// while holding one blocks the work only until <see cref="Claim.ExpiresAt"/>.
/// </summary>
public interface IClaimStore
{
    /// <summary>
    /// Takes the claim <paramref name="key"/> for <paramref name="duration"/> when nobody holds it or the holder's
    /// claim has expired. Returns null when somebody else holds a live claim.
    /// </summary>
    Task<Claim?> TryAcquireAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the claim back, only if <paramref name="claim"/>'s owner still holds it.</summary>
    Task ReleaseAsync(Claim claim, CancellationToken cancellationToken);
}
