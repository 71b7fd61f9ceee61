using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Timing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> as the code under test sees it, telling the test each time that code starts
/// waiting on a timer (e.g. <c>Task.Delay(delay, time)</c>). A test moves the fake clock on exactly then, by exactly
/// the wait, instead of advancing it blindly in a polling loop.
/// </summary>
internal sealed class ObservedClock(FakeTimeProvider time) : TimeProvider
{
    private readonly Channel<TimeSpan> _waits = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>The fake clock behind this one.</summary>
    public FakeTimeProvider Time { get; } = time;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Time.GetUtcNow();

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => Time.LocalTimeZone;

    /// <inheritdoc />
    public override long TimestampFrequency => Time.TimestampFrequency;

    /// <inheritdoc />
    public override long GetTimestamp() => Time.GetTimestamp();

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // The timer is registered with the fake before the test hears of it, so advancing by its due time fires it.
        var timer = new ObservedTimer(Time.CreateTimer(callback, state, dueTime, period), this);
        Report(dueTime);
        return timer;
    }

    /// <summary>
    /// Awaits <paramref name="running"/>, advancing the fake clock by each wait the code starts, as soon as it starts
    /// it, until <paramref name="running"/> completes.
    /// </summary>
    public async Task AdvanceWhileWaitingAsync(Task running)
    {
        ArgumentNullException.ThrowIfNull(running);
        var wait = _waits.Reader.ReadAsync().AsTask();
        while (await Task.WhenAny(running, wait).ConfigureAwait(false) == wait)
        {
            Time.Advance(await wait.ConfigureAwait(false));
            wait = _waits.Reader.ReadAsync().AsTask();
        }

        await running.ConfigureAwait(false);
    }

    private void Report(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _waits.Writer.TryWrite(dueTime);
        }
    }

    private sealed class ObservedTimer(ITimer inner, ObservedClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            if (changed)
            {
                clock.Report(dueTime);
            }

            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
