using System.Globalization;
using CostNotifier.Domain;

namespace CostNotifier.Notifier.Email;

/// <summary>The sentences and labels the HTML and text parts share, so both say the same thing.</summary>
internal static class ReportEmailWording
{
    public const string ProvisionalTitle = "Provisional:";
    public const string ProvisionalBody = "Cost Explorer still marks this day as estimated. The figures may change when AWS finalises the day.";
    public const string NotAvailable = "n/a";
    public const string TotalLabel = "Total";
    public const string GrossLabel = "Gross cost";
    public const string CreditsHeading = "Credits and refunds";
    public const string CreditsTotalLabel = "Total credits and refunds";
    public const string NetLabel = "Net total";
    public const string WhatChangedHeading = "What changed";
    public const string ProjectionLabel = "Projected month total";

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
        model.Costs.Other is null
            ? string.Create(CultureInfo.InvariantCulture, $"Cost by {model.GroupNoun}")
            : string.Create(CultureInfo.InvariantCulture, $"Top {model.Costs.Listed} of {model.Costs.GroupCount} by {model.GroupNoun}");

    public static string NoGroups(ReportEmailModel model) => "No cost was recorded for any " + model.GroupNoun + " on this day.";

    /// <summary>"Gross cost $150.00 · credits and refunds -$50.00 · net $100.00"; null when the day has no credits.</summary>
    public static string? GrossAndCredits(ReportEmailModel model) =>
        model.Credits is { } credits
            ? GrossLabel + " " + model.Amounts.Format(model.Costs.Sum) + " \u00B7 credits and refunds " + model.Amounts.Format(credits.Sum)
                + " \u00B7 net " + model.Amounts.Format(model.Total)
            : null;

    /// <summary>
    /// What follows a line's change: its percentage, or why there is none ("new", "no cost today, was $50.00").
    /// </summary>
    public static string ChangeNote(AmountFormatter amounts, GroupRow row)
    {
        if (row.PreviousDay is not { } change)
        {
            return string.Empty;
        }

        return row.Status switch
        {
            LineStatus.New => "new",
            LineStatus.Gone when row.Kind == LineKind.Unlisted => "not in today's figures, was " + amounts.Format(row.Was ?? 0m),
            LineStatus.Gone => (row.IsCredit ? "none today, was " : "no cost today, was ") + amounts.Format(row.Was ?? 0m),
            _ => Percent(change),
        };
    }

