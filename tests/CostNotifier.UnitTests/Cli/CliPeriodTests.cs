using System.Text.Json;
using CostNotifier.Cli;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Cli;

/// <summary>
/// Weeks and months on the command line, run in process against the embedded default's sample reports: three daily
/// reports, <c>weekly-by-service</c> and <c>monthly-by-service</c>. Digest emails are left out of these assertions;
/// what is checked is what was collected and stored for which period.
/// </summary>
public sealed class CliPeriodTests : IDisposable
{
    // Tuesday 2026-12-01: the latest complete day is 2026-11-30, the earliest Cost Explorer serves 2025-11-01.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero));
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "costnotifier-periods-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Run_OnASunday_CollectsTheDailyReportsAndTheWeekThatEndsThatDay()
    {
        var result = await Run("run", "--date", "2026-11-29", "--output", "json");

        var rows = Rows(result);
        Assert.Equal(
            [
                ("daily-by-service", "2026-11-29", "daily"),
                ("daily-by-account", "2026-11-29", "daily"),
                ("daily-by-team", "2026-11-29", "daily"),
                ("weekly-by-service", "2026-W48", "weekly"),
            ],
            rows.Select(r => (Text(r, "reportId"), Text(r, "date"), Text(r, "cadence"))));
        var week = rows.Single(r => Text(r, "reportId") == "weekly-by-service");
        Assert.Equal("scheduled-2026-W48", Text(week, "requestId"));
        Assert.Equal(1, week.GetProperty("snapshotVersion").GetInt64());

        // The week asks what the daily report by service asks (daily figures by service), over a longer window: one
        // request answers both, counted on the first of them; the account and team reports ask questions of their own.
        Assert.Equal(0, week.GetProperty("costSourceRequests").GetInt32());
        Assert.Equal(1, rows.Single(r => Text(r, "reportId") == "daily-by-service").GetProperty("costSourceRequests").GetInt32());
        Assert.Equal(3, rows.Sum(r => r.GetProperty("costSourceRequests").GetInt32()));
    }

    [Fact]
    public async Task Run_OnAMonthsLastDay_CollectsTheMonthWithOneCostRequest()
    {
        var result = await Run("run", "--date", "2026-10-31", "--output", "json");

        var rows = Rows(result);
        var month = Assert.Single(rows, r => Text(r, "reportId") == "monthly-by-service");
        Assert.Equal("2026-10", Text(month, "date"));
        Assert.Equal("monthly", Text(month, "cadence"));
        Assert.Equal("scheduled-2026-10", Text(month, "requestId"));
        Assert.Equal(1, month.GetProperty("snapshotVersion").GetInt64());
        Assert.Equal(1, month.GetProperty("costSourceRequests").GetInt32());
        Assert.DoesNotContain(rows, r => Text(r, "cadence") == "weekly");
    }

    [Fact]
    public async Task Run_OnADayThatEndsNoWeekOrMonth_CollectsOnlyTheDailyReports()
    {
        var result = await Run("run", "--date", "2026-11-26", "--output", "json");

        Assert.True(result.Exit == CliApp.Ok, result.Error);
        Assert.All(Rows(result), r => Assert.Equal("daily", Text(r, "cadence")));
        Assert.Equal(3, Rows(result).Count);
    }

