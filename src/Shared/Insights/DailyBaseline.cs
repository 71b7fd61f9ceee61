using CostNotifier.Domain;

namespace CostNotifier.Insights;

/// <summary>One day of a series.</summary>
/// <param name="Date">The usage day.</param>
/// <param name="Amount">The amount that day (zero when the group had no cost).</param>
/// <param name="Tail">Whether the day is one of the last few of the window and still estimated, so possibly incomplete.</param>
internal readonly record struct DayAmount(ReportDate Date, decimal Amount, bool Tail);

/// <summary>
/// What a series of daily amounts normally looks like: a weekday pattern, a recent level and how far single days
/// stray from it. The amount expected on a day is <c>level × factor(weekday)</c>.
/// <para>
/// Fitting (regular series): each day's amount is divided by the median of the seven consecutive days around it (the
/// week it sits in), and the median of those ratios per weekday is that weekday's factor; a weekend at 40% of the
/// weekdays gets 0.4. Dividing the amounts by their weekday's factor gives weekday-free values; their median over
/// the most recent days is the level, and the median absolute deviation of each value from the median of its own
/// week is the spread (relative, as cost noise grows with cost). These are all medians, so a few odd days (a
/// monthly fee, a credit, a correction, a spike) move none of them. The weekly drift, used only for the range of a
/// forecast, is deliberately not robust: the root mean square of how much the weekly median moved from one week to
/// the next, less what noise alone explains, so lasting changes seen in the window widen the forecast's range.
/// </para>
/// <para>
/// A series that has cost on fewer than 60% of its days, or whose median is not positive (credits outweigh usage),
/// is irregular: it gets no weekday pattern and its normal range is simply the lowest to the highest amount seen.
/// </para>
/// </summary>
internal sealed class DailyBaseline
{
    /// <summary>Days in the window a local level is taken over: one of each weekday.</summary>
    public const int Week = 7;

    /// <summary>The least share of days with cost for a series to be fitted with a level and a weekday pattern.</summary>
    public const decimal RegularShare = 0.6m;

    /// <summary>The least relative spread assumed, so a perfectly flat series does not get a zero-width range.</summary>
    public const decimal MinimumSpread = 0.005m;

    /// <summary>The largest weekly change of level counted (ten times), so a series starting from almost nothing stays within decimal range.</summary>
    private const decimal MaximumWeeklyChange = 10m;

    /// <summary>A weekday whose factor is below this is an "off" day: its amounts say nothing about the level.</summary>
    private const decimal OffDayFactor = 0.05m;

    private readonly DayAmount[] _days;
    private readonly decimal[] _factors;
    private readonly decimal?[] _localLevels;

    private DailyBaseline(DayAmount[] days, decimal[] factors, decimal?[] localLevels)
    {
        _days = days;
        _factors = factors;
        _localLevels = localLevels;
    }

    /// <summary>Whether the series was fitted with a level and weekday pattern (false: irregular, see the type).</summary>
    public bool Regular { get; private init; }

    /// <summary>The recent weekday-free level of a regular series; the median amount of an irregular one.</summary>
    public decimal Level { get; private init; }

    /// <summary>How many days the level was taken over.</summary>
    public int LevelDays { get; private init; }

    /// <summary>A regular series' relative standard deviation of one day about its expected amount.</summary>
    public decimal Spread { get; private init; }

    /// <summary>A regular series' relative standard deviation of its level's change over one week, beyond the noise.</summary>
    public decimal WeeklyDrift { get; private init; }

    /// <summary>The lowest amount of the fitted days.</summary>
    public decimal Lowest { get; private init; }

    /// <summary>The highest amount of the fitted days.</summary>
    public decimal Highest { get; private init; }

    /// <summary>The mean amount of the fitted days.</summary>
    public decimal Mean { get; private init; }

    /// <summary>How many days were fitted.</summary>
    public int Days => _days.Length;

    /// <summary>The weekday factor of <paramref name="day"/> (1 for an irregular series).</summary>
    public decimal Factor(DayOfWeek day) => _factors[(int)day];

    /// <summary>The amount expected on <paramref name="date"/> at the recent level.</summary>
    public decimal ExpectedOn(ReportDate date) => Level * Factor(date.DayOfWeek);

    /// <summary>
    /// The amount a day like <paramref name="date"/> would have had at the level of the fitted days nearest to it: how
    /// an earlier day is judged without the level of today.
    /// </summary>
    public decimal ExpectedAround(ReportDate date)
    {
        if (!Regular || _days.Length == 0)
        {
            return Level;
        }

        var nearest = 0;
        for (var i = 1; i < _days.Length; i++)
        {
            if (Math.Abs(_days[i].Date.DaysSince(date)) < Math.Abs(_days[nearest].Date.DaysSince(date)))
            {
                nearest = i;
            }
        }

        return (_localLevels[nearest] ?? Level) * Factor(date.DayOfWeek);
    }

