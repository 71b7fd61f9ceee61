using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Insights;

namespace CostNotifier.Collector.Snapshots;

/// <summary>
/// Computes the figures of a weekly or monthly digest from the one answer its collection got
/// (<see cref="DigestWindow.For"/>): a week's from daily cost, a month's from monthly cost. Pure: the same answer
/// always gives the same figures. Amounts keep full precision; only the email rounds.
/// </summary>
/// <remarks>
/// A week is counted only when the answer holds all seven of its days: a comparison week or a week of the trend with
/// a day missing is absent (null, left out), never shown as a smaller total. A month is the answer's entry dated its
/// first day. In the figures, <c>PreviousDayTotal</c> is the previous period's total and
/// <c>SameWeekdayLastWeekTotal</c> that of <see cref="DigestWindow.ComparisonOf"/>, and each group line compares
/// with the same two periods (see <see cref="DigestFigures"/>).
/// </remarks>
public static class DigestSnapshotFigures
{
    /// <summary>
    /// The most anomalies a weekly digest lists. Seven days are checked, each against its own history, so a long
    /// list would be mostly the tail of small ones.
    /// </summary>
    public const int MaxAnomalies = 20;

    private static readonly IReadOnlyDictionary<string, decimal> NoGroups = new Dictionary<string, decimal>(StringComparer.Ordinal);

    /// <summary>
    /// The figures of the weekly or monthly <paramref name="period"/> from <paramref name="answer"/>, what
    /// <paramref name="query"/> (daily cost for a week, monthly for a month) returned.
    /// <list type="bullet">
    /// <item>
    /// A week: its total and groups summed over its seven days, estimated when any day is; compared with the week
    /// before and the week four weeks before; the month to date through its Sunday; the <see cref="DigestWindow.TrendWeeks"/>
    /// weeks ending with it; its days; the anomalies of each day (<see cref="AnomalyDetector"/>, with
    /// <paramref name="thresholds"/>); and the forecast of its Sunday's month made on the Sunday.
    /// </item>
    /// <item>
    /// A month: its entry, compared with the month before and the same month a year before; the month to date is the
    /// month's total; up to <see cref="DigestWindow.TrendMonths"/> months of trend ending with it. No days, anomalies
    /// or forecast (the month has ended), and no <see cref="DigestFigures.ForecastCheck"/>, which the caller adds.
    /// </item>
    /// </list>
    /// Throws <see cref="CostSourceException"/>: transient and <see cref="CostSourceException.IsDataPending"/> naming
    /// the first missing day of a week (or the month) when the answer lacks it, so the digest waits for Cost Explorer;
    /// not transient when the source mixed currencies.
    /// </summary>
    public static CostFigures Compute(ReportPeriod period, CostQuery query, IReadOnlyList<DailyCost> answer, AnomalyThresholds thresholds)
    {
        CheckArguments(period, query, answer, thresholds);
        var costs = new PeriodCosts(answer);
        if (costs.FirstMissingDay(period) is { } missing)
        {
            throw CostSourceException.DataPending(period.Cadence == Cadence.Weekly ? missing : period);
        }

        var currency = SnapshotFigures.CurrencyOf(answer) ?? SnapshotFigures.DefaultCurrency;
        return Build(period, query, answer, costs, thresholds, currency, recorded: null);
    }

    /// <summary>
    /// The figures of the digest <paramref name="period"/> as <paramref name="answer"/> now has them, for a period
    /// already <paramref name="recorded"/> (the previous period of a collection, whose figures that answer also holds);
    /// null when the answer does not hold the period whole. Computed as <see cref="Compute"/> does, except that what
    /// the answer does not reach keeps its recorded value instead of being dropped: a comparison period (with its
    /// group amounts), a trend entry, the forecast and the forecast check. Cost Explorer's 13 months of history make
    /// that the normal case for a month's year-before month. Nothing recorded is kept when the currency, grouping or
    /// metric changed since.
    /// </summary>
    public static CostFigures? Restate(
        ReportPeriod period, CostFigures recorded, CostQuery query, IReadOnlyList<DailyCost> answer, AnomalyThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        CheckArguments(period, query, answer, thresholds);
        var costs = new PeriodCosts(answer);
        if (costs.FirstMissingDay(period) is not null)
        {
            return null;
        }

        var currency = SnapshotFigures.CurrencyOf(answer) ?? recorded.Currency;
        var comparable = currency == recorded.Currency && recorded.GroupBy == query.GroupBy.ToString() && recorded.Metric == query.Metric;
        return Build(period, query, answer, costs, thresholds, currency, comparable ? recorded : null);
    }

