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
/// <remarks>
/// Every day's cost is one table of linked account by service, split so that it adds up exactly (to the last digit of
/// the decimal) whichever way it is read: by service, by account, by account and service, by tag, or filtered to
/// some accounts. A query by account is that table as it stands; any other query is the table summed over accounts.
/// </remarks>
public sealed class SampleCostSource : ICostSource
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

    private const string LinkedAccountDimension = "LINKED_ACCOUNT";

    // The default organisation. The last account takes what rounding leaves of a split, as it always has, so the
    // figures every existing report shows stay as they were.
    private static readonly (string Account, decimal Share, string Name)[] DefaultAccounts =
    [
        ("111122223333", 0.46m, "payments-prod"),
        ("444455556666", 0.27m, "search-prod"),
        ("777788889999", 0.15m, "platform-shared"),
        ("123456789012", 0.08m, "data-lake"),
        ("210987654321", 0.04m, "sandbox"),
    ];

    private static readonly (string Value, decimal Share)[] TagValues =
    [
        ("payments", 0.34m),
        ("search", 0.22m),
        ("platform", 0.19m),
        ("data", 0.13m),
        (string.Empty, 0.12m),
    ];

    private readonly TimeProvider _time;
    private readonly string[] _accounts;

    /// <summary>The ids of the default organisation's five linked accounts.</summary>
    public static IReadOnlyList<string> DefaultAccountIds { get; } = [.. DefaultAccounts.Select(a => a.Account)];

    private readonly decimal[] _shares;
    private readonly int _remainder;
    private readonly Dictionary<string, string> _names;

    /// <summary>Creates the source for the default organisation of five linked accounts.</summary>
    public SampleCostSource(TimeProvider time)
        : this(time, null)
    {
    }

    /// <summary>Creates the source for an organisation of the given linked accounts.</summary>
    /// <param name="time">What "today" is, for the estimated days.</param>
    /// <param name="accounts">
    /// The linked account ids; null for the default five. Each given account weighs what its id hashes to, and its
    /// share of every service is its weight over the weights of all of them; it is named after the last four digits
    /// of its id (the whole id should two share them). The account with the largest share takes what rounding leaves.
    /// </param>
    /// <exception cref="ArgumentException">The list is empty, or names an account twice or an empty id.</exception>
    public SampleCostSource(TimeProvider time, IReadOnlyList<string>? accounts)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        if (accounts is null)
        {
            _accounts = [.. DefaultAccounts.Select(a => a.Account)];
            _shares = [.. DefaultAccounts.Select(a => a.Share)];
            _remainder = DefaultAccounts.Length - 1;
            _names = DefaultAccounts.ToDictionary(a => a.Account, a => a.Name, StringComparer.Ordinal);
            return;
        }

        if (accounts.Count == 0)
        {
            throw new ArgumentException("The sample organisation needs at least one linked account.", nameof(accounts));
        }

        if (accounts.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A linked account id of the sample organisation is empty.", nameof(accounts));
        }

        var twice = accounts.GroupBy(a => a, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new ArgumentException($"The sample organisation lists account {twice.Key} more than once.", nameof(accounts));
        }

        _accounts = [.. accounts];

        // A weight of 1 to 256 per account, a square so that a few accounts carry most of the cost, as in a real
        // organisation; the shares are the weights over their sum.
        var weights = _accounts.Select(a => 1 + (Seed(a) % 16)).Select(w => (decimal)(w * w)).ToArray();
        var sum = weights.Sum();
        _shares = [.. weights.Select(w => Math.Round(w / sum, 12, MidpointRounding.ToEven))];
        _remainder = Array.IndexOf(weights, weights.Max());
        _names = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var account in _accounts)
        {
            var name = $"sample-{(account.Length > 4 ? account[^4..] : account)}";
            _names[account] = taken.Add(name) ? name : $"sample-{account}";
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A monthly query's period does not run from the first of a month to the first of a later one.</exception>
    /// <exception cref="CostSourceException">A query by account is also grouped by account, which Cost Explorer refuses too.</exception>
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

        if (query.ByAccount && query.GroupBy.Kind == GroupingKind.LinkedAccount)
        {
            throw new CostSourceException(
                "A cost query by account cannot also be grouped by LINKED_ACCOUNT: Cost Explorer does not group by one dimension twice.",
                isTransient: false);
        }

        var kept = Enumerable.Range(0, _accounts.Length).Where(i => KeepAccount(query.Filter, _accounts[i])).ToArray();
        var days = Days(query, kept);
        var results = query.Granularity == CostGranularity.Monthly ? ByMonth(days) : days;
        var names = query.ByAccount || query.GroupBy.Kind == GroupingKind.LinkedAccount
            ? kept.ToDictionary(i => _accounts[i], i => _names[_accounts[i]], StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        return Task.FromResult(new CostQueryResult(results, Requests: 1) { AccountNames = names });
    }

    private List<DailyCost> Days(CostQuery query, int[] kept)
    {
        var today = ReportDate.FromInstant(_time.GetUtcNow());
        return query.Period.EachDay()
            .Select(day => new DailyCost(day, Estimated: day >= today.AddDays(-2), Group(query, kept, ServiceCosts(day))))
            .ToList();
    }

    // A month is the sum of the days it has data for, so a monthly digest agrees with the daily reports to the last
    // digit; it is estimated while any of those days is, and a month without a single such day is left out.
    private static List<DailyCost> ByMonth(List<DailyCost> days) =>
        days.GroupBy(day => day.Date.MonthStart)
            .Select(month => new DailyCost(month.Key, month.Any(day => day.Estimated), Sum(month.SelectMany(day => day.Groups), byAccount: true)))
            .ToList();

    // Per group key (and account, when byAccount), in the order they first appear; decimal addition keeps every digit.
    // Added up without the account, groups of several accounts become one group per key.
    private static List<GroupCost> Sum(IEnumerable<GroupCost> groups, bool byAccount)
    {
        var totals = new Dictionary<(string? Account, string Key), decimal>();
        var order = new List<(string? Account, string Key)>();
        foreach (var group in groups)
        {
            var id = (byAccount ? group.Account : null, group.Key);
            if (totals.TryGetValue(id, out var total))
            {
                totals[id] = total + group.Amount;
            }
            else
            {
                totals[id] = group.Amount;
                order.Add(id);
            }
        }

        return order.Select(id => new GroupCost(id.Key, totals[id], Currency) { Account = id.Account }).ToList();
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

    private List<GroupCost> Group(CostQuery query, int[] kept, List<(string Service, decimal Amount)> costs)
    {
        var services = costs.Where(c => KeepService(query.Filter, c.Service)).ToList();
        var total = services.Sum(c => c.Amount);
        var everyAccount = kept.Length == _accounts.Length;

        // The whole organisation, not by account: straight from the day's service figures, with no table to build.
        if (!query.ByAccount && everyAccount)
        {
            return query.GroupBy.Kind switch
            {
                GroupingKind.Service => services.Select(c => new GroupCost(c.Service, c.Amount, Currency)).ToList(),
                GroupingKind.LinkedAccount => Split(total, _accounts, _shares, _remainder),
                _ => Split(total, TagKeys(query.GroupBy), TagShares, TagValues.Length - 1),
            };
        }

        // Each account's share of each service, adding up to the service's figure and to the account's total as the
        // plain LINKED_ACCOUNT answer gives it.
        var accountTotals = Split(total, _accounts, _shares, _remainder).Select(g => g.Amount).ToArray();
        var table = Allocate([.. services.Select(c => c.Amount)], accountTotals, _shares, _remainder);
        var byAccount = new List<GroupCost>();
        switch (query.GroupBy.Kind)
        {
            case GroupingKind.Service:
                foreach (var a in kept)
                {
                    byAccount.AddRange(services.Select((c, s) => new GroupCost(c.Service, table[s][a], Currency) { Account = _accounts[a] }));
                }

                break;
            case GroupingKind.LinkedAccount:
                // Only reached for a plain query filtered by account: each kept account's total.
                return kept.Select(a => new GroupCost(_accounts[a], accountTotals[a], Currency)).ToList();
            default:
                // Each account's total split over the tag values, adding up per value to the whole organisation's split.
                var keys = TagKeys(query.GroupBy);
                var tagTotals = Split(total, keys, TagShares, TagValues.Length - 1).Select(g => g.Amount).ToArray();
                var tags = Allocate(accountTotals, tagTotals, TagShares, TagValues.Length - 1);
                foreach (var a in kept)
                {
                    byAccount.AddRange(keys.Select((key, t) => new GroupCost(key, tags[a][t], Currency) { Account = _accounts[a] }));
                }

                break;
        }

        return query.ByAccount ? byAccount : Sum(byAccount, byAccount: false);
    }

    private static string[] TagKeys(GroupBy groupBy) => [.. TagValues.Select(t => $"{groupBy.TagKey}${t.Value}")];

    private static decimal[] TagShares => [.. TagValues.Select(t => t.Share)];

    // Each key its share of the total, rounded; the key at `remainder` takes what is left, so the groups add up to
    // the total exactly.
    private static List<GroupCost> Split(decimal total, IReadOnlyList<string> keys, IReadOnlyList<decimal> shares, int remainder)
    {
        var amounts = new decimal[keys.Count];
        var assigned = 0m;
        for (var i = 0; i < keys.Count; i++)
        {
            if (i != remainder)
            {
                amounts[i] = Round(total * shares[i]);
                assigned += amounts[i];
            }
        }

        amounts[remainder] = total - assigned;
        return keys.Select((key, i) => new GroupCost(key, amounts[i], Currency)).ToList();
    }

    /// <summary>
    /// A table whose rows add up to <paramref name="rows"/> and whose columns add up to <paramref name="columns"/>,
    /// exactly (the two must have the same sum): each cell is its row's share of the column, rounded; what rounding
    /// leaves of a column goes to the cell of the largest row, and what is left of a row to the column at
    /// <paramref name="remainder"/>.
    /// </summary>
    private static decimal[][] Allocate(IReadOnlyList<decimal> rows, IReadOnlyList<decimal> columns, IReadOnlyList<decimal> shares, int remainder)
    {
        var table = rows.Select(row => shares.Select((share, c) => c == remainder ? 0m : Round(row * share)).ToArray()).ToArray();
        if (rows.Count == 0)
        {
            return table;
        }

        var largest = 0;
        for (var r = 1; r < rows.Count; r++)
        {
            largest = Math.Abs(rows[r]) > Math.Abs(rows[largest]) ? r : largest;
        }

        var columnSums = new decimal[columns.Count];
        foreach (var row in table)
        {
            for (var c = 0; c < row.Length; c++)
            {
                columnSums[c] += row[c];
            }
        }

        for (var c = 0; c < columns.Count; c++)
        {
            if (c != remainder)
            {
                table[largest][c] += columns[c] - columnSums[c];
            }
        }

        for (var r = 0; r < rows.Count; r++)
        {
            table[r][remainder] = rows[r] - table[r].Where((_, c) => c != remainder).Sum();
        }

        return table;
    }

    private static bool KeepService(IReadOnlyList<FilterClause> filter, string service) => Keep(filter, "SERVICE", service);

    private static bool KeepAccount(IReadOnlyList<FilterClause> filter, string account) => Keep(filter, LinkedAccountDimension, account);

    // Every clause on the dimension must hold: an include clause names the value, an exclude clause does not. Clauses
    // on other dimensions and on tags are not modelled and keep everything.
    private static bool Keep(IReadOnlyList<FilterClause> filter, string dimension, string value) =>
        filter.Where(c => string.Equals(c.Dimension, dimension, StringComparison.Ordinal))
            .All(c => c.Values.Contains(value, StringComparer.Ordinal) != c.Exclude);

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
