using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Email;

namespace CostNotifier.UnitTests.Email;

public sealed class ReportEmailRendererTests
{
    private readonly ReportEmailRenderer _renderer = new();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public void Render_TotalShown_EqualsSnapshotTotalRoundedToCents(int seed)
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(seed, groupCount: 22);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal(Money.RoundToCents(snapshot.Figures.Total), RenderedReportPage.Amount(page.TotalText));
        Assert.Contains(page.TotalText, email.Subject, StringComparison.Ordinal);
        Assert.Contains("Total for the day", email.Text, StringComparison.Ordinal);
        Assert.Contains(page.TotalText, email.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1234.565", "$1,234.57")]
    [InlineData("1234.564999", "$1,234.56")]
    [InlineData("1234567.891", "$1,234,567.89")]
    [InlineData("-0.005", "-$0.01")]
    [InlineData("-0.004", "$0.00")]
    [InlineData("0", "$0.00")]
    public void Render_Total_RoundsToCentsHalfAwayFromZeroWithThousandsSeparators(string total, string expected)
    {
        // Arrange
        var amount = decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture);
        var snapshot = CostSnapshotFaker.WithGroups(3, [new GroupLine("AWS Lambda", amount, null, null)]);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.Equal(expected, RenderedReportPage.Parse(email.Html).TotalText);
    }