    /// <summary>The lines of the "What changed" section: anomalies, revised earlier days and a budget at risk; empty when there is nothing to say.</summary>
    public static IReadOnlyList<string> WhatChanged(ReportEmailModel model)
    {
        var lines = new List<string>();
        foreach (var anomaly in model.Anomalies)
        {
            lines.Add(anomaly.Kind == Events.AnomalyKind.NewGroup
                ? "First cost for " + anomaly.Label + ": " + model.Amounts.Format(anomaly.Amount)
                : anomaly.Label + " " + model.Amounts.Format(anomaly.Amount) + ", expected " + model.Amounts.FormatRange(anomaly.ExpectedLow, anomaly.ExpectedHigh)
                    + ": " + model.Amounts.FormatRoughChange(anomaly.Impact));
        }

        if (model.MoreAnomalies > 0)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"And {model.MoreAnomalies} more outside their usual range."));
        }

        foreach (var day in model.Restated)
        {
            lines.Add(day.Day + " was revised from " + model.Amounts.Format(day.Before) + " to " + model.Amounts.Format(day.After));
        }

        if (model.MoreRestated > 0)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"And {model.MoreRestated} more earlier {(model.MoreRestated == 1 ? "day was" : "days were")} revised."));
        }

        if (model.Budget is { } budget && (budget.AlreadyOver || budget.ProjectedOver))
        {
            lines.Add(BudgetNote(model)!);
        }

        return lines;
    }

    /// <summary>"$9,420"; null without a projection of the month.</summary>
    public static string? Projection(ReportEmailModel model) =>
        model.Forecast is { } forecast ? model.Amounts.FormatRough(forecast.Expected) : null;

    /// <summary>"range $9,100–9,800".</summary>
    public static string ProjectionRange(ForecastNote forecast, AmountFormatter amounts) => "range " + amounts.FormatRange(forecast.Low, forecast.High);

    /// <summary>"Projection: month to date + 6 days at …"; null when the projection does not say how it was made.</summary>
    public static string? ProjectionBasis(ReportEmailModel model) =>
        model.Forecast is { Basis.Length: > 0 } forecast ? "Projection: " + forecast.Basis : null;

    /// <summary>The month against the report's budget; null without a budget or a projection.</summary>
    public static string? BudgetNote(ReportEmailModel model)
    {
        if (model.Budget is not { } budget)
        {
            return null;
        }

        var limit = model.Amounts.FormatRough(budget.Budget);
        if (budget.AlreadyOver)
        {
            return "Already over the " + limit + " budget: " + model.Amounts.FormatRough(budget.MonthToDate - budget.Budget) + " over so far, "
                + model.Amounts.FormatRough(Math.Max(0m, budget.ProjectedOverrun)) + " over by the end of the month as projected.";
        }

        if (budget.ProjectedOver)
        {
            return "On track to exceed the " + limit + " budget by " + model.Amounts.FormatRough(budget.ProjectedOverrun)
                + (budget.CrossingDay is { } day ? ", around the " + Ordinal(day.Day) : string.Empty) + ".";
        }

        return "Within the " + limit + " budget" + (budget.ProjectedHigh > budget.Budget ? ", though the high end of the range exceeds it." : ".");
    }

    /// <summary>1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 23rd, 31st.</summary>
    public static string Ordinal(int day)
    {
        var suffix = (day % 100) is 11 or 12 or 13 ? "th" : (day % 10) switch
        {
            1 => "st",
            2 => "nd",
            3 => "rd",
            _ => "th",
        };
        return day.ToString(CultureInfo.InvariantCulture) + suffix;
    }

    /// <summary>Why this email was sent, when it was not the daily schedule; null for the schedule.</summary>
    public static string? TriggerNote(ReportEmailModel model) => model.Trigger switch
    {
        Trigger.Replay => "Sent again on request: an operator replayed the report for " + model.Date + ".",
        Trigger.Backfill => "Backfill: sent on request for a past day, not by the daily schedule.",
        _ => null,
    };

    /// <summary>
    /// Notes that the figures replace an earlier snapshot of the same day and says what changed: the day's own total,
    /// or, when that is the same to the cent, what it is compared with. Null for a first snapshot.
    /// </summary>
    public static string? RevisionNote(ReportEmailModel model)
    {
        if (model.RevisesVersion is not { } version || model.RevisedFromTotal is not { } before)
        {
            return null;
        }

        var replaces = string.Create(CultureInfo.InvariantCulture, $"Revised figures: these replace snapshot version {version}. ");
        if (before != model.Total)
        {
            return replaces + "Cost Explorer revised the day's total from " + model.Amounts.Format(before) + " to " + model.Amounts.Format(model.Total) + ".";
        }

        var unchanged = "The day's total is unchanged at " + model.Amounts.Format(model.Total) + "; ";
        return replaces + unchanged + (model.HasRestatedDays
            ? "the figures it is compared with were revised (see What changed)."
            : "what changed is its breakdown or the figures it is compared with.");
    }

    /// <summary>"+$38.27" or "n/a".</summary>
    public static string Difference(ReportEmailModel model, Comparison? comparison) => Difference(model.Amounts, comparison);

    /// <summary>"+$38.27" or "n/a", written by <paramref name="amounts"/>.</summary>
    public static string Difference(AmountFormatter amounts, Comparison? comparison) =>
        comparison is null ? NotAvailable : amounts.FormatChange(comparison.Difference);

    /// <summary>"+3.2%" or "n/a" when there is nothing to compare with or the baseline is zero.</summary>
    public static string Percent(Comparison? comparison) =>
        comparison?.Percent is { } percent ? AmountFormatter.FormatPercent(percent, signed: true) : NotAvailable;

    /// <summary>"41.5%", or nothing for credits and lines without cost.</summary>
    public static string Share(decimal? share) =>
        share is { } value ? AmountFormatter.FormatPercent(value, signed: false) : string.Empty;

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
