using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;

namespace CostNotifier.UnitTests.Domain;

/// <summary>One report-day stream's events, for the tests of the fold and of the stored names.</summary>
internal static class EventSamples
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    public static readonly StreamId DailyStream = new(ReportId.Parse("daily"), ReportDate.Parse("2026-11-24"));

    public static CostSnapshotCollected Collected(string requestId) => new()
    {
        ReportId = "daily",
        Date = "2026-11-24",
        RequestId = requestId,
        Trigger = Trigger.Scheduled,
        Figures = new CostFigures(
            "SERVICE", "UnblendedCost", "USD", 12.5m, false, null, null, 12.5m,
            [new GroupLine("EC2", 12.5m, null, null)], [new DayTotal("2026-11-24", 12.5m, false)]),
        CostSourceRequests = 1,
        CollectedAt = Now,
    };

    /// <summary>One event of every type, in an order that folds.</summary>
    public static ReportPeriodEvent[] OneOfEach() =>
    [
        Collected("r1"),
        new CostSnapshotRevised
        {
            ReportId = "daily",
            Date = "2026-11-24",
            RequestId = "r2",
            Trigger = Trigger.Replay,
            Figures = new CostFigures("SERVICE", "UnblendedCost", "USD", 13m, false, 1m, 2m, 3m, [], []),
            CostSourceRequests = 1,
            CollectedAt = Now,
            RevisesVersion = 1,
            PreviousTotal = 12.5m,
        },
        new CostSnapshotConfirmed("daily", "2026-11-24", "r3", Trigger.Replay, 2, 1, Now),
        new NotificationSent("daily", "2026-11-24", "r1", "a@example.com", 1, "m", "subject", Now),
        new NotificationFailed("daily", "2026-11-24", "r1", "b@example.com", 1, "MessageRejected", Now),
        new NotificationAccepted { ReportId = "daily", Date = "2026-11-24", RequestId = "r1", Recipient = "a@example.com", ProviderMessageId = "m", OccurredAt = Now },
        new NotificationDelivered { ReportId = "daily", Date = "2026-11-24", RequestId = "r1", Recipient = "a@example.com", ProviderMessageId = "m", OccurredAt = Now },
        new NotificationBounced
        {
            ReportId = "daily", Date = "2026-11-24", RequestId = "r1", Recipient = "c@example.com", ProviderMessageId = "n", OccurredAt = Now,
            BounceType = "Permanent", BounceSubType = "General", Diagnostic = "smtp; 550 5.1.1 user unknown",
        },
        new NotificationComplained { ReportId = "daily", Date = "2026-11-24", RequestId = "r1", Recipient = "a@example.com", ProviderMessageId = "m", OccurredAt = Now, FeedbackType = "abuse" },
        new NotificationDelayed
        {
            ReportId = "daily", Date = "2026-11-24", RequestId = "r1", Recipient = "d@example.com", ProviderMessageId = "o", OccurredAt = Now,
            DelayType = "MailboxFull", Diagnostic = "452 4.2.2 mailbox full",
        },
        new NotificationRejected { ReportId = "daily", Date = "2026-11-24", RequestId = "r1", Recipient = "e@example.com", ProviderMessageId = "p", OccurredAt = Now, Reason = "Bad content" },
    ];

    /// <summary>The event as a store returns it at <paramref name="version"/>.</summary>
    public static StoredEvent Stored(long version, ReportPeriodEvent @event)
    {
        var created = EventTypes.ToNewEvent(@event, Now);
        return new StoredEvent(DailyStream, version, created.Type, created.Data, Now);
    }
}
