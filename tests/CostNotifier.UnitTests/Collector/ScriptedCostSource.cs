using System.Collections.Concurrent;
using CostNotifier.CostData;
using CostNotifier.Domain;

namespace CostNotifier.UnitTests.Collector;

/// <summary>
/// A cost source whose figures are a fixed function of (account, service, day), so any answer can be recomputed
/// for comparison (<see cref="Expected"/>) without being counted. It honours grouping by service, by account or by
/// a tag, the by-account split, LINKED_ACCOUNT and SERVICE filter clauses, the metric and monthly granularity, the
/// way Cost Explorer would: every day of the period is an entry, one without groups when nothing cost anything.
/// </summary>
internal sealed class ScriptedCostSource(IReadOnlyList<string> accounts, IReadOnlyList<string> services) : ICostSource
{
    private int _calls;
    private int _requests;

    /// <summary>Cost Explorer's names for the accounts, given with an answer grouped by account.</summary>
    public Dictionary<string, string> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether an account had no cost at all on a day; by default none is ever idle.</summary>
    public Func<string, ReportDate, bool> Idle { get; set; } = (_, _) => false;

    /// <summary>Days from this one on are estimated; none when null.</summary>
    public ReportDate? EstimatedFrom { get; set; }

    /// <summary>Billable pages an answer costs.</summary>
    public Func<CostQuery, int> Pages { get; set; } = _ => 1;

    /// <summary>An exception to throw for a query instead of answering; null answers.</summary>
    public Func<CostQuery, Exception?> Fail { get; set; } = _ => null;

    /// <summary>Makes every call yield and wait a little first, so concurrent callers overlap.</summary>
    public bool Slow { get; set; }

    /// <summary>Calls made (each one request and its pages).</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Billable pages of every answer given.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Every query asked, in order.</summary>
    public ConcurrentQueue<CostQuery> Asked { get; } = new();

    /// <summary>What the source costs for one group on one day, to the hundredth of a cent; 0 for no cost.</summary>
    public static decimal Amount(string account, string service, ReportDate day)
    {
        var seed = (Index(account) * 7919) + (Index(service) * 104729) + (day.Day.DayNumber * 31);
        return (seed % 5) == 0 ? 0m : (((seed % 9973) + 1) * 0.0137m) + ((day.Day.DayNumber % 7) * 0.0001m);
    }

    public async Task<CostQueryResult> GetCostAsync(CostQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Interlocked.Increment(ref _calls);
        Asked.Enqueue(query);
        if (Slow)
        {
            await Task.Yield();
            await Task.Delay(5, cancellationToken);
        }

        if (Fail(query) is { } error)
        {
            throw error;
        }

        var pages = Pages(query);
        Interlocked.Add(ref _requests, pages);
        return Expected(query) with { Requests = pages };
    }

    /// <summary>The answer to <paramref name="query"/>, computed without counting a call.</summary>
    public CostQueryResult Expected(CostQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var entries = query.Granularity == CostGranularity.Monthly
            ? query.Period.EachDay().Where(d => d.Day.Day == 1).Select(first => (Date: first, Days: DaysOfMonth(first)))
            : query.Period.EachDay().Select(day => (Date: day, Days: (IReadOnlyList<ReportDate>)[day]));
        var kept = accounts.Where(a => Keeps(query.Filter, "LINKED_ACCOUNT", a)).ToList();
        var keptServices = services.Where(s => Keeps(query.Filter, "SERVICE", s)).ToList();
        var factor = query.Metric == "UnblendedCost" ? 1m : 1.1m;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var days = new List<DailyCost>();
        foreach (var (date, covered) in entries)
        {
            var groups = new List<GroupCost>();
            foreach (var account in kept)
            {
                var byKey = new List<GroupCost>();
                foreach (var service in keptServices)
                {
                    var amount = covered.Where(d => !Idle(account, d)).Sum(d => Amount(account, service, d)) * factor;
                    if (covered.All(d => Idle(account, d)) || amount == 0m)
                    {
                        continue;
                    }

                    var key = query.GroupBy.Kind switch
                    {
                        GroupingKind.Service => service,
                        GroupingKind.LinkedAccount => account,
                        _ => "team$" + (Index(service) % 2 == 0 ? "web" : "data"),
                    };
                    byKey.Add(new GroupCost(key, amount, "USD") { Account = query.ByAccount ? account : null });
                }

                if (byKey.Count > 0)
                {
                    seen.Add(account);
                }

                groups.AddRange(byKey);
            }

            // Without the split by account, one group per key adds up every account's cost.
            var merged = query.ByAccount
                ? groups
                : [.. groups.GroupBy(g => g.Key, StringComparer.Ordinal).Select(g => new GroupCost(g.Key, g.Sum(x => x.Amount), "USD"))];
            days.Add(new DailyCost(date, EstimatedFrom is { } from && covered[^1] >= from, merged));
        }

        var named = query.ByAccount || query.GroupBy.Kind == GroupingKind.LinkedAccount;
        return new CostQueryResult(days, 1)
        {
            AccountNames = named
                ? Names.Where(n => seen.Contains(n.Key)).ToDictionary(n => n.Key, n => n.Value, StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal),
        };
    }

    /// <summary>An answer as comparable rows: each day, then its groups in a fixed order.</summary>
    public static List<(ReportDate Date, bool Estimated, string? Account, string Key, decimal Amount, string Currency)> Rows(CostQueryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = new List<(ReportDate, bool, string?, string, decimal, string)>();
        foreach (var day in result.Days)
        {
            rows.Add((day.Date, day.Estimated, "(day)", string.Empty, 0m, string.Empty));
            rows.AddRange(day.Groups
                .OrderBy(g => g.Account, StringComparer.Ordinal)
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (day.Date, day.Estimated, g.Account, g.Key, g.Amount, g.Currency)));
        }

        return rows;
    }

    private static IReadOnlyList<ReportDate> DaysOfMonth(ReportDate first) =>
        [.. DateRange.Inclusive(first, new ReportDate(first.Day.AddMonths(1)).AddDays(-1)).EachDay()];

    private static bool Keeps(IReadOnlyList<FilterClause> filter, string dimension, string value) =>
        filter.Where(c => c.Dimension == dimension).All(c => c.Values.Contains(value) != c.Exclude);

    private static int Index(string text) => text.Aggregate(17, (hash, c) => unchecked((hash * 31) + c)) & 0x7fffffff;
}
