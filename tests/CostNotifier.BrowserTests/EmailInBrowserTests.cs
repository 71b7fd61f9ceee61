using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace CostNotifier.BrowserTests;

/// <summary>
/// The report email opened in a real browser: a phone and a desktop width, light and dark. Screenshots of each are
/// kept under <c>artifacts/screenshots</c> for a person to look at.
/// </summary>
public sealed class EmailInBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const int DesktopHeight = 800;

    // Contrast of each visible text run against what is painted behind it, worst first (WCAG 2 relative luminance).
    private const string ContrastScript = """
        () => {
          const parse = c => { const m = /rgba?\(([^)]+)\)/.exec(c); if (!m) return null;
            const p = m[1].split(',').map(parseFloat); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
          const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
          const luminance = c => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
          const darkCanvas = matchMedia('(prefers-color-scheme: dark)').matches
            && getComputedStyle(document.documentElement).colorScheme.includes('dark');
          const canvas = darkCanvas ? { r: 18, g: 18, b: 18, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
          const behind = el => { for (let e = el; e; e = e.parentElement) {
              const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.5) return c; } return canvas; };
          const results = [];
          for (const el of document.body.querySelectorAll('*')) {
            const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join(' ').trim();
            if (!text || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
            const style = getComputedStyle(el);
            const fg = parse(style.color);
            if (!fg || fg.a === 0 || parseFloat(style.fontSize) < 1 || el.getClientRects().length === 0) continue;
            const bg = behind(el);
            const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
            const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
            const large = size >= 24 || (bold && size >= 18.66);
            results.push({ text: text.slice(0, 60), ratio: (hi + 0.05) / (lo + 0.05), needed: large ? 3 : 4.5,
              color: style.color, background: `rgb(${bg.r}, ${bg.g}, ${bg.b})` });
          }
          return JSON.stringify(results.sort((a, b) => (a.ratio - a.needed) - (b.ratio - b.needed)));
        }
        """;

    [Theory]
    [InlineData(375, "light")]
    [InlineData(375, "dark")]
    [InlineData(800, "light")]
    [InlineData(800, "dark")]
    public async Task TheEmail_NeverScrollsSideways(int width, string scheme)
    {
        var page = await OpenAsync(width, DesktopHeight, scheme);

        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");

        Assert.True(widths[0] <= widths[1], $"At {width} px ({scheme}) the email is {widths[0]} px wide and scrolls sideways.");
    }

    [Fact]
    public async Task AtDesktopWidth_TheTotalAndWhatChangedShowWithoutScrolling()
    {
        var page = await OpenAsync(800, DesktopHeight, "light");

        foreach (var text in new[] { SampleEmail.TotalText, "What changed" })
        {
            // The hidden preheader repeats the total; only what a reader sees counts.
            var box = await page.Locator($"text={text} >> visible=true").First.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(
                box.Y + box.Height <= DesktopHeight,
                $"'{text}' ends {box.Y + box.Height:0} px down the page; an 800×{DesktopHeight} window shows it only after scrolling.");
        }
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task EveryText_IsReadableAgainstItsBackground(string scheme)
    {
        var page = await OpenAsync(800, DesktopHeight, scheme);

        var runs = JsonSerializer.Deserialize<List<ContrastRun>>(await page.EvaluateAsync<string>(ContrastScript), JsonOptions)!;

        Assert.NotEmpty(runs);
        var unreadable = runs.Where(r => r.Ratio < r.Needed).ToList();
        Assert.True(
            unreadable.Count == 0,
            $"{unreadable.Count} text runs are too faint in {scheme} mode: "
            + string.Join("; ", unreadable.Take(8).Select(r => string.Create(CultureInfo.InvariantCulture, $"'{r.Text}' {r.Color} on {r.Background} = {r.Ratio:0.00} (needs {r.Needed})"))));
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private async Task<IPage> OpenAsync(int width, int height, string scheme)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            JavaScriptEnabled = true,
        });
        var page = await context.NewPageAsync();
        await page.SetContentAsync(SampleEmail.Render().Html);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath($"email-{width}-{scheme}.png"), FullPage = true });
        return page;
    }

    private static string ScreenshotPath(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CostNotifier.sln")))
        {
            directory = directory.Parent;
        }

        var folder = Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    private sealed record ContrastRun(string Text, double Ratio, double Needed, string Color, string Background);
}
