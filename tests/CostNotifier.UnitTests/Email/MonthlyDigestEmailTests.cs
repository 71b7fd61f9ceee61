using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Email;
using static CostNotifier.UnitTests.Email.WeeklyDigestEmailTests;

namespace CostNotifier.UnitTests.Email;

public sealed class MonthlyDigestEmailTests
{
    private const string EstimatedNotice =
        "Provisional: Figures are still estimated; they settle in the first days of December, and the settled figures will be reported in the next digest.";

    private readonly ReportEmailRenderer _renderer = new();

    [Fact]
    public void Render_MonthlyDigest_SubjectNamesTheMonthItsTotalTheChangeVsThePreviousMonthAndThatItIsEstimated()
    {
        // Act
        var email = _renderer.Render(DigestSnapshots.MonthlyReport(), DigestSnapshots.Monthly(), 1, Trigger.Scheduled);

        // Assert
        Assert.Equal("[CostNotifier] Monthly cost by service \u2014 November 2026: $8,395.50 (+5.6% vs October) (estimated)", email.Subject);
    }

    [Fact]
    public void Render_MonthlyDigest_PreheaderSumsUpTheMonthWithoutAMonthToDate()
    {
        // Act
        var email = _renderer.Render(DigestSnapshots.MonthlyReport(), DigestSnapshots.Monthly(), 1, Trigger.Scheduled);

        // Assert
        Assert.Equal(
            "$8,395.50 in November 2026, +$445.25 (+5.6%) vs October. Largest: Amazon Elastic Compute Cloud - Compute $4,200.00. Provisional figures.",
            RenderedReportPage.Parse(email.Html).Document.Body!.FirstElementChild!.TextContent);
    }

