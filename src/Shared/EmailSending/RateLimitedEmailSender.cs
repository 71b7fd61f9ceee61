namespace CostNotifier.EmailSending;

/// <summary>
/// Keeps the emails a process sends within a rate: each send first waits for a permit from a
/// <see cref="SendRateLimiter"/> shared by every caller, then goes to the wrapped sender. What the wrapped sender
/// answers or throws passes through unchanged.
/// </summary>
/// <param name="inner">The sender that does the work.</param>
/// <param name="limiter">The budget every send of this process draws on.</param>
public sealed class RateLimitedEmailSender(IEmailSender inner, SendRateLimiter limiter) : IEmailSender
{
    private readonly IEmailSender _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private readonly SendRateLimiter _limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));

    /// <summary>The budget sends draw on.</summary>
    public SendRateLimiter Limiter => _limiter;

    /// <inheritdoc />
    /// <exception cref="OperationCanceledException">Cancelled while waiting for a permit; nothing was sent.</exception>
    public async Task<string> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        await _limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await _inner.SendAsync(email, cancellationToken).ConfigureAwait(false);
    }
}
