using Bogus;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Email;

namespace CostNotifier.UnitTests.Email;

/// <summary>The group table explains the total: its lines add up to it, and their changes add up to its change.</summary>
public sealed class ReportEmailTableTests
{
    private readonly ReportEmailRenderer _renderer = new();

    [Fact]
    public void Render_GroupThatDroppedToZero_IsListedWithItsChange()
    {
        // Arrange: Compute $100 and Redshift $50 the day before, only Compute $100 on the day.
        GroupLine[] groups = [new("Amazon Elastic Compute Cloud - Compute", 100m, 100m, null), new("Amazon Redshift", 0m, 50m, null)];
        var snapshot = CostSnapshotFaker.WithGroups(51, groups);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.StartsWith("\u25BC -$50.00", page.Figure("vs previous day"), StringComparison.Ordinal);
        var redshift = page.GroupRows.Single(r => r.Name == "Amazon Redshift");
        Assert.Equal(("$0.00", string.Empty, "-$50.00 no cost today, was $50.00"), (redshift.Amount, redshift.Share, redshift.Change));
        var total = Assert.Single(page.SumRows);
        Assert.Equal(("Total", "$100.00", "-$50.00 -33.3%"), (total.Name, total.Amount, total.Change));
        Assert.Matches(@"\nAmazon Redshift +\$0\.00 +-\$50\.00 no cost today, was \$50\.00\n", email.Text);
        Assert.Matches(@"\nTotal +\$100\.00 +-\$50\.00 -33\.3%\n", email.Text);
        Assert.Contains("(-33.3% vs previous day)", email.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_GroupThatDroppedToZeroBeyondTheTop_IsFoldedIntoOtherWithItsChange()
    {
        // Arrange
        GroupLine[] groups =
        [
            new("Amazon Elastic Compute Cloud - Compute", 100m, 90m, null),
            new("Amazon Redshift", 0m, 50m, null),
            new("AWS Lambda", 10m, 12m, null),
        ];
        var snapshot = CostSnapshotFaker.WithGroups(52, groups);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(top: 1), snapshot, 1, Trigger.Scheduled);

        // Assert: Other folds Redshift and Lambda, $62 the day before and $10 on the day.
        var rows = RenderedReportPage.Parse(email.Html).GroupRows;
        Assert.Equal(2, rows.Count);
        Assert.Equal(("Other (2 groups)", "$10.00", "-$52.00 -83.9%"), (rows[1].Name, rows[1].Amount, rows[1].Change));
        Assert.Contains("Top 1 of 3 by service", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LargeDropToZero_MakesTheTopAheadOfASmallerSteadyGroup()
    {
        // Arrange
        GroupLine[] groups =
        [
            new("Amazon Elastic Compute Cloud - Compute", 100m, 100m, null),
            new("Amazon Simple Storage Service", 30m, 30m, null),
            new("Amazon Redshift", 0m, 80m, null),
        ];
        var snapshot = CostSnapshotFaker.WithGroups(53, groups);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(top: 2), snapshot, 1, Trigger.Scheduled);

        // Assert
        var rows = RenderedReportPage.Parse(email.Html).GroupRows;
        Assert.Equal(["Amazon Elastic Compute Cloud - Compute", "Amazon Redshift", "Other (1 group)"], rows.Select(r => r.Name));
    }

    [Fact]
    public void Render_GroupWithoutCostOnEitherDay_IsLeftOut()
    {
        // Arrange
        GroupLine[] groups = [new("AWS Lambda", 10m, 10m, null), new("Amazon Athena", 0m, null, null), new("AWS Glue", 0m, 0m, null)];
        var snapshot = CostSnapshotFaker.WithGroups(54, groups);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.Equal(["AWS Lambda"], RenderedReportPage.Parse(email.Html).GroupRows.Select(r => r.Name));
        Assert.DoesNotContain("Athena", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PreviousDayCostOfGroupsNotListed_GetsALineSoTheChangesStillAddUp()
    {
        // Arrange: a snapshot from before groups without cost were kept; $40 of the day before is in no group.
        var snapshot = CostSnapshotFaker.WithGroups(55, [new GroupLine("AWS Lambda", 100m, 100m, null)])
            .WithFigures(f => f with { PreviousDayTotal = 140m });

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        var unlisted = page.GroupRows.Single(r => r.Name == "Not listed today");
        Assert.Equal(("$0.00", "-$40.00 not in today's figures, was $40.00"), (unlisted.Amount, unlisted.Change));
        Assert.Equal("-$40.00 -28.6%", page.SumRows.Single().Change);
    }

    [Fact]
    public void Render_NewGroup_IsMarkedNew()
    {
        // Arrange
        GroupLine[] groups = [new("AWS Lambda", 10m, 10m, null), new("Amazon Bedrock", 42.1m, null, null)];
        var snapshot = CostSnapshotFaker.WithGroups(56, groups);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        Assert.Equal("+$42.10 new", RenderedReportPage.Parse(email.Html).GroupRows.Single(r => r.Name == "Amazon Bedrock").Change);
        Assert.Matches(@"\nAmazon Bedrock +\$42\.10 +[0-9.]+% +\+\$42\.10 new\n", email.Text);
    }

    [Fact]
    public void Render_Credits_AreListedApartWithoutShareAndSharesAreOfGrossCost()
    {
        // Arrange: $100 of cost, a $50 credit; net $50.
        GroupLine[] groups = [new("Amazon Elastic Compute Cloud - Compute", 100m, 100m, null), new("Credits", -50m, -50m, null)];
        var snapshot = CostSnapshotFaker.WithGroups(57, groups);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal(("100.0%", string.Empty), (page.GroupRows[0].Share, page.GroupRows[1].Share));
        Assert.Equal(["Gross cost $100.00", "Net total $50.00"], page.SumRows.Select(r => r.Name + " " + r.Amount));
        Assert.Contains(page.Document.QuerySelectorAll("tr"), r => r.TextContent == "Credits and refunds");
        const string split = "Gross cost $100.00 \u00B7 credits and refunds -$50.00 \u00B7 net $50.00";
        Assert.Contains(split, page.Document.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains(split, email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("200.0%", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("-100.0%", email.Text, StringComparison.Ordinal);
        Assert.Matches(@"\nCredits +-\$50\.00 +\$0\.00 0\.0%\n", email.Text);
    }

    [Fact]
    public void Render_ManyCredits_ListsTheLargestAndFoldsTheRest()
    {
        // Arrange
        var groups = Enumerable.Range(1, 8).Select(i => new GroupLine("Refund " + i, -i, null, null))
            .Append(new GroupLine("AWS Lambda", 100m, null, null))
            .ToList();
        var snapshot = CostSnapshotFaker.WithGroups(58, groups);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal(["Refund 8", "Refund 7", "Refund 6", "Refund 5", "Refund 4", "Other credits (3)"], page.GroupRows.Skip(1).Select(r => r.Name));
        Assert.Equal("-$6.00", page.GroupRows[^1].Amount);
        Assert.Equal(["Gross cost", "Total credits and refunds", "Net total"], page.SumRows.Select(r => r.Name));
        Assert.Equal(["$100.00", "-$36.00", "$64.00"], page.SumRows.Select(r => r.Amount));
    }

    [Fact]
    public void Render_AmountsThatRoundBadly_StillAddUpToTheRoundedTotal()
    {
        // Arrange: three lines of 0.335 each print as 0.34 on their own, 1.02 under a total of 1.01.
        GroupLine[] groups = [new("Amazon Athena", 0.335m, 0.335m, null), new("AWS Glue", 0.335m, 0.335m, null), new("AWS Lambda", 0.335m, 0.335m, null)];
        var snapshot = CostSnapshotFaker.WithGroups(59, groups);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal("$1.01", page.TotalText);
        Assert.Equal(["$0.34", "$0.34", "$0.33"], page.GroupRows.Select(r => r.Amount));
        Assert.Equal(["$0.00", "$0.00", "$0.00"], page.GroupRows.Select(r => r.Change.Split(' ')[0]));
        Assert.Equal("$1.01", page.SumRows.Single().Amount);
        Assert.Matches(@"\nAWS Lambda +\$0\.33 ", email.Text);
    }

    public static TheoryData<int, int> Seeds => new() { { 1, 3 }, { 2, 10 }, { 3, 10 }, { 4, 25 }, { 5, 100 }, { 6, 1 } };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Render_AnyDay_LinesAddUpToTheTotalAndTheirChangesToItsChange(int seed, int top)
    {
        // Arrange: groups at sub-cent precision, some gone, some new, some credits.
        var faker = new Faker { Random = new Randomizer(seed) };
        var groups = Enumerable.Range(0, faker.Random.Int(5, 160))
            .Select(i =>
            {
                var kind = faker.Random.Int(0, 9);
                var amount = kind switch
                {
                    0 => 0m,
                    1 => -Math.Round(faker.Random.Decimal(0m, 40m), 6),
                    _ => Math.Round(faker.Random.Decimal(0m, 900m) / (i + 1), 6),
                };
                decimal? previous = kind == 2 ? null : kind == 1 ? -Math.Round(faker.Random.Decimal(0m, 40m), 6) : Math.Round(faker.Random.Decimal(0m, 900m) / (i + 1), 6);
                return new GroupLine("Service " + i, amount, previous, null);
            })
            .ToList();
        var snapshot = CostSnapshotFaker.WithGroups(seed, groups);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(top), snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        var rows = page.GroupRows;
        var total = Money.RoundToCents(snapshot.Figures.Total);
        var change = total - Money.RoundToCents(snapshot.Figures.PreviousDayTotal!.Value);
        Assert.Equal(RenderedReportPage.Amount(page.TotalText), total);
        Assert.Equal(total, rows.Sum(r => RenderedReportPage.Amount(r.Amount)));
        Assert.Equal(change, rows.Sum(r => RenderedReportPage.Amount(r.Change.Split(' ')[0])));
        Assert.Equal(total, RenderedReportPage.Amount(page.SumRows[^1].Amount));
        Assert.Equal(change, RenderedReportPage.Amount(page.SumRows[^1].Change.Split(' ')[0]));
        Assert.All(rows.Where(r => !r.Name.StartsWith("Other", StringComparison.Ordinal) && r.Name != "Not listed today"), r =>
        {
            var group = snapshot.Figures.Groups.Single(g => g.Key == r.Name);
            Assert.InRange(RenderedReportPage.Amount(r.Amount) - Money.RoundToCents(group.Amount), -0.01m, 0.01m);
        });
    }
}
