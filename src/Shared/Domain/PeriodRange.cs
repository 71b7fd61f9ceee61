namespace CostNotifier.Domain;

/// <summary>
/// Consecutive periods of one cadence, from <see cref="First"/> to <see cref="Last"/>, both included: a run of days,
/// weeks or months. A range always holds at least one period.
/// </summary>
public readonly record struct PeriodRange
{
    /// <summary>The periods <paramref name="first"/> to <paramref name="last"/>; throws when they differ in cadence or are out of order.</summary>
    public PeriodRange(ReportPeriod first, ReportPeriod last)
    {
        if (first.Cadence != last.Cadence)
        {
            throw new ArgumentException($"A range runs from one {first.Cadence.ToWireName()} period to another; '{last}' is not one like '{first}'.", nameof(last));
        }

        if (last < first)
        {
            throw new ArgumentException($"The range ends ({last}) before it starts ({first}).", nameof(last));
        }

        First = first;
        Last = last;
    }

    /// <summary>The first period.</summary>
    public ReportPeriod First { get; }

    /// <summary>The last period.</summary>
    public ReportPeriod Last { get; }

    /// <summary>The cadence of every period in the range.</summary>
    public Cadence Cadence => First.Cadence;

    /// <summary>Every usage day the range covers.</summary>
    public DateRange Days => DateRange.Inclusive(First.First, Last.Last);

    /// <summary>The range of one period.</summary>
    public static PeriodRange Single(ReportPeriod period) => new(period, period);

    /// <summary>The days of a date range, as daily periods.</summary>
    public static implicit operator PeriodRange(DateRange days) => new(days.Start, days.Last);

    /// <summary>Whether <paramref name="period"/> is one of the range's periods.</summary>
    public bool Contains(ReportPeriod period) => period.Cadence == Cadence && period >= First && period <= Last;

    /// <summary>Every period of the range in order.</summary>
    public IEnumerable<ReportPeriod> Each() => First.Through(Last);

    /// <inheritdoc />
    public override string ToString() => First == Last ? First.ToString() : $"{First}..{Last}";
}
