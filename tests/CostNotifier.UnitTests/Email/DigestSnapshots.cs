using CostNotifier.Domain;
using CostNotifier.Events;

namespace CostNotifier.UnitTests.Email;

/// <summary>
/// Weekly and monthly digest snapshots written out by hand, the way the collector records them: the period's text as
/// the date, the previous and comparison periods' totals in the daily fields, period totals in the trend.
/// </summary>
internal static class DigestSnapshots
{
    /// <summary>Week 48 of 2026: Monday 23 to Sunday 29 November.</summary>
    public const string Week = "2026-W48";

    /// <summary>November 2026.</summary>
    public const string Month = "2026-11";

    public static ReportDefinition WeeklyReport(int top = ReportDefinition.DefaultTop, string name = "Weekly cost by service", GroupBy? groupBy = null, decimal? budget = null) =>
        CostSnapshotFaker.Report(top, name, groupBy, budget) with { Cadence = Cadence.Weekly };

    public static ReportDefinition MonthlyReport(int top = ReportDefinition.DefaultTop, string name = "Monthly cost by service", GroupBy? groupBy = null, decimal? budget = null) =>
        CostSnapshotFaker.Report(top, name, groupBy, budget) with { Cadence = Cadence.Monthly };

    /// <summary>
    /// The week's groups against the week before and four weeks before: rises (EC2, RDS), falls (S3, CloudFront), a
    /// group that appeared (Bedrock), one that vanished (Redshift) and a credit that grew.
    /// </summary>
    public static IReadOnlyList<GroupLine> Groups =>
    [
        new("Amazon Elastic Compute Cloud - Compute", 4_200m, 3_900m, 3_800m),
        new("Amazon Relational Database Service", 2_100m, 2_000m, 1_950m),
        new("Amazon Simple Storage Service", 1_300m, 1_450m, 1_400m),
        new("Amazon Bedrock", 640.50m, null, null),
        new("AWS Lambda", 210m, 200m, 190m),
        new("Amazon CloudFront", 95m, 120m, 118m),
        new("Amazon Redshift", 0m, 380.25m, 350m),
        new("Credits", -150m, -100m, -100m),
    ];

    /// <summary>The days of <see cref="Groups"/>' week, Monday first; they add up to its total, $8,395.50.</summary>
    public static IReadOnlyList<decimal> DayAmounts => [1_250m, 1_310.25m, 1_420.75m, 1_300m, 1_280.50m, 920m, 914m];

    /// <summary>A weekly digest of <see cref="Groups"/>: seven days, twelve weeks of trend, two anomalies and the month's projection.</summary>
    public static CostSnapshotCollected Weekly(IReadOnlyList<GroupLine>? groups = null, bool estimated = false, string week = Week, string groupBy = "SERVICE")
    {
        var lines = groups ?? Groups;
        var total = lines.Sum(g => g.Amount);
        var period = ReportPeriod.Parse(week);
        var days = DayAmounts
            .Select((amount, i) => new DayTotal(period.First.AddDays(i).ToString(), amount, estimated && i == 6))
            .ToList();
        var trend = Enumerable.Range(0, 12)
            .Select(i => period.Add(i - 11))
            .Select((w, i) => new DayTotal(w.ToString(), w == period ? total : 7_000m + (i * 150m), estimated && w == period))
            .ToList();
        return new CostSnapshotCollected
        {
            ReportId = "production",
            Date = period.ToString(),
            RequestId = "scheduled-" + period,
            Trigger = Trigger.Scheduled,
            Figures = new CostFigures(
                groupBy,
                "UnblendedCost",
                "USD",
                total,
                estimated,
                lines.Sum(g => g.PreviousDay ?? 0m),
                lines.Sum(g => g.SameWeekdayLastWeek ?? 0m),
                31_234.56m,
                lines,
                trend)
            {
                Anomalies =
                [
                    new CostAnomaly("Amazon Elastic Compute Cloud - Compute", AnomalyKind.Spike, 820m, 520m, 600m, 220m) { Date = period.First.AddDays(2).ToString() },
                    new CostAnomaly("Amazon Bedrock", AnomalyKind.NewGroup, 91.50m, 0m, 0m, 91.50m) { Date = period.First.AddDays(4).ToString() },
                ],
                Forecast = new MonthForecast(period.Last.Day.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), 33_400m, 32_900m, 34_100m, "month to date + 1 day at the weekday averages of the last 4 weeks"),
                Digest = new DigestFigures(period.Previous.ToString(), period.Add(-4).ToString(), days, null),
            },
            CostSourceRequests = 3,
            CollectedAt = new DateTimeOffset(period.Last.AddDays(1).Day, new TimeOnly(6, 12), TimeSpan.Zero),
        };
    }

    /// <summary>
    /// A monthly digest of <see cref="Groups"/> against October and November 2025, thirteen months of trend, a forecast
    /// made on 15 November and October's settled total.
    /// </summary>
    public static CostSnapshotCollected Monthly(IReadOnlyList<GroupLine>? groups = null, bool estimated = true, ForecastCheck? check = null, bool yearBefore = true, string groupBy = "SERVICE")
    {
        var lines = groups ?? Groups;
        var total = lines.Sum(g => g.Amount);
        var month = ReportPeriod.Parse(Month);
        var trend = Enumerable.Range(0, 13)
            .Select(i => month.Add(i - 12))
            .Select((m, i) => new DayTotal(m.ToString(), m == month ? total : 7_400m + (i * 40m), estimated && m == month))
            .ToList();
        return new CostSnapshotCollected
        {
            ReportId = "production",
            Date = Month,
            RequestId = "scheduled-2026-11",
            Trigger = Trigger.Scheduled,
            Figures = new CostFigures(
                groupBy,
                "UnblendedCost",
                "USD",
                total,
                estimated,
                lines.Sum(g => g.PreviousDay ?? 0m),
                yearBefore ? lines.Sum(g => g.SameWeekdayLastWeek ?? 0m) : null,
                total,
                yearBefore ? lines : [.. lines.Select(g => g with { SameWeekdayLastWeek = null })],
                trend)
            {
                Digest = new DigestFigures("2026-10", "2025-11", [], check ?? new ForecastCheck("daily-by-service", "2026-11-15", 8_000m, 7_700m, 8_300m)),
            },
            Restated = [new RestatedPeriod("2026-10", 8_012.40m, 8_149.25m, 3)],
            CostSourceRequests = 4,
            CollectedAt = new DateTimeOffset(2026, 12, 1, 6, 12, 0, TimeSpan.Zero),
        };
    }
}
