namespace CostNotifier.Notifier.Chat;

/// <summary>
/// Spaces the messages posted to one destination: Slack allows about one message per second per webhook or channel
/// and answers bursts with 429. Each post reserves the next free slot for its key and waits for it, so concurrent
/// senders queue up without holding a lock during the HTTP call. Different keys never wait for each other.
/// </summary>
/// <remarks>
/// One per container (the sender is a singleton), so the spacing holds across the records of a batch and across the
/// invocations a warm container serves. It cannot see other containers: the 429 handling covers those.
/// </remarks>
internal sealed class ChatRateLimiter(TimeProvider time, TimeSpan interval)
{
    private readonly Dictionary<string, DateTimeOffset> _nextSlot = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Waits until <paramref name="key"/> may be posted to, and takes that slot.</summary>
    public Task WaitTurnAsync(string key, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var start = _nextSlot.TryGetValue(key, out var next) && next > now ? next : now;
            _nextSlot[key] = start + interval;
            wait = start - now;
        }

        return wait > TimeSpan.Zero ? Task.Delay(wait, time, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>Keeps every post to <paramref name="key"/> back until <paramref name="retryAfter"/> from now has passed.</summary>
    public void Defer(string key, TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var until = time.GetUtcNow() + retryAfter;
            if (!_nextSlot.TryGetValue(key, out var next) || next < until)
            {
                _nextSlot[key] = until;
            }
        }
    }
}
