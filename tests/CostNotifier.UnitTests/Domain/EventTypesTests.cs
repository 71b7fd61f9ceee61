using System.Text.Json.Nodes;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using static CostNotifier.UnitTests.Domain.EventSamples;

namespace CostNotifier.UnitTests.Domain;

public sealed class EventTypesTests
{
    // A report-day stream exactly as the v1 code stored it: the type name column and the JSON data column.
    private static readonly (string Type, string Data)[] StoredByV1 =
    [
        ("CostSnapshotCollected.v1", """{"reportId":"daily","date":"2026-11-24","requestId":"scheduled-2026-11-24","trigger":"scheduled","groupBy":"SERVICE","metric":"UnblendedCost","currency":"USD","total":12.504,"estimated":true,"previousDayTotal":11.25,"sameWeekdayLastWeekTotal":null,"monthToDate":130.5,"groups":[{"key":"Amazon EC2","amount":10.004,"previousDay":9.5,"sameWeekdayLastWeek":null},{"key":"AWS Lambda","amount":2.5,"previousDay":null,"sameWeekdayLastWeek":2.25}],"trend":[{"date":"2026-11-23","total":11.25,"estimated":false},{"date":"2026-11-24","total":12.504,"estimated":true}],"costSourceRequests":1,"collectedAt":"2026-11-25T06:00:01+00:00"}"""),
        ("NotificationSent.v1", """{"reportId":"daily","date":"2026-11-24","requestId":"scheduled-2026-11-24","recipient":"a@example.com","snapshotVersion":1,"providerMessageId":"0100-abc","subject":"Daily cost 2026-11-24: $12.50","sentAt":"2026-11-25T06:01:01+00:00"}"""),
        ("NotificationFailed.v1", """{"reportId":"daily","date":"2026-11-24","requestId":"scheduled-2026-11-24","recipient":"b@example.com","snapshotVersion":1,"reason":"MessageRejected: Email address is not verified.","failedAt":"2026-11-25T06:01:01+00:00"}"""),
        ("CostSnapshotRevised.v1", """{"reportId":"daily","date":"2026-11-24","requestId":"replay-1","trigger":"replay","groupBy":"SERVICE","metric":"UnblendedCost","currency":"USD","total":13,"estimated":false,"previousDayTotal":11.25,"sameWeekdayLastWeekTotal":10,"monthToDate":131,"groups":[{"key":"Amazon EC2","amount":13,"previousDay":9.5,"sameWeekdayLastWeek":10}],"trend":[{"date":"2026-11-24","total":13,"estimated":false}],"costSourceRequests":2,"collectedAt":"2026-11-25T12:00:01+00:00","revisesVersion":1,"previousTotal":12.504}"""),
        ("CostSnapshotConfirmed.v1", """{"reportId":"daily","date":"2026-11-24","requestId":"replay-2","trigger":"replay","snapshotVersion":4,"costSourceRequests":1,"collectedAt":"2026-11-25T13:00:01+00:00"}"""),
    ];

    // The names this build writes: the snapshot events moved to v2 (their figures nested), the others are as v1 wrote them.
    private static readonly string[] CurrentNames =
    [
        "CostSnapshotCollected.v2",
        "CostSnapshotRevised.v2",
        "CostSnapshotConfirmed.v1",
        "NotificationSent.v1",
        "NotificationFailed.v1",
        "NotificationAccepted.v1",
        "NotificationDelivered.v1",
        "NotificationBounced.v1",
        "NotificationComplained.v1",
        "NotificationDelayed.v1",
        "NotificationRejected.v1",
    ];

    // Every field of a v1 snapshot with a value of its own, so a field read into the wrong place shows.
    private const string CollectedV1 = """{"reportId":"daily","date":"2026-11-24","requestId":"scheduled-2026-11-24","trigger":"scheduled","groupBy":"LINKED_ACCOUNT","metric":"AmortizedCost","currency":"EUR","total":12.504,"estimated":true,"previousDayTotal":11.25,"sameWeekdayLastWeekTotal":10.75,"monthToDate":130.5,"groups":[{"key":"111111111111","amount":10.004,"previousDay":9.5,"sameWeekdayLastWeek":null},{"key":"222222222222","amount":2.5,"previousDay":null,"sameWeekdayLastWeek":2.25}],"trend":[{"date":"2026-11-23","total":11.25,"estimated":false},{"date":"2026-11-24","total":12.504,"estimated":true}],"costSourceRequests":3,"collectedAt":"2026-11-25T06:00:01+00:00"}""";

