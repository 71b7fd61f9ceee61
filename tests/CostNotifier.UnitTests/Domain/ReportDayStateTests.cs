using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;

namespace CostNotifier.UnitTests.Domain;

public sealed class ReportDayStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly StreamId Stream = new(ReportId.Parse("daily"), ReportDate.Parse("2026-11-24"));

    private static CostSnapshotCollected Collected(string requestId) =>
        new("daily", "2026-11-24", requestId, "scheduled", "SERVICE", "UnblendedCost", "USD", 12.5m, false, null, null, 12.5m,
            [new GroupLine("EC2", 12.5m, null, null)], [new DayTotal("2026-11-24", 12.5m, false)], 1, Now);

    private static StoredEvent Stored(long version, object @event)
    {
        var created = EventTypes.ToNewEvent(@event, Now);
        return new StoredEvent(Stream, version, created.Type, created.Data, Now);
    }

    [Fact]
    public void Fold_TracksCollectionsAndSentEmailsPerRequestAndRecipient()
    {
        var events = new[]
        {
            Stored(1, Collected("scheduled-2026-11-24")),
            Stored(2, new NotificationSent("daily", "2026-11-24", "scheduled-2026-11-24", "a@example.com", 1, "m-1", "s", Now)),
            Stored(3, new CostSnapshotConfirmed("daily", "2026-11-24", "replay-1", "replay", 1, 1, Now)),
        };

        var state = ReportDayState.Fold(events);

        Assert.Equal(3, state.Version);
        Assert.Equal(1, state.LatestSnapshotVersion);
        Assert.True(state.TryGetCollection("replay-1", out var settled));
        Assert.Equal(1, settled);
        Assert.True(state.WasSent("scheduled-2026-11-24", "a@example.com"));
        Assert.False(state.WasSent("replay-1", "a@example.com"));
        Assert.False(state.WasSent("scheduled-2026-11-24", "b@example.com"));
    }

    [Fact]
    public void Fold_WhenAVersionIsMissing_ThrowsNamingTheGap()
    {
        var events = new[] { Stored(1, Collected("r1")), Stored(3, Collected("r2")) };

        var error = Assert.Throws<InvalidOperationException>(() => ReportDayState.Fold(events));

        Assert.Contains("gap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EventTypes_RoundTripEveryEventThroughItsStableName()
    {
        object[] events =
        [
            Collected("r1"),
            new CostSnapshotRevised("daily", "2026-11-24", "r2", "replay", "SERVICE", "UnblendedCost", "USD", 13m, false, 1m, 2m, 3m, [], [], 1, Now, 1, 12.5m),
            new CostSnapshotConfirmed("daily", "2026-11-24", "r3", "replay", 2, 1, Now),
            new NotificationSent("daily", "2026-11-24", "r1", "a@example.com", 1, "m", "subject", Now),
            new NotificationFailed("daily", "2026-11-24", "r1", "b@example.com", 1, "MessageRejected", Now),
        ];

        var names = events.Select((e, i) =>
        {
            var stored = Stored(i + 1, e);
            var back = EventTypes.Deserialize(stored);
            Assert.Equal(e.GetType(), back.GetType());
            Assert.Equal(stored.Data, EventTypes.ToNewEvent(back, Now).Data);
            return stored.Type;
        }).ToList();

        Assert.Equal(["CostSnapshotCollected.v1", "CostSnapshotRevised.v1", "CostSnapshotConfirmed.v1", "NotificationSent.v1", "NotificationFailed.v1"], names);
    }

    [Fact]
    public void EventTypes_UnknownType_ThrowsFormatException()
    {
        var stored = new StoredEvent(Stream, 1, "Something.v9", "{}", Now);

        Assert.Throws<FormatException>(() => EventTypes.Deserialize(stored));
    }
}