    [Fact]
    public async Task SnapshotsList_OfWeeks_AfterRuns_ListsTheWeeklyDigestsInOrderAndNothingElse()
    {
        await Run("run", "--date", "2026-11-29");
        await Run("run", "--date", "2026-11-22", "--report", "weekly-by-service");

        var result = await Run("snapshots", "list", "--from", "2026-W40", "--to", "2026-W48", "--output", "json");

        Assert.True(result.Exit == CliApp.Ok, result.Error);
        var listed = JsonDocument.Parse(result.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal(
            [("weekly-by-service", "2026-W47"), ("weekly-by-service", "2026-W48")],
            listed.Select(v => (Text(v, "reportId"), Text(v, "date"))));
    }

    [Fact]
    public async Task SnapshotsList_OfMonths_LeavesOutDailySnapshotsWhoseDatesSortAmongThem()
    {
        await Run("run", "--date", "2026-10-31", "--to", "2026-11-01", "--report", "daily-by-service");
        await Run("run", "--date", "2026-10-31", "--report", "monthly-by-service");

        var result = await Run("snapshots", "list", "--from", "2026-10", "--to", "2026-11", "--output", "json");

        Assert.True(result.Exit == CliApp.Ok, result.Error);
        var listed = JsonDocument.Parse(result.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal([("monthly-by-service", "2026-10")], listed.Select(v => (Text(v, "reportId"), Text(v, "date"))));
    }

    [Fact]
    public async Task SnapshotsShow_OfAWeek_AfterARun_ShowsTheWeeklyDigest()
    {
        await Run("run", "--date", "2026-11-29");

        var result = await Run("snapshots", "show", "--week", "2026-W48", "--output", "json");

        Assert.True(result.Exit == CliApp.Ok, result.Error);
        var view = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal("weekly-by-service", Text(view, "reportId"));
        Assert.Equal("2026-W48", Text(view, "date"));
        Assert.NotEmpty(view.GetProperty("groups").EnumerateArray());
    }

    [Fact]
    public async Task SnapshotsShow_OfAMonthNotYetCollected_SaysWhichDateToRun()
    {
        var result = await Run("snapshots", "show", "--month", "2026-11");

        Assert.Equal(CliApp.Failure, result.Exit);
        Assert.Contains("no snapshot stored for 2026-11", result.Error, StringComparison.Ordinal);
        Assert.Contains("run 'costnotifier run --date 2026-11-30' first", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_OfAMonth_AfterARun_ReadsTheMonthsStream()
    {
        await Run("run", "--date", "2026-10-31", "--report", "monthly-by-service");

        var result = await Run("events", "--month", "2026-10", "--report", "monthly-by-service", "--output", "json");

        Assert.True(result.Exit == CliApp.Ok, result.Error);
        var events = JsonDocument.Parse(result.Output).RootElement.EnumerateArray().ToList();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal("report#monthly-by-service#2026-10", Text(e, "stream")));
        Assert.StartsWith("CostSnapshotCollected", Text(events[0], "type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_AWeek_CollectsOnlyTheWeeklyDigestAgainUnderAFreshRequest()
    {
        await Run("run", "--date", "2026-11-29");

        var result = await Run("replay", "--week", "2026-W48", "--output", "json");

        var row = Assert.Single(Rows(result));
        Assert.Equal("weekly-by-service", Text(row, "reportId"));
        Assert.Equal("2026-W48", Text(row, "date"));
        Assert.Equal("weekly", Text(row, "cadence"));
        Assert.StartsWith("replay-", Text(row, "requestId"), StringComparison.Ordinal);
        Assert.Equal(1, row.GetProperty("costSourceRequests").GetInt32());
    }

    [Fact]
    public async Task Replay_AMonth_CollectsOnlyTheMonthlyDigest()
    {
        var result = await Run("replay", "--month", "2026-11", "--output", "json");

        var row = Assert.Single(Rows(result));
        Assert.Equal(("monthly-by-service", "2026-11", "monthly"), (Text(row, "reportId"), Text(row, "date"), Text(row, "cadence")));
        Assert.Equal(1, row.GetProperty("snapshotVersion").GetInt64());
    }

    [Theory]
    [InlineData(new[] { "--week", "2026-W46", "--to", "2026-W48" }, new[] { "weekly-by-service 2026-W46", "weekly-by-service 2026-W47", "weekly-by-service 2026-W48" })]
    [InlineData(new[] { "--month", "2026-09", "--to", "2026-11" }, new[] { "monthly-by-service 2026-09", "monthly-by-service 2026-10", "monthly-by-service 2026-11" })]
    [InlineData(
        new[] { "--date", "2026-11-29" },
        new[] { "daily-by-service 2026-11-29", "daily-by-account 2026-11-29", "daily-by-team 2026-11-29", "weekly-by-service 2026-W48" })]
    [InlineData(
        new[] { "--date", "2026-11-30" },
        new[] { "daily-by-service 2026-11-30", "daily-by-account 2026-11-30", "daily-by-team 2026-11-30", "monthly-by-service 2026-11" })]
    public async Task Replay_DryRun_PlansEachReportsPeriodsThatEndInTheRange(string[] periods, string[] expected)
    {
        var result = await Run(["replay", .. periods, "--dry-run", "--output", "json"]);

        Assert.True(result.Exit == CliApp.Ok, result.Error);
        var summary = JsonDocument.Parse(result.Output).RootElement;
        Assert.True(summary.GetProperty("dryRun").GetBoolean());
        Assert.Equal(expected, summary.GetProperty("messages").EnumerateArray().Select(m => $"{Text(m, "reportId")} {Text(m, "date")}"));
    }

    [Fact]
    public async Task Replay_DryRunOfASundayWhoseWeekStartsBeforeCostExplorersHistory_LeavesTheWeekOutAndSaysWhy()
    {
        var result = await Run("replay", "--date", "2025-11-02", "--dry-run", "--output", "json");

        Assert.True(result.Exit == CliApp.Ok, result.Error);
        var planned = JsonDocument.Parse(result.Output).RootElement.GetProperty("messages").EnumerateArray();
        Assert.Equal(["2025-11-02", "2025-11-02", "2025-11-02"], planned.Select(m => Text(m, "date")));
        Assert.Equal(
            "skipped weekly-by-service 2025-W44: week 2025-W44 starts on 2025-10-27, before Cost Explorer's 13 months of history; the earliest day is 2025-11-01",
            OneLine(result.Error));
    }

    [Fact]
    public async Task Replay_OfASundayWhoseWeekStartsBeforeCostExplorersHistory_SaysTheWeekWasSkipped()
    {
        var result = await Run("replay", "--date", "2025-11-02", "--report", "weekly-by-service", "--output", "json");

        Assert.Empty(Rows(result));
        Assert.Contains(
            "skipped weekly-by-service 2025-W44: week 2025-W44 starts on 2025-10-27, before Cost Explorer's 13 months of history",
            result.Error,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "replay", "--week", "2026-W54" }, "--week '2026-W54' is not an ISO week: 2026 has weeks 01 to 53.")]
    [InlineData(new[] { "replay", "--week", "2025-W53" }, "--week '2025-W53' is not an ISO week: 2025 has weeks 01 to 52.")]
    [InlineData(new[] { "replay", "--month", "2026-13" }, "--month '2026-13' is not a month: use yyyy-MM with a month from 01 to 12.")]
    [InlineData(new[] { "replay", "--week", "2026-11" }, "--week '2026-11' is not an ISO week (yyyy-Www, e.g. 2026-W48).")]
    [InlineData(new[] { "replay", "--month", "2026-W48" }, "--month '2026-W48' is not a month (yyyy-MM, e.g. 2026-11).")]
    [InlineData(new[] { "replay", "--week", "garbage" }, "--week 'garbage' is not a period: use a day (yyyy-MM-dd), an ISO week (yyyy-Www) or a month (yyyy-MM).")]
    [InlineData(new[] { "replay", "--week", "2026-W49" }, "week 2026-W49 has not ended: its last usage day 2026-12-06 is after the latest complete day 2026-11-30.")]
    [InlineData(new[] { "replay", "--month", "2026-12" }, "month 2026-12 has not ended: its last usage day 2026-12-31 is after the latest complete day 2026-11-30.")]
    [InlineData(new[] { "replay", "--week", "2026-W47", "--to", "2026-W49" }, "week 2026-W49 has not ended: its last usage day 2026-12-06 is after the latest complete day 2026-11-30.")]
    [InlineData(new[] { "replay", "--week", "2025-W44" }, "week 2025-W44 starts on 2025-10-27, before Cost Explorer's 13 months of history; the earliest day is 2025-11-01.")]
    [InlineData(new[] { "replay", "--month", "2025-10" }, "month 2025-10 starts on 2025-10-01, before Cost Explorer's 13 months of history; the earliest day is 2025-11-01.")]
    [InlineData(new[] { "replay", "--week", "2026-W40", "--to", "2026-11" }, "--to '2026-11' is not an ISO week (yyyy-Www, e.g. 2026-W48).")]
    [InlineData(new[] { "replay", "--month", "2026-09", "--to", "2026-W48" }, "--to '2026-W48' is not a month (yyyy-MM, e.g. 2026-11).")]
    [InlineData(new[] { "replay", "--week", "2026-W48", "--to", "2026-W46" }, "--to 2026-W46 is before --week 2026-W48; give the first period with --week and the last with --to.")]
    [InlineData(new[] { "replay", "--month", "2026-11", "--to", "2026-09" }, "--to 2026-09 is before --month 2026-11; give the first period with --month and the last with --to.")]
    [InlineData(new[] { "snapshots", "list", "--from", "2026-W40", "--to", "2026-11" }, "--from 2026-W40 and --to 2026-11 are not the same kind of period: give two days, two weeks or two months.")]
    [InlineData(new[] { "snapshots", "list", "--from", "2026-W48", "--to", "2026-W40" }, "--to 2026-W40 is before --from 2026-W48.")]
    [InlineData(new[] { "snapshots", "list", "--from", "2026-W54", "--to", "2026-W55" }, "--from '2026-W54' is not an ISO week: 2026 has weeks 01 to 53.")]
    [InlineData(new[] { "snapshots", "list", "--from", "2026-10", "--to", "2026-13" }, "--to '2026-13' is not a month: use yyyy-MM with a month from 01 to 12.")]
    [InlineData(new[] { "snapshots", "show", "--week", "2026-W54" }, "--week '2026-W54' is not an ISO week: 2026 has weeks 01 to 53.")]
    [InlineData(new[] { "snapshots", "show", "--month", "2026-13" }, "--month '2026-13' is not a month: use yyyy-MM with a month from 01 to 12.")]
    [InlineData(new[] { "events", "--week", "2026-11-29" }, "--week '2026-11-29' is not an ISO week (yyyy-Www, e.g. 2026-W48).")]
    [InlineData(new[] { "events", "--month", "2026-00" }, "--month '2026-00' is not a month: use yyyy-MM with a month from 01 to 12.")]
    public async Task APeriodThatIsMalformedOrCannotBeServed_ExitsTwoWithOneLineNamingTheProblem(string[] args, string message)
    {
        var result = await Run(args);

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Equal("error: " + message, OneLine(result.Error));
        Assert.False(Directory.Exists(_dataDir));
    }

    [Theory]
    [InlineData("replay", "--report", "daily-by-service")]
    [InlineData("replay", "--date", "2026-11-29", "--week", "2026-W48")]
    [InlineData("replay", "--week", "2026-W48", "--month", "2026-11")]
    [InlineData("snapshots", "show")]
    [InlineData("snapshots", "show", "--date", "2026-11-29", "--month", "2026-11")]
    [InlineData("events", "--week", "2026-W48", "--month", "2026-11")]
    public async Task NoneOrTwoOfDateWeekAndMonth_ExitsTwo(params string[] args)
    {
        var result = await Run(args);

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Contains("error: Give one of --date, --week or --month.", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dataDir));
    }

    [Theory]
    [InlineData("--week", "2026-W48", "daily-by-service", false, "report 'daily-by-service' is daily, so it takes a day (yyyy-MM-dd), not '2026-W48'.")]
    [InlineData("--week", "2026-W48", "daily-by-service", true, "report 'daily-by-service' is daily, so it takes a day (yyyy-MM-dd), not '2026-W48'.")]
    [InlineData("--month", "2026-11", "weekly-by-service", false, "report 'weekly-by-service' is weekly, so it takes an ISO week (yyyy-Www, e.g. 2026-W48), not '2026-11'.")]
    [InlineData("--month", "2026-11", "weekly-by-service", true, "report 'weekly-by-service' is weekly, so it takes an ISO week (yyyy-Www, e.g. 2026-W48), not '2026-11'.")]
    [InlineData("--week", "2026-W48", "monthly-by-service", false, "report 'monthly-by-service' is monthly, so it takes a month (yyyy-MM, e.g. 2026-11), not '2026-W48'.")]
    public async Task Replay_AWeekOrMonthOfAReportOfAnotherCadence_ExitsTwoSayingWhatTheReportTakes_DryRunOrNot(
        string option, string period, string report, bool dryRun, string message)
    {
        string[] args = ["replay", option, period, "--report", report];

        var result = await Run(dryRun ? [.. args, "--dry-run"] : args);

        Assert.Equal(CliApp.Usage, result.Exit);
        Assert.Equal("error: " + message, OneLine(result.Error));
        Assert.Empty(result.Output);
    }

    private async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] withDataDir = args.Contains("--data-dir") ? args : [.. args, "--data-dir", _dataDir];
        var exit = await CliApp.RunAsync(withDataDir, output, error, _time, CliEnvironment.From(new Dictionary<string, string?>()), CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private static List<JsonElement> Rows((int Exit, string Output, string Error) result)
    {
        Assert.False(string.IsNullOrWhiteSpace(result.Output), $"exit {result.Exit}: {result.Error}");
        return JsonDocument.Parse(result.Output).RootElement.GetProperty("reports").EnumerateArray().ToList();
    }

    private static string? Text(JsonElement element, string property) => element.GetProperty(property).GetString();

    private static string OneLine(string text) => Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('\r');
}