    /// <summary>Whether <paramref name="amount"/> on <paramref name="date"/> lies beyond <paramref name="tolerance"/> spreads of what the days around it lead one to expect.</summary>
    public bool IsOutlier(ReportDate date, decimal amount, decimal tolerance)
    {
        if (!Regular)
        {
            return amount > Highest || amount < Lowest;
        }

        var expected = ExpectedAround(date);
        return Math.Abs(amount - expected) > tolerance * Spread * Math.Abs(expected);
    }

    /// <summary>Fits <paramref name="days"/> (oldest first), taking the level over the last <paramref name="levelDays"/> usable days.</summary>
    public static DailyBaseline Fit(IReadOnlyList<DayAmount> days, int levelDays)
    {
        var items = days.ToArray();
        var amounts = items.Select(d => d.Amount).ToArray();
        var ones = Enumerable.Repeat(1m, Week).ToArray();
        var count = items.Length;
        var lowest = count == 0 ? 0m : amounts.Min();
        var highest = count == 0 ? 0m : amounts.Max();
        var mean = count == 0 ? 0m : amounts.Average();
        var median = Robust.Median(amounts);
        var withCost = amounts.Count(a => a > 0m);
        DailyBaseline Irregular() => new(items, ones, new decimal?[count])
        {
            Regular = false,
            Level = median,
            LevelDays = count,
            Lowest = lowest,
            Highest = highest,
            Mean = mean,
        };

        if (count < Week || withCost < RegularShare * count || median <= 0m)
        {
            return Irregular();
        }

        // The median of the week around each day, and each day's ratio to it, per weekday.
        var weekly = new decimal[count];
        for (var i = 0; i < count; i++)
        {
            weekly[i] = Robust.Median(WeekAround(amounts, i));
        }

        var factors = new decimal[Week];
        for (var weekday = 0; weekday < Week; weekday++)
        {
            var ratios = Enumerable.Range(0, count)
                .Where(i => (int)items[i].Date.DayOfWeek == weekday && weekly[i] > 0m)
                .Select(i => amounts[i] / weekly[i])
                .ToList();
            factors[weekday] = ratios.Count >= 2 ? Math.Max(0m, Robust.Median(ratios)) : 1m;
        }

        // Weekday-free values; an off day (factor near zero) has none.
        var free = new decimal?[count];
        for (var i = 0; i < count; i++)
        {
            var factor = factors[(int)items[i].Date.DayOfWeek];
            free[i] = factor > OffDayFactor ? amounts[i] / factor : null;
        }

        var localLevels = new decimal?[count];
        var residuals = new List<decimal>(count);
        for (var i = 0; i < count; i++)
        {
            var around = WeekAround(free, i).OfType<decimal>().ToList();
            localLevels[i] = around.Count > 0 ? Robust.Median(around) : null;
            if (free[i] is { } value && localLevels[i] is > 0m and var local)
            {
                residuals.Add((value / local) - 1m);
            }
        }

        var spread = Math.Max(MinimumSpread, Robust.Spread(residuals));

        // The level: the latest usable days, leaving out the estimated tail unless too little would be left.
        var recent = Enumerable.Range(0, count).Reverse()
            .Where(i => free[i] is not null && !items[i].Tail)
            .Take(levelDays)
            .ToList();
        if (recent.Count < (levelDays + 1) / 2)
        {
            recent = [.. Enumerable.Range(0, count).Reverse().Where(i => free[i] is not null).Take(levelDays)];
        }

        var level = Robust.Median(recent.Select(i => free[i]!.Value));
        if (level <= 0m)
        {
            return Irregular();
        }

        // How much the level moves from one week to the next, beyond what the noise of a weekly median explains.
        var changes = Enumerable.Range(Week, Math.Max(0, count - Week))
            .Where(i => localLevels[i] is > 0m && localLevels[i - Week] is > 0m)
            .Select(i => Math.Min(MaximumWeeklyChange, (localLevels[i]!.Value / localLevels[i - Week]!.Value) - 1m))
            .ToList();
        var rawDrift = changes.Count == 0 ? 0m : Robust.Sqrt(changes.Average(c => c * c));
        var noiseOfChange = 0.67m * spread;
        var drift = Robust.Sqrt(Math.Max(0m, (rawDrift * rawDrift) - (noiseOfChange * noiseOfChange)));

        return new DailyBaseline(items, factors, localLevels)
        {
            Regular = true,
            Level = level,
            LevelDays = recent.Count,
            Spread = spread,
            WeeklyDrift = drift,
            Lowest = lowest,
            Highest = highest,
            Mean = mean,
        };
    }

    /// <summary>The seven consecutive entries around <paramref name="index"/>, centred where the series allows.</summary>
    private static ArraySegment<T> WeekAround<T>(T[] values, int index)
    {
        var length = Math.Min(Week, values.Length);
        var start = Math.Clamp(index - (Week / 2), 0, values.Length - length);
        return new ArraySegment<T>(values, start, length);
    }
}
