using System.Globalization;
using System.Text.RegularExpressions;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Email;

namespace CostNotifier.UnitTests.Email;

/// <summary>Dark mode and narrow screens: the email stays readable in both.</summary>
public sealed partial class ReportEmailLayoutTests
{
    private const double ReadableContrast = 4.5;
    private const int NarrowScreen = 375;

    private readonly ReportEmailRenderer _renderer = new();

    [Fact]
    public void Render_Html_DeclaresLightAndDarkColourSchemes()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(71).WithInsights();

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal("light dark", page.Document.QuerySelector("meta[name='color-scheme']")?.GetAttribute("content"));
        Assert.Equal("light dark", page.Document.QuerySelector("meta[name='supported-color-schemes']")?.GetAttribute("content"));
        Assert.Contains(page.Document.QuerySelectorAll("head style"), s => s.TextContent.Contains("@media (prefers-color-scheme:dark)", StringComparison.Ordinal));
        Assert.Contains("color-scheme:light dark", HtmlReportWriter.DarkStylesheet, StringComparison.Ordinal);
    }

    [Fact]
    public void Stylesheets_EveryTextColour_IsReadableOnItsBackgroundInLightAndDarkMode()
    {
        // Arrange
        var light = Rules(HtmlReportWriter.Stylesheet);
        var dark = Rules(HtmlReportWriter.DarkStylesheet[HtmlReportWriter.DarkStylesheet.IndexOf("@media", StringComparison.Ordinal)..]);

        // Assert: the light page is dark text on light backgrounds (what inverting clients expect to invert), and
        // the dark page overrides every colour the light one sets, each readable on its own background.
        foreach (var (selector, declarations) in light.Where(r => r.Value.ContainsKey("color")))
        {
            var background = declarations.GetValueOrDefault("background") ?? light[".c"]["background"];
            AssertReadable(selector + " (light)", declarations["color"], background);
            Assert.True(dark.TryGetValue(selector, out var night) && night.ContainsKey("color"), $"{selector} keeps its light colour in dark mode");
            AssertReadable(selector + " (dark)", night["color"], night.GetValueOrDefault("background") ?? dark[".c"]["background"]);
            if (declarations.ContainsKey("background"))
            {
                Assert.True(night.ContainsKey("background"), $"{selector} keeps its light background in dark mode");
            }
        }

        Assert.True(Luminance(dark[".c"]["background"]) < 0.05, "the dark card is dark");
    }

    [Fact]
    public void Render_Html_SetsNoTextColourInline()
    {
        // Arrange: inline colours would escape the dark stylesheet's overrides in some clients.
        var snapshot = CostSnapshotFaker.Snapshot(72, groupCount: 30, estimated: true).WithInsights();

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(budget: 8_000m), snapshot, 1, Trigger.Replay);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.DoesNotContain(page.Document.All, e => InlineTextColour().IsMatch(e.GetAttribute("style") ?? string.Empty));
    }

    [Fact]
    public void Render_Html_HasNoFixedWidthWiderThanANarrowPhone()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(73, groupCount: 30).WithInsights();

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        foreach (var element in page.Document.All)
        {
            if (element.GetAttribute("width") is { } width && !width.EndsWith('%'))
            {
                Assert.InRange(int.Parse(width, CultureInfo.InvariantCulture), 0, NarrowScreen);
            }

            foreach (Match match in PixelWidth().Matches(element.GetAttribute("style") ?? string.Empty))
            {
                Assert.InRange(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), 0, NarrowScreen);
            }
        }

        Assert.DoesNotContain(PixelWidth().Matches(HtmlReportWriter.Stylesheet), m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > NarrowScreen);
    }

    [Fact]
    public void Render_GroupTable_LetsNamesWrapAnywhereAndKeepsFiguresWhole()
    {
        // Arrange: a name with no space to break at.
        var snapshot = CostSnapshotFaker.WithGroups(74, [new GroupLine(new string('x', 64), 1_234_567.89m, 1m, null)]);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        var card = page.GroupRows[0].NameCell.Closest("table.c")!;
        Assert.Contains("word-break:break-word", card.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("word-break:break-word;overflow-wrap:anywhere}", HtmlReportWriter.Stylesheet, StringComparison.Ordinal);
        Assert.Null(page.GroupRows[0].NameCell.GetAttribute("nowrap"));
        Assert.Equal("r", page.GroupRows[0].NameCell.NextElementSibling!.ClassName);
        Assert.Contains(".r{text-align:right;white-space:nowrap}", HtmlReportWriter.Stylesheet, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NonUsdTable_NamesTheCurrencyOnceInItsHeading()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.WithGroups(75, [new GroupLine("AWS Lambda", 1234.5m, 1000m, null)]).WithFigures(f => f with { Currency = "EUR" });

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal(("1,234.50", "+234.50 +23.5%"), (page.GroupRows[0].Amount, page.GroupRows[0].Change));
        Assert.Contains(page.Document.QuerySelectorAll("td"), td => td.TextContent == "Amount (EUR)");
        Assert.Matches(@"\nService +Amount \(EUR\) +Share +vs prev\. day\n", email.Text);
        Assert.Equal("1,234.50 EUR", page.TotalText);
    }

    private static void AssertReadable(string what, string foreground, string background)
    {
        var (a, b) = (Luminance(foreground), Luminance(background));
        var contrast = (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);
        Assert.True(contrast >= ReadableContrast, $"{what}: {foreground} on {background} has contrast {contrast:F2}");
    }

    // Relative luminance as WCAG 2 defines it, of a #rrggbb colour.
    private static double Luminance(string colour)
    {
        var hex = colour.TrimStart('#').Replace("!important", string.Empty, StringComparison.Ordinal);
        double Channel(int offset)
        {
            var value = int.Parse(hex.AsSpan(offset, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return value <= 0.03928 ? value / 12.92 : Math.Pow((value + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(0)) + (0.7152 * Channel(2)) + (0.0722 * Channel(4));
    }

    // Selector → property → value, for the flat rules of a stylesheet (the body of a media block counts as flat).
    private static Dictionary<string, Dictionary<string, string>> Rules(string css)
    {
        var rules = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (Match rule in Rule().Matches(css))
        {
            var declarations = rule.Groups[2].Value.Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(d => d.Split(':', 2))
                .Where(d => d.Length == 2)
                .ToDictionary(d => d[0].Trim(), d => d[1].Replace("!important", string.Empty, StringComparison.Ordinal).Trim(), StringComparer.Ordinal);
            foreach (var selector in rule.Groups[1].Value.Split(',').Select(s => s.Trim()))
            {
                rules[selector] = declarations;
            }
        }

        return rules;
    }

    [GeneratedRegex(@"(?:^|[;""\s])color:", RegexOptions.CultureInvariant)]
    private static partial Regex InlineTextColour();

    [GeneratedRegex(@"(?<![-a-z])(?:min-)?width:\s*(\d+)px", RegexOptions.CultureInvariant)]
    private static partial Regex PixelWidth();

    [GeneratedRegex(@"([^{}@]+)\{([^{}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Rule();
}
