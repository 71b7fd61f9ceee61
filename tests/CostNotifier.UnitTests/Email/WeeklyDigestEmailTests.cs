using System.Text.RegularExpressions;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Email;

namespace CostNotifier.UnitTests.Email;

public sealed partial class WeeklyDigestEmailTests
{
    private readonly ReportEmailRenderer _renderer = new();

    [Fact]
    public void Render_WeeklyDigest_SubjectNamesTheWeekItsTotalAndTheChangeVsThePreviousWeek()
    {
        // Act
        var email = _renderer.Render(DigestSnapshots.WeeklyReport(), DigestSnapshots.Weekly(), 1, Trigger.Scheduled);

        // Assert
        Assert.Equal("[CostNotifier] Weekly cost by service \u2014 week 48 (23\u201329 Nov 2026): $8,395.50 (+5.6% vs previous week)", email.Subject);
    }

    [Fact]
    public void Render_WeeklyDigest_PreheaderSumsUpTheWeek()
    {
        // Act
        var email = _renderer.Render(DigestSnapshots.WeeklyReport(), DigestSnapshots.Weekly(), 1, Trigger.Scheduled);

        // Assert
        Assert.Equal(
            "$8,395.50 in week 48 (23\u201329 Nov 2026), +$445.25 (+5.6%) vs previous week. Month to date $31,234.56. Largest: Amazon Elastic Compute Cloud - Compute $4,200.00.",
            RenderedReportPage.Parse(email.Html).Document.Body!.FirstElementChild!.TextContent);
    }

