using Bogus;

namespace CostNotifier.InsightsBench;

/// <summary>What was done to a group-series besides its benign patterns.</summary>
internal enum Injected
{
    /// <summary>Nothing: only the benign patterns.</summary>
    None,

    /// <summary>A one-day jump of the usage on the report day.</summary>
    Spike,

    /// <summary>A one-day fall of the usage on the report day, down to stopping.</summary>
    Drop,

    /// <summary>A lasting change of level that began on the report day or one or two days before.</summary>
    RecentShift,

    /// <summary>A lasting change of level that began 7 to 21 days before the report day.</summary>
    EstablishedShift,

    /// <summary>A group with no cost before the report day.</summary>
    NewGroup,

    /// <summary>A linear ramp of the level that began 10 to 34 days before the report day.</summary>
    SlowDrift,
}

/// <summary>
/// The hidden process behind one group's daily cost: a level with a small trend, a weekday pattern, multiplicative
/// noise, optionally a monthly charge (or credit) on the 1st, one-off credits and corrections, and one injected event.
/// It knows, for any day, the settled amount and the noise-free amount the label is defined against.
/// </summary>
internal sealed class GroupModel
{
    /// <summary>How much a monthly charge varies from month to month (± this share).</summary>
    public const double ChargeVariation = 0.1;

    private readonly Dictionary<DateOnly, double> _noise = [];
    private readonly Dictionary<DateOnly, double> _adjustments = [];
    private readonly Dictionary<int, double> _chargeOfMonth = [];
    private readonly Randomizer _random;

    public GroupModel(Randomizer random, string key, DateOnly anchor)
    {
        _random = random;
        Key = key;
        Anchor = anchor;
        BaseLevel = LogUniform(random, 1, 3000);
        Cv = LogUniform(random, 0.01, 0.2);
        TrendPerDay = random.Double(-0.002, 0.002);
        var pattern = random.Double();
        if (pattern < 0.35)
        {
            // Workloads that stop or shrink at the weekend.
            var weekend = random.Double(0.2, 0.9);
            WeekdayFactors[(int)DayOfWeek.Saturday] = weekend;
            WeekdayFactors[(int)DayOfWeek.Sunday] = weekend * random.Double(0.9, 1.1);
        }
        else if (pattern < 0.55)
        {
            // Office-hours workloads: every weekday a little different, weekends low.
            for (var d = 1; d <= 5; d++)
            {
                WeekdayFactors[d] = random.Double(0.9, 1.1);
            }

            WeekdayFactors[(int)DayOfWeek.Saturday] = random.Double(0.3, 0.8);
            WeekdayFactors[(int)DayOfWeek.Sunday] = random.Double(0.3, 0.8);
        }

        var charge = random.Double();
        MonthlyCharge = charge < 0.25 ? BaseLevel * random.Double(2, 30)
            : charge < 0.30 ? -BaseLevel * random.Double(1, 10)
            : 0;
    }

    public string Key { get; }

    /// <summary>The day the trend is counted from.</summary>
    public DateOnly Anchor { get; }

    public double BaseLevel { get; }

    /// <summary>Coefficient of variation of the daily usage.</summary>
    public double Cv { get; }

    public double TrendPerDay { get; }

    public double[] WeekdayFactors { get; } = [1, 1, 1, 1, 1, 1, 1];

    /// <summary>The typical charge on the 1st of each month (negative: a credit); zero when none.</summary>
    public double MonthlyCharge { get; }

    public Injected Kind { get; private set; }

    /// <summary>Whether a credit or correction was booked on some day.</summary>
    public bool HasOneOffs => _adjustments.Count > 0;

    /// <summary>Whether the weekdays differ.</summary>
    public bool HasWeekdayPattern => WeekdayFactors.Any(f => f != 1);

    /// <summary>The day the event happens (spike, drop) or starts (shift, drift, new group).</summary>
    public DateOnly EventDay { get; private set; }

    /// <summary>The day a drift reaches its full change.</summary>
    public DateOnly EventEnd { get; private set; }

    /// <summary>The event's size: a factor for spikes, drops and shifts, the total relative change of a drift.</summary>
    public double EventSize { get; private set; }

    /// <summary>Adds a one-off amount (a credit or a correction booked on that day).</summary>
    public void Adjust(DateOnly day, double amount) => _adjustments[day] = _adjustments.GetValueOrDefault(day) + amount;

    /// <summary>Injects <paramref name="kind"/> at <paramref name="day"/> with <paramref name="size"/>.</summary>
    public void Inject(Injected kind, DateOnly day, double size, DateOnly? end = null)
    {
        Kind = kind;
        EventDay = day;
        EventSize = size;
        EventEnd = end ?? day;
    }

    /// <summary>The noise-free level of usage on <paramref name="day"/> before its weekday factor.</summary>
    public double LevelOn(DateOnly day)
    {
        if (Kind == Injected.NewGroup && day < EventDay)
        {
            return 0;
        }

        var level = BaseLevel * Math.Pow(1 + TrendPerDay, day.DayNumber - Anchor.DayNumber);
        if (Kind is Injected.RecentShift or Injected.EstablishedShift && day >= EventDay)
        {
            level *= EventSize;
        }

        if (Kind == Injected.SlowDrift && day > EventDay)
        {
            var progress = Math.Min(1.0, (double)(day.DayNumber - EventDay.DayNumber) / (EventEnd.DayNumber - EventDay.DayNumber));
            level *= 1 + (EventSize * progress);
        }

        return level;
    }

    /// <summary>The noise-free usage of <paramref name="day"/>: level × weekday factor.</summary>
    public double NormalUsageOn(DateOnly day) => LevelOn(day) * WeekdayFactors[(int)day.DayOfWeek];

    /// <summary>The typical monthly charge on <paramref name="day"/>: the charge on a 1st (none before a new group starts).</summary>
    public double TypicalChargeOn(DateOnly day) =>
        day.Day == 1 && !(Kind == Injected.NewGroup && day < EventDay) ? MonthlyCharge : 0;

    /// <summary>The settled amount of <paramref name="day"/>: what the cost source reports once the day is final.</summary>
    public double SettledOn(DateOnly day)
    {
        var usage = Math.Max(0, NormalUsageOn(day) * (1 + (Cv * Noise(day))));
        if (day == EventDay && Kind == Injected.Spike)
        {
            usage *= EventSize;
        }

        if (day == EventDay && Kind == Injected.Drop)
        {
            usage *= EventSize;
        }

        var charge = TypicalChargeOn(day);
        if (charge != 0)
        {
            charge *= ChargeFactor(day);
        }

        return usage + charge + _adjustments.GetValueOrDefault(day);
    }

    private double Noise(DateOnly day)
    {
        if (!_noise.TryGetValue(day, out var z))
        {
            z = Gaussian(_random);
            _noise[day] = z;
        }

        return z;
    }

    private double ChargeFactor(DateOnly day)
    {
        var month = (day.Year * 12) + day.Month;
        if (!_chargeOfMonth.TryGetValue(month, out var factor))
        {
            factor = 1 + _random.Double(-ChargeVariation, ChargeVariation);
            _chargeOfMonth[month] = factor;
        }

        return factor;
    }

    /// <summary>A value whose logarithm is uniform between those of <paramref name="min"/> and <paramref name="max"/>.</summary>
    public static double LogUniform(Randomizer random, double min, double max) =>
        Math.Exp(random.Double(Math.Log(min), Math.Log(max)));

    /// <summary>A standard normal value (Box–Muller).</summary>
    public static double Gaussian(Randomizer random)
    {
        var u1 = 1.0 - random.Double();
        var u2 = random.Double();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
