using CostNotifier.EmailSending;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Email;

/// <summary>The email send limiter on a fake clock: no test sleeps, and every time asserted is the fake clock's.</summary>
public sealed class SendRateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public void ByDefault_TheBurstIsOneSecondsWorth_RoundedDown_AndNeverBelowOne()
    {
        Assert.Equal(7, new SendRateLimiter(7m, _time).Burst);
        Assert.Equal(7, new SendRateLimiter(7.9m, _time).Burst);
        Assert.Equal(1, new SendRateLimiter(0.5m, _time).Burst);
        Assert.Equal(3, new SendRateLimiter(14m, _time, burst: 3).Burst);
        Assert.Equal(TimeSpan.FromMilliseconds(250), new SendRateLimiter(4m, _time).Interval);
        Assert.Equal(TimeSpan.FromSeconds(2), new SendRateLimiter(0.5m, _time).Interval);
    }

    [Fact]
    public void TheInterval_IsRoundedUp_SoTheRateGrantedNeverExceedsTheRateAskedFor()
    {
        var limiter = new SendRateLimiter(7m, _time);

        Assert.Equal(1_428_572, limiter.Interval.Ticks);
        Assert.True(TimeSpan.TicksPerSecond / (decimal)limiter.Interval.Ticks <= 7m);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("0.0000001")]
    public void ARateOfNothing_IsRefused(string rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SendRateLimiter(decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), _time));

    [Fact]
    public void ABurstBelowOne_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SendRateLimiter(5m, _time, burst: 0));

    [Fact]
    public async Task TheBurst_IsGrantedAtOnce_ThenOnePermitPerInterval()
    {
        var limiter = new SendRateLimiter(4m, _time);

        for (var i = 0; i < 4; i++)
        {
            Assert.True(limiter.WaitAsync(CancellationToken.None).IsCompletedSuccessfully, $"permit {i + 1} of the burst had to wait");
        }

        var fifth = limiter.WaitAsync(CancellationToken.None).AsTask();
        var sixth = limiter.WaitAsync(CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(fifth.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await fifth;
        Assert.False(sixth.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        await sixth;
    }

    [Fact]
    public async Task ConcurrentCallers_ShareOneBudget_AndAreServedOneIntervalApart()
    {
        var limiter = new SendRateLimiter(4m, _time);
        const int callers = 20;

        // Every caller asks at the same instant, from many threads at once.
        var grants = new Task<TimeSpan>[callers];
        Parallel.For(0, callers, i => grants[i] = Timed(limiter.WaitAsync(CancellationToken.None)));
        await RunClockUntilAsync(grants, TimeSpan.FromSeconds(6));

        // Four at once, then exactly one every 250 ms: 16 more over four seconds.
        var expected = Enumerable.Repeat(TimeSpan.Zero, 4)
            .Concat(Enumerable.Range(1, callers - 4).Select(i => TimeSpan.FromMilliseconds(250 * i)));
        Assert.Equal(expected, grants.Select(g => g.Result).Order());
    }

    [Fact]
    public async Task InAnyWindow_NoMoreThanTheBurstPlusTheRateTimesTheWindowIsGranted()
    {
        var limiter = new SendRateLimiter(5m, _time, burst: 3);

        // Callers arrive in uneven clumps over ten seconds, with idle gaps in between.
        int[] arrivals = [0, 0, 0, 0, 0, 0, 1300, 1300, 4000, 4010, 4020, 4030, 4040, 4050, 4060, 9000];
        var grants = new List<Task<TimeSpan>>();
        for (var clock = 0; clock <= arrivals[^1]; clock += 10)
        {
            grants.AddRange(arrivals.Where(a => a == clock).Select(_ => Timed(limiter.WaitAsync(CancellationToken.None))));
            AdvanceInline(TimeSpan.FromMilliseconds(10));
        }

        await RunClockUntilAsync(grants, TimeSpan.FromSeconds(5));
        var grantedAt = grants.Select(g => g.Result).Order().ToList();

        foreach (var from in grantedAt)
        {
            var inWindow = grantedAt.Count(t => t >= from && t < from + TimeSpan.FromSeconds(1));
            Assert.True(inWindow <= 3 + 5, $"{inWindow} permits in the second from {from}");
        }

        // The clump from 4 s finds a full bucket (its first three go as they arrive), then one per interval (200 ms).
        Assert.Equal(
            [4000, 4010, 4020, 4200, 4400, 4600, 4800],
            grantedAt.Where(t => t >= TimeSpan.FromSeconds(4) && t < TimeSpan.FromSeconds(5)).Select(t => (int)t.TotalMilliseconds));
    }

    [Fact]
    public async Task AfterALongIdle_TheBucketHoldsNoMoreThanTheBurst()
    {
        var limiter = new SendRateLimiter(4m, _time);
        _time.Advance(TimeSpan.FromHours(1));

        for (var i = 0; i < 4; i++)
        {
            Assert.True(limiter.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        }

        var next = limiter.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        await next;
    }

    [Fact]
    public async Task ABurstOfOne_PacesEveryPermit()
    {
        var limiter = new SendRateLimiter(0.5m, _time);

        Assert.True(limiter.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        var second = limiter.WaitAsync(CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await second;
    }

    [Fact]
    public async Task ACancelledWait_Throws_AndGivesItsSlotToTheNextCaller()
    {
        var limiter = new SendRateLimiter(1m, _time);
        await limiter.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var cancelled = limiter.WaitAsync(cancel.Token).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(400));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        // The slot at one second is free again: the next caller gets it rather than the one after.
        var next = limiter.WaitAsync(CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(599));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await next;
    }

    [Fact]
    public async Task ACancelledWait_WithCallersQueuedBehindIt_LeavesTheirSlotsWhereTheyAre()
    {
        var limiter = new SendRateLimiter(1m, _time);
        await limiter.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = limiter.WaitAsync(cancel.Token).AsTask();
        var behind = limiter.WaitAsync(CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(behind.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await behind;
    }

    [Fact]
    public async Task AnAlreadyCancelledToken_ThrowsAtOnce_AndTakesNothingFromTheBudget()
    {
        var limiter = new SendRateLimiter(1m, _time);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await limiter.WaitAsync(cancel.Token));

        Assert.True(limiter.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    // When the wait completed, on the fake clock since the test began. The continuation runs as the wait completes
    // (inside AdvanceInline), so the time it reads is the time the permit was granted.
    private Task<TimeSpan> Timed(ValueTask wait) =>
        wait.AsTask().ContinueWith(
            t =>
            {
                t.GetAwaiter().GetResult();
                return _time.GetUtcNow() - Start;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    // Moves the fake clock on with no synchronization context, as on a Lambda's threads: the waits that fall due
    // then complete inside Advance instead of being posted to the test framework's context to run later.
    private void AdvanceInline(TimeSpan by)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            _time.Advance(by);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    // Moves the fake clock on in 10 ms steps until every wait has completed, or fails after `limit`.
    private async Task RunClockUntilAsync(IReadOnlyCollection<Task<TimeSpan>> grants, TimeSpan limit)
    {
        for (var elapsed = TimeSpan.Zero; !grants.All(g => g.IsCompleted); elapsed += TimeSpan.FromMilliseconds(10))
        {
            Assert.True(elapsed < limit, $"{grants.Count(g => !g.IsCompleted)} waits still pending after {limit}");
            AdvanceInline(TimeSpan.FromMilliseconds(10));
        }

        await Task.WhenAll(grants);
    }
}
