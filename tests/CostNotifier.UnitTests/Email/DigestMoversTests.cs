using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Email;
using static CostNotifier.UnitTests.Email.WeeklyDigestEmailTests;

namespace CostNotifier.UnitTests.Email;

public sealed class DigestMoversTests
{
    private readonly ReportEmailRenderer _renderer = new();

    [Fact]
    public void Render_WeeklyDigest_ListsTheLargestRisesAndFallsIncludingGroupsThatAppearedOrVanished()
    {
        // Act
        var email = _renderer.Render(DigestSnapshots.WeeklyReport(), DigestSnapshots.Weekly(), 1, Trigger.Scheduled);

        // Assert: Bedrock appeared, Redshift vanished; a credit that grew lowers the cost like any fall.
        Assert.Equal(
            [
                new MoverCells("Amazon Bedrock", "$640.50", "+$640.50 new", "Increases"),
                new MoverCells("Amazon Elastic Compute Cloud - Compute", "$4,200.00", "+$300.00 +7.7%", "Increases"),
                new MoverCells("Amazon Relational Database Service", "$2,100.00", "+$100.00 +5.0%", "Increases"),
                new MoverCells("Amazon Redshift", "$0.00", "-$380.25 no cost this week, was $380.25", "Decreases"),
                new MoverCells("Amazon Simple Storage Service", "$1,300.00", "-$150.00 -10.3%", "Decreases"),
                new MoverCells("Credits", "-$150.00", "-$50.00 -50.0%", "Decreases"),
            ],
            RenderedReportPage.Parse(email.Html).Movers);
        var text = email.Text[email.Text.IndexOf("Biggest moves", StringComparison.Ordinal)..email.Text.IndexOf("Cost by service", StringComparison.Ordinal)];
        Assert.Equal(
            [
                "Biggest moves vs previous week",
                "Service Amount vs prev. week",
                "Increases",
                "Amazon Bedrock $640.50 +$640.50 new",
                "Amazon Elastic Compute Cloud - Compute $4,200.00 +$300.00 +7.7%",
                "Amazon Relational Database Service $2,100.00 +$100.00 +5.0%",
                "Decreases",
                "Amazon Redshift $0.00 -$380.25 no cost this week, was $380.25",
                "Amazon Simple Storage Service $1,300.00 -$150.00 -10.3%",
                "Credits -$150.00 -$50.00 -50.0%",
                string.Empty,
                string.Empty,
            ],
            text.Split('\n').Select(l => Line(l, string.Empty)));
    }

    [Fact]
    public void Render_VanishedCreditAndNewCredit_AreWordedAsCredits()
    {
        // Arrange
        var snapshot = DigestSnapshots.Monthly(
        [
            new GroupLine("Amazon Elastic Compute Cloud - Compute", 1_000m, 1_000m, null),
            new GroupLine("Refund", -80m, null, null),
            new GroupLine("Credits", 0m, -40m, null),
        ]);

        // Act
        var movers = RenderedReportPage.Parse(_renderer.Render(DigestSnapshots.MonthlyReport(), snapshot, 1, Trigger.Scheduled).Html).Movers;

        // Assert
        Assert.Equal(
            [
                new MoverCells("Credits", "$0.00", "+$40.00 none this month, was -$40.00", "Increases"),
                new MoverCells("Refund", "-$80.00", "-$80.00 new", "Decreases"),
            ],
            movers);
    }

    [Fact]
    public void Render_MoverFoldedIntoOther_StillShowsItsOwnAmountAndChange()
    {
        // Arrange: the table lists two groups; Bedrock, which appeared, and Redshift, which vanished, are folded.
        var report = DigestSnapshots.WeeklyReport(top: 2);

        // Act
        var page = RenderedReportPage.Parse(_renderer.Render(report, DigestSnapshots.Weekly(), 1, Trigger.Scheduled).Html);

        // Assert
        Assert.DoesNotContain(page.GroupRows, r => r.Name is "Amazon Bedrock" or "Amazon Redshift");
        Assert.Contains(new MoverCells("Amazon Bedrock", "$640.50", "+$640.50 new", "Increases"), page.Movers);
        Assert.Contains(new MoverCells("Amazon Redshift", "$0.00", "-$380.25 no cost this week, was $380.25", "Decreases"), page.Movers);
    }

    [Fact]
    public void Render_MoverListedInTheTable_ShowsTheTablesAmountsToTheCent()
    {
        // Arrange: three lines of 0.335 under a total of 1.01: the table shares the cents out as 0.34, 0.34 and 0.33,
        // where rounding each on its own would print 0.34 three times.
        var snapshot = DigestSnapshots.Weekly(
        [
            new GroupLine("AWS Lambda", 0.335m, 0.10m, null),
            new GroupLine("Amazon Simple Queue Service", 0.335m, 0.10m, null),
            new GroupLine("AWS Key Management Service", 0.335m, 0.10m, null),
        ]);

        // Act
        var page = RenderedReportPage.Parse(_renderer.Render(DigestSnapshots.WeeklyReport(), snapshot, 1, Trigger.Scheduled).Html);

        // Assert
        Assert.Equal(["$0.34", "$0.34", "$0.33"], page.GroupRows.Select(r => r.Amount));
        Assert.Equal(3, page.Movers.Count);
        Assert.All(page.Movers, m =>
        {
            var row = Assert.Single(page.GroupRows, r => r.Name == m.Name);
            Assert.Equal(row.Amount, m.Amount);
            Assert.Equal(row.Change, m.Change);
        });
    }

    [Fact]
    public void Render_MoreMoversThanShown_KeepsTheLargestOfEachDirection()
    {
        // Arrange: eight rises and eight falls of different sizes, in no particular order.
        var groups = Enumerable.Range(1, 8)
            .SelectMany(i => new[]
            {
                new GroupLine($"Rising {i}", 100m + (i * 10m), 100m, null),
                new GroupLine($"Falling {i}", 100m - (i * 5m), 100m, null),
            })
            .Reverse()
            .ToList();

        // Act
        var movers = RenderedReportPage.Parse(_renderer.Render(DigestSnapshots.WeeklyReport(), DigestSnapshots.Weekly(groups), 1, Trigger.Scheduled).Html).Movers;

        // Assert
        Assert.Equal(
            ["Rising 8", "Rising 7", "Rising 6", "Falling 8", "Falling 7", "Falling 6"],
            movers.Select(m => m.Name));
        Assert.Equal(GroupMovers.MaxPerDirection, movers.Count(m => m.Direction == "Increases"));
    }

    [Fact]
    public void Render_OnlyRises_ShowsNoDecreasesHeading()
    {
        // Arrange
        var snapshot = DigestSnapshots.Monthly([new GroupLine("AWS Lambda", 120m, 100m, null), new GroupLine("Amazon Route 53", 5m, 5m, null)]);

        // Act
        var email = _renderer.Render(DigestSnapshots.MonthlyReport(), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.Equal([new MoverCells("AWS Lambda", "$120.00", "+$20.00 +20.0%", "Increases")], RenderedReportPage.Parse(email.Html).Movers);
        Assert.DoesNotContain("Decreases", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Decreases", email.Text, StringComparison.Ordinal);
    }
}
