using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Insights;
using static CostNotifier.UnitTests.Insights.CostHistory;

namespace CostNotifier.UnitTests.Insights;

public sealed class AnomalyDetectorTests
{
    private const string Ec2 = "Amazon EC2";
    private const string S3 = "Amazon S3";

    /// <summary>A Wednesday in the middle of a month.</summary>
    private static readonly ReportDate Day = ReportDate.Parse("2026-03-18");

    private static IReadOnlyList<CostAnomaly> Detect(ReportDate day, IReadOnlyList<CostNotifier.CostData.DailyCost> window, AnomalyThresholds? thresholds = null) =>
        AnomalyDetector.Detect(day, window, thresholds ?? AnomalyThresholds.Default);

    [Fact]
    public void Spike_IsFlaggedWithItsExpectedRangeAndImpact()
    {
        var window = Window(Day, d => [(Ec2, d == Day ? 414.50m : 175m * Wobble(d)), (S3, 40m * Wobble(d))]);

        var anomalies = Detect(Day, window);

        var ec2 = Assert.Single(anomalies, a => a.Key == Ec2);
        Assert.Equal(AnomalyKind.Spike, ec2.Kind);
        Assert.Equal(414.50m, ec2.Amount);
        Assert.InRange(ec2.ExpectedLow, 150m, 175m);
        Assert.InRange(ec2.ExpectedHigh, 175m, 200m);
        Assert.Equal(414.50m - ec2.ExpectedHigh, ec2.Impact);
        Assert.DoesNotContain(anomalies, a => a.Key == S3);
    }

    [Fact]
    public void Spike_AlsoFlagsTheTotal_AndTheListIsLargestImpactFirst()
    {
        var window = Window(Day, d => [(Ec2, d == Day ? 414.50m : 175m * Wobble(d)), (S3, d == Day ? 120m : 40m * Wobble(d))]);

        var anomalies = Detect(Day, window);

        Assert.Equal([null, Ec2, S3], anomalies.Select(a => a.Key));
        Assert.Equal(anomalies.OrderByDescending(a => Math.Abs(a.Impact)), anomalies);
        Assert.All(anomalies, a => Assert.Equal(AnomalyKind.Spike, a.Kind));
    }

    [Fact]
    public void Drop_IsFlaggedWithANegativeImpact()
    {
        var window = Window(Day, "Amazon RDS", d => d == Day ? 40m : 300m * Wobble(d));

        var rds = Assert.Single(Detect(Day, window), a => a.Key == "Amazon RDS");

        Assert.Equal(AnomalyKind.Drop, rds.Kind);
        Assert.Equal(40m - rds.ExpectedLow, rds.Impact);
        Assert.True(rds.Impact < -200m);
    }

    [Fact]
    public void GroupThatStopped_IsADropToZero()
    {
        var window = Window(Day, d => [(Ec2, 175m * Wobble(d)), ("Amazon RDS", d == Day ? 0m : 80m * Wobble(d))]);

        var rds = Assert.Single(Detect(Day, window), a => a.Key == "Amazon RDS");

        Assert.Equal(AnomalyKind.Drop, rds.Kind);
        Assert.Equal(0m, rds.Amount);
    }

    [Fact]
    public void GroupWithNoCostInTheHistory_IsNew()
    {
        var window = Window(Day, d => [(Ec2, 175m * Wobble(d)), ("Amazon Bedrock", d == Day ? 55m : 0m)]);

        var bedrock = Assert.Single(Detect(Day, window), a => a.Key == "Amazon Bedrock");

        Assert.Equal(new CostAnomaly("Amazon Bedrock", AnomalyKind.NewGroup, 55m, 0m, 0m, 55m), bedrock);
    }

    [Fact]
    public void NewGroup_BelowTheMinimumImpact_IsNotFlagged()
    {
        var window = Window(Day, d => [(Ec2, 175m * Wobble(d)), ("Amazon Bedrock", d == Day ? 4m : 0m)]);

        Assert.Empty(Detect(Day, window));
    }

    [Fact]
    public void CreditsInTheHistory_DoNotDisturbTheBaseline()
    {
        // Two refunds booked earlier in the window, one taking the day below zero.
        var window = Window(Day, Ec2, d =>
            d == Day.AddDays(-10) ? -500m
            : d == Day.AddDays(-4) ? 175m * Wobble(d) - 120m
            : 175m * Wobble(d));

        Assert.Empty(Detect(Day, window));
    }

    [Fact]
    public void CreditOnTheDay_IsADrop()
    {
        var window = Window(Day, Ec2, d => d == Day ? -325m : 175m * Wobble(d));

        var ec2 = Assert.Single(Detect(Day, window), a => a.Key == Ec2);

        Assert.Equal(AnomalyKind.Drop, ec2.Kind);
        Assert.True(ec2.Impact < -400m);
    }

    [Fact]
    public void MonthStartCharge_SeenTheMonthBefore_IsNotFlagged()
    {
        // A support plan charged on every 1st on top of $20 a day of usage.
        var first = ReportDate.Parse("2026-04-01");
        var window = Window(first, "AWS Support", d => (20m * Wobble(d)) + (d.Day.Day == 1 ? 600m * Wobble(d) : 0m));

        Assert.Empty(Detect(first, window));
        Assert.Empty(Detect(first.AddDays(1), Window(first.AddDays(1), "AWS Support", d => (20m * Wobble(d)) + (d.Day.Day == 1 ? 600m : 0m))));
    }

