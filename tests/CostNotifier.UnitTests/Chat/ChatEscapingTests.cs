using System.Text.Json;
using System.Text.RegularExpressions;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Chat;
using CostNotifier.Notifier.Email;
using CostNotifier.UnitTests.Email;
using CostNotifier.UnitTests.Hostile;

namespace CostNotifier.UnitTests.Chat;

public sealed partial class ChatEscapingTests
{
    private const string Benign = "Benign words";

    // Characters our own Teams wording never writes, so any of them unescaped came from data.
    private const string TeamsAlwaysEscaped = "\\*_~[]#!|`<&";

    // Characters our own Teams wording does write ("-$12.34", "(estimated)", "+3.2%").
    private const string TeamsAlsoOurs = "()-+>";

    private static readonly string[] Fragments =
    [
        "<!channel>",
        "<!here>",
        "<@U012AB3CD>",
        "<#C0123>",
        "<https://evil|click>",
        "@channel",
        "@here and @everyone",
        "*bold*",
        "_italic_ ~strike~ `code` ```block```",
        "[x](https://evil)",
        "<at>x</at>",
        "{{DATE(2026-01-01T00:00:00Z, SHORT)}}",
        "{{TIME(2026-01-01T00:00:00Z)}}",
        "line\r\nbreak",
        "invoice\u202Efdp.exe",
        "&lt;!channel&gt;",
        "# heading",
        "> quote",
        "- item",
        "1. item",
        "a\\*b\\*",
        "| table |",
        "![image](https://evil/x.png)",
    ];

    private readonly ReportChatRenderer _renderer = new();

