using CostNotifier.CostData;
using CostNotifier.Domain;

namespace CostNotifier.Insights;

/// <summary>
/// A window of daily cost read as series: one per group key and one of the day's totals. Days the source did not
/// return are left out (unknown); a group missing from a returned day had no cost that day (zero).
/// </summary>
internal sealed class CostWindow
{
    private readonly SortedDictionary<ReportDate, (bool Estimated, Dictionary<string, decimal> Groups)> _days;

    private CostWindow(ReportDate day, SortedDictionary<ReportDate, (bool Estimated, Dictionary<string, decimal> Groups)> days)
    {
        Day = day;
        _days = days;
    }

    /// <summary>The report day.</summary>
    public ReportDate Day { get; }

    /// <summary>Whether the window holds the report day.</summary>
    public bool HasDay => _days.ContainsKey(Day);

    /// <summary>Whether the report day is marked estimated.</summary>
    public bool DayEstimated => _days.TryGetValue(Day, out var d) && d.Estimated;

    /// <summary>Every day of the window up to the report day, oldest first.</summary>
    public IEnumerable<ReportDate> Dates => _days.Keys;

    /// <summary>The days of history: those before the report day, at most <see cref="InsightsWindow.HistoryDays"/> back.</summary>
    public IEnumerable<ReportDate> HistoryDates => _days.Keys.Where(d => d < Day && d >= Day.AddDays(-InsightsWindow.HistoryDays));

    /// <summary>Every group key with cost on any day of the history or on the report day, in ordinal order.</summary>
    public IReadOnlyList<string> Keys =>
        [.. HistoryDates.Append(Day).Where(_days.ContainsKey).SelectMany(d => _days[d].Groups.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Reads <paramref name="window"/> up to <paramref name="day"/>, summing repeated keys of one day.</summary>
    public static CostWindow Read(ReportDate day, IReadOnlyList<DailyCost> window)
    {
        var days = new SortedDictionary<ReportDate, (bool Estimated, Dictionary<string, decimal> Groups)>();
        foreach (var entry in window.Where(e => e.Date <= day))
        {
            if (!days.TryGetValue(entry.Date, out var existing))
            {
                existing = (entry.Estimated, new Dictionary<string, decimal>(StringComparer.Ordinal));
            }

            foreach (var group in entry.Groups)
            {
                existing.Groups[group.Key] = existing.Groups.GetValueOrDefault(group.Key) + group.Amount;
            }

            days[entry.Date] = (existing.Estimated || entry.Estimated, existing.Groups);
        }

        return new CostWindow(day, days);
    }

    /// <summary>Whether the window holds <paramref name="date"/>.</summary>
    public bool Contains(ReportDate date) => _days.ContainsKey(date);

    /// <summary>The amount of <paramref name="key"/> (null: the total) on <paramref name="date"/>; zero when the day is missing.</summary>
    public decimal AmountOn(string? key, ReportDate date) =>
        !_days.TryGetValue(date, out var d) ? 0m
        : key is null ? d.Groups.Values.Sum()
        : d.Groups.GetValueOrDefault(key);

    /// <summary>The series of <paramref name="key"/> (null: the total) over <paramref name="dates"/>, with the estimated tail marked.</summary>
    public List<DayAmount> Series(string? key, IEnumerable<ReportDate> dates) =>
        [.. dates.Where(_days.ContainsKey).Select(d => new DayAmount(d, AmountOn(key, d), IsTail(d)))];

    /// <summary>Whether <paramref name="date"/> is one of the last days up to the report day and marked estimated.</summary>
    public bool IsTail(ReportDate date) =>
        date > Day.AddDays(-InsightsWindow.TailDays) && _days.TryGetValue(date, out var d) && d.Estimated;
}
