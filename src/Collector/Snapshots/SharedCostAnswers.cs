using CostNotifier.CostData;
using CostNotifier.Domain;

namespace CostNotifier.Collector.Snapshots;

/// <summary>
/// The cost-source answers one collector message has paid for, and every question they answer without another
/// request. A message that carries many report periods fetches each distinct question once over the union of their
/// windows (<see cref="Plan"/>); each period then reads its own window out of that answer. Besides the same
/// question over a shorter period, an answer grouped by account and by G under filter F also answers "G under F
/// and LINKED_ACCOUNT = a" (one account's share) and "by LINKED_ACCOUNT under F" (the organisation total by account).
/// Cost Explorer's figures for a day do not depend on the period asked, so a slice equals what its own request would
/// have returned. One instance serves one message; it is safe for concurrent readers.
/// </summary>
public sealed class SharedCostAnswers(ICostSource source) : ICostSource
{
    private readonly List<HeldAnswer> _held = [];
    private readonly List<CostQuery> _planned = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _requests;
    private int _untaken;

    /// <summary>Billable requests (pages) made through this instance so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>
    /// The requests made since the last call, for the collection that records them: each request is counted on
    /// exactly one snapshot, so the snapshots of a message add up to what it cost.
    /// </summary>
    public int TakeRequests() => Interlocked.Exchange(ref _untaken, 0);

    /// <summary>
    /// Announces the questions the message's periods will ask: the first of them that needs a request fetches its
    /// question over the union of all their periods, so each of the others is then answered without one. Nothing is
    /// fetched here, and nothing at all when every period had already been collected (a redelivery).
    /// </summary>
    public void Plan(IEnumerable<CostQuery> queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var unions = queries
            .GroupBy(Shape.Of)
            .Select(g => g.First() with { Period = DateRange.Inclusive(g.Min(q => q.Period.Start), g.Max(q => q.Period.Last)) });
        _gate.Wait();
        try
        {
            _planned.AddRange(unions);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Answered from a held answer with <see cref="CostQueryResult.Requests"/> 0 when one covers it; else the
    /// planned union that covers it is fetched (or the query itself, when none does), held, and answered from.
    /// </remarks>
    public async Task<CostQueryResult> GetCostAsync(CostQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var held in _held)
            {
                if (held.TryAnswer(query) is { } answer)
                {
                    return answer;
                }
            }

            var shape = Shape.Of(query);
            var union = _planned.FirstOrDefault(p => Shape.Of(p) == shape && p.Period.Start <= query.Period.Start && p.Period.End >= query.Period.End);
            if (union is not null)
            {
                _planned.Remove(union);
            }

            var asked = union ?? query;
            var result = await source.GetCostAsync(asked, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _requests, result.Requests);
            Interlocked.Add(ref _untaken, result.Requests);
            var fetched = new HeldAnswer(asked, result);
            _held.Add(fetched);
            return (fetched.TryAnswer(query) ?? result) with { Requests = result.Requests };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What makes two queries the same question apart from their period.</summary>
    private sealed record Shape(GroupBy GroupBy, string Filter, string Metric, CostGranularity Granularity, bool ByAccount)
    {
        public static Shape Of(CostQuery query) => new(query.GroupBy, Filters.Key(query.Filter), query.Metric, query.Granularity, query.ByAccount);
    }

    private sealed class HeldAnswer(CostQuery query, CostQueryResult result)
    {
        private readonly Shape _shape = Shape.Of(query);
        private Dictionary<string, List<DailyCost>>? _byAccount;

        public CostQueryResult? TryAnswer(CostQuery wanted)
        {
            if (wanted.Metric != query.Metric || wanted.Granularity != query.Granularity || !Covers(wanted.Period))
            {
                return null;
            }

            if (Shape.Of(wanted) == _shape)
            {
                return Answer(Slice(result.Days, wanted.Period), result.AccountNames);
            }

            if (!query.ByAccount || wanted.ByAccount)
            {
                return null;
            }

            // One account's share: the same grouping under the same filter plus LINKED_ACCOUNT = a.
            if (wanted.GroupBy == query.GroupBy
                && wanted.Filter.Count == query.Filter.Count + 1
                && wanted.Filter[^1] is { Dimension: "LINKED_ACCOUNT", Tag: null, Exclude: false, Values: [var account] }
                && Filters.Key(wanted.Filter.Take(query.Filter.Count).ToList()) == _shape.Filter)
            {
                var days = AccountDays(account);
                var names = result.AccountNames.TryGetValue(account, out var name)
                    ? new Dictionary<string, string>(StringComparer.Ordinal) { [account] = name }
                    : new Dictionary<string, string>(StringComparer.Ordinal);
                return Answer(Slice(days, wanted.Period), names);
            }

            // The organisation by account: every account's groups added up.
            if (wanted.GroupBy == GroupBy.LinkedAccount && Filters.Key(wanted.Filter) == _shape.Filter)
            {
                var days = Slice(result.Days, wanted.Period)
                    .Select(day => day with
                    {
                        Groups = day.Groups
                            .GroupBy(g => (g.Account ?? string.Empty, g.Currency))
                            .Select(g => new GroupCost(g.Key.Item1, g.Sum(x => x.Amount), g.Key.Currency))
                            .ToList(),
                    })
                    .ToList();
                return Answer(days, result.AccountNames);
            }

            return null;
        }

        private bool Covers(DateRange period) => period.Start >= query.Period.Start && period.End <= query.Period.End;

        // The account's groups of every day, the account taken off; a day it had no cost stays, without groups, as
        // Cost Explorer would answer a query filtered to the account.
        private List<DailyCost> AccountDays(string account)
        {
            _byAccount ??= IndexByAccount();
            return _byAccount.TryGetValue(account, out var days)
                ? days
                : [.. result.Days.Select(day => day with { Groups = [] })];
        }

        private Dictionary<string, List<DailyCost>> IndexByAccount()
        {
            var groups = new Dictionary<string, List<GroupCost>[]>(StringComparer.Ordinal);
            for (var i = 0; i < result.Days.Count; i++)
            {
                foreach (var group in result.Days[i].Groups)
                {
                    var account = group.Account ?? string.Empty;
                    if (!groups.TryGetValue(account, out var perDay))
                    {
                        perDay = new List<GroupCost>[result.Days.Count];
                        groups[account] = perDay;
                    }

                    (perDay[i] ??= []).Add(group with { Account = null });
                }
            }

            return groups.ToDictionary(
                pair => pair.Key,
                pair => result.Days.Select((day, i) => day with { Groups = pair.Value[i] ?? [] }).ToList(),
                StringComparer.Ordinal);
        }

        private static List<DailyCost> Slice(IReadOnlyList<DailyCost> days, DateRange period) =>
            [.. days.Where(day => period.Contains(day.Date))];

        private static CostQueryResult Answer(List<DailyCost> days, IReadOnlyDictionary<string, string> names) =>
            new(days, Requests: 0) { AccountNames = names };
    }
}
