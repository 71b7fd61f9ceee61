using System.Globalization;
using CostNotifier.Domain;
using CostNotifier.Events;

namespace CostNotifier.Notifier.Email;

/// <summary>One day of a weekly digest's day-by-day table.</summary>
/// <param name="Label">"Mon 23 Nov".</param>
/// <param name="Total">The day's total in cents; null when the source had no data for it.</param>
/// <param name="Estimated">Whether the source still marked the day as estimated.</param>
/// <param name="BarPercent">Bar width, 0..100, relative to the week's largest day.</param>
internal sealed record DayBar(string Label, decimal? Total, bool Estimated, int BarPercent);

/// <summary>A month-end forecast made during the month, to set against how the month ended.</summary>
/// <param name="ReportId">The daily report that made it, cleaned.</param>
/// <param name="MadeOn">The day it was made, e.g. "15 Nov".</param>
/// <param name="Expected">The projected total, in cents.</param>
/// <param name="Low">The low end of its range, in cents.</param>
/// <param name="High">The high end of its range, in cents.</param>
internal sealed record ForecastCheckNote(string ReportId, string MadeOn, decimal Expected, decimal Low, decimal High);

/// <summary>What a weekly or monthly digest shows beyond the sections it shares with the daily email.</summary>
/// <param name="Previous">The period before, whose total <see cref="ReportEmailModel.PreviousDay"/> compares with.</param>
/// <param name="Comparison">
/// The period further back (four weeks before a week, a year before a month) that
/// <see cref="ReportEmailModel.SameWeekdayLastWeek"/> compares with.
/// </param>
/// <param name="Days">A weekly digest's seven days, Monday first; empty for a month or when the snapshot lists no days.</param>
/// <param name="Increases">The groups whose cost rose most against <see cref="Previous"/>, largest rise first.</param>
/// <param name="Decreases">The groups whose cost fell most against <see cref="Previous"/>, largest fall first.</param>
/// <param name="ForecastCheck">A monthly digest's forecast made during the month; null when none was made.</param>
/// <param name="Budget">A monthly digest's budget to set the month's total against; null without one.</param>
internal sealed record DigestModel(
    ReportPeriod Previous,
    ReportPeriod Comparison,
    IReadOnlyList<DayBar> Days,
    IReadOnlyList<GroupRow> Increases,
    IReadOnlyList<GroupRow> Decreases,
    ForecastCheckNote? ForecastCheck,
    decimal? Budget)
{
    private const int MaxReportIdLength = 64;

    public static DigestModel Create(ReportPeriod period, CostFigures figures, GroupBy groupBy, TableSection costs, TableSection? credits, decimal? monthlyBudget)
    {
        var digest = figures.Digest;
        var (increases, decreases) = GroupMovers.Find(figures, groupBy, costs, credits);
        var check = period.Cadence == Cadence.Monthly ? digest?.ForecastCheck : null;
        return new DigestModel(
            PeriodOr(digest?.PreviousPeriod, period.Previous),
            PeriodOr(digest?.ComparisonPeriod, period.Add(period.Cadence == Cadence.Weekly ? -4 : -12)),
            period.Cadence == Cadence.Weekly ? DaysOf(period, digest?.Days) : [],
            increases,
            decreases,
            check is null
                ? null
                : new ForecastCheckNote(
                    DisplayText.Clean(check.ReportId, MaxReportIdLength),
                    ReportDate.TryParse(check.MadeOn, out var madeOn) ? madeOn.Day.ToString("d MMM", CultureInfo.InvariantCulture) : DisplayText.Clean(check.MadeOn, 20),
                    Money.RoundToCents(check.Expected),
                    Money.RoundToCents(check.Low),
                    Money.RoundToCents(check.High)),
            period.Cadence == Cadence.Monthly && monthlyBudget is > 0 ? monthlyBudget : null);

        // The snapshot names the periods it compares with; a name that is missing or of another cadence falls back
        // to the period the cadence implies, so the labels never contradict the figures' own period.
        ReportPeriod PeriodOr(string? text, ReportPeriod implied) =>
            ReportPeriod.TryParse(text, out var named) && named.Cadence == period.Cadence ? named : implied;
    }

    /// <summary>Every day of the week, Monday first, each with its total or none; empty when the snapshot lists no days.</summary>
    private static List<DayBar> DaysOf(ReportPeriod week, IReadOnlyList<DayTotal>? days)
    {
        if (days is null || days.Count == 0)
        {
            return [];
        }

        var byDay = new Dictionary<ReportDate, DayTotal>();
        foreach (var day in days)
        {
            if (day is not null && ReportDate.TryParse(day.Date, out var date) && date >= week.First && date <= week.Last)
            {
                byDay[date] = day;
            }
        }

        var dates = Enumerable.Range(0, week.Last.DaysSince(week.First) + 1).Select(week.First.AddDays).ToList();
        var totals = dates.Select(d => byDay.TryGetValue(d, out var day) ? Money.RoundToCents(day.Total) : (decimal?)null).ToList();
        var largest = totals.Max() ?? 0m;
        return [.. dates.Select((d, i) => new DayBar(
            ReportEmailWording.ShortDate(d),
            totals[i],
            byDay.TryGetValue(d, out var day) && day.Estimated,
            totals[i] is { } total && total > 0 && largest > 0 ? Math.Clamp((int)Math.Round(total / largest * 100m, MidpointRounding.AwayFromZero), 1, 100) : 0))];
    }
}
