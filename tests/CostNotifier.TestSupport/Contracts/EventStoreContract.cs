using Bogus;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;

namespace CostNotifier.Contracts;

/// <summary>
/// What every <see cref="IEventStore"/> (and its <see cref="IReportHistory"/> read side) must do. A store's test
/// class derives from this and supplies a fresh, empty store per call; nothing here may depend on how a particular
/// store keeps its data.
/// </summary>
/// <typeparam name="TStore">The store under test: the write store and its report history in one.</typeparam>
public abstract class EventStoreContract<TStore>
    where TStore : IEventStore, IReportHistory
{
    private static readonly ReportId Daily = ReportId.Parse("daily");
    private static readonly DateTimeOffset Epoch = new(2026, 3, 14, 6, 30, 15, 123, TimeSpan.Zero);

    /// <summary>Creates a store that holds no events. Every call must return an independent, empty store.</summary>
    protected abstract Task<TStore> CreateStoreAsync();

    [Fact]
    public async Task ReadStream_WhenStreamDoesNotExist_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();

        var events = await store.ReadStreamAsync(Stream(Daily, "2026-03-01"), CancellationToken.None);

        Assert.Empty(events);
    }

    [Fact]
    public async Task Append_ToNewStreamExpectingNoStream_StoresVersionOne()
    {
        var store = await CreateStoreAsync();
        var stream = Stream(Daily, "2026-03-01");
        var @event = SmallEvent("first", Epoch);

        var version = await store.AppendAsync(stream, ExpectedVersion.NoStream, @event, CancellationToken.None);

        Assert.Equal(1, version);
        var stored = Assert.Single(await store.ReadStreamAsync(stream, CancellationToken.None));
        Assert.Equal(stream, stored.Stream);
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task Append_Repeatedly_NumbersEventsFromOneAndReadsThemBackIntactInOrder()
    {
        var store = await CreateStoreAsync();
        var stream = Stream(Daily, "2026-02-28");
        var written = Enumerable.Range(1, 7)
            .Select(i => new NewEvent(
                i % 2 == 0 ? EventTypes.NameOf<NotificationSent>() : EventTypes.NameOf<CostSnapshotCollected>(),
                $$"""{"n":{{i}},"note":"event {{i}}"}""",
                Epoch.AddMinutes(i).AddMilliseconds(i * 7)))
            .ToList();

        var versions = new List<long>();
        for (var i = 0; i < written.Count; i++)
        {
            versions.Add(await store.AppendAsync(stream, ExpectedVersion.At(i), written[i], CancellationToken.None));
        }

        var read = await store.ReadStreamAsync(stream, CancellationToken.None);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], versions);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], read.Select(e => e.Version));
        for (var i = 0; i < written.Count; i++)
        {
            Assert.Equal(stream, read[i].Stream);
            Assert.Equal(written[i].Type, read[i].Type);
            Assert.Equal(written[i].Data, read[i].Data);
            AssertSameInstantToTheMillisecond(written[i].RecordedAt, read[i].RecordedAt);
        }
    }

    [Fact]
    public async Task Append_RecordedAtWithAnOffset_ReadsBackTheSameInstant()
    {
        var store = await CreateStoreAsync();
        var stream = Stream(Daily, "2026-03-01");
        var recordedAt = new DateTimeOffset(2026, 3, 2, 1, 15, 0, 999, TimeSpan.FromHours(-5));

        await store.AppendAsync(stream, ExpectedVersion.NoStream, SmallEvent("offset", recordedAt), CancellationToken.None);

        var stored = Assert.Single(await store.ReadStreamAsync(stream, CancellationToken.None));
        AssertSameInstantToTheMillisecond(recordedAt, stored.RecordedAt);
    }

    [Fact]
    public async Task Append_WithStaleExpectedVersion_ThrowsAndChangesNothing()
    {
        var store = await CreateStoreAsync();
        var stream = Stream(Daily, "2026-03-01");
        await store.AppendAsync(stream, ExpectedVersion.NoStream, SmallEvent("one", Epoch), CancellationToken.None);
        await store.AppendAsync(stream, ExpectedVersion.At(1), SmallEvent("two", Epoch), CancellationToken.None);
        var before = await store.ReadStreamAsync(stream, CancellationToken.None);

        var error = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => store.AppendAsync(stream, ExpectedVersion.At(1), SmallEvent("late", Epoch), CancellationToken.None));

        Assert.Equal(stream, error.Stream);
        Assert.Equal(ExpectedVersion.At(1), error.Expected);
        var after = await store.ReadStreamAsync(stream, CancellationToken.None);
        Assert.Equal(before, after);
        Assert.DoesNotContain(after, e => e.Data.Contains("late", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Append_ExpectingNoStreamWhenStreamExists_Throws()
    {
        var store = await CreateStoreAsync();
        var stream = Stream(Daily, "2026-03-01");
        await store.AppendAsync(stream, ExpectedVersion.NoStream, SmallEvent("one", Epoch), CancellationToken.None);

        await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => store.AppendAsync(stream, ExpectedVersion.NoStream, SmallEvent("again", Epoch), CancellationToken.None));

        var stored = Assert.Single(await store.ReadStreamAsync(stream, CancellationToken.None));
        Assert.Contains("one", stored.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Append_ToMissingStreamExpectingVersionThree_ThrowsAndCreatesNothing()
    {
        var store = await CreateStoreAsync();
        var stream = Stream(Daily, "2026-03-01");

        var error = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => store.AppendAsync(stream, ExpectedVersion.At(3), SmallEvent("gap", Epoch), CancellationToken.None));

        Assert.Equal(ExpectedVersion.At(3), error.Expected);
        Assert.Empty(await store.ReadStreamAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task Append_ExpectingAVersionAheadOfTheStream_ThrowsAndLeavesNoGap()
    {
        var store = await CreateStoreAsync();
        var stream = Stream(Daily, "2026-03-01");
        await store.AppendAsync(stream, ExpectedVersion.NoStream, SmallEvent("one", Epoch), CancellationToken.None);

        await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => store.AppendAsync(stream, ExpectedVersion.At(2), SmallEvent("ahead", Epoch), CancellationToken.None));

        var stored = Assert.Single(await store.ReadStreamAsync(stream, CancellationToken.None));
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task Append_ToOneStream_LeavesOtherStreamsAlone()
    {
        var store = await CreateStoreAsync();
        var first = Stream(Daily, "2026-03-01");
        var second = Stream(Daily, "2026-03-02");

        await store.AppendAsync(first, ExpectedVersion.NoStream, SmallEvent("a", Epoch), CancellationToken.None);
        await store.AppendAsync(second, ExpectedVersion.NoStream, SmallEvent("b", Epoch), CancellationToken.None);
        await store.AppendAsync(first, ExpectedVersion.At(1), SmallEvent("c", Epoch), CancellationToken.None);

        Assert.Equal(2, (await store.ReadStreamAsync(first, CancellationToken.None)).Count);
        var onlyInSecond = Assert.Single(await store.ReadStreamAsync(second, CancellationToken.None));
        Assert.Equal(1, onlyInSecond.Version);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Append_ConcurrentlyAtTheSameExpectedVersion_ExactlyOneWins(int existingEvents)
    {
        const int writers = 20;
        var store = await CreateStoreAsync();
        var stream = Stream(Daily, "2026-03-01");
        for (var i = 0; i < existingEvents; i++)
        {
            await store.AppendAsync(stream, ExpectedVersion.At(i), SmallEvent($"existing-{i}", Epoch), CancellationToken.None);
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, writers)
            .Select(writer => Task.Run(async () =>
            {
                await start.Task;
                try
                {
                    await store.AppendAsync(stream, ExpectedVersion.At(existingEvents), SmallEvent($"writer-{writer}", Epoch), CancellationToken.None);
                    return (Writer: writer, Won: true);
                }
                catch (WrongExpectedVersionException)
                {
                    return (Writer: writer, Won: false);
                }
            }))
            .ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(attempts);

        var winner = Assert.Single(outcomes, o => o.Won);
        var events = await store.ReadStreamAsync(stream, CancellationToken.None);
        Assert.Equal(existingEvents + 1, events.Count);
        Assert.Contains($"\"writer-{winner.Writer}\"", events[^1].Data, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, existingEvents + 1).Select(v => (long)v), events.Select(e => e.Version));
    }

    [Fact]
    public async Task ReadReport_ReturnsOnlyThatReportsDaysInTheRange_OrderedByDateThenVersion()
    {
        var store = await CreateStoreAsync();
        var similarlyNamed = ReportId.Parse("daily-eu");
        var other = ReportId.Parse("team-a");

        // Written out of date order, so an implementation that returns insertion order fails.
        await AppendAsync(store, Stream(Daily, "2026-01-02"), "in-0102-v1", "in-0102-v2");
        await AppendAsync(store, Stream(Daily, "2025-12-30"), "before-range");
        await AppendAsync(store, Stream(Daily, "2025-12-31"), "in-1231-v1", "in-1231-v2", "in-1231-v3");
        await AppendAsync(store, Stream(Daily, "2026-01-03"), "end-is-exclusive");
        await AppendAsync(store, Stream(Daily, "2026-01-01"), "in-0101-v1");
        await AppendAsync(store, Stream(similarlyNamed, "2026-01-01"), "other-report-prefix");
        await AppendAsync(store, Stream(other, "2025-12-31"), "other-report");

        var range = DateRange.Inclusive(ReportDate.Parse("2025-12-31"), ReportDate.Parse("2026-01-02"));
        var events = await store.ReadReportAsync(Daily, range, CancellationToken.None);

        Assert.Equal(
            ["in-1231-v1", "in-1231-v2", "in-1231-v3", "in-0101-v1", "in-0102-v1", "in-0102-v2"],
            events.Select(NoteOf));
        Assert.Equal(
            [("2025-12-31", 1L), ("2025-12-31", 2L), ("2025-12-31", 3L), ("2026-01-01", 1L), ("2026-01-02", 1L), ("2026-01-02", 2L)],
            events.Select(e => (e.Stream.Period.ToString(), e.Version)));
        Assert.All(events, e => Assert.Equal(Daily, e.Stream.Report));
    }

    [Fact]
    public async Task ReadReport_ReturnsTypeDataAndRecordedAtAsStored()
    {
        var store = await CreateStoreAsync();
        var stream = Stream(Daily, "2026-02-01");
        var written = SmallEvent("report-read", Epoch.AddHours(3));
        await store.AppendAsync(stream, ExpectedVersion.NoStream, written, CancellationToken.None);

        var read = await store.ReadReportAsync(Daily, DateRange.Single(ReportDate.Parse("2026-02-01")), CancellationToken.None);

        var stored = Assert.Single(read);
        Assert.Equal(stream, stored.Stream);
        Assert.Equal(written.Type, stored.Type);
        Assert.Equal(written.Data, stored.Data);
        AssertSameInstantToTheMillisecond(written.RecordedAt, stored.RecordedAt);
    }

    [Fact]
    public async Task ReadReport_WhenNoDayInTheRangeHasEvents_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();
        await AppendAsync(store, Stream(Daily, "2026-01-31"), "outside");

        var events = await store.ReadReportAsync(
            Daily, DateRange.Inclusive(ReportDate.Parse("2026-02-01"), ReportDate.Parse("2026-02-28")), CancellationToken.None);

        Assert.Empty(events);
    }

    [Fact]
    public async Task ReadReport_OverAMonthOfLargeSnapshots_ReturnsEveryEvent()
    {
        // About 1.3 MB in all: more than one page for stores that page their query results.
        var store = await CreateStoreAsync();
        var faker = new Faker { Random = new Randomizer(20260301) };
        var march = DateRange.Inclusive(ReportDate.Parse("2026-03-01"), ReportDate.Parse("2026-03-31"));
        foreach (var day in march.EachDay())
        {
            await store.AppendAsync(Stream(Daily, day.ToString()), ExpectedVersion.NoStream, LargeSnapshot(faker, day, groups: 300), CancellationToken.None);
        }

        var events = await store.ReadReportAsync(Daily, march, CancellationToken.None);

        Assert.Equal(march.EachDay().Select(d => d.ToString()), events.Select(e => e.Stream.Period.ToString()));
        Assert.All(events, e => Assert.True(e.Data.Length > 30_000, $"{e.Stream} came back truncated ({e.Data.Length} chars)."));
    }

    [Fact]
    public async Task Append_LargeSnapshotWith300Groups_RoundTripsExactly()
    {
        var store = await CreateStoreAsync();
        var faker = new Faker { Random = new Randomizer(300) };
        var day = ReportDate.Parse("2026-03-01");
        var snapshot = LargeSnapshot(faker, day, groups: 300);
        Assert.True(snapshot.Data.Length > 30_000, $"The test event is only {snapshot.Data.Length} chars.");

        await store.AppendAsync(Stream(Daily, "2026-03-01"), ExpectedVersion.NoStream, snapshot, CancellationToken.None);

        var stored = Assert.Single(await store.ReadStreamAsync(Stream(Daily, "2026-03-01"), CancellationToken.None));
        Assert.Equal(snapshot.Type, stored.Type);
        Assert.Equal(snapshot.Data, stored.Data);
        var collected = Assert.IsType<CostSnapshotCollected>(EventTypes.Deserialize(stored));
        Assert.Equal(300, collected.Figures.Groups.Count);
    }

    [Theory]
    [InlineData("<script>alert('x')</script> & <b>\"quoted\"</b>")]
    [InlineData("עלות יומית ‏AWS‏ — التكلفة اليومية")]
    [InlineData("\u202Etxt.exe\u202C and \u200F\u200E marks")]
    [InlineData("Amazon Elastic Compute Cloud – Ünïcödé ẞ 日本語 💸🚀")]
    [InlineData("line one\r\nline two\ttab \\ backslash")]
    public async Task Append_DataWithUnicodeHtmlAndRtlCharacters_RoundTripsExactly(string text)
    {
        var store = await CreateStoreAsync();
        var stream = Stream(Daily, "2026-03-01");

        // Raw characters, not JSON escapes: the store must keep every code point as written.
        var data = "{\"key\":" + JsonStringLiteral(text) + ",\"n\":1}";
        var written = new NewEvent(EventTypes.NameOf<CostSnapshotCollected>(), data, Epoch);

        await store.AppendAsync(stream, ExpectedVersion.NoStream, written, CancellationToken.None);

        var stored = Assert.Single(await store.ReadStreamAsync(stream, CancellationToken.None));
        Assert.Equal(data, stored.Data);
        using (var json = System.Text.Json.JsonDocument.Parse(stored.Data))
        {
            Assert.Equal(text, json.RootElement.GetProperty("key").GetString());
        }

        var fromReport = Assert.Single(await store.ReadReportAsync(Daily, PeriodRange.Single(stream.Period), CancellationToken.None));
        Assert.Equal(data, fromReport.Data);
    }

    private static StreamId Stream(ReportId report, string date) => new(report, ReportDate.Parse(date));

    private static NewEvent SmallEvent(string note, DateTimeOffset recordedAt) =>
        new(EventTypes.NameOf<CostSnapshotConfirmed>(), $$"""{"note":"{{note}}"}""", recordedAt);

    private static string NoteOf(StoredEvent e)
    {
        using var json = System.Text.Json.JsonDocument.Parse(e.Data);
        return json.RootElement.GetProperty("note").GetString() ?? string.Empty;
    }

    private static async Task AppendAsync(IEventStore store, StreamId stream, params string[] notes)
    {
        for (var i = 0; i < notes.Length; i++)
        {
            await store.AppendAsync(stream, ExpectedVersion.At(i), SmallEvent(notes[i], Epoch.AddSeconds(i)), CancellationToken.None);
        }
    }

    private static string JsonStringLiteral(string text)
    {
        var literal = new System.Text.StringBuilder("\"");
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => literal.Append("\\\""),
                '\\' => literal.Append("\\\\"),
                < ' ' => literal.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => literal.Append(c),
            };
        }

        return literal.Append('"').ToString();
    }

    private static void AssertSameInstantToTheMillisecond(DateTimeOffset expected, DateTimeOffset actual) =>
        Assert.Equal(expected.ToUnixTimeMilliseconds(), actual.ToUnixTimeMilliseconds());

    private static NewEvent LargeSnapshot(Faker faker, ReportDate day, int groups)
    {
        var lines = Enumerable.Range(0, groups)
            .Select(i => new GroupLine(
                $"{faker.Company.CompanyName()} {faker.Commerce.ProductName()} #{i}",
                Math.Round(faker.Random.Decimal(0m, 2_000m), 10),
                faker.Random.Bool(0.9f) ? Math.Round(faker.Random.Decimal(0m, 2_000m), 10) : null,
                faker.Random.Bool(0.8f) ? Math.Round(faker.Random.Decimal(0m, 2_000m), 10) : null))
            .OrderByDescending(l => l.Amount)
            .ToList();
        var trend = Enumerable.Range(0, 15)
            .Select(i => new DayTotal(day.AddDays(i - 14).ToString(), Math.Round(faker.Random.Decimal(100m, 9_000m), 2), i >= 13))
            .ToList();
        var total = lines.Sum(l => l.Amount);
        var snapshot = new CostSnapshotCollected
        {
            ReportId = "daily",
            Date = day.ToString(),
            RequestId = $"scheduled-{day}",
            Trigger = Trigger.Scheduled,
            Figures = new CostFigures(
                "SERVICE",
                "UnblendedCost",
                "USD",
                total,
                Estimated: true,
                PreviousDayTotal: total - 12.5m,
                SameWeekdayLastWeekTotal: null,
                MonthToDate: total * 3,
                lines,
                trend),
            CostSourceRequests = 1,
            CollectedAt = Epoch,
        };
        return EventTypes.ToNewEvent(snapshot, Epoch);
    }
}
