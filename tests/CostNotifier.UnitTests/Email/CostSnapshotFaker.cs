using Bogus;
using CostNotifier.Domain;
using CostNotifier.Events;

namespace CostNotifier.UnitTests.Email;

/// <summary>Realistic, reproducible snapshots for the email tests: real AWS service names, seeded amounts.</summary>
internal static class CostSnapshotFaker
{
    public static readonly string[] Services =
    [
        "Amazon Elastic Compute Cloud - Compute",
        "Amazon Simple Storage Service",
        "Amazon Relational Database Service",
        "AWS Lambda",
        "Savings Plans for AWS Compute usage",
        "Amazon Virtual Private Cloud",
        "Amazon CloudFront",
        "Amazon DynamoDB",
        "Amazon Elastic Container Service",
        "Amazon Elastic Load Balancing",
        "AmazonCloudWatch",
        "Amazon Simple Queue Service",
        "AWS Key Management Service",
        "Amazon Route 53",
        "Amazon Simple Email Service",
        "AWS Secrets Manager",
        "Amazon ElastiCache",
        "Amazon OpenSearch Service",
        "AWS Glue",
        "Amazon Athena",
        "EC2 - Other",
        "Tax",
    ];

    public static ReportDefinition Report(int top = ReportDefinition.DefaultTop, string name = "Production account", GroupBy? groupBy = null, decimal? budget = null) =>
        new(ReportId.Parse("production"), name, ["finops@example.com"], groupBy ?? GroupBy.Service, top, []) { MonthlyBudget = budget };

    /// <summary>A day of cost by service, largest first, with a credits line and a full 31-day trend.</summary>
    public static CostSnapshotCollected Snapshot(int seed, int groupCount = 14, bool estimated = false, string date = "2026-11-24")
    {
        var faker = new Faker { Random = new Randomizer(seed) };
        var keys = Enumerable.Range(0, groupCount)
            .Select(i => i < Services.Length ? Services[i] : $"{faker.Commerce.Department()} {faker.Hacker.Noun()} {i}")
            .ToList();
        // Cost falls off with rank as it does in real accounts: a few services carry most of the bill.
        var groups = keys
            .Select((key, rank) => Line(faker, key, 1500m / (rank + 1)))
            .ToList();
        if (groupCount > 3)
        {
            groups[^1] = new GroupLine("Credits", -Math.Round(faker.Random.Decimal(5m, 80m), 6), -10m, -10m);
        }

        return WithGroups(seed, groups, estimated, date);
    }

    public static CostSnapshotCollected WithGroups(int seed, IReadOnlyList<GroupLine> groups, bool estimated = false, string date = "2026-11-24", string groupBy = "SERVICE")
    {
        var faker = new Faker { Random = new Randomizer(seed) };
        var sorted = groups.OrderByDescending(g => g.Amount).ToList();
        var total = sorted.Sum(g => g.Amount);
        var day = ReportDate.Parse(date);
        var trend = Enumerable.Range(0, 31)
            .Select(i => day.AddDays(i - 30))
            .Select(d => new DayTotal(
                d.ToString(),
                d == day ? total : Math.Round(total * faker.Random.Decimal(0.7m, 1.2m), 6),
                estimated && d == day))
            .ToList();
        return new CostSnapshotCollected
        {
            ReportId = "production",
            Date = date,
            RequestId = RequestId.Scheduled(day).Value,
            Trigger = Trigger.Scheduled,
            Figures = new CostFigures(
                groupBy,
                "UnblendedCost",
                "USD",
                total,
                estimated,
                // As the collector records them: each comparison total is the sum of the groups' amounts on that day.
                sorted.Sum(g => g.PreviousDay ?? 0m),
                sorted.Sum(g => g.SameWeekdayLastWeek ?? 0m),
                Math.Round(total * day.Day.Day * 0.98m, 6),
                sorted,
                trend),
            CostSourceRequests = 1,
            CollectedAt = new DateTimeOffset(day.Day.AddDays(1), new TimeOnly(6, 12), TimeSpan.Zero),
        };
    }

    /// <summary>
    /// The snapshot with everything a report can say beyond its figures: a spike, a drop, a first cost and a spike of
    /// the total, a projection of the month ($9,420, range $9,100–9,800) and an earlier day whose total was revised.
    /// </summary>
    public static CostSnapshotCollected WithInsights(this CostSnapshotCollected snapshot) => snapshot with
    {
        Figures = snapshot.Figures with
        {
            Anomalies =
            [
                new CostAnomaly(null, AnomalyKind.Spike, 1480.25m, 1150m, 1300m, 180.25m),
                new CostAnomaly("Amazon Elastic Compute Cloud - Compute", AnomalyKind.Spike, 414.50m, 160m, 190m, 224.50m),
                new CostAnomaly("Amazon Bedrock", AnomalyKind.NewGroup, 42.10m, 0m, 0m, 42.10m),
                new CostAnomaly("Amazon Simple Storage Service", AnomalyKind.Drop, 12m, 40m, 60m, -28m),
            ],
            Forecast = new MonthForecast("2026-11", 9420m, 9100m, 9800m, "month to date + 6 days at the weekday averages of the last 4 weeks"),
        },
        Restated = [new RestatedPeriod("2026-11-22", 310.20m, 322.75m, 2)],
    };

    /// <summary>The snapshot with its figures changed, e.g. <c>s.WithFigures(f => f with { Currency = "EUR" })</c>.</summary>
    public static CostSnapshotCollected WithFigures(this CostSnapshotCollected snapshot, Func<CostFigures, CostFigures> change) =>
        snapshot with { Figures = change(snapshot.Figures) };

    private static GroupLine Line(Faker faker, string key, decimal typical)
    {
        var amount = Math.Round(typical * faker.Random.Decimal(0.85m, 1.15m), 6);
        return new GroupLine(
            key,
            amount,
            faker.Random.Bool(0.9f) ? Math.Round(amount * faker.Random.Decimal(0.8m, 1.2m), 6) : null,
            Math.Round(amount * faker.Random.Decimal(0.8m, 1.2m), 6));
    }
}
