using CostNotifier.Domain;
using CostNotifier.Events;
using static CostNotifier.UnitTests.Domain.EventSamples;

namespace CostNotifier.UnitTests.Domain;

public sealed class ReportPeriodStateTests
{
    [Fact]
    public void Fold_TracksCollectionsAndSentEmailsPerRequestAndRecipient()
    {
        var events = new[]
        {
            Stored(1, Collected("scheduled-2026-11-24")),
            Stored(2, new NotificationSent("daily", "2026-11-24", "scheduled-2026-11-24", "a@example.com", 1, "m-1", "s", Now)),
            Stored(3, new CostSnapshotConfirmed("daily", "2026-11-24", "replay-1", Trigger.Replay, 1, 1, Now)),
        };

        var state = ReportPeriodState.Fold(events);

        Assert.Equal(3, state.Version);
        Assert.Equal(1, state.LatestSnapshotVersion);
        Assert.True(state.TryGetCollection(RequestId.Parse("replay-1"), out var settled));
        Assert.Equal(1, settled);
        Assert.True(state.WasSent(RequestId.Parse("scheduled-2026-11-24"), "a@example.com"));
        Assert.False(state.WasSent(RequestId.Parse("replay-1"), "a@example.com"));
        Assert.False(state.WasSent(RequestId.Parse("scheduled-2026-11-24"), "b@example.com"));
    }

    [Fact]
    public void Fold_WhenAVersionIsMissing_ThrowsNamingTheGap()
    {
        var events = new[] { Stored(1, Collected("r1")), Stored(3, Collected("r2")) };

        var error = Assert.Throws<InvalidOperationException>(() => ReportPeriodState.Fold(events));

        Assert.Contains("gap", error.Message, StringComparison.Ordinal);
    }
}