    /// <summary>
    /// <see cref="Restate"/>'s figures when they are news by the rule of daily restatements
    /// (<see cref="Restatements.Changed"/>: the total changed, or estimated figures became final); null when they are
    /// not, or the answer does not hold the period.
    /// </summary>
    public static CostFigures? RestateIfChanged(
        ReportPeriod period, CostFigures recorded, CostQuery query, IReadOnlyList<DailyCost> answer, AnomalyThresholds thresholds) =>
        Restate(period, recorded, query, answer, thresholds) is { } fresh && Restatements.Changed(recorded, fresh) ? fresh : null;

    private static void CheckArguments(ReportPeriod period, CostQuery query, IReadOnlyList<DailyCost> answer, AnomalyThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (period.Cadence == Cadence.Daily)
        {
            throw new ArgumentException($"{period} is a day; its figures are SnapshotFigures'.", nameof(period));
        }

        if (query.Granularity != DigestWindow.GranularityOf(period.Cadence))
        {
            throw new ArgumentException(
                $"A {period.Cadence.ToWireName()} digest reads {DigestWindow.GranularityOf(period.Cadence)} cost, not {query.Granularity}.", nameof(query));
        }
    }

    private static CostFigures Build(
        ReportPeriod period,
        CostQuery query,
        IReadOnlyList<DailyCost> answer,
        PeriodCosts costs,
        AnomalyThresholds thresholds,
        string currency,
        CostFigures? recorded)
    {
        var weekly = period.Cadence == Cadence.Weekly;
        var own = costs.Of(period)!;
        var previousPeriod = period.Previous;
        var comparisonPeriod = DigestWindow.ComparisonOf(period);
        var previous = costs.Of(previousPeriod)
            ?? Recorded(recorded?.PreviousDayTotal, recorded?.Groups.Select(g => (g.Key, g.PreviousDay)));
        var comparison = costs.Of(comparisonPeriod)
            ?? Recorded(recorded?.SameWeekdayLastWeekTotal, recorded?.Groups.Select(g => (g.Key, g.SameWeekdayLastWeek)));

        // Groups of either comparison period are listed too, at zero when they had no cost in this one, so the lines
        // explain the whole change of each total.
        var groups = SnapshotFigures.LinesOf(own.Groups, previous?.Groups ?? NoGroups, comparison?.Groups ?? NoGroups);

        var trendLength = weekly ? DigestWindow.TrendWeeks : DigestWindow.TrendMonths;
        var trend = period.Add(-(trendLength - 1)).Through(period)
            .Select(p => costs.Of(p) is { } cost
                ? new DayTotal(p.ToString(), cost.Total, cost.Estimated)
                : recorded?.Trend.FirstOrDefault(t => t.Date == p.ToString()))
            .OfType<DayTotal>()
            .ToList();

        IReadOnlyList<DayTotal> days = weekly
            ? [.. period.Days.EachDay().Select(d => costs.Of(d) is { } cost ? new DayTotal(d.ToString(), cost.Total, cost.Estimated) : null).OfType<DayTotal>()]
            : [];
        var monthToDate = weekly
            ? DateRange.Inclusive(period.Last.MonthStart, period.Last).EachDay().Sum(d => costs.Of(d)?.Total ?? 0m)
            : own.Total;

        return new CostFigures(
            query.GroupBy.ToString(),
            query.Metric,
            currency,
            groups.Sum(g => g.Amount),
            own.Estimated,
            previous?.Total,
            comparison?.Total,
            monthToDate,
            groups,
            trend)
        {
            Anomalies = weekly ? AnomaliesOf(period, answer, thresholds) : [],
            Forecast = weekly ? MonthForecaster.Forecast(period.Last, answer) ?? recorded?.Forecast : null,
            Digest = new DigestFigures(previousPeriod.ToString(), comparisonPeriod.ToString(), days, recorded?.Digest?.ForecastCheck),
        };
    }

