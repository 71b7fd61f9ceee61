namespace CostNotifier.Domain;

/// <summary>
/// Usage days from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive), the way
/// Cost Explorer's <c>TimePeriod</c> reads. A range always holds at least one day.
/// </summary>
public readonly record struct DateRange
{
    private DateRange(ReportDate start, ReportDate end)
    {
        Start = start;
        End = end;
    }

    /// <summary>The first day in the range.</summary>
    public ReportDate Start { get; }

    /// <summary>The day after the last day in the range.</summary>
    public ReportDate End { get; }

    /// <summary>The last day in the range.</summary>
    public ReportDate Last => End.AddDays(-1);

    /// <summary>How many days the range holds.</summary>
    public int Days => End.DaysSince(Start);

    /// <summary>The range of the single day <paramref name="day"/>: [day, day+1).</summary>
    public static DateRange Single(ReportDate day) => new(day, day.AddDays(1));

    /// <summary>The days <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    public static DateRange Inclusive(ReportDate first, ReportDate last) =>
        last < first
            ? throw new ArgumentException($"The range ends ({last}) before it starts ({first}).", nameof(last))
            : new DateRange(first, last.AddDays(1));

    /// <summary>Whether <paramref name="day"/> lies in the range.</summary>
    public bool Contains(ReportDate day) => day >= Start && day < End;

    /// <summary>Every day of the range in order.</summary>
    public IEnumerable<ReportDate> EachDay()
    {
        for (var day = Start; day < End; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"[{Start}, {End})";
}
