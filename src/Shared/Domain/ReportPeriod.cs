using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;

namespace CostNotifier.Domain;

/// <summary>
/// The usage days one report email covers: a day (<c>2026-11-29</c>), an ISO week of UTC days from Monday to
/// Sunday (<c>2026-W48</c>), or a calendar month (<c>2026-11</c>). Its text names the stream it is recorded in and
/// travels in messages. Periods of one cadence sort by their text as they do in time, which the stores' indexes use.
/// </summary>
[JsonConverter(typeof(TextJsonConverter<ReportPeriod>))]
public readonly record struct ReportPeriod : IComparable<ReportPeriod>, IParsable<ReportPeriod>
{
    private ReportPeriod(Cadence cadence, ReportDate first, ReportDate last)
    {
        Cadence = cadence;
        First = first;
        Last = last;
    }

    /// <summary>Whether the period is a day, a week or a month.</summary>
    public Cadence Cadence { get; }

    /// <summary>The first usage day of the period.</summary>
    public ReportDate First { get; }

    /// <summary>The last usage day of the period.</summary>
    public ReportDate Last { get; }

    /// <summary>The usage days of the period, as Cost Explorer's <c>TimePeriod</c> reads them.</summary>
    public DateRange Days => DateRange.Inclusive(First, Last);

    /// <summary>The period of one usage day.</summary>
    public static ReportPeriod Day(ReportDate day) => new(Cadence.Daily, day, day);

    /// <summary>The ISO week <paramref name="week"/> of ISO year <paramref name="isoYear"/>; throws when it does not exist.</summary>
    public static ReportPeriod Week(int isoYear, int week)
    {
        if (isoYear is < 1 or > 9998 || week < 1 || week > ISOWeek.GetWeeksInYear(isoYear))
        {
            throw new ArgumentOutOfRangeException(nameof(week), week, $"{isoYear} has no ISO week {week}.");
        }

        var monday = new ReportDate(DateOnly.FromDateTime(ISOWeek.ToDateTime(isoYear, week, DayOfWeek.Monday)));
        return new(Cadence.Weekly, monday, monday.AddDays(6));
    }

    /// <summary>The calendar month <paramref name="month"/> of <paramref name="year"/>.</summary>
    public static ReportPeriod Month(int year, int month)
    {
        // Counting the days rather than stepping back from the next month's first day keeps December 9999 valid.
        return new(Cadence.Monthly, new ReportDate(year, month, 1), new ReportDate(year, month, DateTime.DaysInMonth(year, month)));
    }

    /// <summary>The period of <paramref name="cadence"/> that contains <paramref name="day"/>.</summary>
    public static ReportPeriod Containing(Cadence cadence, ReportDate day) => cadence switch
    {
        Cadence.Daily => Day(day),
        Cadence.Weekly => Week(ISOWeek.GetYear(day.Day.ToDateTime(TimeOnly.MinValue)), ISOWeek.GetWeekOfYear(day.Day.ToDateTime(TimeOnly.MinValue))),
        Cadence.Monthly => Month(day.Day.Year, day.Day.Month),
        _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, "Not a cadence."),
    };

    /// <summary>
    /// The period of <paramref name="cadence"/> whose last day is <paramref name="day"/>, if one ends then: every day
    /// ends a daily period, a Sunday a week, the last day of a month a month.
    /// </summary>
    public static bool TryEndingOn(Cadence cadence, ReportDate day, out ReportPeriod period)
    {
        period = Containing(cadence, day);
        return period.Last == day;
    }

    /// <summary>The period <paramref name="count"/> periods later (earlier when negative), of the same cadence.</summary>
    public ReportPeriod Add(int count) => Cadence switch
    {
        Cadence.Daily => Day(First.AddDays(count)),
        Cadence.Weekly => Containing(Cadence.Weekly, First.AddDays(7 * count)),
        _ => Containing(Cadence.Monthly, new ReportDate(First.Day.AddMonths(count))),
    };

    /// <summary>The period before this one.</summary>
    public ReportPeriod Previous => Add(-1);

    /// <summary>Every period of this cadence from this one to <paramref name="last"/>, both included.</summary>
    public IEnumerable<ReportPeriod> Through(ReportPeriod last)
    {
        if (last.Cadence != Cadence)
        {
            throw new ArgumentException($"{last} is not a {Cadence.ToWireName()} period like {this}.", nameof(last));
        }

        for (var period = this; period <= last; period = period.Add(1))
        {
            yield return period;
        }
    }

    /// <summary>A day is a period of one day.</summary>
    public static implicit operator ReportPeriod(ReportDate day) => Day(day);

    /// <summary>
    /// Parses <c>yyyy-MM-dd</c>, <c>yyyy-Www</c> or <c>yyyy-MM</c> strictly; throws <see cref="FormatException"/>
    /// naming the problem (<c>2026-W54</c>: 2026 has 53 ISO weeks; <c>2026-13</c>: there is no month 13).
    /// </summary>
    public static ReportPeriod Parse(string? text) =>
        TryParse(text, out var period, out var problem) ? period : throw new FormatException(problem);

    /// <summary>Parses a period without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ReportPeriod period) =>
        TryParse(text, out period, out _);

    /// <summary>Parses a period without throwing; <paramref name="problem"/> says what is wrong when it cannot.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ReportPeriod period, [NotNullWhen(false)] out string? problem)
    {
        period = default;
        problem = null;
        var notAPeriod = $"'{text}' is not a period: use a day (yyyy-MM-dd), an ISO week (yyyy-Www) or a month (yyyy-MM)";
        if (text is null)
        {
            problem = notAPeriod;
            return false;
        }

        if (text.Length == 10)
        {
            if (!ReportDate.TryParse(text, out var day))
            {
                problem = $"'{text}' is not an existing day in yyyy-MM-dd form";
                return false;
            }

            period = Day(day);
            return true;
        }

        if (text.Length == 8 && text[4] == '-' && text[5] == 'W' && Digits(text, 0, 4, out var isoYear) && Digits(text, 6, 2, out var week))
        {
            var weeks = isoYear >= 1 ? ISOWeek.GetWeeksInYear(isoYear) : 0;
            if (week < 1 || week > weeks || isoYear > 9998)
            {
                problem = $"'{text}' is not an ISO week: {isoYear} has weeks 01 to {weeks}";
                return false;
            }

            period = Week(isoYear, week);
            return true;
        }

        if (text.Length == 7 && text[4] == '-' && Digits(text, 0, 4, out var year) && Digits(text, 5, 2, out var month))
        {
            if (year < 1 || month is < 1 or > 12)
            {
                problem = $"'{text}' is not a month: use yyyy-MM with a month from 01 to 12";
                return false;
            }

            period = Month(year, month);
            return true;
        }

        problem = notAPeriod;
        return false;
    }

    private static bool Digits(string text, int start, int length, out int value)
    {
        value = 0;
        for (var i = start; i < start + length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            value = (value * 10) + (text[i] - '0');
        }

        return true;
    }

    /// <inheritdoc />
    static ReportPeriod IParsable<ReportPeriod>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc />
    static bool IParsable<ReportPeriod>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out ReportPeriod result) =>
        TryParse(s, out result);

    /// <summary>Orders by cadence, then by time.</summary>
    public int CompareTo(ReportPeriod other) =>
        Cadence != other.Cadence ? Cadence.CompareTo(other.Cadence) : First.CompareTo(other.First);

    /// <summary>Compares two periods.</summary>
    public static bool operator <(ReportPeriod left, ReportPeriod right) => left.CompareTo(right) < 0;

    /// <summary>Compares two periods.</summary>
    public static bool operator >(ReportPeriod left, ReportPeriod right) => left.CompareTo(right) > 0;

    /// <summary>Compares two periods.</summary>
    public static bool operator <=(ReportPeriod left, ReportPeriod right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two periods.</summary>
    public static bool operator >=(ReportPeriod left, ReportPeriod right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public override string ToString() => Cadence switch
    {
        Cadence.Daily => First.ToString(),
        Cadence.Weekly => string.Create(
            CultureInfo.InvariantCulture,
            $"{ISOWeek.GetYear(First.Day.ToDateTime(TimeOnly.MinValue)):D4}-W{ISOWeek.GetWeekOfYear(First.Day.ToDateTime(TimeOnly.MinValue)):D2}"),
        _ => First.Day.ToString("yyyy-MM", CultureInfo.InvariantCulture),
    };
}