    [Fact]
    public void Render_Subject_NamesReportDateTotalAndChangeVsPreviousDay()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.WithGroups(5, [new GroupLine("Amazon Simple Storage Service", 1234.56m, 1196.28m, null)]).WithFigures(f => f with
        {
            PreviousDayTotal = 1196.28m,
        });

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.Equal("[CostNotifier] Production account \u2014 2026-11-24: $1,234.56 (+3.2% vs previous day)", email.Subject);
    }

    [Fact]
    public void Render_SubjectOfEstimatedDay_SaysEstimated()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.WithGroups(5, [new GroupLine("AWS Lambda", 10m, null, null)], estimated: true).WithFigures(f => f with { PreviousDayTotal = null });

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.Equal("[CostNotifier] Production account \u2014 2026-11-24: $10.00 (estimated)", email.Subject);
    }

    [Fact]
    public void Render_SubjectWhenPreviousDayWasZero_GivesTheAbsoluteChange()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.WithGroups(5, [new GroupLine("AWS Lambda", 5m, null, null)]).WithFigures(f => f with { PreviousDayTotal = 0m });

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.EndsWith(": $5.00 (+$5.00 vs previous day)", email.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NonUsdCurrency_WritesTheIsoCodeAfterTheAmount()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.WithGroups(5, [new GroupLine("AWS Lambda", 1234.5m, null, null)]).WithFigures(f => f with { Currency = "EUR" });

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.Equal("1,234.50 EUR", RenderedReportPage.Parse(email.Html).TotalText);
        Assert.DoesNotContain("$", email.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(22, 10)]
    [InlineData(300, 10)]
    [InlineData(300, 100)]
    public void Render_OtherLine_SumsEveryCostGroupBeyondTheTop(int groupCount, int top)
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(11, groupCount);
        var cost = snapshot.Figures.Groups.Where(g => g.Amount > 0).ToList();
        var rest = cost.Skip(top).ToList();

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(top), snapshot, 1, Trigger.Scheduled);

        // Assert: the cost lines are the top groups and Other; the credits line is listed apart, after them.
        var rows = RenderedReportPage.Parse(email.Html).GroupRows;
        Assert.Equal(top + 2, rows.Count);
        Assert.Equal($"Other ({rest.Count} groups)", rows[top].Name);
        Assert.InRange(RenderedReportPage.Amount(rows[top].Amount) - Money.RoundToCents(rest.Sum(g => g.Amount)), -0.01m, 0.01m);
        Assert.Equal(cost.Take(top).Select(g => g.Key), rows.Take(top).Select(r => r.Name));
        Assert.Equal("Credits", rows[^1].Name);
    }

    [Fact]
    public void Render_GroupsWithinTheTop_HasNoOtherLine()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(12, groupCount: 6);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(top: 10), snapshot, 1, Trigger.Scheduled);

        // Assert
        var rows = RenderedReportPage.Parse(email.Html).GroupRows;
        Assert.Equal(6, rows.Count);
        Assert.DoesNotContain(rows, r => r.Name.StartsWith("Other", StringComparison.Ordinal));
        Assert.DoesNotContain("Other (", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_GroupRows_ShowAmountShareAndChangeVsPreviousDay()
    {
        // Arrange
        GroupLine[] groups =
        [
            new("Amazon Elastic Compute Cloud - Compute", 600m, 500m, 550m),
            new("Amazon Simple Storage Service", 300m, null, null),
            new("AWS Lambda", 100m, 0m, 100m),
        ];
        var snapshot = CostSnapshotFaker.WithGroups(13, groups);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var rows = RenderedReportPage.Parse(email.Html).GroupRows;
        Assert.Equal(("$600.00", "60.0%", "+$100.00 +20.0%"), (rows[0].Amount, rows[0].Share, rows[0].Change));
        Assert.Equal(("$300.00", "30.0%", "+$300.00 new"), (rows[1].Amount, rows[1].Share, rows[1].Change));
        Assert.Equal(("$100.00", "10.0%", "+$100.00 new"), (rows[2].Amount, rows[2].Share, rows[2].Change));
    }

    [Fact]
    public void Render_WithoutPreviousDayData_ShowsNotAvailableInsteadOfNew()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.WithGroups(13, [new GroupLine("AWS Lambda", 100m, null, null)]).WithFigures(f => f with
        {
            PreviousDayTotal = null,
            SameWeekdayLastWeekTotal = null,
        });

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.Equal("n/a", RenderedReportPage.Parse(email.Html).GroupRows[0].Change);
        Assert.Matches(@"\nvs previous day \(Mon 23 Nov\) +n/a\n", email.Text);
        Assert.Matches(@"\nvs same weekday last week \(Tue 17 Nov\) +n/a\n", email.Text);
    }

    [Fact]
    public void Render_TotalComparisons_ShowAbsoluteAndPercentWithSigns()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.WithGroups(14, [new GroupLine("AWS Lambda", 1000m, 800m, 1250m)]).WithFigures(f => f with
        {
            PreviousDayTotal = 800m,
            SameWeekdayLastWeekTotal = 1250m,
            MonthToDate = 23456.784m,
        });

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var html = RenderedReportPage.Parse(email.Html).Document.Body!.TextContent;
        Assert.Contains("+$200.00", html, StringComparison.Ordinal);
        Assert.Contains("+25.0%", html, StringComparison.Ordinal);
        Assert.Contains("-$250.00", html, StringComparison.Ordinal);
        Assert.Contains("-20.0%", html, StringComparison.Ordinal);
        Assert.Contains("$23,456.78", html, StringComparison.Ordinal);
        Assert.Matches(@"vs previous day \(Mon 23 Nov\) +\+\$200\.00  \+25\.0%", email.Text);
        Assert.Matches(@"vs same weekday last week \(Tue 17 Nov\) +-\$250\.00  -20\.0%", email.Text);
        Assert.Matches(@"Month to date \(1 Nov.24 Nov\) +\$23,456\.78", email.Text);
    }

    [Fact]
    public void Render_Credits_ShowAMinusSignAndNoBar()
    {
        // Arrange
        GroupLine[] groups =
        [
            new("Amazon Relational Database Service", 250m, 250m, 250m),
            new("AWS Lambda", 40m, 40m, 40m),
            new("Credits", -75.256m, -75m, -75m),
        ];
        var snapshot = CostSnapshotFaker.WithGroups(15, groups);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        var credits = page.GroupRows.Single(r => r.Name == "Credits");
        Assert.Equal("-$75.26", credits.Amount);
        Assert.Equal(0, RenderedReportPage.BarPercent(credits.NameCell));
        Assert.Null(credits.NameCell.QuerySelector("table"));
        Assert.Contains("-$75.26", email.Text, StringComparison.Ordinal);
        Assert.All(
            page.Document.QuerySelectorAll("[width$='%']"),
            cell => Assert.InRange(int.Parse(cell.GetAttribute("width")!.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture), 1, 100));
    }

    [Fact]
    public void Render_CreditsBeyondTheTop_AreNeverFoldedIntoTheCostOtherLine()
    {
        // Arrange
        var groups = Enumerable.Range(1, 5).Select(i => new GroupLine("Amazon Service " + i, 100m * i, null, null))
            .Append(new GroupLine("Credits", -120m, null, null))
            .ToList();
        var snapshot = CostSnapshotFaker.WithGroups(16, groups);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(top: 3), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        var other = page.GroupRows.Single(r => r.Name.StartsWith("Other", StringComparison.Ordinal));
        Assert.Equal(("Other (2 groups)", "$300.00"), (other.Name, other.Amount));
        Assert.Equal(("Credits", "-$120.00"), (page.GroupRows[^1].Name, page.GroupRows[^1].Amount));
        Assert.Equal(["Gross cost", "Net total"], page.SumRows.Select(r => r.Name));
        Assert.Equal(["$1,500.00", "$1,380.00"], page.SumRows.Select(r => r.Amount));
    }

    [Fact]
    public void Render_Bars_AreProportionalToTheLargestLine()
    {
        // Arrange
        GroupLine[] groups = [new("A", 400m, null, null), new("B", 200m, null, null), new("C", 1m, null, null), new("D", 0.001m, null, null)];
        var snapshot = CostSnapshotFaker.WithGroups(17, groups);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var bars = RenderedReportPage.Parse(email.Html).GroupRows.Select(r => RenderedReportPage.BarPercent(r.NameCell));
        Assert.Equal([100, 50, 1, 0], bars);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Render_ProvisionalBanner_IsShownExactlyWhenTheDayIsEstimated(bool estimated)
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(18, estimated: estimated);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        const string banner = "Provisional: Cost Explorer still marks this day as estimated.";
        var body = RenderedReportPage.Parse(email.Html).Document.Body!.TextContent;
        Assert.Equal(estimated, body.Contains(banner, StringComparison.Ordinal));
        Assert.Equal(estimated, email.Text.Contains(banner, StringComparison.Ordinal));
        Assert.Equal(estimated, email.Subject.EndsWith("(estimated)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Trigger.Scheduled, null)]
    [InlineData(Trigger.Replay, "Sent again on request")]
    [InlineData(Trigger.Backfill, "Backfill: sent on request for a past day")]
    public void Render_Trigger_ExplainsEmailsNotSentByTheSchedule(Trigger trigger, string? note)
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(19);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, trigger);

        // Assert
        var body = RenderedReportPage.Parse(email.Html).Document.Body!.TextContent;
        foreach (var text in new[] { body, email.Text })
        {
            Assert.Equal(note is null, !text.Contains("Sent again on request", StringComparison.Ordinal) && !text.Contains("Backfill:", StringComparison.Ordinal));
            if (note is not null)
            {
                Assert.Contains(note, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Render_RevisedSnapshotWithAnotherTotal_SaysFromWhatToWhat()
    {
        // Arrange
        var collected = CostSnapshotFaker.Snapshot(20);
        var revised = new CostSnapshotRevised
        {
            ReportId = collected.ReportId,
            Date = collected.Date,
            RequestId = "replay-1",
            Trigger = Trigger.Replay,
            Figures = collected.Figures with { Estimated = false },
            CostSourceRequests = 1,
            CollectedAt = collected.CollectedAt,
            RevisesVersion = 1,
            PreviousTotal = 1000.004m,
        };

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), revised, 3, Trigger.Replay);

        // Assert
        var note = $"Revised figures: these replace snapshot version 1. Cost Explorer revised the day's total from $1,000.00 to ${Money.RoundToCents(collected.Figures.Total):#,##0.00}.";
        Assert.Contains(note, email.Text, StringComparison.Ordinal);
        Assert.Contains(note, RenderedReportPage.Parse(email.Html).Document.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Trend_DrawsTheLastFifteenDaysEndingWithTheReportDay()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(21);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        var bars = page.Document.QuerySelectorAll("td[title]").ToList();
        Assert.Equal(15, bars.Count);
        Assert.StartsWith("Tue 2026-11-10:", bars[0].GetAttribute("title"), StringComparison.Ordinal);
        Assert.Equal($"Tue 2026-11-24: ${Money.RoundToCents(snapshot.Figures.Total):#,##0.00}", bars[^1].GetAttribute("title"));
        Assert.Contains("Last 15 days", email.Text, StringComparison.Ordinal);
        Assert.Contains("Tue 2026-11-24", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Footer_NamesSnapshotVersionGroupingAndMetric()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(22);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 7, Trigger.Scheduled);

        // Assert
        const string footer = "Snapshot version 7 \u00B7 grouped by SERVICE \u00B7 metric UnblendedCost";
        Assert.Contains(footer, RenderedReportPage.Parse(email.Html).Document.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains(footer, email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TagGroups_ShowTheTagValueOrUntagged()
    {
        // Arrange
        GroupLine[] groups = [new("team$payments", 30m, null, null), new("team$", 20m, null, null), new("team$a$b", 10m, null, null)];
        var snapshot = CostSnapshotFaker.WithGroups(23, groups, groupBy: "TAG:team");

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(groupBy: GroupBy.Parse("TAG:team")), snapshot, 1, Trigger.Scheduled);

        // Assert
        var rows = RenderedReportPage.Parse(email.Html).GroupRows;
        Assert.Equal(["payments", "(untagged)", "a$b"], rows.Select(r => r.Name));
        Assert.Contains("Cost by tag team", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TextPart_AlignsTheGroupColumns()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(24, groupCount: 40);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert: every line with figures ends its amount in the same column, sums and credits included.
        var lines = email.Text.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("Service ", StringComparison.Ordinal));
        var table = lines.Skip(header).TakeWhile(l => l.Length > 0).ToList();
        var figures = table.Skip(1).Where(l => l.Contains('$', StringComparison.Ordinal)).ToList();
        Assert.Equal(10 + 1 + 1 + 1 + 1, figures.Count);
        Assert.Contains(table, l => l == "Credits and refunds");
        var amountEnd = table[0].IndexOf("Amount", StringComparison.Ordinal) + "Amount".Length;
        Assert.All(figures, line => Assert.True(char.IsDigit(line[amountEnd - 1]), line));
        Assert.All(figures, line => Assert.Equal(' ', line[amountEnd]));
    }

    [Fact]
    public void Render_DayWithoutAnyCost_SaysSoInBothParts()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.WithGroups(29, []).WithFigures(f => f with { PreviousDayTotal = 0m });

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal("$0.00", page.TotalText);
        Assert.Empty(page.GroupRows);
        Assert.Contains("No cost was recorded for any service on this day.", page.Document.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("No cost was recorded for any service on this day.", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnusualCurrencyCode_IsShownEscapedAfterTheAmount()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.WithGroups(30, [new GroupLine("AWS Lambda", 12m, null, null)]).WithFigures(f => f with { Currency = "<X>" });

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal("12.00 <X>", page.TotalText);
        Assert.Empty(page.Document.QuerySelectorAll("x"));
    }

    [Fact]
    public void Render_NullGroupLine_ThrowsNamingItsPosition()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(31).WithFigures(f => f with { Groups = [new GroupLine("AWS Lambda", 1m, null, null), null!] });

        // Act
        var error = Assert.Throws<ArgumentException>(() => _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled));

        // Assert
        Assert.Contains("group 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnknownTrigger_ThrowsNamingIt()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(25);

        // Act
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, (Trigger)99));

        // Assert
        Assert.Equal("trigger", error.ParamName);
        Assert.Equal((Trigger)99, error.ActualValue);
    }

    [Fact]
    public void Render_SnapshotOfAnotherReport_Throws()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(26) with { ReportId = "staging" };

        // Act
        var error = Assert.Throws<ArgumentException>(() => _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled));

        // Assert
        Assert.Contains("'staging'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Render_TopOutsideOneToHundred_Throws(int top)
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(27);

        // Act
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _renderer.Render(CostSnapshotFaker.Report(top), snapshot, 1, Trigger.Scheduled));

        // Assert
        Assert.Contains("between 1 and 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MalformedDate_ThrowsNamingIt()
    {
        // Arrange
        var snapshot = CostSnapshotFaker.Snapshot(28) with { Date = "2026-02-30" };

        // Act
        var error = Assert.Throws<ArgumentException>(() => _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled));

        // Assert
        Assert.Contains("'2026-02-30'", error.Message, StringComparison.Ordinal);
    }
}
