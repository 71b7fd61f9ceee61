namespace CostNotifier.EmailSending;

/// <summary>
/// Hands out send permits at a steady rate, allowing at most <see cref="Burst"/> of them at once: a token bucket
/// that holds <see cref="Burst"/> tokens and gains one every <see cref="Interval"/>. Over any stretch of time T it
/// grants no more than <c>Burst + T × rate</c> permits, and once callers queue up the permits come exactly one
/// <see cref="Interval"/> apart.
/// </summary>
/// <remarks>
/// Each caller reserves the next free slot under a short lock and then waits for it outside the lock, so
/// concurrent callers share one budget and are served in the order they asked. All waiting goes through the
/// <see cref="TimeProvider"/>, measured on its monotonic timestamp, never on wall-clock time. A caller cancelled
/// while waiting gives its slot back when no later caller has reserved one behind it; otherwise the slot is left
/// unused, which only ever slows sending down.
/// </remarks>
public sealed class SendRateLimiter
{
    /// <summary>The slowest rate accepted: one permit in thirty days. Anything slower is a configuration mistake.</summary>
    public const decimal MinimumPermitsPerSecond = 1m / (30 * 24 * 3600);

    /// <summary>The fastest rate accepted; beyond it the interval between permits would be below one tick.</summary>
    public const decimal MaximumPermitsPerSecond = TimeSpan.TicksPerSecond;

    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly long _intervalTicks;
    private readonly long _burstTicks;
    private readonly Lock _gate = new();

    // When the bucket would be full again, in ticks since _origin: every permit granted pushes it one interval on.
    private long _fullAt;

    /// <summary>Creates a limiter.</summary>
    /// <param name="permitsPerSecond">The sustained rate, greater than 0.</param>
    /// <param name="time">The clock waits are measured and taken on.</param>
    /// <param name="burst">
    /// The most permits granted back to back; by default one second's worth (the rate rounded down), and never
    /// fewer than one.
    /// </param>
    public SendRateLimiter(decimal permitsPerSecond, TimeProvider time, int? burst = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (permitsPerSecond < MinimumPermitsPerSecond || permitsPerSecond > MaximumPermitsPerSecond)
        {
            throw new ArgumentOutOfRangeException(
                nameof(permitsPerSecond), permitsPerSecond, $"The send rate must be between {MinimumPermitsPerSecond:0.#########} and {MaximumPermitsPerSecond} per second.");
        }

        if (burst is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(burst), burst, "The burst must be at least one permit.");
        }

        _time = time;
        _origin = time.GetTimestamp();
        PermitsPerSecond = permitsPerSecond;

        // Rounded up, so the rate actually granted never exceeds the one asked for.
        _intervalTicks = (long)decimal.Ceiling(TimeSpan.TicksPerSecond / permitsPerSecond);
        Burst = burst ?? (int)Math.Max(1m, Math.Min(decimal.Floor(permitsPerSecond), int.MaxValue));
        _burstTicks = _intervalTicks * Burst;
    }

    /// <summary>The sustained rate.</summary>
    public decimal PermitsPerSecond { get; }

    /// <summary>The most permits granted back to back.</summary>
    public int Burst { get; }

    /// <summary>The time between two permits once the burst is spent.</summary>
    public TimeSpan Interval => TimeSpan.FromTicks(_intervalTicks);

    /// <summary>
    /// Completes when the caller may send: at once while the bucket holds a token, otherwise when its slot comes.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long reserved;
        long waitTicks;
        lock (_gate)
        {
            var now = _time.GetElapsedTime(_origin).Ticks;
            reserved = Math.Max(_fullAt, now) + _intervalTicks;
            _fullAt = reserved;

            // The permit is due once the bucket, full at `reserved`, is at most Burst intervals short of full.
            waitTicks = reserved - _burstTicks - now;
        }

        return waitTicks <= 0 ? ValueTask.CompletedTask : new ValueTask(WaitForSlotAsync(TimeSpan.FromTicks(waitTicks), reserved, cancellationToken));
    }

    private async Task WaitForSlotAsync(TimeSpan wait, long reserved, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                // Only the last reservation can be taken back without moving anyone else's slot.
                if (_fullAt == reserved)
                {
                    _fullAt -= _intervalTicks;
                }
            }

            throw;
        }
    }
}
