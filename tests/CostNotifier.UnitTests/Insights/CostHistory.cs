using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Insights;

namespace CostNotifier.UnitTests.Insights;

/// <summary>Builds windows of daily cost for the insights tests.</summary>
internal static class CostHistory
{
    /// <summary>
    /// A deterministic wobble of ±2% around 1, different every day, so a series has some noise but every test run sees
    /// the same numbers.
    /// </summary>
    public static decimal Wobble(ReportDate date) => 1m + (0.004m * (((date.Day.DayNumber * 7919) % 11) - 5));

    /// <summary>
    /// The window <see cref="InsightsWindow.For"/> of <paramref name="day"/>, each day holding the groups
    /// <paramref name="groups"/> gives it (zero amounts left out, as the cost source leaves them out).
    /// </summary>
    public static List<DailyCost> Window(
        ReportDate day,
        Func<ReportDate, IEnumerable<(string Key, decimal Amount)>> groups,
        Func<ReportDate, bool>? estimated = null) =>
        [
            .. InsightsWindow.For(day).EachDay().Select(date => new DailyCost(
                date,
                estimated?.Invoke(date) ?? false,
                [.. groups(date).Where(g => g.Amount != 0m).Select(g => new GroupCost(g.Key, g.Amount, "USD"))])),
        ];

    /// <summary>A window with a single group.</summary>
    public static List<DailyCost> Window(ReportDate day, string key, Func<ReportDate, decimal> amount, Func<ReportDate, bool>? estimated = null) =>
        Window(day, d => [(key, amount(d))], estimated);
}