    /// <summary>
    /// The anomalies of each day of <paramref name="week"/>, dated. A group that stood out the same way on several
    /// days (a spike that lasted) is listed once, on the day it stood out most; largest impact first, at most
    /// <see cref="MaxAnomalies"/>.
    /// </summary>
    private static IReadOnlyList<CostAnomaly> AnomaliesOf(ReportPeriod week, IReadOnlyList<DailyCost> answer, AnomalyThresholds thresholds) =>
        [
            .. week.Days.EachDay()
                .SelectMany(day => AnomalyDetector.Detect(day, answer, thresholds).Select(a => a with { Date = day.ToString() }))
                .GroupBy(a => (a.Key, a.Kind))
                .Select(same => same.OrderByDescending(a => Math.Abs(a.Impact)).ThenBy(a => a.Date, StringComparer.Ordinal).First())
                .OrderByDescending(a => Math.Abs(a.Impact))
                .ThenBy(a => a.Key is not null)
                .ThenBy(a => a.Key, StringComparer.Ordinal)
                .ThenBy(a => a.Date, StringComparer.Ordinal)
                .Take(MaxAnomalies),
        ];

    /// <summary>A comparison period as the recorded figures had it, or null when they had none.</summary>
    private static PeriodCost? Recorded(decimal? total, IEnumerable<(string Key, decimal? Amount)>? groups) =>
        total is { } value && groups is not null
            ? new PeriodCost(
                value,
                Estimated: false,
                groups.Where(g => g.Amount is not null).ToDictionary(g => g.Key, g => g.Amount!.Value, StringComparer.Ordinal))
            : null;

    /// <summary>The cost of one period: its total, whether any of it is estimated, and each group's amount.</summary>
    private sealed record PeriodCost(decimal Total, bool Estimated, IReadOnlyDictionary<string, decimal> Groups);

    /// <summary>
    /// An answer read by period: a day or a week from daily entries (a week only when all seven days are there), a
    /// month from its monthly entry.
    /// </summary>
    private sealed class PeriodCosts
    {
        private readonly Dictionary<ReportDate, DailyCost> _entries = [];

        public PeriodCosts(IReadOnlyList<DailyCost> answer)
        {
            // As SnapshotFigures reads a window: one entry per date, the later one if the source repeated a date.
            foreach (var entry in answer)
            {
                _entries[entry.Date] = entry;
            }
        }

        /// <summary>The first date of <paramref name="period"/> without an entry, or null when it has all of them.</summary>
        public ReportDate? FirstMissingDay(ReportPeriod period) =>
            EntryDates(period).Where(d => !_entries.ContainsKey(d)).Select(d => (ReportDate?)d).FirstOrDefault();

        /// <summary>The cost of <paramref name="period"/>, or null when the answer does not hold all of it.</summary>
        public PeriodCost? Of(ReportPeriod period)
        {
            var entries = new List<DailyCost>();
            foreach (var date in EntryDates(period))
            {
                if (!_entries.TryGetValue(date, out var entry))
                {
                    return null;
                }

                entries.Add(entry);
            }

            var groups = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var group in entries.SelectMany(e => e.Groups))
            {
                groups[group.Key] = groups.GetValueOrDefault(group.Key) + group.Amount;
            }

            return new PeriodCost(groups.Values.Sum(), entries.Any(e => e.Estimated), groups);
        }

        private static IEnumerable<ReportDate> EntryDates(ReportPeriod period) =>
            period.Cadence == Cadence.Monthly ? [period.First] : period.Days.EachDay();
    }
}