    /// <summary>The brief's fragments and the group keys of the hostile catalogue's Cost Explorer cases.</summary>
    public static TheoryData<string> Hostile
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var fragment in Fragments.Concat(CatalogueKeys()).Distinct(StringComparer.Ordinal))
            {
                data.Add(fragment);
            }

            return data;
        }
    }

    public static TheoryData<string, string> HostileInEveryPlace
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var place in new[] { "service", "tag", "report" })
            {
                foreach (var fragment in Fragments.Concat(CatalogueKeys()).Distinct(StringComparer.Ordinal))
                {
                    data.Add(place, fragment);
                }
            }

            return data;
        }
    }

    public static TheoryData<string, string> HostileInEveryCadence
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var cadence in new[] { "daily", "weekly", "monthly" })
            {
                foreach (var fragment in Fragments)
                {
                    data.Add(cadence, fragment);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(HostileInEveryPlace))]
    public void Render_HostileServiceTagOrReportName_AddsNoMarkupOrMention(string place, string hostile)
    {
        // Arrange
        var (report, snapshot) = InPlace(place, hostile);
        var (benignReport, benignSnapshot) = InPlace(place, Benign);

        // Act
        var chat = _renderer.Render(report, snapshot, 1, Trigger.Scheduled);
        var benign = _renderer.Render(benignReport, benignSnapshot, 1, Trigger.Scheduled);

        // Assert
        AssertInert(chat);
        AssertSameMarkup(benign, chat);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Render_HostileServiceName_IsShownAsText(string hostile)
    {
        // Arrange
        var (report, snapshot) = InPlace("service", hostile);
        var shown = DisplayText.Clean(hostile, ReportEmailModel.MaxLabelLength);

        // Act
        var chat = _renderer.Render(report, snapshot, 1, Trigger.Scheduled);

        // Assert: Slack shows the plain_text with its entities decoded; Teams shows the text with its escapes taken off.
        using var slack = JsonDocument.Parse(chat.SlackPayload);
        var names = ChatPayloads.SlackTexts(slack.RootElement).Where(t => !t.Markup).Select(t => FromSlack(t.Text));
        Assert.Contains(shown, names);
        using var teams = JsonDocument.Parse(chat.TeamsPayload);
        Assert.Contains(shown, ChatPayloads.TeamsTexts(teams.RootElement).Select(t => ReportChatRendererTests.Unescape(t.Text).Replace("\u200B", string.Empty, StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(HostileInEveryCadence))]
    public void Render_HostileTextInEveryField_AddsNoMarkupOrMention(string cadence, string hostile)
    {
        // Arrange: the report name, the tag key and values, anomalies, the projection's basis, a forecast check,
        // an earlier period and the currency all carry the text.
        var (report, snapshot) = Everything(cadence, hostile);
        var (benignReport, benignSnapshot) = Everything(cadence, Benign);

        // Act
        var chat = _renderer.Render(report, snapshot, 2, Trigger.Replay);
        var benign = _renderer.Render(benignReport, benignSnapshot, 2, Trigger.Replay);

        // Assert
        AssertInert(chat);
        AssertSameMarkup(benign, chat);
    }

    [Fact]
    public void SlackText_Mrkdwn_KeepsFormattingCharactersFromOpeningOrClosingASpan()
    {
        // Act
        var text = SlackText.Mrkdwn("*a* _b_ ~c~ `d` <!here> @channel & x");

        // Assert
        Assert.Equal(0, ChatPayloads.UnprotectedSlack(text));
        Assert.Equal("\u200B*\u200Ba\u200B*\u200B \u200B_\u200Bb\u200B_\u200B \u200B~\u200Bc\u200B~\u200B \u200B`\u200Bd\u200B`\u200B &lt;!here&gt; @\u200Dchannel &amp; x", text);
    }

    [Fact]
    public void SlackText_Fit_NeverCutsAnEntityOrLeavesAFormattingCharacterBare()
    {
        // Arrange
        var text = SlackText.Mrkdwn(new string('&', 40)) + SlackText.Mrkdwn(new string('*', 40));

        // Act and assert: every cut is well formed.
        for (var limit = 2; limit < text.Length; limit++)
        {
            var cut = SlackText.Fit(text, limit);
            Assert.InRange(cut.Length, 1, limit);
            Assert.EndsWith("\u2026", cut, StringComparison.Ordinal);
            Assert.Matches(@"^(&amp;)*(\u200B\*\u200B)*\u200B?\u2026$", cut);
        }
    }

    [Fact]
    public void TeamsText_Markdown_EscapesEveryMarkdownCharacterAndBreaksDateFunctions()
    {
        // Act
        var text = TeamsText.Markdown("\\*_~[]()#>+-!|`<&{{DATE(x)}}");

        // Assert
        Assert.Equal("\\\\\\*\\_\\~\\[\\]\\(\\)\\#\\>\\+\\-\\!\\|\\`\\<\\&{\u200B{DATE\\(x\\)}}", text);
        Assert.Equal(0, ChatPayloads.UnescapedMarkdown(text, TeamsAlwaysEscaped + TeamsAlsoOurs));
    }

    /// <summary>Nothing in either payload can be read as a mention, a link, a date function or a line of its own.</summary>
    internal static void AssertInert(RenderedChat chat)
    {
        using var slack = JsonDocument.Parse(chat.SlackPayload);
        foreach (var text in ChatPayloads.AllStrings(slack.RootElement))
        {
            Assert.DoesNotContain('<', text);
            Assert.DoesNotContain('>', text);
            Assert.DoesNotMatch(LooseAmpersand(), text);
            Assert.DoesNotMatch(Broadcast(), text);
            AssertNoControlOrOverride(text);
        }

        using var teams = JsonDocument.Parse(chat.TeamsPayload);
        foreach (var text in ChatPayloads.TeamsTexts(teams.RootElement))
        {
            Assert.Equal(0, ChatPayloads.UnescapedMarkdown(text.Text, TeamsAlwaysEscaped));
            Assert.DoesNotContain("{{", text.Text, StringComparison.Ordinal);
        }

        foreach (var text in ChatPayloads.AllStrings(teams.RootElement))
        {
            AssertNoControlOrOverride(text);
        }
    }

    /// <summary>
    /// The hostile payloads carry exactly as much markup as the benign ones: whatever formatting characters Slack or
    /// Teams would act on are our own, and the line breaks are ours.
    /// </summary>
    private static void AssertSameMarkup(RenderedChat benign, RenderedChat hostile)
    {
        Assert.Equal(SlackMarkup(benign.SlackPayload), SlackMarkup(hostile.SlackPayload));
        Assert.Equal(TeamsMarkup(benign.TeamsPayload), TeamsMarkup(hostile.TeamsPayload));

        static (int Formatting, int Lines, int Blocks) SlackMarkup(string payload)
        {
            using var document = JsonDocument.Parse(payload);
            var texts = ChatPayloads.SlackTexts(document.RootElement);
            return (
                texts.Where(t => t.Markup).Sum(t => ChatPayloads.UnprotectedSlack(t.Text)),
                texts.Sum(t => t.Text.Count(c => c == '\n')),
                document.RootElement.GetProperty("blocks").GetArrayLength());
        }

        static (int Markdown, int Lines, int Texts) TeamsMarkup(string payload)
        {
            using var document = JsonDocument.Parse(payload);
            var texts = ChatPayloads.TeamsTexts(document.RootElement);
            return (
                texts.Sum(t => ChatPayloads.UnescapedMarkdown(t.Text, TeamsAlsoOurs)),
                texts.Sum(t => t.Text.Count(c => c == '\n')),
                texts.Count);
        }
    }

    private static void AssertNoControlOrOverride(string text)
    {
        foreach (var c in text)
        {
            Assert.False(c != '\n' && char.IsControl(c), $"control character U+{(int)c:X4} in \"{text}\"");
            Assert.False(c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'), $"direction control U+{(int)c:X4} in \"{text}\"");
        }
    }

    /// <summary>What a reader sees of a Slack plain_text: entities decoded, the joiners after '@' invisible.</summary>
    private static string FromSlack(string text) => text
        .Replace("\u200D", string.Empty, StringComparison.Ordinal)
        .Replace("&lt;", "<", StringComparison.Ordinal)
        .Replace("&gt;", ">", StringComparison.Ordinal)
        .Replace("&amp;", "&", StringComparison.Ordinal);

    private static (ReportDefinition Report, CostSnapshot Snapshot) InPlace(string place, string text)
    {
        GroupLine[] groups = [new(text, 500m, 400m, null), new("AWS Lambda", 100m, 100m, null), new("Credits", -20m, -10m, null)];
        var snapshot = CostSnapshotFaker.WithGroups(31, groups).WithInsights();
        snapshot = snapshot.WithFigures(f => f with
        {
            Anomalies = [new CostAnomaly(text, AnomalyKind.Spike, 500m, 300m, 350m, 150m), .. f.Anomalies!],
        });
        return place switch
        {
            "tag" => (
                CostSnapshotFaker.Report(groupBy: GroupBy.Parse("TAG:team")),
                CostSnapshotFaker.WithGroups(32, [.. groups.Select(g => g with { Key = "team$" + g.Key })], groupBy: "TAG:team")),
            "report" => (CostSnapshotFaker.Report(name: text), snapshot),
            _ => (CostSnapshotFaker.Report(), snapshot),
        };
    }

    private static (ReportDefinition Report, CostSnapshot Snapshot) Everything(string cadence, string text)
    {
        var tagKey = text.Replace("$", string.Empty, StringComparison.Ordinal);
        var groupBy = GroupBy.Parse("TAG:" + tagKey);
        GroupLine[] groups =
        [
            new(tagKey + "$" + text + " 1", 4_200m, 3_900m, 3_800m),
            new(tagKey + "$" + text + " 2", 640.50m, null, null),
            new(tagKey + "$" + text + " 3", 0m, 380.25m, 350m),
            new(tagKey + "$" + text + " 4", 95m, 120m, 118m),
            new(tagKey + "$", 10m, 12m, 11m),
            new(tagKey + "$" + text + " 5", -150m, -100m, -100m),
        ];
        var anomalies = new[]
        {
            new CostAnomaly(tagKey + "$" + text + " 1", AnomalyKind.Spike, 820m, 520m, 600m, 220m) { Date = cadence == "daily" ? null : text },
            new CostAnomaly(tagKey + "$" + text + " 2", AnomalyKind.NewGroup, 91.50m, 0m, 0m, 91.50m) { Date = cadence == "daily" ? null : text },
        };
        var currency = text == Benign ? "BENIGN" : text;
        var restated = new[] { new RestatedPeriod(text, 8_012.40m, 8_149.25m, 3) };
        CostSnapshotCollected collected = cadence switch
        {
            "weekly" => DigestSnapshots.Weekly(groups, estimated: true, groupBy: groupBy.ToString()),
            "monthly" => DigestSnapshots.Monthly(groups, check: new ForecastCheck(text, text, 8_000m, 7_700m, 8_300m), groupBy: groupBy.ToString()),
            _ => CostSnapshotFaker.WithGroups(33, groups, estimated: true, groupBy: groupBy.ToString()).WithInsights(),
        };
        collected = collected with
        {
            Restated = restated,
            Figures = collected.Figures with
            {
                Currency = currency,
                Metric = text,
                Anomalies = anomalies,
                Forecast = collected.Figures.Forecast is { } forecast ? forecast with { Basis = text } : null,
            },
        };
        var report = CostSnapshotFaker.Report(name: text, groupBy: groupBy, budget: 100m) with
        {
            Cadence = cadence switch
            {
                "weekly" => Cadence.Weekly,
                "monthly" => Cadence.Monthly,
                _ => Cadence.Daily,
            },
        };
        return (report, new CostSnapshotRevised(collected, revisesVersion: 1, previousTotal: 1m));
    }

    private static IEnumerable<string> CatalogueKeys()
    {
        foreach (var hostile in HostileCase.Catalogue.Values.Where(c => c.Kind == "cost-explorer" && c.Json.TryGetProperty("response", out _)))
        {
            if (!hostile.Id.StartsWith("ce-service-name-", StringComparison.Ordinal) && !hostile.Id.StartsWith("ce-tag-value-", StringComparison.Ordinal))
            {
                continue;
            }

            var key = hostile.Json.GetProperty("response").GetProperty("ResultsByTime")[0].GetProperty("Groups")[0].GetProperty("Keys")[0].GetString()!;
            yield return key.Contains('$', StringComparison.Ordinal) ? key[(key.IndexOf('$', StringComparison.Ordinal) + 1)..] : key;
        }
    }

    [GeneratedRegex("&(?!amp;|lt;|gt;)")]
    private static partial Regex LooseAmpersand();

    [GeneratedRegex("@(channel|here|everyone)", RegexOptions.IgnoreCase)]
    private static partial Regex Broadcast();
}
