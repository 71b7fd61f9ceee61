using System.Text.Json;
using System.Text.RegularExpressions;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier;
using CostNotifier.Notifier.Chat;
using CostNotifier.Notifier.Email;
using CostNotifier.UnitTests.Email;
using Microsoft.Extensions.DependencyInjection;

namespace CostNotifier.UnitTests.Chat;

public sealed partial class ReportChatRendererTests
{
    private readonly ReportChatRenderer _renderer = new();
    private readonly ReportEmailRenderer _email = new();

    public static TheoryData<string> Cadences => ["daily", "weekly", "monthly"];

    [Theory]
    [MemberData(nameof(Cadences))]
    public void Render_Payloads_AreJsonOfTheShapeEachServiceTakes(string cadence)
    {
        // Arrange
        var (report, snapshot) = Example(cadence);

        // Act
        var chat = _renderer.Render(report, snapshot, 3, Trigger.Scheduled);

        // Assert
        using var slack = JsonDocument.Parse(chat.SlackPayload);
        Assert.Equal(JsonValueKind.String, slack.RootElement.GetProperty("text").ValueKind);
        Assert.False(slack.RootElement.GetProperty("unfurl_links").GetBoolean());
        Assert.False(slack.RootElement.GetProperty("unfurl_media").GetBoolean());
        var blocks = slack.RootElement.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.All(blocks, b => Assert.Contains(b.GetProperty("type").GetString(), new[] { "header", "section", "context", "divider" }));

        using var teams = JsonDocument.Parse(chat.TeamsPayload);
        Assert.Equal("message", teams.RootElement.GetProperty("type").GetString());
        var attachment = Assert.Single(teams.RootElement.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal(JsonValueKind.Null, attachment.GetProperty("contentUrl").ValueKind);
        var card = attachment.GetProperty("content");
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", card.GetProperty("$schema").GetString());
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("1.5", card.GetProperty("version").GetString());
        Assert.Equal("Full", card.GetProperty("msteams").GetProperty("width").GetString());
        var body = card.GetProperty("body").EnumerateArray().ToList();
        Assert.Contains(body, e => e.GetProperty("type").GetString() == "FactSet");
        Assert.Single(body, e => e.GetProperty("type").GetString() == "Table");
    }

    [Theory]
    [MemberData(nameof(Cadences))]
    public void Render_TotalAndChanges_AreTheTextEmailsToTheCent(string cadence)
    {
        // Arrange
        var (report, snapshot) = Example(cadence);
        var text = _email.Render(report, snapshot, 3, Trigger.Scheduled).Text;
        var heading = cadence switch
        {
            "weekly" => "Total for the week",
            "monthly" => "Total for the month",
            _ => "Total for the day",
        };
        var totalLine = Cells(Line(text, heading));
        var total = totalLine[1];
        var figures = text.Split('\n').Where(l => l.StartsWith("vs ", StringComparison.Ordinal)).Take(2).Select(Cells).ToList();

        // Act
        var chat = _renderer.Render(report, snapshot, 3, Trigger.Scheduled);

        // Assert: the figures are the email's, and their labels too.
        Assert.Equal(2, figures.Count);
        var facts = Facts(chat.TeamsPayload);
        var slackFields = SlackTexts(chat.SlackPayload);
        Assert.Contains(TeamsTextBlocks(chat.TeamsPayload), t => t == total);
        Assert.Contains(slackFields, t => t.StartsWith("*" + heading + "*\n*" + total + "*" + (totalLine.Length > 2 ? " " + totalLine[2] : "\n"), StringComparison.Ordinal));
        foreach (var cells in figures)
        {
            var value = string.Join(' ', cells.Skip(1));
            Assert.Equal(value, facts[cells[0]]);
            Assert.Contains("*" + cells[0] + "*\n" + value, slackFields);
        }

        Assert.StartsWith(_email.Render(report, snapshot, 3, Trigger.Scheduled).Subject, chat.FallbackText, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cadences))]
    public void Render_GroupRows_AreTheTextEmailsRows(string cadence)
    {
        // Arrange
        var (report, snapshot) = Example(cadence);
        var emailRows = _email.Render(report, snapshot, 3, Trigger.Scheduled).Text.Split('\n').Select(Normalise).ToHashSet();

        // Act
        var chat = _renderer.Render(report, snapshot, 3, Trigger.Scheduled);

        // Assert: every row with figures, in Teams' table and in Slack's fields, is a row of the email as written.
        var teamsRows = TeamsTableRows(chat.TeamsPayload).Skip(1).Where(r => r.Count(c => c.Length > 0) > 1).ToList();
        Assert.True(teamsRows.Count >= 5, $"only {teamsRows.Count} rows");
        Assert.All(teamsRows, row => Assert.Contains(Normalise(Unescape(string.Join(' ', row))), emailRows));

        var slackRows = SlackTableRows(chat.SlackPayload);
        Assert.Equal(teamsRows.Count, slackRows.Count);
        Assert.All(slackRows, row => Assert.Contains(Normalise(row), emailRows));
    }