    [Fact]
    public void Render_WeeklyDigest_ShowsEverySectionInHtml()
    {
        // Act
        var email = _renderer.Render(DigestSnapshots.WeeklyReport(), DigestSnapshots.Weekly(), 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        var body = page.Document.Body!.TextContent;
        Assert.Contains("CostNotifier \u00B7 weekly cost digest", body, StringComparison.Ordinal);
        Assert.Contains("Week 48 (23\u201329 Nov 2026) \u00B7 UTC usage days, Monday to Sunday", body, StringComparison.Ordinal);
        Assert.Equal("$8,395.50", page.TotalText);
        Assert.Equal("\u25B2 +$445.25 +5.6%", page.Figure("vs previous week (16\u201322 Nov)"));
        Assert.Equal("\u25B2 +$687.50 +8.9%", page.Figure("vs 4 weeks before (26 Oct\u20131 Nov)"));
        Assert.Equal("$31,234.56", page.Figure("Month to date (1 Nov\u201329 Nov)"));
        Assert.Equal("$33,400 range $32,900\u201334,100", page.Figure("Projected November total"));
        Assert.Equal(
            ["Mon 23 Nov", "Tue 24 Nov", "Wed 25 Nov", "Thu 26 Nov", "Fri 27 Nov", "Sat 28 Nov", "Sun 29 Nov"],
            page.Days.Select(d => d.Day));
        Assert.Equal(["$1,250.00", "$1,310.25", "$1,420.75", "$1,300.00", "$1,280.50", "$920.00", "$914.00"], page.Days.Select(d => d.Amount));
        Assert.Equal(100, page.Days[2].BarPercent);
        Assert.Equal(88, page.Days[0].BarPercent);
        Assert.Equal(6, page.Movers.Count);
        Assert.Contains(page.Document.QuerySelectorAll("div.h"), d => d.TextContent == "Biggest moves vs previous week");
        Assert.Contains(page.Document.QuerySelectorAll("tr.gh td"), td => td.TextContent == "vs prev. week");
        Assert.Equal("Amazon Elastic Compute Cloud - Compute", page.GroupRows[0].Name);
        Assert.Equal("+$300.00 +7.7%", page.GroupRows[0].Change);
        Assert.Equal(
            [
                "Wed 25 Nov: Amazon Elastic Compute Cloud - Compute $820.00, expected $520\u2013600: +$220",
                "Fri 27 Nov: First cost for Amazon Bedrock: $91.50",
            ],
            page.WhatChanged);
        Assert.Contains(page.Document.QuerySelectorAll("div.h"), d => d.TextContent == "Last 12 weeks");
        Assert.Contains("From week of 7 Sep to week of 23 Nov: lowest $7,000.00 (week of 7 Sep), highest $8,500.00 (week of 16 Nov). The dark bar is this week.", body, StringComparison.Ordinal);
        Assert.Contains("Weeks are ISO weeks of UTC usage days, Monday to Sunday", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WeeklyDigest_ShowsEverySectionInText()
    {
        // Act
        var text = _renderer.Render(DigestSnapshots.WeeklyReport(), DigestSnapshots.Weekly(), 1, Trigger.Scheduled).Text;

        // Assert
        Assert.StartsWith("CostNotifier \u00B7 weekly cost digest\nWeekly cost by service\nWeek 48 (23\u201329 Nov 2026) \u00B7 UTC usage days, Monday to Sunday\n", text, StringComparison.Ordinal);
        Assert.Equal("Total for the week $8,395.50", Line(text, "Total for the week"));
        Assert.Equal("vs previous week (16\u201322 Nov) +$445.25 +5.6%", Line(text, "vs previous week"));
        Assert.Equal("vs 4 weeks before (26 Oct\u20131 Nov) +$687.50 +8.9%", Line(text, "vs 4 weeks before"));
        Assert.Equal("Month to date (1 Nov\u201329 Nov) $31,234.56", Line(text, "Month to date"));
        Assert.Equal("Projected November total $33,400 range $32,900\u201334,100", Line(text, "Projected November total"));
        Assert.Equal("Day Amount", Line(text, "Day Amount"));
        Assert.Equal("Wed 25 Nov $1,420.75 ########################", Line(text, "Wed 25 Nov"));
        Assert.Equal("Sun 29 Nov $914.00 ###############", Line(text, "Sun 29 Nov"));
        Assert.Equal("Biggest moves vs previous week", Line(text, "Biggest moves"));
        Assert.Equal("Amazon Bedrock $640.50 +$640.50 new", Line(text, "Amazon Bedrock "));
        Assert.Equal("Amazon Redshift $0.00 -$380.25 no cost this week, was $380.25", Line(text, "Amazon Redshift"));
        Assert.Equal("Service Amount Share vs prev. week", Line(text, "Service Amount Share"));
        Assert.Equal("- Wed 25 Nov: Amazon Elastic Compute Cloud - Compute $820.00, expected $520\u2013600: +$220", Line(text, "- Wed 25 Nov"));
        Assert.Equal("- Fri 27 Nov: First cost for Amazon Bedrock: $91.50", Line(text, "- Fri 27 Nov"));
        Assert.Equal("Last 12 weeks", Line(text, "Last 12"));
        Assert.Equal("week of 7 Sep $7,000.00 ####################", Line(text, "week of 7 Sep"));
        Assert.Equal("week of 23 Nov $8,395.50 ######################## <- this week", Line(text, "week of 23 Nov"));
    }

    [Fact]
    public void Render_DayWithoutData_IsListedInItsPlaceAsNoData()
    {
        // Arrange: Cost Explorer had nothing for Thursday yet.
        var snapshot = DigestSnapshots.Weekly().WithFigures(f => f with
        {
            Digest = f.Digest! with { Days = [.. f.Digest.Days.Where(d => d.Date != "2026-11-26")] },
        });

        // Act
        var email = _renderer.Render(DigestSnapshots.WeeklyReport(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var days = RenderedReportPage.Parse(email.Html).Days;
        Assert.Equal(7, days.Count);
        Assert.Equal(new DayCells("Thu 26 Nov", "no data", 0), days[3]);
        Assert.Equal("Thu 26 Nov no data", Line(email.Text, "Thu 26 Nov"));
    }

    [Fact]
    public void Render_EstimatedDayOfTheWeek_IsMarkedInBothParts()
    {
        // Act
        var email = _renderer.Render(DigestSnapshots.WeeklyReport(), DigestSnapshots.Weekly(estimated: true), 1, Trigger.Scheduled);

        // Assert
        Assert.Equal("$914.00 estimated", RenderedReportPage.Parse(email.Html).Days[6].Amount);
        Assert.EndsWith("(estimated)", Line(email.Text, "Sun 29 Nov"), StringComparison.Ordinal);
        Assert.EndsWith(" (estimated)", email.Subject, StringComparison.Ordinal);
        Assert.Contains("Provisional: Cost Explorer still marks days of this week as estimated.", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WeekSpanningTwoYears_NamesBothYears()
    {
        // Arrange: ISO week 1 of 2026 runs from Monday 29 December 2025 to Sunday 4 January 2026.
        var snapshot = DigestSnapshots.Weekly(week: "2026-W01");

        // Act
        var email = _renderer.Render(DigestSnapshots.WeeklyReport(), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.StartsWith("[CostNotifier] Weekly cost by service \u2014 week 1 (29 Dec 2025\u20134 Jan 2026): $8,395.50", email.Subject, StringComparison.Ordinal);
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal("\u25B2 +$445.25 +5.6%", page.Figure("vs previous week (22\u201328 Dec)"));
        Assert.Equal("\u25B2 +$687.50 +8.9%", page.Figure("vs 4 weeks before (1\u20137 Dec)"));
        Assert.Equal("Mon 29 Dec", page.Days[0].Day);
        Assert.Equal("Sun 4 Jan", page.Days[6].Day);
    }

    [Fact]
    public void Render_WeekWithoutThePreviousWeeksFigures_HasNoMoversAndNoChangeInTheSubject()
    {
        // Arrange
        var snapshot = DigestSnapshots.Weekly().WithFigures(f => f with { PreviousDayTotal = null });

        // Act
        var email = _renderer.Render(DigestSnapshots.WeeklyReport(), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.Equal("[CostNotifier] Weekly cost by service \u2014 week 48 (23\u201329 Nov 2026): $8,395.50", email.Subject);
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Empty(page.Movers);
        Assert.Equal("n/a", page.Figure("vs previous week"));
        Assert.DoesNotContain("Biggest moves", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WeekWithoutDays_LeavesOutDayByDay()
    {
        // Arrange
        var snapshot = DigestSnapshots.Weekly().WithFigures(f => f with { Digest = f.Digest! with { Days = [] } });

        // Act
        var email = _renderer.Render(DigestSnapshots.WeeklyReport(), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.Empty(RenderedReportPage.Parse(email.Html).Days);
        Assert.DoesNotContain("Day by day", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Day by day", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WeeklyBackfillAndReplay_SayWeekNotDay()
    {
        // Act
        var backfill = _renderer.Render(DigestSnapshots.WeeklyReport(), DigestSnapshots.Weekly(), 1, Trigger.Backfill);
        var replay = _renderer.Render(DigestSnapshots.WeeklyReport(), DigestSnapshots.Weekly(), 1, Trigger.Replay);

        // Assert
        Assert.Contains("Backfill: sent on request for a past week, not by the weekly schedule.", backfill.Text, StringComparison.Ordinal);
        Assert.Contains("an operator replayed the report for week 48 (23\u201329 Nov 2026).", replay.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DailyDateCarryingDigestFigures_ThrowsNamingTheDate()
    {
        // Arrange
        var snapshot = DigestSnapshots.Weekly() with { Date = "2026-11-29" };

        // Act
        var error = Assert.Throws<ArgumentException>(() => _renderer.Render(DigestSnapshots.WeeklyReport(), snapshot, 1, Trigger.Scheduled));

        // Assert
        Assert.Contains("2026-11-29", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The line of <paramref name="text"/> that starts with <paramref name="start"/>, its runs of spaces made one.</summary>
    internal static string Line(string text, string start) =>
        text.Split('\n').Select(l => Spaces().Replace(l, " ").TrimEnd()).First(l => l.StartsWith(start, StringComparison.Ordinal));

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();
}
