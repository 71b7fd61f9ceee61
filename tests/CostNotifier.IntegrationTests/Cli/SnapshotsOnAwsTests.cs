using System.Text.Json;
using Bogus;
using CostNotifier.Aws;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Cli;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.IntegrationTests.Emulators;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.IntegrationTests.Cli;

/// <summary><c>snapshots list|show</c> and <c>events</c> read a deployed stack's DynamoDB table through the store's index.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class SnapshotsOnAwsTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private const string Report = "by-service";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly Faker _faker = new() { Random = new Randomizer(20261101) };
    private string _table = string.Empty;
    private CountingProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _table = await emulators.CreateEventTableAsync();
        _proxy = new CountingProxy(emulators.DynamoDbUrl);
    }

    public async Task DisposeAsync() => await _proxy.DisposeAsync();

    [Fact]
    public async Task SnapshotsList_Json_ForAMonth_EqualsWhatWasStored_InOneQuery()
    {
        var store = new DynamoDbEventStore(emulators.DynamoDb, _table);
        var expected = new List<Expected>();
        foreach (var day in DateRange.Inclusive(new ReportDate(2026, 11, 1), new ReportDate(2026, 11, 30)).EachDay())
        {
            expected.Add(await StoreDayAsync(store, day, revise: day.Day.Day % 10 == 0, emails: day.Day.Day % 3));
        }

        var result = await Cli("snapshots", "list", "--from", "2026-11-01", "--to", "2026-11-30", "--report", Report, "--output", "json");

        Assert.True(result.Exit == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(expected.Count, rows.Count);
        foreach (var (row, want) in rows.Zip(expected))
        {
            Assert.Equal(Report, row.GetProperty("reportId").GetString());
            Assert.Equal(want.Snapshot.Date, row.GetProperty("date").GetString());
            Assert.Equal(want.Version, row.GetProperty("version").GetInt64());
            Assert.Equal(want.Snapshot is CostSnapshotRevised ? "revised" : "collected", row.GetProperty("kind").GetString());
            Assert.Equal(want.Snapshot.Figures.Total, row.GetProperty("totalExact").GetDecimal());
            Assert.Equal(Money.RoundToCents(want.Snapshot.Figures.Total), row.GetProperty("total").GetDecimal());
            Assert.Equal("USD", row.GetProperty("currency").GetString());
            Assert.Equal(want.Snapshot.Figures.Estimated, row.GetProperty("estimated").GetBoolean());
            Assert.Equal(want.Snapshot.Figures.PreviousDayTotal, row.GetProperty("previousDayTotal").GetDecimal());
            Assert.Equal(want.Snapshot.Figures.MonthToDate, row.GetProperty("monthToDate").GetDecimal());
            Assert.Equal(want.Snapshot.RequestId, row.GetProperty("requestId").GetString());
            Assert.Equal(want.Snapshot.Trigger.ToWireName(), row.GetProperty("trigger").GetString());
            Assert.Equal(want.Snapshot is CostSnapshotRevised ? 1 : 0, row.GetProperty("revisions").GetInt32());
            Assert.Equal(want.Emails, row.GetProperty("emailsSent").GetInt32());
            Assert.False(row.TryGetProperty("groups", out _));
        }

        // A month of one report's snapshots is one index query (plus the check that the table exists).
        Assert.Equal(1, _proxy.Count("Query"));
        Assert.Equal(0, _proxy.Count("Scan"));
    }

    [Fact]
    public async Task SnapshotsShow_Json_HasEveryGroupOfTheLatestSnapshot()
    {
        var store = new DynamoDbEventStore(emulators.DynamoDb, _table);
        var want = await StoreDayAsync(store, new ReportDate(2026, 11, 30), revise: true, emails: 0);

        var result = await Cli("snapshots", "show", "--date", "2026-11-30", "--report", Report, "--output", "json");

        Assert.True(result.Exit == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var groups = json.RootElement.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(want.Snapshot.Figures.Groups.Select(g => g.Key), groups.Select(g => g.GetProperty("key").GetString()));
        Assert.Equal(want.Snapshot.Figures.Groups.Select(g => g.Amount), groups.Select(g => g.GetProperty("amountExact").GetDecimal()));
    }

    [Fact]
    public async Task Events_ListsTheStreamInOrder()
    {
        var store = new DynamoDbEventStore(emulators.DynamoDb, _table);
        await StoreDayAsync(store, new ReportDate(2026, 11, 20), revise: true, emails: 2);

        var result = await Cli("events", "--date", "2026-11-20", "--report", Report, "--output", "json");

        Assert.True(result.Exit == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(
            [EventTypes.NameOf<CostSnapshotCollected>(), EventTypes.NameOf<CostSnapshotRevised>(), EventTypes.NameOf<NotificationSent>(), EventTypes.NameOf<NotificationSent>()],
            json.RootElement.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Equal([1L, 2, 3, 4], json.RootElement.EnumerateArray().Select(e => e.GetProperty("version").GetInt64()));
    }

    [Fact]
    public async Task SnapshotsList_OfATableThatDoesNotExist_SaysSoInOneLine()
    {
        var result = await Cli(["snapshots", "list", "--from", "2026-11-01", "--to", "2026-11-30", "--report", Report], table: "no-such-table");

        Assert.Equal(1, result.Exit);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("DynamoDB table 'no-such-table' (from --table) does not exist", line, StringComparison.Ordinal);
    }

    private Task<CliResult> Cli(params string[] args) => Cli(args, _table);

    private Task<CliResult> Cli(string[] args, string table) =>
        CliRunner.RunAsync(
            [.. args, "--target", "aws", "--table", table, "--region", EmulatorFixture.Region],
            CliEnvironment.From(new Dictionary<string, string?>
            {
                ["AWS_ACCESS_KEY_ID"] = "test",
                ["AWS_SECRET_ACCESS_KEY"] = "test",
                ["AWS_ENDPOINT_URL_" + AwsConnection.Services.DynamoDb] = _proxy.Url,
            }),
            _time);

    private async Task<Expected> StoreDayAsync(DynamoDbEventStore store, ReportDate day, bool revise, int emails)
    {
        var stream = new StreamId(ReportId.Parse(Report), day);
        var collected = Snapshot(day, "scheduled-" + day);
        var version = await store.AppendAsync(stream, ExpectedVersion.NoStream, EventTypes.ToNewEvent(collected, collected.CollectedAt), CancellationToken.None);
        CostSnapshot latest = collected;
        var latestVersion = version;
        if (revise)
        {
            var again = Snapshot(day, "replay-" + Guid.NewGuid().ToString("N"));
            var revised = new CostSnapshotRevised
            {
                ReportId = again.ReportId,
                Date = again.Date,
                RequestId = again.RequestId,
                Trigger = Trigger.Replay,
                Figures = again.Figures with { Estimated = false },
                CostSourceRequests = 1,
                CollectedAt = again.CollectedAt.AddHours(6),
                RevisesVersion = version,
                PreviousTotal = collected.Figures.Total,
            };
            latestVersion = await store.AppendAsync(stream, ExpectedVersion.At(version), EventTypes.ToNewEvent(revised, revised.CollectedAt), CancellationToken.None);
            latest = revised;
        }

        var at = latestVersion;
        for (var i = 0; i < emails; i++)
        {
            var sent = new NotificationSent(Report, day.ToString(), latest.RequestId, $"r{i}@example.com", latestVersion, "ses-" + i, "subject", latest.CollectedAt.AddMinutes(1));
            at = await store.AppendAsync(stream, ExpectedVersion.At(at), EventTypes.ToNewEvent(sent, sent.SentAt), CancellationToken.None);
        }

        return new Expected(latest, latestVersion, emails);
    }

    private CostSnapshotCollected Snapshot(ReportDate day, string requestId)
    {
        var groups = new[] { "Amazon Elastic Compute Cloud - Compute", "Amazon Simple Storage Service", "AWS Lambda", "Credits" }
            .Select(key => new GroupLine(
                key,
                key == "Credits" ? -_faker.Finance.Amount(1, 20, 4) : _faker.Finance.Amount(1, 900, 6) + 0.0000001m,
                _faker.Finance.Amount(1, 900, 4),
                null))
            .OrderByDescending(g => g.Amount)
            .ToList();
        var total = groups.Sum(g => g.Amount);
        return new CostSnapshotCollected
        {
            ReportId = Report,
            Date = day.ToString(),
            RequestId = requestId,
            Trigger = Trigger.Scheduled,
            Figures = new CostFigures(
                "SERVICE", "UnblendedCost", "USD", total, day.Day.Day >= 29, _faker.Finance.Amount(100, 2000, 2), null,
                total * day.Day.Day, groups, [new DayTotal(day.ToString(), total, false)]),
            CostSourceRequests = 1,
            CollectedAt = day.AddDays(1).Day.ToDateTime(new TimeOnly(8, 0), DateTimeKind.Utc),
        };
    }

    private sealed record Expected(CostSnapshot Snapshot, long Version, int Emails);
}
