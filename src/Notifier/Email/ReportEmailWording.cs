using System.Globalization;
using CostNotifier.Domain;

namespace CostNotifier.Notifier.Email;

/// <summary>The sentences and labels the HTML and text parts share, so both say the same thing.</summary>
internal static class ReportEmailWording
{
    public const string ProvisionalTitle = "Provisional:";
    public const string ProvisionalBody = "Cost Explorer still marks this day as estimated. The figures may change when AWS finalises the day.";
    public const string NotAvailable = "n/a";

    public static string LongDate(ReportEmailModel model) =>
        model.Date.Day.ToString("dddd, d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string ShortDate(Domain.ReportDate date) =>
        date.Day.ToString("ddd d MMM", CultureInfo.InvariantCulture);

    public static string PreviousDayLabel(ReportEmailModel model) => "vs previous day (" + ShortDate(model.PreviousDate) + ")";

    public static string LastWeekLabel(ReportEmailModel model) => "vs same weekday last week (" + ShortDate(model.SameWeekdayLastWeekDate) + ")";

    public static string MonthToDateLabel(ReportEmailModel model) =>
        "Month to date (" + model.Date.MonthStart.Day.ToString("d MMM", CultureInfo.InvariantCulture)
        + (model.Date.Day.Day == 1 ? string.Empty : "\u2013" + model.Date.Day.ToString("d MMM", CultureInfo.InvariantCulture)) + ")";

    public static string GroupHeading(ReportEmailModel model) =>
        model.Other is null
            ? string.Create(CultureInfo.InvariantCulture, $"Cost by {model.GroupNoun}")
            : string.Create(CultureInfo.InvariantCulture, $"Top {model.Rows.Count} of {model.GroupCount} by {model.GroupNoun}");

    public static string NoGroups(ReportEmailModel model) => "No cost was recorded for any " + model.GroupNoun + " on this day.";

    /// <summary>Why this email was sent, when it was not the daily schedule; null for the schedule.</summary>
    public static string? TriggerNote(ReportEmailModel model) => model.Trigger switch
    {
        Trigger.Replay => "Sent again on request: an operator replayed the report for " + model.Date + ".",
        Trigger.Backfill => "Backfill: sent on request for a past day, not by the daily schedule.",
        _ => null,
    };

    /// <summary>Notes that the figures replace an earlier snapshot of the same day; null for a first snapshot.</summary>
    public static string? RevisionNote(ReportEmailModel model) =>
        model.RevisesVersion is { } version && model.RevisedFromTotal is { } before
            ? string.Create(CultureInfo.InvariantCulture, $"Revised figures: Cost Explorer's data for this day changed since snapshot version {version}, when the total was {model.Amounts.Format(before)}.")
            : null;

    /// <summary>"+$38.27" or "n/a".</summary>
    public static string Difference(ReportEmailModel model, Comparison? comparison) =>
        comparison is null ? NotAvailable : model.Amounts.FormatChange(comparison.Difference);

    /// <summary>"+3.2%" or "n/a" when there is nothing to compare with or the baseline is zero.</summary>
    public static string Percent(Comparison? comparison) =>
        comparison?.Percent is { } percent ? AmountFormatter.FormatPercent(percent, signed: true) : NotAvailable;

    public static string Share(decimal? share) =>
        share is { } value ? AmountFormatter.FormatPercent(value, signed: false) : NotAvailable;

    /// <summary>Range, lowest and highest day of the trend, and what the bar colours mean.</summary>
    public static string TrendSummary(ReportEmailModel model)
    {
        var days = model.Trend;
        var lowest = days.MinBy(d => d.Total)!;
        var highest = days.MaxBy(d => d.Total)!;
        var text = "From " + days[0].LongLabel + " to " + days[^1].LongLabel
            + ": lowest " + model.Amounts.Format(lowest.Total) + " (" + lowest.LongLabel + ")"
            + ", highest " + model.Amounts.Format(highest.Total) + " (" + highest.LongLabel + ").";
        if (days.Any(d => d.IsReportDay))
        {
            text += " The dark bar is the report day.";
        }

        if (days.Any(d => d.Estimated && !d.IsReportDay))
        {
            text += " Pale bars are days Cost Explorer still marks as estimated.";
        }

        return text;
    }

    public static string Footer(ReportEmailModel model) => string.Create(
        CultureInfo.InvariantCulture,
        $"Snapshot version {model.SnapshotVersion} \u00B7 grouped by {model.GroupBy} \u00B7 metric {model.Metric} \u00B7 collected {model.CollectedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC \u00B7 report {model.ReportId}");

    public static string AmountsNote(ReportEmailModel model) =>
        "Amounts in " + model.Amounts.Currency + ", rounded to the cent. Days are UTC usage days, as Cost Explorer counts them.";
}
