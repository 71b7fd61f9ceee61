using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Email;

namespace CostNotifier.UnitTests.Email;

/// <summary>What the report knows beyond the day's figures: anomalies, revised days, the month's projection and budget.</summary>
public sealed class ReportEmailInsightsTests
{
    private readonly ReportEmailRenderer _renderer = new();

    [Fact]
    public void Render_AnomaliesAndRestatedDays_AreListedUnderWhatChangedInBothParts()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(61).WithInsights();

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert: largest impact first, the group as the table names it, the total as "Total".
        string[] expected =
        [
            "Amazon Elastic Compute Cloud - Compute $414.50, expected $160\u2013190: +$225",
            "Total $1,480.25, expected $1,150\u20131,300: +$180",
            "First cost for Amazon Bedrock: $42.10",
            "Amazon Simple Storage Service $12.00, expected $40.00\u201360.00: -$28.00",
            "Sunday 22 Nov was revised from $310.20 to $322.75",
        ];
        Assert.Equal(expected, RenderedReportPage.Parse(email.Html).WhatChanged);
        Assert.Contains("\nWhat changed\n" + string.Concat(expected.Select(e => "- " + e + "\n")) + "\n", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WhatChanged_ComesRightAfterTheTotalInBothParts()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(62).WithInsights();

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var body = RenderedReportPage.Parse(email.Html).Document.Body!.TextContent;
        foreach (var text in new[] { body, email.Text })
        {
            var total = text.IndexOf("Total for the day", StringComparison.Ordinal);
            var changed = text.IndexOf("What changed", StringComparison.Ordinal);
            Assert.InRange(total, 0, int.MaxValue);
            Assert.InRange(changed, total + 1, text.IndexOf("vs previous day (", total, StringComparison.Ordinal) - 1);
            Assert.InRange(changed, 0, text.IndexOf("Top 10 of ", StringComparison.Ordinal) - 1);
        }
    }

    [Fact]
    public void Render_ManyAnomaliesAndRestatedDays_ShowsTheFirstFewAndCountsTheRest()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(63) with
        {
            Figures = CostSnapshotFaker.Snapshot(63).Figures with
            {
                Anomalies = [.. Enumerable.Range(1, 8).Select(i => new CostAnomaly("Service " + i, AnomalyKind.Spike, 100m + i, 10m, 20m, 80m + i))],
            },
            Restated = [.. Enumerable.Range(1, 7).Select(i => new RestatedPeriod($"2026-11-{i:00}", 100m, 101m, 2))],
        };

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var items = RenderedReportPage.Parse(email.Html).WhatChanged;
        Assert.Equal(12, items.Count);
        Assert.StartsWith("Service 8 ", items[0], StringComparison.Ordinal);
        Assert.Equal("And 3 more outside their usual range.", items[5]);
        Assert.StartsWith("Sunday 1 Nov was revised", items[6], StringComparison.Ordinal);
        Assert.Equal("And 2 more earlier days were revised.", items[11]);
        Assert.Contains("- And 3 more outside their usual range.\n", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NothingToSay_LeavesOutWhatChanged()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(64);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(budget: 1_000_000m), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.Empty(RenderedReportPage.Parse(email.Html).WhatChanged);
        Assert.DoesNotContain("What changed", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("What changed", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Forecast_IsShownUnderTheMonthToDate()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(65).WithInsights();

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal("$9,420 range $9,100\u20139,800", page.Figure("Projected month total"));
        Assert.Matches(@"\nProjected month total +\$9,420  range \$9,100\u20139,800\n", email.Text);
        const string basis = "Projection: month to date + 6 days at the weekday averages of the last 4 weeks";
        Assert.Contains(basis, page.Document.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains(basis, email.Text, StringComparison.Ordinal);
        var monthToDate = email.Text.IndexOf("Month to date (", StringComparison.Ordinal);
        Assert.InRange(email.Text.IndexOf("Projected month total", StringComparison.Ordinal), monthToDate + 1, int.MaxValue);
    }

    [Fact]
    public void Render_ForecastOfAnotherMonth_IsNotShown()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(66).WithInsights().WithFigures(f => f with { Forecast = f.Forecast! with { Month = "2026-10" } });

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(budget: 8_000m), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.DoesNotContain("Projected", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("budget", email.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8_000, "On track to exceed the $8,000 budget by $1,420, around the 27th.", true)]
    [InlineData(9_500, "Within the $9,500 budget, though the high end of the range exceeds it.", false)]
    [InlineData(10_000, "Within the $10,000 budget.", false)]
    [InlineData(6_500, "Already over the $6,500 budget: $500 over so far, $2,920 over by the end of the month as projected.", true)]
    public void Render_Budget_SaysWhereTheMonthStandsAndFlagsAnOverrunUnderWhatChanged(int budget, string sentence, bool flagged)
    {
        // Arrange: $7,000 by the 24th, $9,420 projected.
        var snapshot = CostSnapshotFaker.Snapshot(67).WithInsights().WithFigures(f => f with { MonthToDate = 7_000m });

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(budget: budget), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Contains(page.Document.QuerySelectorAll("table.f td"), td => td.TextContent == sentence);
        Assert.Contains("\n" + sentence + "\n", email.Text, StringComparison.Ordinal);
        Assert.Equal(flagged, page.WhatChanged.Contains(sentence));
        Assert.Equal(flagged, email.Text.Contains("- " + sentence + "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_RevisionWithTheSameTotal_SaysOnlyTheComparedFiguresChanged()
    {
        // Arrange: an earlier day of the window changed; the day's own total did not.
        var collected = CostSnapshotFaker.Snapshot(68).WithInsights();
        var revised = new CostSnapshotRevised(collected, revisesVersion: 1, previousTotal: collected.Figures.Total);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), revised, 2, Trigger.Scheduled);

        // Assert
        var total = $"${Money.RoundToCents(collected.Figures.Total):#,##0.00}";
        var note = "Revised figures: these replace snapshot version 1. The day's total is unchanged at " + total
            + "; the figures it is compared with were revised (see What changed).";
        Assert.Contains(note, email.Text, StringComparison.Ordinal);
        Assert.Contains(note, RenderedReportPage.Parse(email.Html).Document.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("data for this day changed", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RevisionWithTheSameTotalAndNoRestatedDays_SaysTheBreakdownOrComparedFiguresChanged()
    {
        // Arrange
        var collected = CostSnapshotFaker.Snapshot(69);
        var revised = new CostSnapshotRevised(collected, revisesVersion: 4, previousTotal: collected.Figures.Total);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), revised, 5, Trigger.Scheduled);

        // Assert
        Assert.Contains("snapshot version 4. The day's total is unchanged at $", email.Text, StringComparison.Ordinal);
        Assert.Contains("; what changed is its breakdown or the figures it is compared with.", email.Text, StringComparison.Ordinal);
    }
}
