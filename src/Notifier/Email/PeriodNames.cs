using System.Globalization;
using CostNotifier.Domain;

namespace CostNotifier.Notifier.Email;

/// <summary>
/// How the email names weeks and months: "week 48 (23–29 Nov 2026)", "November 2026", "October". Weeks are ISO weeks
/// of UTC usage days, Monday to Sunday, so a week's number belongs to the ISO year of its Thursday; the days printed
/// beside it keep a week that spans two calendar years unambiguous.
/// </summary>
internal static class PeriodNames
{
    private const string Dash = "\u2013";

    /// <summary>The ISO week number, 1 to 53.</summary>
    public static int WeekNumber(ReportPeriod week) => ISOWeek.GetWeekOfYear(week.First.Day.ToDateTime(TimeOnly.MinValue));

    /// <summary>"week 48 (23–29 Nov 2026)".</summary>
    public static string Week(ReportPeriod week) =>
        string.Create(CultureInfo.InvariantCulture, $"week {WeekNumber(week)} ({Days(week, withYear: true)})");

    /// <summary>"week of 23 Nov", with the year when it is not <paramref name="year"/>'s.</summary>
    public static string WeekOf(ReportPeriod week, int year) =>
        "week of " + week.First.Day.ToString(week.First.Day.Year == year ? "d MMM" : "d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>
    /// "23–29 Nov", "26 Oct–1 Nov", "29 Dec 2025–4 Jan 2026": the days of a period, the year added at the end when
    /// asked and at both ends whenever the days span two years.
    /// </summary>
    public static string Days(ReportPeriod period, bool withYear)
    {
        var first = period.First.Day;
        var last = period.Last.Day;
        if (first.Year != last.Year)
        {
            return Format(first, "d MMM yyyy") + Dash + Format(last, "d MMM yyyy");
        }

        var end = Format(last, withYear ? "d MMM yyyy" : "d MMM");
        return (first.Month == last.Month ? Format(first, "%d") : Format(first, "d MMM")) + Dash + end;
    }

    /// <summary>"November 2025"; "November" when <paramref name="year"/> is given and is the month's own.</summary>
    public static string Month(ReportPeriod month, int? year = null) =>
        Format(month.First.Day, month.First.Day.Year == year ? "MMMM" : "MMMM yyyy");

    /// <summary>"Nov": a month under its bar in the trend chart.</summary>
    public static string ShortMonth(ReportPeriod month) => Format(month.First.Day, "MMM");

    /// <summary>"Nov 2025": a month where a short but complete name is needed.</summary>
    public static string ShortMonthAndYear(ReportPeriod month) => Format(month.First.Day, "MMM yyyy");

    private static string Format(DateOnly day, string pattern) => day.ToString(pattern, CultureInfo.InvariantCulture);
}
