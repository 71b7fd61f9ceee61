using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;

namespace CostNotifier.Domain;

/// <summary>
/// A UTC usage day as Cost Explorer counts it. The day D is the half-open interval [D, D+1):
/// asking Cost Explorer for it means <c>Start = D</c>, <c>End = D + 1</c>.
/// </summary>
[JsonConverter(typeof(TextJsonConverter<ReportDate>))]
public readonly record struct ReportDate : IComparable<ReportDate>, IParsable<ReportDate>
{
    /// <summary>The wire and storage format of a date.</summary>
    public const string Format = "yyyy-MM-dd";

    /// <summary>Creates a date from a calendar day.</summary>
    public ReportDate(DateOnly day) => Day = day;

    /// <summary>Creates a date from year, month and day; throws when the day does not exist.</summary>
    public ReportDate(int year, int month, int day)
        : this(new DateOnly(year, month, day)) { }

    /// <summary>The calendar day.</summary>
    public DateOnly Day { get; }

    /// <summary>The first day of this date's month.</summary>
    public ReportDate MonthStart => new(new DateOnly(Day.Year, Day.Month, 1));

    /// <summary>The day of the week.</summary>
    public DayOfWeek DayOfWeek => Day.DayOfWeek;

    /// <summary>The UTC day that contains <paramref name="instant"/>.</summary>
    public static ReportDate FromInstant(DateTimeOffset instant) =>
        new(DateOnly.FromDateTime(instant.UtcDateTime));

    /// <summary>Yesterday in UTC: the most recent complete usage day.</summary>
    public static ReportDate Yesterday(TimeProvider time) =>
        FromInstant(time.GetUtcNow()).AddDays(-1);

    /// <summary>Parses <c>yyyy-MM-dd</c> strictly; throws <see cref="FormatException"/> naming the problem.</summary>
    public static ReportDate Parse(string? text) =>
        TryParse(text, out var date)
            ? date
            : throw new FormatException($"'{text}' is not an existing day in yyyy-MM-dd form");

    /// <summary>Parses <c>yyyy-MM-dd</c> strictly without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ReportDate date)
    {
        if (DateOnly.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            date = new ReportDate(day);
            return true;
        }

        date = default;
        return false;
    }

    /// <summary>The date <paramref name="days"/> days later (or earlier when negative).</summary>
    public ReportDate AddDays(int days) => new(Day.AddDays(days));

    /// <summary>Whole days from <paramref name="other"/> to this date.</summary>
    public int DaysSince(ReportDate other) => Day.DayNumber - other.Day.DayNumber;

    /// <inheritdoc />
    static ReportDate IParsable<ReportDate>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc />
    static bool IParsable<ReportDate>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out ReportDate result) => TryParse(s, out result);

    /// <inheritdoc />
    public int CompareTo(ReportDate other) => Day.CompareTo(other.Day);

    /// <summary>Compares two dates.</summary>
    public static bool operator <(ReportDate left, ReportDate right) => left.CompareTo(right) < 0;

    /// <summary>Compares two dates.</summary>
    public static bool operator >(ReportDate left, ReportDate right) => left.CompareTo(right) > 0;

    /// <summary>Compares two dates.</summary>
    public static bool operator <=(ReportDate left, ReportDate right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two dates.</summary>
    public static bool operator >=(ReportDate left, ReportDate right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public override string ToString() => Day.ToString(Format, CultureInfo.InvariantCulture);
}