    [Fact]
    public void MonthStartCharge_MuchLargerThanTheMonthBefore_IsFlagged()
    {
        var first = ReportDate.Parse("2026-04-01");
        var window = Window(first, "AWS Support", d => (20m * Wobble(d)) + (d.Day.Day == 1 ? (d == first ? 1500m : 600m) : 0m));

        var support = Assert.Single(Detect(first, window), a => a.Key == "AWS Support");

        Assert.Equal(AnomalyKind.Spike, support.Kind);
        Assert.True(support.ExpectedHigh >= 620m, $"the range {support.ExpectedLow}–{support.ExpectedHigh} includes last month's charge");
    }

    [Fact]
    public void OnTheFirst_WithoutLastMonthInTheWindow_NothingIsFlaggedAsASpike()
    {
        // A window that stops short of last month's 1st cannot tell a monthly charge from a spike.
        var first = ReportDate.Parse("2026-04-01");
        var window = Window(first, "AWS Support", d => (20m * Wobble(d)) + (d.Day.Day == 1 ? 600m : 0m)).Where(d => d.Date >= first.AddDays(-20)).ToList();

        Assert.Empty(Detect(first, window));
    }

    [Fact]
    public void MonthlyCredit_IsNotFlagged()
    {
        var first = ReportDate.Parse("2026-04-01");
        var window = Window(first, Ec2, d => (175m * Wobble(d)) - (d.Day.Day == 1 ? 900m : 0m));

        Assert.Empty(Detect(first, window));
    }

    [Theory]
    [InlineData("2026-03-21")] // Saturday
    [InlineData("2026-03-22")] // Sunday
    [InlineData("2026-03-23")] // Monday
    public void WeekendPattern_IsNotFlagged(string date)
    {
        var day = ReportDate.Parse(date);
        var window = Window(day, Ec2, WeekdaysAndQuietWeekends);

        Assert.Empty(Detect(day, window));
    }

    [Fact]
    public void WeekdayAmountOnASaturday_IsASpike()
    {
        var saturday = ReportDate.Parse("2026-03-21");
        var window = Window(saturday, Ec2, d => d == saturday ? 200m : WeekdaysAndQuietWeekends(d));

        var ec2 = Assert.Single(Detect(saturday, window), a => a.Key == Ec2);

        Assert.Equal(AnomalyKind.Spike, ec2.Kind);
        Assert.InRange(ec2.ExpectedHigh, 35m, 50m);
    }

    [Fact]
    public void EstimatedTail_LowerThanUsual_IsNotFlagged()
    {
        // The last three days are estimates still missing part of their usage.
        decimal Amount(ReportDate d) => 175m * Wobble(d) * (d == Day ? 0.6m : d == Day.AddDays(-1) ? 0.85m : d == Day.AddDays(-2) ? 0.95m : 1m);
        var window = Window(Day, Ec2, Amount, estimated: d => d > Day.AddDays(-3));

        Assert.Empty(Detect(Day, window));
    }

    [Fact]
    public void TheSameLowDay_WhenFinal_IsADrop()
    {
        var window = Window(Day, Ec2, d => 175m * Wobble(d) * (d == Day ? 0.6m : 1m));

        Assert.Equal(AnomalyKind.Drop, Assert.Single(Detect(Day, window), a => a.Key == Ec2).Kind);
    }

    [Fact]
    public void WholeMonthMarkedEstimated_OnlyTheLatestDaysAreTreatedAsIncomplete()
    {
        // A provider that marks every day of the month estimated: a drop on the 10th is still a drop today.
        var window = Window(Day, Ec2, d => 175m * Wobble(d) * (d == Day ? 0.3m : 1m), estimated: d => d.Day.Month == Day.Day.Month);

        Assert.Equal(AnomalyKind.Drop, Assert.Single(Detect(Day, window), a => a.Key == Ec2).Kind);
    }

    [Fact]
    public void MinimumImpact_SuppressesSmallAnomalies()
    {
        // $5 a day to $12: far outside the range, but $7 of impact is below the $10 minimum.
        var small = Window(Day, "AWS KMS", d => d == Day ? 12m : 5m * Wobble(d));
        Assert.Empty(Detect(Day, small));

        // $1,000 a day to $1,250: well over $10 outside the range, but less than 25% of the expected amount.
        var large = Window(Day, Ec2, d => d == Day ? 1250m : 1000m * Wobble(d));
        Assert.Empty(Detect(Day, large));

        // The same day for a report whose owners want to know about 10%.
        var flagged = Detect(Day, large, new AnomalyThresholds(10m, 0.10m));
        Assert.Equal([null, Ec2], flagged.Select(a => a.Key));
    }

    [Fact]
    public void ShortHistory_FlagsNothing()
    {
        var window = Window(Day, d => [(Ec2, d == Day ? 900m : 175m)]).Where(d => d.Date > Day.AddDays(-10)).ToList();

        Assert.Empty(Detect(Day, window));
    }

    [Fact]
    public void WindowWithoutTheDay_FlagsNothing()
    {
        var window = Window(Day, Ec2, d => 175m * Wobble(d)).Where(d => d.Date != Day).ToList();

        Assert.Empty(Detect(Day, window));
    }

    [Fact]
    public void RangeAndImpact_AreInCents()
    {
        var window = Window(Day, Ec2, d => d == Day ? 414.123456m : 175.3333m * Wobble(d));

        var ec2 = Assert.Single(Detect(Day, window), a => a.Key == Ec2);

        Assert.Equal(Money.RoundToCents(ec2.ExpectedLow), ec2.ExpectedLow);
        Assert.Equal(Money.RoundToCents(ec2.ExpectedHigh), ec2.ExpectedHigh);
        Assert.Equal(414.123456m - ec2.ExpectedHigh, ec2.Impact);
    }

    private static decimal WeekdaysAndQuietWeekends(ReportDate d) =>
        (d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 40m : 200m) * Wobble(d);
}