    private const string RevisedV1 = """{"reportId":"daily","date":"2026-11-24","requestId":"backfill-1","trigger":"backfill","groupBy":"TAG:team","metric":"UnblendedCost","currency":"USD","total":13,"estimated":false,"previousDayTotal":11.5,"sameWeekdayLastWeekTotal":10,"monthToDate":131,"groups":[{"key":"team$payments","amount":13,"previousDay":9.5,"sameWeekdayLastWeek":10}],"trend":[{"date":"2026-11-24","total":13,"estimated":false}],"costSourceRequests":2,"collectedAt":"2026-11-25T12:00:01+00:00","revisesVersion":4,"previousTotal":12.504}""";

    private static IReadOnlyList<StoredEvent> StoredV1Stream() =>
        StoredByV1.Select((e, i) => new StoredEvent(DailyStream, i + 1, e.Type, e.Data, Now)).ToList();

    [Fact]
    public void Names_AreTheCurrentNamesOfEveryEvent()
    {
        Assert.Equal(CurrentNames.Order(StringComparer.Ordinal), EventTypes.Names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Deserialize_CostSnapshotCollectedV1_PutsEveryFieldInTheV2Shape()
    {
        var expected = new CostSnapshotCollected
        {
            ReportId = "daily",
            Date = "2026-11-24",
            RequestId = "scheduled-2026-11-24",
            Trigger = Trigger.Scheduled,
            Figures = new CostFigures(
                "LINKED_ACCOUNT",
                "AmortizedCost",
                "EUR",
                12.504m,
                Estimated: true,
                PreviousDayTotal: 11.25m,
                SameWeekdayLastWeekTotal: 10.75m,
                MonthToDate: 130.5m,
                [new GroupLine("111111111111", 10.004m, 9.5m, null), new GroupLine("222222222222", 2.5m, null, 2.25m)],
                [new DayTotal("2026-11-23", 11.25m, false), new DayTotal("2026-11-24", 12.504m, true)]),
            CostSourceRequests = 3,
            CollectedAt = new DateTimeOffset(2026, 11, 25, 6, 0, 1, TimeSpan.Zero),
        };

        var read = EventTypes.Deserialize(new StoredEvent(DailyStream, 1, "CostSnapshotCollected.v1", CollectedV1, Now));

        var collected = Assert.IsType<CostSnapshotCollected>(read);
        Assert.Equal(expected, collected);
        Assert.Equivalent(expected, collected, strict: true);
    }

    [Fact]
    public void Deserialize_CostSnapshotRevisedV1_PutsEveryFieldInTheV2Shape()
    {
        var expected = new CostSnapshotRevised
        {
            ReportId = "daily",
            Date = "2026-11-24",
            RequestId = "backfill-1",
            Trigger = Trigger.Backfill,
            Figures = new CostFigures(
                "TAG:team",
                "UnblendedCost",
                "USD",
                13m,
                Estimated: false,
                PreviousDayTotal: 11.5m,
                SameWeekdayLastWeekTotal: 10m,
                MonthToDate: 131m,
                [new GroupLine("team$payments", 13m, 9.5m, 10m)],
                [new DayTotal("2026-11-24", 13m, false)]),
            CostSourceRequests = 2,
            CollectedAt = new DateTimeOffset(2026, 11, 25, 12, 0, 1, TimeSpan.Zero),
            RevisesVersion = 4,
            PreviousTotal = 12.504m,
        };

        var read = EventTypes.Deserialize(new StoredEvent(DailyStream, 5, "CostSnapshotRevised.v1", RevisedV1, Now));

        var revised = Assert.IsType<CostSnapshotRevised>(read);
        Assert.Equal(expected, revised);
        Assert.Equivalent(expected, revised, strict: true);
    }

    [Theory]
    [InlineData("revisesVersion")]
    [InlineData("previousTotal")]
    public void Deserialize_CostSnapshotRevisedV1WithoutWhatItRevises_ThrowsFormatException(string field)
    {
        var data = JsonNode.Parse(RevisedV1)!.AsObject();
        Assert.True(data.Remove(field));
        var stored = new StoredEvent(DailyStream, 5, "CostSnapshotRevised.v1", data.ToJsonString(), Now);

        var error = Assert.Throws<FormatException>(() => EventTypes.Deserialize(stored));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_EventsAsV1StoredThem_FoldToTheSameState()
    {
        var state = ReportPeriodState.Fold(StoredV1Stream());

        Assert.Equal(5, state.Version);
        Assert.Equal(4, state.LatestSnapshotVersion);
        var collected = Assert.IsType<CostSnapshotCollected>(state.Snapshots[1]);
        Assert.Equal(12.504m, collected.Figures.Total);
        Assert.True(collected.Figures.Estimated);
        Assert.Null(collected.Figures.SameWeekdayLastWeekTotal);
        Assert.Equal([new GroupLine("Amazon EC2", 10.004m, 9.5m, null), new GroupLine("AWS Lambda", 2.5m, null, 2.25m)], collected.Figures.Groups);
        Assert.Equal([new DayTotal("2026-11-23", 11.25m, false), new DayTotal("2026-11-24", 12.504m, true)], collected.Figures.Trend);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 6, 0, 1, TimeSpan.Zero), collected.CollectedAt);
        var revised = Assert.IsType<CostSnapshotRevised>(state.LatestSnapshot);
        Assert.Equal((1L, 12.504m, 13m), (revised.RevisesVersion, revised.PreviousTotal, revised.Figures.Total));
        Assert.True(state.TryGetCollection(RequestId.Parse("scheduled-2026-11-24"), out var first));
        Assert.Equal(1, first);
        Assert.True(state.TryGetCollection(RequestId.Parse("replay-2"), out var confirmed));
        Assert.Equal(4, confirmed);
        Assert.Equal("0100-abc", state.Sent[("scheduled-2026-11-24", "a@example.com")].ProviderMessageId);
        Assert.Equal("MessageRejected: Email address is not verified.", state.Failed[("scheduled-2026-11-24", "b@example.com")].Reason);
    }

    [Fact]
    public void ToNewEvent_EventsReadFromV1Data_WritesUnchangedEventsAsTheyWere_AndSnapshotsInTheirV2Form()
    {
        var upcast = 0;
        foreach (var stored in StoredV1Stream())
        {
            var read = EventTypes.Deserialize(stored);
            var written = EventTypes.ToNewEvent(read, Now);

            if (EventTypes.Names.Contains(stored.Type))
            {
                // Byte for byte: the same type name, and no type discriminator or other property added.
                Assert.Equal((stored.Type, stored.Data), (written.Type, written.Data));
            }
            else
            {
                // A snapshot read from its v1 form is written as v2 and reads back as the same event.
                upcast++;
                Assert.Equal(stored.Type.Replace(".v1", ".v2", StringComparison.Ordinal), written.Type);
                Assert.Equal(read, EventTypes.Deserialize(new StoredEvent(DailyStream, stored.Version, written.Type, written.Data, Now)));
            }
        }

        Assert.Equal(2, upcast);
    }

    [Fact]
    public void EveryEventType_HasAStoredNameRoundTripsAndFolds()
    {
        var events = OneOfEach();
        var declared = typeof(ReportPeriodEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ReportPeriodEvent)) && !t.IsAbstract);
        Assert.Equal(declared.Select(t => t.Name).Order(StringComparer.Ordinal), events.Select(e => e.GetType().Name).Order(StringComparer.Ordinal));

        var state = ReportPeriodState.Empty;
        for (var i = 0; i < events.Length; i++)
        {
            var stored = Stored(i + 1, events[i]);
            var back = EventTypes.Deserialize(stored);

            Assert.Contains(stored.Type, EventTypes.Names);
            Assert.Equal(events[i].GetType(), back.GetType());
            Assert.Equal(stored.Data, EventTypes.ToNewEvent(back, Now).Data);
            state = state.Apply(i + 1, back);
        }

        Assert.Equal(events.Length, state.Version);
    }

    [Fact]
    public void Deserialize_UnknownType_ThrowsFormatException()
    {
        var stored = new StoredEvent(DailyStream, 1, "Something.v9", "{}", Now);

        Assert.Throws<FormatException>(() => EventTypes.Deserialize(stored));
    }

    [Fact]
    public void Deserialize_DataMissingARequiredField_ThrowsFormatException()
    {
        var stored = new StoredEvent(DailyStream, 1, EventTypes.NameOf<NotificationSent>(), """{"reportId":"daily"}""", Now);

        Assert.Throws<FormatException>(() => EventTypes.Deserialize(stored));
    }
}