    [Fact]
    public void Render_MonthlyDigest_ShowsEverySectionInHtml()
    {
        // Act
        var email = _renderer.Render(DigestSnapshots.MonthlyReport(), DigestSnapshots.Monthly(), 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        var body = page.Document.Body!.TextContent;
        Assert.Contains("CostNotifier \u00B7 monthly cost digest", body, StringComparison.Ordinal);
        Assert.Contains("November 2026 \u00B7 UTC usage days", body, StringComparison.Ordinal);
        Assert.Contains(EstimatedNotice, body, StringComparison.Ordinal);
        Assert.Equal("$8,395.50", page.TotalText);
        Assert.Equal("\u25B2 +$445.25 +5.6%", page.Figure("vs October"));
        Assert.Equal("\u25B2 +$687.50 +8.9%", page.Figure("vs November 2025"));

        // The month's total is its month to date, and an ended month has nothing to project.
        Assert.DoesNotContain(page.Document.QuerySelectorAll("table.f td"), td => td.TextContent.StartsWith("Month to date", StringComparison.Ordinal) || td.TextContent.StartsWith("Projected", StringComparison.Ordinal));
        Assert.Contains(
            page.Document.QuerySelectorAll("table.f td"),
            td => td.TextContent == "A forecast made on 15 Nov by report daily-by-service expected $8,000 (range $7,700\u20138,300); the month ended at $8,395.50, 4.9% above, over the high end of the range.");
        Assert.Empty(page.Days);
        Assert.Contains(page.Document.QuerySelectorAll("div.h"), d => d.TextContent == "Biggest moves vs October");
        Assert.Equal(6, page.Movers.Count);
        Assert.Contains(page.Document.QuerySelectorAll("tr.gh td"), td => td.TextContent == "vs October");
        Assert.Equal("+$300.00 +7.7%", page.GroupRows[0].Change);
        Assert.Equal(["October's settled total is $8,149.25, revised from $8,012.40"], page.WhatChanged);
        Assert.Contains(page.Document.QuerySelectorAll("div.h"), d => d.TextContent == "Last 13 months");
        Assert.Contains("From Nov 2025 to Nov 2026: lowest $7,400.00 (Nov 2025), highest $8,395.50 (Nov 2026). The dark bar is this month.", body, StringComparison.Ordinal);
        Assert.Contains("Months are calendar months of UTC usage days", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MonthlyDigest_ShowsEverySectionInText()
    {
        // Act
        var text = _renderer.Render(DigestSnapshots.MonthlyReport(), DigestSnapshots.Monthly(), 1, Trigger.Scheduled).Text;

        // Assert
        Assert.StartsWith("CostNotifier \u00B7 monthly cost digest\nMonthly cost by service\nNovember 2026 \u00B7 UTC usage days\n", text, StringComparison.Ordinal);
        Assert.Equal("*** " + EstimatedNotice + " ***", Line(text, "***"));
        Assert.Equal("Total for the month $8,395.50 (estimated)", Line(text, "Total for the month"));
        Assert.Equal("- October's settled total is $8,149.25, revised from $8,012.40", Line(text, "- October"));
        Assert.Equal("vs October +$445.25 +5.6%", Line(text, "vs October"));
        Assert.Equal("vs November 2025 +$687.50 +8.9%", Line(text, "vs November 2025"));
        Assert.Equal(
            "A forecast made on 15 Nov by report daily-by-service expected $8,000 (range $7,700\u20138,300); the month ended at $8,395.50, 4.9% above, over the high end of the range.",
            Line(text, "A forecast"));
        Assert.DoesNotContain("Month to date", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Day by day", text, StringComparison.Ordinal);
        Assert.Equal("Biggest moves vs October", Line(text, "Biggest moves"));
        Assert.Equal("Amazon Redshift $0.00 -$380.25 no cost this month, was $380.25", Line(text, "Amazon Redshift"));
        Assert.Equal("Service Amount Share vs October", Line(text, "Service Amount Share"));
        Assert.Equal("Last 13 months", Line(text, "Last 13"));
        Assert.Equal("Nov 2025 $7,400.00 #####################", Line(text, "Nov 2025"));
        Assert.Equal("Nov 2026 $8,395.50 ######################## <- this month (estimated)", Line(text, "Nov 2026"));
    }

    [Fact]
    public void Render_SettledMonth_HasNoEstimatedMark()
    {
        // Act
        var email = _renderer.Render(DigestSnapshots.MonthlyReport(), DigestSnapshots.Monthly(estimated: false), 1, Trigger.Scheduled);

        // Assert
        Assert.Equal("[CostNotifier] Monthly cost by service \u2014 November 2026: $8,395.50 (+5.6% vs October)", email.Subject);
        Assert.DoesNotContain("estimated", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("estimated", email.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_EstimatedMonth_IsMarkedInSubjectNoticeTotalAndPreheader()
    {
        // Act
        var email = _renderer.Render(DigestSnapshots.MonthlyReport(), DigestSnapshots.Monthly(estimated: true), 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.EndsWith(" (estimated)", email.Subject, StringComparison.Ordinal);
        Assert.Equal(EstimatedNotice, page.Document.QuerySelector("td.n1")!.TextContent);
        Assert.Equal("estimated", page.Document.QuerySelector("div.big span.e")!.TextContent);
        Assert.EndsWith("Provisional figures.", page.Document.Body!.FirstElementChild!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8000", "7700", "8300", "expected $8,000 (range $7,700\u20138,300); the month ended at $8,395.50, 4.9% above, over the high end of the range.")]
    [InlineData("8200", "7900", "8500", "expected $8,200 (range $7,900\u20138,500); the month ended at $8,395.50, 2.4% above, within the range.")]
    [InlineData("8800", "8300", "9300", "expected $8,800 (range $8,300\u20139,300); the month ended at $8,395.50, 4.6% below, within the range.")]
    [InlineData("9000", "8500", "9500", "expected $9,000 (range $8,500\u20139,500); the month ended at $8,395.50, 6.7% below, under the low end of the range.")]
    [InlineData("8395.50", "8000", "8800", "expected $8,396 (range $8,000\u20138,800); the month ended at $8,395.50, exactly as forecast.")]
    public void Render_ForecastCheck_SaysHowFarAboveOrBelowTheForecastTheMonthEnded(string expected, string low, string high, string wording)
    {
        // Arrange
        static decimal Amount(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var check = new ForecastCheck("daily-by-service", "2026-11-15", Amount(expected), Amount(low), Amount(high));

        // Act
        var email = _renderer.Render(DigestSnapshots.MonthlyReport(), DigestSnapshots.Monthly(check: check), 1, Trigger.Scheduled);

        // Assert
        var sentence = "A forecast made on 15 Nov by report daily-by-service " + wording;
        Assert.Contains(RenderedReportPage.Parse(email.Html).Document.QuerySelectorAll("table.f td"), td => td.TextContent == sentence);
        Assert.Equal(sentence, Line(email.Text, "A forecast"));
    }

    [Fact]
    public void Render_MonthWithoutAForecastMadeDuringIt_SaysNothingAboutOne()
    {
        // Arrange
        var snapshot = DigestSnapshots.Monthly().WithFigures(f => f with { Digest = f.Digest! with { ForecastCheck = null } });

        // Act
        var email = _renderer.Render(DigestSnapshots.MonthlyReport(), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.DoesNotContain("forecast", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("forecast", email.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_YearBeforeNoLongerInCostExplorer_SaysSoInsteadOfAChange()
    {
        // Act
        var email = _renderer.Render(DigestSnapshots.MonthlyReport(), DigestSnapshots.Monthly(yearBefore: false), 1, Trigger.Scheduled);

        // Assert
        const string missing = "Cost Explorer no longer has figures for November 2025 to compare with.";
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal("n/a", page.Figure("vs November 2025"));
        Assert.Contains(page.Document.QuerySelectorAll("table.f td"), td => td.TextContent == missing);
        Assert.Equal("vs November 2025 n/a", Line(email.Text, "vs November 2025"));
        Assert.Equal(missing, Line(email.Text, "Cost Explorer no longer"));
    }

    [Fact]
    public void Render_PreviousMonthSettled_SaysItsSettledTotalAndWhatItWasRevisedFrom()
    {
        // Act
        var email = _renderer.Render(DigestSnapshots.MonthlyReport(), DigestSnapshots.Monthly(), 1, Trigger.Scheduled);

        // Assert
        const string restated = "October's settled total is $8,149.25, revised from $8,012.40";
        Assert.Contains(restated, RenderedReportPage.Parse(email.Html).WhatChanged);
        Assert.Equal("- " + restated, Line(email.Text, "- October"));
    }

    [Theory]
    [InlineData("8000", "Over the $8,000 budget by $395.50.", "u")]
    [InlineData("9000", "Within the $9,000 budget, $604.50 under it.", "d")]
    public void Render_MonthlyBudget_SetsTheMonthsTotalAgainstIt(string budget, string wording, string colour)
    {
        // Arrange
        var report = DigestSnapshots.MonthlyReport(budget: decimal.Parse(budget, System.Globalization.CultureInfo.InvariantCulture));

        // Act
        var email = _renderer.Render(report, DigestSnapshots.Monthly(), 1, Trigger.Scheduled);

        // Assert
        var cell = Assert.Single(RenderedReportPage.Parse(email.Html).Document.QuerySelectorAll("table.f td"), td => td.TextContent == wording);
        Assert.Contains(colour, cell.ClassList);
        Assert.Equal(wording, Line(email.Text, wording[..6]));
    }

    [Fact]
    public void Render_JanuaryDigest_NamesDecemberAndTheYearBeforeWithTheirYears()
    {
        // Arrange
        var snapshot = DigestSnapshots.Monthly() with
        {
            Date = "2027-01",
            Restated = [new RestatedPeriod("2026-12", 8_012.40m, 8_149.25m, 3)],
        };
        snapshot = snapshot.WithFigures(f => f with
        {
            Digest = f.Digest! with { PreviousPeriod = "2026-12", ComparisonPeriod = "2026-01", ForecastCheck = null },
            Trend = [.. Enumerable.Range(0, 13).Select(i => ReportPeriod.Parse("2027-01").Add(i - 12)).Select(m => new DayTotal(m.ToString(), 8_000m, false))],
        });

        // Act
        var email = _renderer.Render(DigestSnapshots.MonthlyReport(), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.Equal("[CostNotifier] Monthly cost by service \u2014 January 2027: $8,395.50 (+5.6% vs December 2026) (estimated)", email.Subject);
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal("\u25B2 +$445.25 +5.6%", page.Figure("vs December 2026"));
        Assert.Equal("\u25B2 +$687.50 +8.9%", page.Figure("vs January 2026"));
        Assert.Equal(["December 2026's settled total is $8,149.25, revised from $8,012.40"], page.WhatChanged);
        Assert.Contains("they settle in the first days of February,", email.Text, StringComparison.Ordinal);
    }
}
