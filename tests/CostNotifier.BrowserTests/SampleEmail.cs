using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Email;

namespace CostNotifier.BrowserTests;

/// <summary>
/// A report email with everything it can show at once: a dozen services with long names, a credit, a service that
/// vanished, anomalies, a new service, a restated day, a forecast and a budget it will exceed.
/// </summary>
internal static class SampleEmail
{
    /// <summary>The day's total as the email's headline shows it.</summary>
    public const string TotalText = "$612.58";

    public static RenderedEmail Render()
    {
        var day = ReportDate.Parse("2026-11-23");
        var groups = new List<GroupLine>
        {
            new("Amazon Elastic Compute Cloud - Compute", 414.50m, 171.20m, 168.90m),
            new("Amazon Relational Database Service", 96.15m, 96.15m, 91.40m),
            new("Amazon Simple Storage Service", 41.72m, 40.98m, 39.11m),
            new("Amazon Bedrock", 42.10m, null, null),
            new("Amazon DynamoDB", 18.09m, 12.50m, 17.95m),
            new("AWS Lambda", 7.31m, 7.02m, 6.80m),
            new("Amazon CloudWatch", 6.88m, 6.91m, 6.40m),
            new("Amazon Virtual Private Cloud", 5.10m, 5.10m, 5.05m),
            new("Amazon Elastic Container Service for Kubernetes (EKS) with a long product name", 4.80m, 4.80m, 4.80m),
            new("Amazon Route 53", 0.51m, 0.50m, 0.50m),
            new("Amazon Simple Queue Service", 0.42m, 0.40m, null),
            new("Amazon Redshift", 0m, 50.00m, 50.00m),
            new("Credits", -25.00m, -25.00m, -25.00m),
        };
        var total = groups.Sum(g => g.Amount);
        var previous = groups.Sum(g => g.PreviousDay ?? 0m);
        var trend = Enumerable.Range(0, 15)
            .Select(i => new DayTotal(day.AddDays(i - 14).ToString(), i == 14 ? total : previous + (i % 7 * 3.1m), i >= 13))
            .ToList();
        var figures = new CostFigures(
            "SERVICE", "UnblendedCost", "USD", total, Estimated: true, previous, 392.41m, MonthToDate: 8_410.37m, groups, trend)
        {
            Anomalies =
            [
                new CostAnomaly("Amazon Elastic Compute Cloud - Compute", AnomalyKind.Spike, 414.50m, 160m, 190m, 224.50m),
                new CostAnomaly(null, AnomalyKind.Spike, total, 340m, 400m, total - 400m),
                new CostAnomaly("Amazon Bedrock", AnomalyKind.NewGroup, 42.10m, 0m, 0m, 42.10m),
            ],
            Forecast = new MonthForecast("2026-11", 11_640m, 11_300m, 12_050m, "month to date + 7 days at the weekday averages of the last 4 weeks"),
        };
        var snapshot = new CostSnapshotRevised
        {
            ReportId = "daily-by-service",
            Date = day.ToString(),
            RequestId = "scheduled-2026-11-23",
            Trigger = Trigger.Scheduled,
            Figures = figures,
            Restated = [new RestatedPeriod("2026-11-22", 310.20m, 322.75m, 2)],
            CostSourceRequests = 1,
            CollectedAt = new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero),
            RevisesVersion = 1,
            PreviousTotal = total - 3.40m,
        };
        var report = new ReportDefinition(
            ReportId.Parse("daily-by-service"), "Production account by service", ["finops@example.com"], GroupBy.Service, 10, [])
        {
            MonthlyBudget = 11_000m,
        };
        return new ReportEmailRenderer().Render(report, snapshot, 2, Trigger.Scheduled);
    }
}
