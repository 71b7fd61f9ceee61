using CostNotifier.Claims;
using CostNotifier.Domain;
using CostNotifier.EventStore;

namespace CostNotifier.UnitTests.Claims;

// The keys are stored (DynamoDB pk, SQLite leases.key): a live claim written by the previous release must still
// block the same work after an upgrade, so these strings are pinned.
public sealed class ClaimKeysTests
{
    private static readonly StreamId Stream = new(ReportId.Parse("daily"), ReportDate.Parse("2026-02-28"));

    [Fact]
    public void Collect_IsCollectHashStreamName() =>
        Assert.Equal("collect#report#daily#2026-02-28", ClaimKeys.Collect(Stream));

    [Fact]
    public void Notify_IsNotifyHashStreamRequestAndRecipient() =>
        Assert.Equal("notify#report#daily#2026-02-28#scheduled-2026-02-28#a@example.com", ClaimKeys.Notify(Stream, RequestId.Parse("scheduled-2026-02-28"), "a@example.com"));

    [Fact]
    public void NotifyRequest_IsThePrefixOfEveryRecipientsKey() =>
        Assert.StartsWith(ClaimKeys.NotifyRequest(Stream, RequestId.Parse("r1")) + "#", ClaimKeys.Notify(Stream, RequestId.Parse("r1"), "a@example.com"), StringComparison.Ordinal);

    [Fact]
    public void DurationOrDefault_WhenNotSet_IsTheDefaultDuration()
    {
        Assert.Equal(TimeSpan.FromMinutes(2), Claim.DefaultDuration);
        Assert.Equal(Claim.DefaultDuration, Claim.DurationOrDefault(default));
        Assert.Equal(TimeSpan.FromSeconds(30), Claim.DurationOrDefault(TimeSpan.FromSeconds(30)));
    }
}
