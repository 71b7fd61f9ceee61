using System.Text;
using System.Text.Json;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Chat;
using CostNotifier.Notifier.Email;
using CostNotifier.UnitTests.Email;
using Xunit.Abstractions;

namespace CostNotifier.UnitTests.Chat;

public sealed class ChatSizeTests(ITestOutputHelper output)
{
    private const int SlackMaxBlocks = 50;
    private const int SlackHeaderChars = 150;
    private const int SlackTextChars = 3_000;
    private const int SlackFieldChars = 2_000;
    private const int SlackMaxFields = 10;
    private const int SlackMaxElements = 10;
    private const int SlackFallbackChars = 4_000;
    private const int TeamsMaxBytes = 28_000;

    // '&' takes the most room once escaped for either service; the other is the hostile mix.
    private const string Ampersands = "&";
    private const string Mix = "<!channel>*_~`[x](y){{@here|#!+-\\";

    public static TheoryData<Cadence, string, int> WorstCases
    {
        get
        {
            var data = new TheoryData<Cadence, string, int>();
            foreach (var cadence in new[] { Cadence.Daily, Cadence.Weekly, Cadence.Monthly })
            {
                foreach (var pattern in new[] { Ampersands, Mix })
                {
                    // The renderer as registered, and one that would list every group the email lists.
                    data.Add(cadence, pattern, ReportChatRenderer.DefaultMaxGroups);
                    data.Add(cadence, pattern, ReportEmailModel.MaxTop);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(WorstCases))]
    public void Render_WorstCase_StaysWithinSlackAndTeamsLimits(Cadence cadence, string pattern, int maxGroups)
    {
        // Arrange: 300 groups and 10 credits with 10,000-character names, the top 100 in the email, every notice,
        // a full "What changed", every section of the cadence, all text made of characters that need escaping.
        var (report, snapshot) = WorstCase(cadence, pattern);

        // Act
        var chat = new ReportChatRenderer(maxGroups).Render(report, snapshot, 9, Trigger.Backfill);

        // Assert
        using var slack = JsonDocument.Parse(chat.SlackPayload);
        var blocks = slack.RootElement.GetProperty("blocks").EnumerateArray().ToList();
        var teamsBytes = Encoding.UTF8.GetByteCount(chat.TeamsPayload);
        output.WriteLine($"{cadence.ToWireName()}, '{pattern}', up to {maxGroups} groups: Slack {blocks.Count} blocks, {Encoding.UTF8.GetByteCount(chat.SlackPayload):N0} bytes; Teams {teamsBytes:N0} bytes");
        AssertWithinSlackLimits(slack.RootElement);
        Assert.InRange(teamsBytes, 1, TeamsMaxBytes);
        using var teams = JsonDocument.Parse(chat.TeamsPayload);
        Assert.Contains("more groups in the email", chat.TeamsPayload, StringComparison.Ordinal);
        if (maxGroups < ReportEmailModel.MaxTop)
        {
            Assert.Contains("more groups in the email", chat.SlackPayload, StringComparison.Ordinal);
        }

        ChatEscapingTests.AssertInert(chat);
    }

    [Fact]
    public void Render_EveryGroupTheEmailLists_FoldsTheTeamsTableToTheSizeLimit()
    {
        // Arrange: without the chat's own cap, the hundred lines of the email's table would pass Teams' limit.
        var (report, snapshot) = WorstCase(Cadence.Daily, Ampersands);

        // Act
        var chat = new ReportChatRenderer(ReportEmailModel.MaxTop).Render(report, snapshot, 9, Trigger.Backfill);

        // Assert: the table is cut to what fits, close to the limit, and the note counts what it left to the email.
        using var teams = JsonDocument.Parse(chat.TeamsPayload);
        var note = FoldNote(ChatPayloads.TeamsTexts(teams.RootElement).Select(t => t.Text));
        Assert.InRange(note, 300 - 100 + 1, 300 - 1);
        Assert.InRange(Encoding.UTF8.GetByteCount(chat.TeamsPayload), TeamsMaxBytes - 2_000, TeamsMaxBytes);
    }

    [Fact]
    public void SlackWriter_TableLongerThanTheBlocksLeft_GivesUpRowsAndSaysSo()
    {
        // Arrange: fifty blocks hold the email's hundred lines, so a smaller budget stands in for a longer message.
        var (report, snapshot) = WorstCase(Cadence.Weekly, Mix);
        var model = ReportEmailModel.Create(report, snapshot, 9, Trigger.Backfill);

        // Act
        var payload = SlackMessageWriter.Write(model, ReportEmailModel.MaxTop, maxBlocks: 25);

        // Assert: exactly the budget is used, and the note counts the groups left to the email.
        using var slack = JsonDocument.Parse(payload);
        Assert.Equal(25, slack.RootElement.GetProperty("blocks").GetArrayLength());
        var note = FoldNote(ChatPayloads.SlackTexts(slack.RootElement).Select(t => t.Text));
        Assert.InRange(note, 300 - 100 + 1, 300 - 1);
        // A cost line's figures are amount, share and change; sums and credits have no share.
        var listed = slack.RootElement.GetProperty("blocks").EnumerateArray()
            .Where(b => b.TryGetProperty("fields", out _))
            .Sum(b => b.GetProperty("fields").EnumerateArray().Count(f => f.GetProperty("type").GetString() == "plain_text"
                && f.GetProperty("text").GetString()!.Split(" \u00B7 ").Length == 3));
        Assert.Equal(300 - note, listed);
    }

    [Fact]
    public void Render_ThreeHundredGroups_TakesUnderFiftyMillisecondsPerReport()
    {
        // Arrange: every line of the email's hundred, so Teams' table folds, and long names that need escaping.
        var groups = CostSnapshotFaker.Snapshot(45, groupCount: 300).Figures.Groups
            .Select((g, i) => g with { Key = string.Concat(Enumerable.Repeat("<&*>", 10)) + i })
            .ToList();
        var snapshot = CostSnapshotFaker.WithGroups(45, groups).WithInsights();
        var report = CostSnapshotFaker.Report(top: ReportEmailModel.MaxTop);
        var renderer = new ReportChatRenderer(ReportEmailModel.MaxTop);
        renderer.Render(report, snapshot, 1, Trigger.Scheduled);
        const int reports = 100;

        // Act
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < reports; i++)
        {
            renderer.Render(report, snapshot, 1, Trigger.Scheduled);
        }

        clock.Stop();

        // Assert: a few milliseconds on a quiet machine. The bound leaves room for a busy build machine, so it catches
        // a renderer many times slower (a template engine, a fold that re-serialises per character), not a few ms.
        var perReport = clock.Elapsed.TotalMilliseconds / reports;
        output.WriteLine($"{perReport:F3} ms per chat rendering of 300 groups");
        Assert.InRange(perReport, 0, 50);
    }

    private static void AssertWithinSlackLimits(JsonElement root)
    {
        Assert.InRange(root.GetProperty("text").GetString()!.Length, 1, SlackFallbackChars);
        var blocks = root.GetProperty("blocks").EnumerateArray().ToList();
        Assert.InRange(blocks.Count, 1, SlackMaxBlocks);
        foreach (var block in blocks)
        {
            switch (block.GetProperty("type").GetString())
            {
                case "header":
                    Assert.Equal("plain_text", block.GetProperty("text").GetProperty("type").GetString());
                    AssertText(block.GetProperty("text"), SlackHeaderChars);
                    break;
                case "section":
                    Assert.True(block.TryGetProperty("text", out _) || block.TryGetProperty("fields", out _), "a section needs text or fields");
                    if (block.TryGetProperty("text", out var text))
                    {
                        AssertText(text, SlackTextChars);
                    }

                    if (block.TryGetProperty("fields", out var fields))
                    {
                        Assert.InRange(fields.GetArrayLength(), 1, SlackMaxFields);
                        foreach (var field in fields.EnumerateArray())
                        {
                            AssertText(field, SlackFieldChars);
                        }
                    }

                    break;
                case "context":
                    var elements = block.GetProperty("elements");
                    Assert.InRange(elements.GetArrayLength(), 1, SlackMaxElements);
                    foreach (var element in elements.EnumerateArray())
                    {
                        AssertText(element, SlackTextChars);
                    }

                    break;
                case "divider":
                    break;
                default:
                    Assert.Fail("unexpected block " + block.GetProperty("type").GetString());
                    break;
            }
        }

        static void AssertText(JsonElement text, int limit)
        {
            Assert.Contains(text.GetProperty("type").GetString(), new[] { "plain_text", "mrkdwn" });
            Assert.InRange(text.GetProperty("text").GetString()!.Length, 1, limit);
        }
    }

    private static int FoldNote(IEnumerable<string> texts)
    {
        const string start = "\u2026 and ";
        var text = texts.Single(t => t.Contains(start, StringComparison.Ordinal));
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return int.Parse(text[from..text.IndexOf(' ', from)], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static (ReportDefinition Report, CostSnapshot Snapshot) WorstCase(Cadence cadence, string pattern)
    {
        string Text(int length) => string.Concat(Enumerable.Repeat(pattern, (length / pattern.Length) + 1))[..length];
        var tagKey = Text(128).Replace("$", string.Empty, StringComparison.Ordinal);
        var groupBy = GroupBy.Parse("TAG:" + tagKey);
        var daily = cadence == Cadence.Daily;
        var weekly = cadence == Cadence.Weekly;
        var period = ReportPeriod.Parse(cadence switch
        {
            Cadence.Weekly => DigestSnapshots.Week,
            Cadence.Monthly => DigestSnapshots.Month,
            _ => "2026-11-24",
        });

        // Groups that rose, fell, appeared and vanished by eight-figure amounts, so every cell is at its widest.
        var groups = Enumerable.Range(0, 300)
            .Select(i => new GroupLine(tagKey + "$" + Text(10_000), i % 3 == 2 ? 0m : 99_999_999.99m - i, i % 3 == 1 ? null : 88_888_888.88m + (i % 2 == 0 ? -i : i), 0.01m))
            .Concat(Enumerable.Range(0, 10).Select(i => new GroupLine(tagKey + "$" + Text(10_000), -99_999_999.99m + i, -0.01m, null)))
            .ToList();
        var total = groups.Sum(g => g.Amount);
        var trend = Enumerable.Range(0, daily ? 31 : weekly ? 12 : 13)
            .Select(i => daily ? period.First.AddDays(i - 30).ToString() : period.Add(i - (weekly ? 11 : 12)).ToString())
            .Select(p => new DayTotal(p, 9_999_999_999.99m, true))
            .ToList();
        var days = Enumerable.Range(0, 7).Select(i => new DayTotal(period.First.AddDays(i).ToString(), 9_999_999_999.99m - i, true)).ToList();
        var figures = new CostFigures(
            groupBy.ToString(),
            Text(100),
            Text(20),
            total,
            true,
            groups.Sum(g => g.PreviousDay ?? 0m) + 12_345_678.91m,
            daily ? 0.01m : null,
            999_999_999.99m,
            groups,
            trend)
        {
            Anomalies =
            [
                .. Enumerable.Range(0, 10).Select(i => new CostAnomaly(
                    tagKey + "$" + Text(10_000),
                    i % 2 == 0 ? AnomalyKind.Spike : AnomalyKind.Drop,
                    99_999_999.99m,
                    -99_999_999.99m,
                    -99_999_999.98m,
                    -199_999_999.99m) { Date = daily ? null : Text(100) }),
            ],
            Forecast = cadence == Cadence.Monthly ? null : new MonthForecast("2026-11", 9_999_999_999.99m, -9_999_999_999.99m, 9_999_999_999.99m, Text(500)),
            Digest = daily ? null : new DigestFigures(
                period.Previous.ToString(),
                period.Add(weekly ? -4 : -12).ToString(),
                weekly ? days : [],
                weekly ? null : new ForecastCheck(Text(500), Text(500), -9_999_999_999.99m, -9_999_999_999.99m, 9_999_999_999.99m)),
        };
        var collected = new CostSnapshotCollected
        {
            ReportId = "production",
            Date = period.ToString(),
            RequestId = "backfill-" + period,
            Trigger = Trigger.Backfill,
            Figures = figures,
            Restated = [.. Enumerable.Range(1, 10).Select(i => new RestatedPeriod(Text(100) + i, -99_999_999_999.99m, -99_999_999_999.98m, 2))],
            CostSourceRequests = 4,
            CollectedAt = new DateTimeOffset(2026, 12, 1, 6, 12, 0, TimeSpan.Zero),
        };
        var snapshot = new CostSnapshotRevised(collected, revisesVersion: 8, previousTotal: -99_999_999_999.99m);
        var report = CostSnapshotFaker.Report(top: ReportEmailModel.MaxTop, name: Text(10_000), groupBy: groupBy, budget: 0.01m) with { Cadence = cadence };
        return (report, snapshot);
    }
}
