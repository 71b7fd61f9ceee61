using CostNotifier.Claims;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.Contracts;

/// <summary>
/// What every <see cref="IClaimStore"/> must do. A store's test class derives from this and supplies a fresh,
/// empty store that reads the clock only from the given <see cref="TimeProvider"/>.
/// </summary>
public abstract class ClaimStoreContract
{
    private static readonly TimeSpan Duration = TimeSpan.FromMinutes(2);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 7, 0, 0, TimeSpan.Zero));

    /// <summary>Creates a store holding no claims, whose notion of "now" is <paramref name="time"/>.</summary>
    protected abstract Task<IClaimStore> CreateStoreAsync(TimeProvider time);

    [Fact]
    public async Task TryAcquire_WhenKeyIsFree_ReturnsClaimUntilNowPlusDuration()
    {
        var store = await CreateStoreAsync(_time);

        var claim = await store.TryAcquireAsync("collect#daily#2026-02-28", "worker-a", Duration, CancellationToken.None);

        Assert.NotNull(claim);
        Assert.Equal("collect#daily#2026-02-28", claim.Key);
        Assert.Equal("worker-a", claim.Owner);
        Assert.Equal(
            (_time.GetUtcNow() + Duration).ToUnixTimeMilliseconds(),
            claim.ExpiresAt.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task TryAcquire_WhenAnotherOwnerHoldsALiveClaim_ReturnsNull()
    {
        var store = await CreateStoreAsync(_time);
        Assert.NotNull(await store.TryAcquireAsync("key", "worker-a", Duration, CancellationToken.None));
        _time.Advance(Duration - TimeSpan.FromSeconds(1));

        var claim = await store.TryAcquireAsync("key", "worker-b", Duration, CancellationToken.None);

        Assert.Null(claim);
    }

    [Fact]
    public async Task TryAcquire_WhenTheSameOwnerHoldsALiveClaim_ReturnsNull()
    {
        var store = await CreateStoreAsync(_time);
        Assert.NotNull(await store.TryAcquireAsync("key", "worker-a", Duration, CancellationToken.None));

        var again = await store.TryAcquireAsync("key", "worker-a", Duration, CancellationToken.None);

        Assert.Null(again);
    }

    [Fact]
    public async Task TryAcquire_AfterTheClaimExpired_AnotherOwnerAcquiresIt()
    {
        var store = await CreateStoreAsync(_time);
        Assert.NotNull(await store.TryAcquireAsync("key", "worker-a", Duration, CancellationToken.None));
        _time.Advance(Duration + TimeSpan.FromMilliseconds(1));

        var claim = await store.TryAcquireAsync("key", "worker-b", Duration, CancellationToken.None);

        Assert.NotNull(claim);
        Assert.Equal("worker-b", claim.Owner);
        Assert.Equal((_time.GetUtcNow() + Duration).ToUnixTimeMilliseconds(), claim.ExpiresAt.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task TryAcquire_AfterTheClaimExpired_TheSameOwnerAcquiresItAgain()
    {
        var store = await CreateStoreAsync(_time);
        Assert.NotNull(await store.TryAcquireAsync("key", "worker-a", Duration, CancellationToken.None));
        _time.Advance(Duration + TimeSpan.FromMilliseconds(1));

        var claim = await store.TryAcquireAsync("key", "worker-a", Duration, CancellationToken.None);

        Assert.NotNull(claim);
    }

    [Fact]
    public async Task TryAcquire_OnADifferentKey_IsNotBlockedByAnotherKeysClaim()
    {
        var store = await CreateStoreAsync(_time);
        Assert.NotNull(await store.TryAcquireAsync("send#daily#2026-02-28#a@example.com", "worker-a", Duration, CancellationToken.None));

        var claim = await store.TryAcquireAsync("send#daily#2026-02-28#b@example.com", "worker-b", Duration, CancellationToken.None);

        Assert.NotNull(claim);
    }

    [Fact]
    public async Task Release_ByTheHolder_FreesTheKeyAtOnce()
    {
        var store = await CreateStoreAsync(_time);
        var claim = await store.TryAcquireAsync("key", "worker-a", Duration, CancellationToken.None);
        Assert.NotNull(claim);

        await store.ReleaseAsync(claim, CancellationToken.None);
        var next = await store.TryAcquireAsync("key", "worker-b", Duration, CancellationToken.None);

        Assert.NotNull(next);
        Assert.Equal("worker-b", next.Owner);
    }

    [Fact]
    public async Task Release_ByAStaleHolderAfterAnotherTookOver_DoesNotFreeTheNewClaim()
    {
        var store = await CreateStoreAsync(_time);
        var stale = await store.TryAcquireAsync("key", "worker-a", Duration, CancellationToken.None);
        Assert.NotNull(stale);
        _time.Advance(Duration + TimeSpan.FromSeconds(1));
        var current = await store.TryAcquireAsync("key", "worker-b", Duration, CancellationToken.None);
        Assert.NotNull(current);

        await store.ReleaseAsync(stale, CancellationToken.None);
        var intruder = await store.TryAcquireAsync("key", "worker-c", Duration, CancellationToken.None);

        Assert.Null(intruder);
    }

    [Fact]
    public async Task Release_OfTheSameOwnersExpiredClaim_DoesNotFreeItsNewerClaim()
    {
        // A retried invocation may reuse its owner name; the first, late invocation must not free the retry's claim.
        var store = await CreateStoreAsync(_time);
        var first = await store.TryAcquireAsync("key", "message-1", Duration, CancellationToken.None);
        Assert.NotNull(first);
        _time.Advance(Duration + TimeSpan.FromSeconds(1));
        var retry = await store.TryAcquireAsync("key", "message-1", Duration, CancellationToken.None);
        Assert.NotNull(retry);

        await store.ReleaseAsync(first, CancellationToken.None);
        var intruder = await store.TryAcquireAsync("key", "worker-c", Duration, CancellationToken.None);

        Assert.Null(intruder);
    }

    [Fact]
    public async Task Release_AfterTheClaimExpiredUntaken_DoesNotThrowAndLeavesTheKeyFree()
    {
        var store = await CreateStoreAsync(_time);
        var claim = await store.TryAcquireAsync("key", "worker-a", Duration, CancellationToken.None);
        Assert.NotNull(claim);
        _time.Advance(Duration + TimeSpan.FromSeconds(1));

        await store.ReleaseAsync(claim, CancellationToken.None);
        var next = await store.TryAcquireAsync("key", "worker-b", Duration, CancellationToken.None);

        Assert.NotNull(next);
    }

    [Fact]
    public async Task TryAcquire_Concurrently_ExactlyOneOwnerWins()
    {
        const int contenders = 20;
        var store = await CreateStoreAsync(_time);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, contenders)
            .Select(i => Task.Run(async () =>
            {
                await start.Task;
                return await store.TryAcquireAsync("key", $"worker-{i}", Duration, CancellationToken.None);
            }))
            .ToList();
        start.SetResult();
        var claims = await Task.WhenAll(attempts);

        var winner = Assert.Single(claims, l => l is not null);
        Assert.NotNull(winner);
        Assert.Null(await store.TryAcquireAsync("key", "late-worker", Duration, CancellationToken.None));
        await store.ReleaseAsync(winner, CancellationToken.None);
        Assert.NotNull(await store.TryAcquireAsync("key", "late-worker", Duration, CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquire_ConcurrentlyForAnExpiredClaim_ExactlyOneOwnerTakesOver()
    {
        const int contenders = 20;
        var store = await CreateStoreAsync(_time);
        await store.TryAcquireAsync("key", "dead-worker", Duration, CancellationToken.None);
        _time.Advance(Duration + TimeSpan.FromSeconds(1));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, contenders)
            .Select(i => Task.Run(async () =>
            {
                await start.Task;
                return await store.TryAcquireAsync("key", $"worker-{i}", Duration, CancellationToken.None);
            }))
            .ToList();
        start.SetResult();
        var claims = await Task.WhenAll(attempts);

        Assert.Single(claims, l => l is not null);
    }

    [Theory]
    [InlineData("", "worker-a", 60)]
    [InlineData("key", "", 60)]
    [InlineData("key", "worker-a", 0)]
    [InlineData("key", "worker-a", -5)]
    public async Task TryAcquire_WithEmptyKeyOrOwnerOrNonPositiveDuration_ThrowsArgumentException(string key, string owner, int seconds)
    {
        var store = await CreateStoreAsync(_time);

        await Assert.ThrowsAnyAsync<ArgumentException>(
            () => store.TryAcquireAsync(key, owner, TimeSpan.FromSeconds(seconds), CancellationToken.None));
    }
}
