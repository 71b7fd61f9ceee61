using AngleSharp.Dom;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Email;

namespace CostNotifier.UnitTests.Email;

public sealed class ReportEmailEscapingTests
{
    private readonly ReportEmailRenderer _renderer = new();

    public static TheoryData<string, string> HostileKeys => new()
    {
        // key as the cost source returned it, text the reader must see
        { "<script>alert(1)</script>", "<script>alert(1)</script>" },
        { "\"><img src=x onerror=alert(1)>", "\"><img src=x onerror=alert(1)>" },
        { "' onmouseover='alert(1)", "' onmouseover='alert(1)" },
        { "a&b", "a&b" },
        { "&lt;already escaped&gt;", "&lt;already escaped&gt;" },
        { "</td></tr></table><a href=\"https://evil.example\">win</a>", "</td></tr></table><a href=\"https://evil.example\">win</a>" },
        { "<!-- comment", "<!-- comment" },
        { "]]><![CDATA[x", "]]><![CDATA[x" },
        { "evil\u202Egnp.exe", "evilgnp.exe" },
        { "split\r\nBcc: victim@example.com", "split Bcc: victim@example.com" },
        { "tab\there\0nul", "tab here nul" },
        { "line\u2028separator", "line separator" },
        { "\u05E2\u05D1\u05E8\u05D9\u05EA \u00E9t\u00E9 \uD83D\uDE80", "\u05E2\u05D1\u05E8\u05D9\u05EA \u00E9t\u00E9 \uD83D\uDE80" },
    };

    [Theory]
    [MemberData(nameof(HostileKeys))]
    public void Render_HostileServiceName_IsShownAsTextAndInjectsNothing(string key, string shown)
    {
        // Arrange
        var snapshot = CostSnapshotFaker.WithGroups(31, [new GroupLine(key, 500m, 400m, null), new GroupLine("AWS Lambda", 100m, 100m, null)]);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal(shown, page.GroupRows[0].Name);
        AssertNothingInjected(page);
        AssertNoLineBreakOrOverride(email.Subject);
        Assert.DoesNotContain('\u202E', email.Html);
        Assert.DoesNotContain('\u202E', email.Text);
        Assert.Contains(shown, email.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(HostileKeys))]
    public void Render_HostileTagValue_IsShownAsTextAndInjectsNothing(string value, string shown)
    {
        // Arrange
        var snapshot = CostSnapshotFaker.WithGroups(32, [new GroupLine("team$" + value, 500m, null, null)], groupBy: "TAG:team");

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(groupBy: GroupBy.Parse("TAG:team")), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal(shown, page.GroupRows[0].Name);
        AssertNothingInjected(page);
    }

    [Theory]
    [MemberData(nameof(HostileKeys))]
    public void Render_HostileReportName_KeepsTheSubjectOneLineAndTheHtmlInert(string name, string shown)
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(33);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(name: name), snapshot, 1, Trigger.Scheduled);

        // Assert
        AssertNoLineBreakOrOverride(email.Subject);
        Assert.StartsWith("[CostNotifier] " + shown + " \u2014 2026-11-24: $", email.Subject, StringComparison.Ordinal);
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal(email.Subject, page.Document.Title);
        Assert.Contains(page.Document.QuerySelectorAll("div"), d => d.TextContent == shown);
        AssertNothingInjected(page);
    }

    [Fact]
    public void Render_HostileTagKeyAndMetric_AreEscapedInHeadingAndFooter()
    {
        // Arrange
        const string key = "<b>x</b>";
        var snapshot = CostSnapshotFaker.WithGroups(34, [new GroupLine(key + "$v", 1m, null, null)], groupBy: "TAG:" + key).WithFigures(f => f with
        {
            Metric = "<i>Unblended</i>",
        });

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(groupBy: GroupBy.Parse("TAG:" + key)), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        AssertNothingInjected(page);
        Assert.Empty(page.Document.QuerySelectorAll("i"));
        Assert.Contains("grouped by TAG:<b>x</b> \u00B7 metric <i>Unblended</i>", page.Document.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SubjectWithEveryKindOfControlCharacter_StaysOnOneLine()
    {
        // Arrange
        var name = new string(Enumerable.Range(0, 0x20).Select(i => (char)i).Concat("\u007F\u0085\u2028\u2029\u202A\u202B\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C").ToArray()) + "Prod";
        var snapshot = CostSnapshotFaker.Snapshot(35, estimated: true);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(name: name), snapshot, 1, Trigger.Scheduled);

        // Assert
        AssertNoLineBreakOrOverride(email.Subject);
        Assert.StartsWith("[CostNotifier] Prod \u2014 2026-11-24: ", email.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ReportNameOfOnlyControlCharacters_FallsBackToTheReportId()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(36);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(name: "\r\n\u202E"), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.StartsWith("[CostNotifier] production \u2014 ", email.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Html_IsASelfContainedEmailSafeDocument()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(37, groupCount: 30, estimated: true);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Replay);

        // Assert
        Assert.StartsWith("<!DOCTYPE html>", email.Html, StringComparison.Ordinal);
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal("utf-8", page.Document.QuerySelector("meta[charset]")?.GetAttribute("charset"));
        AssertNothingInjected(page);
        Assert.Empty(page.Document.QuerySelectorAll("link, img, a, body style"));
        Assert.Equal([HtmlReportWriter.Stylesheet, HtmlReportWriter.DarkStylesheet], page.Document.QuerySelectorAll("head > style").Select(s => s.TextContent.TrimStart('\n')));
        Assert.DoesNotContain(page.Document.All, e => e.HasAttribute("href") || e.HasAttribute("src"));
        var preheader = page.Document.Body!.FirstElementChild!;
        Assert.Contains("display:none", preheader.GetAttribute("style"), StringComparison.Ordinal);
        Assert.StartsWith(page.TotalText + " on Tue 24 Nov", preheader.TextContent, StringComparison.Ordinal);
    }

    private static void AssertNothingInjected(RenderedReportPage page)
    {
        var document = page.Document;
        Assert.Empty(document.QuerySelectorAll("script, img, iframe, object, embed, a, form, svg, b"));
        Assert.DoesNotContain(document.All, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(document.All, e => e.HasAttribute("src") || e.HasAttribute("href"));
        Assert.Empty(document.Descendants<IComment>());
    }

    private static void AssertNoLineBreakOrOverride(string subject) =>
        Assert.DoesNotContain(subject, c => char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C');
}
