using Bogus;
using CostNotifier.CostData;
using CostNotifier.Domain;

namespace CostNotifier.Embedded.SampleCost;

/// <summary>
/// A deterministic stand-in for Cost Explorer on the embedded default. The same report shape and day always give
/// the same figures, so reruns and tests reproduce: realistic AWS service names, quieter weekends, month-start
/// charges (support, Route 53 zones, tax), the last two days flagged estimated, an occasional anomaly, and credits
/// as negative amounts. A monthly query is answered from the same daily figures, added up per month.
/// </summary>
public sealed class SampleCostSource(TimeProvider time) : ICostSource
{
    private const string Currency = "USD";

    // Daily base cost of each service on a weekday.
    private static readonly (string Name, decimal Daily, bool Elastic)[] Services =
    [
        ("Amazon Elastic Compute Cloud - Compute", 182.40m, true),
        ("Amazon Relational Database Service", 76.15m, false),
        ("EC2 - Other", 31.72m, true),
        ("Amazon Simple Storage Service", 22.08m, false),
        ("Amazon Elastic Container Service", 18.90m, true),
        ("Elastic Load Balancing", 12.44m, false),
        ("Amazon CloudFront", 8.31m, true),
        ("AmazonCloudWatch", 9.12m, false),
        ("Amazon DynamoDB", 6.05m, true),
        ("AWS Lambda", 3.87m, true),
        ("Amazon Simple Queue Service", 0.92m, true),
        ("AWS Key Management Service", 1.10m, false),
        ("Amazon Virtual Private Cloud", 4.80m, false),
        ("AWS Secrets Manager", 0.64m, false),
        ("Amazon Simple Email Service", 0.11m, true),
    ];

    private static readonly (string Name, decimal Monthly)[] MonthStartCharges =
    [
        ("AWS Support (Business)", 412.37m),
        ("Amazon Route 53", 6.50m),
        ("Tax", 118.20m),
    ];

    private static readonly (string Account, decimal Share)[] Accounts =
    [
        ("111122223333", 0.46m),
        ("444455556666", 0.27m),
        ("777788889999", 0.15m),
        ("123456789012", 0.08m),
        ("210987654321", 0.04m),
    ];

    private static readonly (string Value, decimal Share)[] TagValues =
    [
        ("payments", 0.34m),
        ("search", 0.22m),
        ("platform", 0.19m),
        ("data", 0.13m),
        (string.Empty, 0.12m),
    ];

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A monthly query's period does not run from the first of a month to the first of a later one.</exception>
    public Task<CostQueryResult> GetCostAsync(CostQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Granularity == CostGranularity.Monthly
            && (query.Period.Start != query.Period.Start.MonthStart || query.Period.End != query.Period.End.MonthStart))
        {
            throw new ArgumentException(
                $"A monthly cost query must run from the first of a month to the first of a later month; {query.Period} does not.",
                nameof(query));
        }

        var days = Days(query);
        var results = query.Granularity == CostGranularity.Monthly ? ByMonth(days) : days;
        return Task.FromResult(new CostQueryResult(results, Requests: 1));
    }

    private List<DailyCost> Days(CostQuery query)
    {
        var today = ReportDate.FromInstant(time.GetUtcNow());
        return query.Period.EachDay()
            .Select(day => new DailyCost(day, Estimated: day >= today.AddDays(-2), Group(query, ServiceCosts(day))))
            .ToList();
    }

    // A month is the sum of the days it has data for, so a monthly digest agrees with the daily reports to the last
    // digit; it is estimated while any of those days is, and a month without a single such day is left out.
    private static List<DailyCost> ByMonth(List<DailyCost> days) =>
        days.GroupBy(day => day.Date.MonthStart)
            .Select(month => new DailyCost(month.Key, month.Any(day => day.Estimated), Sum(month)))
            .ToList();

    // Per group key, in the order the keys first appear; decimal addition keeps every digit.
    private static List<GroupCost> Sum(IEnumerable<DailyCost> days)
    {
        var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var keys = new List<string>();
        foreach (var group in days.SelectMany(day => day.Groups))
        {
            if (totals.TryGetValue(group.Key, out var total))
            {
                totals[group.Key] = total + group.Amount;
            }
            else
            {
                totals[group.Key] = group.Amount;
                keys.Add(group.Key);
            }
        }

        return keys.Select(key => new GroupCost(key, totals[key], Currency)).ToList();
    }

    private static List<(string Service, decimal Amount)> ServiceCosts(ReportDate day)
    {
        var random = new Randomizer(Seed(day.ToString()));
        var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var anomalyIndex = random.Int(0, 19) < 1 ? random.Int(0, Services.Length - 1) : -1;
        var costs = new List<(string, decimal)>();
        for (var i = 0; i < Services.Length; i++)
        {
            var (name, daily, elastic) = Services[i];
            var noise = 1m + (random.Decimal(0m, 0.16m) - 0.08m);
            var amount = daily * noise * (weekend && elastic ? 0.78m : 1m) * (i == anomalyIndex ? 3.4m : 1m);
            costs.Add((name, Round(amount)));
        }

        if (day.Day.Day == 1)
        {
            costs.AddRange(MonthStartCharges.Select(c => (c.Name, c.Monthly)));
        }

        // Credits and refunds arrive as negative amounts, as they do in Cost Explorer.
        if (random.Int(0, 9) < 3)
        {
            costs.Add(("Credits", -Round(random.Decimal(5m, 40m))));
        }

        return costs;
    }

    private static List<GroupCost> Group(CostQuery query, List<(string Service, decimal Amount)> costs)
    {
        var kept = costs.Where(c => KeepService(query.Filter, c.Service)).ToList();
        var total = kept.Sum(c => c.Amount);
        return query.GroupBy.Kind switch
        {
            GroupingKind.Service => kept.Select(c => new GroupCost(c.Service, c.Amount, Currency)).ToList(),
            GroupingKind.LinkedAccount => Split(total, Accounts.Select(a => (a.Account, a.Share))),
            _ => Split(total, TagValues.Select(t => ($"{query.GroupBy.TagKey}${t.Value}", t.Share))),
        };
    }

    // The last share takes the remainder so the groups add up to the total exactly.
    private static List<GroupCost> Split(decimal total, IEnumerable<(string Key, decimal Share)> shares)
    {
        var list = shares.ToList();
        var groups = new List<GroupCost>();
        var assigned = 0m;
        for (var i = 0; i < list.Count; i++)
        {
            var amount = i == list.Count - 1 ? total - assigned : Round(total * list[i].Share);
            assigned += amount;
            groups.Add(new GroupCost(list[i].Key, amount, Currency));
        }

        return groups;
    }

    private static bool KeepService(IReadOnlyList<FilterClause> filter, string service) =>
        filter.Where(c => c.Dimension == "SERVICE")
            .All(c => c.Values.Contains(service, StringComparer.Ordinal) != c.Exclude);

    // Cost Explorer returns amounts with many decimal places; keep eight to look alike.
    private static decimal Round(decimal amount) => Math.Round(amount, 8, MidpointRounding.ToEven);

    private static int Seed(string text)
    {
        // FNV-1a: stable across processes and runtimes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }
}
