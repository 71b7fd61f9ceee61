using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Events;

namespace CostNotifier.Collector.Snapshots;

/// <summary>Computes the figures of one report-day from its window of daily cost.</summary>
public static class SnapshotFigures
{
    /// <summary>The currency used when a day has no cost at all.</summary>
    public const string DefaultCurrency = "USD";

    /// <summary>
    /// Computes the figures of <paramref name="day"/> from the days <paramref name="query"/> returned. Amounts keep
    /// full precision; only the email rounds. A comparison day the source has no data for is absent (null), not
    /// zero. Throws <see cref="CostSourceException"/> when the source mixed currencies, or (transient,
    /// <see cref="CostSourceException.IsDataPending"/>) when it has no data for the day itself yet.
    /// </summary>
    public static CostFigures Compute(ReportDate day, CostQuery query, IReadOnlyList<DailyCost> window)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(window);
        var byDate = new Dictionary<ReportDate, DailyCost>();
        foreach (var entry in window)
        {
            byDate[entry.Date] = entry;
        }

        if (!byDate.TryGetValue(day, out var today))
        {
            throw CostSourceException.DataPending(day);
        }

        var currency = CurrencyOf(window) ?? DefaultCurrency;
        decimal? TotalOf(ReportDate date) => byDate.TryGetValue(date, out var d) ? d.Groups.Sum(g => g.Amount) : null;
        Dictionary<string, decimal> AmountsOf(ReportDate date) =>
            byDate.TryGetValue(date, out var d)
                ? d.Groups.GroupBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(x => x.Amount), StringComparer.Ordinal)
                : new Dictionary<string, decimal>(StringComparer.Ordinal);

        // Every group of the day and of both comparison days, so the lines explain the whole change in the total: a
        // group that stopped costing is a line at zero next to what it cost before.
        var current = AmountsOf(day);
        var previous = AmountsOf(day.AddDays(-1));
        var lastWeek = AmountsOf(day.AddDays(-7));
        var groups = LinesOf(current, previous, lastWeek);

        var monthToDate = DateRange.Inclusive(day.MonthStart, day).EachDay().Sum(d => TotalOf(d) ?? 0m);
        var trend = DateRange.Inclusive(day.AddDays(-(SnapshotWindow.TrendDays - 1)), day).EachDay()
            .Where(byDate.ContainsKey)
            .Select(d => new DayTotal(d.ToString(), TotalOf(d)!.Value, byDate[d].Estimated))
            .ToList();

        return new CostFigures(
            query.GroupBy.ToString(),
            query.Metric,
            currency,
            groups.Sum(g => g.Amount),
            today.Estimated,
            TotalOf(day.AddDays(-1)),
            TotalOf(day.AddDays(-7)),
            monthToDate,
            groups,
            trend);
    }

    /// <summary>
    /// The one currency of every amount in <paramref name="answer"/>, or null when it holds no amount. Throws a
    /// non-transient <see cref="CostSourceException"/> when the source mixed currencies.
    /// </summary>
    internal static string? CurrencyOf(IEnumerable<DailyCost> answer)
    {
        var currencies = answer.SelectMany(d => d.Groups).Select(g => g.Currency).Distinct(StringComparer.Ordinal).ToList();
        if (currencies.Count > 1)
        {
            throw new CostSourceException($"The cost source mixed currencies ({string.Join(", ", currencies)}); one report must use one currency.", isTransient: false);
        }

        return currencies.Count == 1 ? currencies[0] : null;
    }

    /// <summary>
    /// One line per group with cost in the report's period or in either comparison period (a key missing from a
    /// comparison had no cost then), largest first, and the groups without cost now at zero after the others, by
    /// what they cost the period before.
    /// </summary>
    internal static List<GroupLine> LinesOf(
        IReadOnlyDictionary<string, decimal> current, IReadOnlyDictionary<string, decimal> previous, IReadOnlyDictionary<string, decimal> comparison) =>
        [
            .. current.Keys.Union(previous.Keys, StringComparer.Ordinal).Union(comparison.Keys, StringComparer.Ordinal)
                .Select(key => new GroupLine(
                    key,
                    current.GetValueOrDefault(key),
                    previous.TryGetValue(key, out var p) ? p : null,
                    comparison.TryGetValue(key, out var c) ? c : null))
                .OrderByDescending(g => g.Amount)
                .ThenByDescending(g => g.Amount == 0m ? g.PreviousDay : null)
                .ThenBy(g => g.Key, StringComparer.Ordinal),
        ];
}