    [Fact]
    public void Render_MoreGroupsThanChatLists_SaysHowManyMoreTheEmailHas()
    {
        // Arrange: the email lists 25 of 29 cost groups; chat lists 15.
        var snapshot = CostSnapshotFaker.Snapshot(21, groupCount: 30);
        var costGroups = snapshot.Figures.Groups.Count(g => g.Amount > 0);

        // Act
        var chat = _renderer.Render(CostSnapshotFaker.Report(top: 25), snapshot, 1, Trigger.Scheduled);

        // Assert
        var note = $"\u2026 and {costGroups - ReportChatRenderer.DefaultMaxGroups} more groups in the email";
        Assert.Contains(SlackTexts(chat.SlackPayload), t => t.Contains(note, StringComparison.Ordinal));
        Assert.Contains(TeamsTextBlocks(chat.TeamsPayload), t => t == note);
        // Cost lines are the rows with a share; sums and credits have none.
        Assert.Equal(ReportChatRenderer.DefaultMaxGroups, TeamsTableRows(chat.TeamsPayload).Skip(1).Count(r => r[2].Length > 0));
    }

    [Fact]
    public void Render_DefaultTop_ListsEveryLineOfTheEmailAndNoNote()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(22, groupCount: 30);

        // Act
        var chat = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.Contains(TeamsTableRows(chat.TeamsPayload), r => Unescape(r[0]).StartsWith("Other (", StringComparison.Ordinal));
        Assert.DoesNotContain("more groups in the email", chat.SlackPayload, StringComparison.Ordinal);
        Assert.DoesNotContain("more groups in the email", chat.TeamsPayload, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DayWithoutCost_SaysSoAsTheEmailDoes()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.WithGroups(25, []);
        var report = CostSnapshotFaker.Report();
        const string noCost = "No cost was recorded for any service on this day.";
        Assert.Contains(noCost, _email.Render(report, snapshot, 1, Trigger.Scheduled).Text, StringComparison.Ordinal);

        // Act
        var chat = _renderer.Render(report, snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.Contains(SlackTexts(chat.SlackPayload), t => t == "*Cost by service*\n" + noCost);
        Assert.Contains(TeamsTextBlocks(chat.TeamsPayload), t => t == noCost);
        Assert.DoesNotContain("\"Table\"", chat.TeamsPayload, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EstimatedRevisedReplay_CarriesTheEmailsNotices()
    {
        // Arrange
        var collected = CostSnapshotFaker.Snapshot(23, estimated: true).WithInsights();
        var snapshot = new CostSnapshotRevised(collected, revisesVersion: 2, previousTotal: 12.34m);
        var report = CostSnapshotFaker.Report();
        var text = _email.Render(report, snapshot, 3, Trigger.Replay).Text;

        // Act
        var chat = _renderer.Render(report, snapshot, 3, Trigger.Replay);

        // Assert
        var notices = new[] { "Revised figures:", "Sent again on request:", "Cost Explorer still marks this day as estimated." }
            .Select(start => text.Split('\n').Single(l => l.Contains(start, StringComparison.Ordinal)))
            .Select(l => l.Trim('*', ' '))
            .ToList();
        var teams = TeamsTextBlocks(chat.TeamsPayload);
        var slack = string.Join('\n', SlackTexts(chat.SlackPayload));
        Assert.Contains(teams, t => t == "Provisional:");
        Assert.Contains(teams, t => t == "estimated");
        Assert.Contains(teams, t => t.StartsWith("Revised figures:", StringComparison.Ordinal) && notices.Contains(t));
        Assert.Contains(teams, t => t.StartsWith("Sent again on request:", StringComparison.Ordinal) && notices.Contains(t));
        Assert.Contains("*Provisional:* Cost Explorer still marks this day as estimated.", slack, StringComparison.Ordinal);
        Assert.Contains("Snapshot version 3 \u00B7", slack, StringComparison.Ordinal);
        Assert.Contains(teams, t => t.StartsWith("Snapshot version 3 \u00B7", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_WhatChangedAndProjection_AreTheEmailsLines()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(24).WithInsights();
        var report = CostSnapshotFaker.Report(budget: 5_000m);
        var text = _email.Render(report, snapshot, 1, Trigger.Scheduled).Text.Split('\n');
        var changes = text.SkipWhile(l => l != "What changed").Skip(1).TakeWhile(l => l.Length > 0).Select(l => l[2..]).ToList();

        // Act
        var chat = _renderer.Render(report, snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.True(changes.Count >= 5, $"only {changes.Count} lines");
        var slack = string.Join('\n', SlackTexts(chat.SlackPayload));
        var teams = TeamsTextBlocks(chat.TeamsPayload);
        Assert.All(changes, line => Assert.Contains("\u2022 " + line, slack, StringComparison.Ordinal));
        Assert.All(changes, line => Assert.Contains(teams, t => Unescape(t) == "\u2022 " + line));
        var projection = Cells(Line(text, "Projected month total"));
        Assert.Equal(projection[1] + " " + projection[2], Facts(chat.TeamsPayload)["Projected month total"]);
        Assert.Contains("Projected month total", slack, StringComparison.Ordinal);
        var budget = text.First(l => l.Contains("budget", StringComparison.Ordinal) && !l.StartsWith("- ", StringComparison.Ordinal));
        Assert.Contains(budget, slack, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WeeklyDigest_ShowsItsDaysAndMovers()
    {
        // Arrange
        var (report, snapshot) = Example("weekly");

        // Act
        var chat = _renderer.Render(report, snapshot, 3, Trigger.Scheduled);

        // Assert
        var facts = Facts(chat.TeamsPayload);
        Assert.Equal("$1,250.00", facts["Mon 23 Nov"]);
        Assert.Equal("$914.00", facts["Sun 29 Nov"]);
        Assert.Equal("$4,200.00, +$300.00 +7.7%", facts["Amazon Elastic Compute Cloud \\- Compute"]);
        var slack = string.Join('\n', SlackTexts(chat.SlackPayload));
        Assert.Contains("*Day by day*\nMon 23 Nov: $1,250.00", slack, StringComparison.Ordinal);
        Assert.Contains("*Biggest moves vs previous week*\n*Increases*\n\u2022 ", slack, StringComparison.Ordinal);
        Assert.Contains("\n\u2022 Amazon Elastic Compute Cloud - Compute: $4,200.00, +$300.00 +7.7%", slack, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MonthlyDigest_ChecksTheForecastAsTheEmailDoes()
    {
        // Arrange
        var (report, snapshot) = Example("monthly");
        var check = Line(_email.Render(report, snapshot, 3, Trigger.Scheduled).Text, "A forecast made on");

        // Act
        var chat = _renderer.Render(report, snapshot, 3, Trigger.Scheduled);

        // Assert
        Assert.Contains(TeamsTextBlocks(chat.TeamsPayload), t => Unescape(t) == check);
        Assert.Contains(check, string.Join('\n', SlackTexts(chat.SlackPayload)), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cadences))]
    public void Render_SameInput_GivesTheSameBytes(string cadence)
    {
        // Arrange
        var (report, snapshot) = Example(cadence);

        // Act
        var first = new ReportChatRenderer().Render(report, snapshot, 3, Trigger.Backfill);
        var second = new ReportChatRenderer().Render(report, snapshot, 3, Trigger.Backfill);

        // Assert
        Assert.Equal(first, second);
    }

    [Fact]
    public void AddNotifierCommands_RegistersOneChatRenderer()
    {
        // Arrange
        using var services = new ServiceCollection().AddNotifierCommands().BuildServiceProvider();

        // Act
        var renderer = services.GetRequiredService<ReportChatRenderer>();

        // Assert
        Assert.Same(renderer, services.GetRequiredService<ReportChatRenderer>());
    }

    internal static (ReportDefinition Report, CostSnapshot Snapshot) Example(string cadence) => cadence switch
    {
        "weekly" => (DigestSnapshots.WeeklyReport(), DigestSnapshots.Weekly()),
        "monthly" => (DigestSnapshots.MonthlyReport(budget: 8_000m), DigestSnapshots.Monthly()),
        _ => (CostSnapshotFaker.Report(), CostSnapshotFaker.Snapshot(20).WithInsights()),
    };

    internal static List<string> SlackTexts(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        return [.. ChatPayloads.SlackTexts(document.RootElement).Select(t => t.Text)];
    }

    internal static List<string> TeamsTextBlocks(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        return [.. ChatPayloads.TeamsTexts(document.RootElement).Where(t => !t.Text.Contains('\n', StringComparison.Ordinal)).Select(t => t.Text)];
    }

    private static Dictionary<string, string> Facts(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var set in Body(document.RootElement).Where(e => e.GetProperty("type").GetString() == "FactSet"))
        {
            foreach (var fact in set.GetProperty("facts").EnumerateArray())
            {
                facts[fact.GetProperty("title").GetString()!] = fact.GetProperty("value").GetString()!;
            }
        }

        return facts;
    }

    /// <summary>The cells of the Teams table, row by row; an empty cell is an empty string.</summary>
    private static List<string[]> TeamsTableRows(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        var table = Body(document.RootElement).Single(e => e.GetProperty("type").GetString() == "Table");
        return [.. table.GetProperty("rows").EnumerateArray().Select(row => row.GetProperty("cells").EnumerateArray()
            .Select(cell => cell.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()!).FirstOrDefault() ?? string.Empty)
            .ToArray())];
    }

    /// <summary>The rows of Slack's table with figures, each as "name amount share change".</summary>
    private static List<string> SlackTableRows(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        var rows = new List<string>();
        foreach (var block in document.RootElement.GetProperty("blocks").EnumerateArray())
        {
            if (!block.TryGetProperty("fields", out var fields))
            {
                continue;
            }

            var texts = fields.EnumerateArray().Select(f => (Type: f.GetProperty("type").GetString(), Text: f.GetProperty("text").GetString()!)).ToList();
            for (var i = 0; i + 1 < texts.Count; i += 2)
            {
                // Table rows carry their figures in plain text; the column heading and the headline figures are mrkdwn.
                if (texts[i + 1].Type == "plain_text")
                {
                    rows.Add(texts[i].Text.Trim('*') + " " + texts[i + 1].Text.Replace(" \u00B7 ", " ", StringComparison.Ordinal));
                }
            }
        }

        return rows;
    }

    private static IEnumerable<JsonElement> Body(JsonElement root) =>
        root.GetProperty("attachments")[0].GetProperty("content").GetProperty("body").EnumerateArray();

    private static string Line(IEnumerable<string> lines, string start) => lines.First(l => l.StartsWith(start, StringComparison.Ordinal));

    private static string Line(string text, string start) => Line(text.Split('\n'), start);

    private static string[] Cells(string line) => Columns().Split(line.Trim());

    private static string Normalise(string line) => Spaces().Replace(line.Trim(), " ");

    /// <summary>Teams' text as a reader sees it: markdown escapes taken off.</summary>
    internal static string Unescape(string text) => Escaped().Replace(text, "$1");

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Columns();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\\(.)")]
    private static partial Regex Escaped();
}
