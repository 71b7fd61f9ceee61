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
    public const string DaysHeading = "Day by day";
    public const string DayColumn = "Day";
    public const string NoDayData = "no data";
    public const string IncreasesHeading = "Increases";
    public const string DecreasesHeading = "Decreases";

    /// <summary>What the email is, after "CostNotifier · ".</summary>
    public static string Kind(ReportEmailModel model) => model.Cadence switch
    {
        Cadence.Weekly => "weekly cost digest",
        Cadence.Monthly => "monthly cost digest",
        _ => "daily cost report",
    };

    /// <summary>"Tuesday, 24 November 2026", "Week 48 (23–29 Nov 2026)" or "November 2026".</summary>
    public static string LongDate(ReportEmailModel model) => model.Cadence switch
    {
        Cadence.Weekly => string.Create(CultureInfo.InvariantCulture, $"Week {PeriodNames.WeekNumber(model.Period)} ({PeriodNames.Days(model.Period, withYear: true)})"),
        Cadence.Monthly => PeriodNames.Month(model.Period),
        _ => model.Date.Day.ToString("dddd, d MMMM yyyy", CultureInfo.InvariantCulture),
    };

    /// <summary>What the days under the heading are.</summary>
    public static string UsageDays(ReportEmailModel model) => model.Cadence switch
    {
        Cadence.Weekly => "UTC usage days, Monday to Sunday",
        Cadence.Monthly => "UTC usage days",
        _ => "UTC usage day",
    };

    /// <summary>The period as the subject names it: "2026-11-24", "week 48 (23–29 Nov 2026)", "November 2026".</summary>
    public static string PeriodName(ReportEmailModel model) => model.Cadence switch
    {
        Cadence.Weekly => PeriodNames.Week(model.Period),
        Cadence.Monthly => PeriodNames.Month(model.Period),
        _ => model.Date.ToString(),
    };

    /// <summary>What the total is compared with first: "previous day", "previous week", "October".</summary>
    public static string PreviousName(ReportEmailModel model) => model.Digest is { } digest && model.Cadence == Cadence.Monthly
        ? PeriodNames.Month(digest.Previous, model.Period.First.Day.Year)
        : model.Cadence == Cadence.Weekly ? "previous week" : "previous day";

    /// <summary>"Total for the day", "… week", "… month".</summary>
    public static string TotalHeading(ReportEmailModel model) => model.Cadence switch
    {
        Cadence.Weekly => "Total for the week",
        Cadence.Monthly => "Total for the month",
        _ => "Total for the day",
    };

    /// <summary>Why the figures may still change; the daily wording is <see cref="ProvisionalBody"/>.</summary>
    public static string Provisional(ReportEmailModel model) => model.Cadence switch
    {
        Cadence.Weekly => "Cost Explorer still marks days of this week as estimated. The figures may change when AWS finalises them.",
        Cadence.Monthly => "Figures are still estimated; they settle in the first days of "
            + PeriodNames.Month(model.Period.Add(1), model.Period.First.Day.Year)
            + ", and the settled figures will be reported in the next digest.",
        _ => ProvisionalBody,
    };

    /// <summary>The label of the line for the previous period's cost of groups a snapshot does not list.</summary>
    public static string UnlistedLabel(Cadence cadence) => cadence switch
    {
        Cadence.Weekly => "Not listed this week",
        Cadence.Monthly => "Not listed this month",
        _ => "Not listed today",
    };

    public static string ShortDate(Domain.ReportDate date) =>
        date.Day.ToString("ddd d MMM", CultureInfo.InvariantCulture);

    /// <summary>"vs previous day (Mon 23 Nov)", "vs previous week (16–22 Nov)", "vs October".</summary>
    public static string PreviousDayLabel(ReportEmailModel model) => model.Digest switch
    {
        { } digest when model.Cadence == Cadence.Weekly => "vs previous week (" + PeriodNames.Days(digest.Previous, withYear: false) + ")",
        not null => "vs " + PreviousName(model),
        _ => "vs previous day (" + ShortDate(model.PreviousDate) + ")",
    };

    /// <summary>"vs same weekday last week (Tue 17 Nov)", "vs 4 weeks before (26 Oct–1 Nov)", "vs November 2025".</summary>
    public static string LastWeekLabel(ReportEmailModel model) => model.Digest switch
    {
        { } digest when model.Cadence == Cadence.Weekly => WeeksBefore(model.Period.First.DaysSince(digest.Comparison.First) / 7)
            + " (" + PeriodNames.Days(digest.Comparison, withYear: false) + ")",
        { } digest => "vs " + PeriodNames.Month(digest.Comparison),
        _ => "vs same weekday last week (" + ShortDate(model.SameWeekdayLastWeekDate) + ")",
    };

    private static string WeeksBefore(int weeks) =>
        string.Create(CultureInfo.InvariantCulture, $"vs {weeks} {(weeks == 1 ? "week" : "weeks")} before");

    /// <summary>The heading of the group table's change column: "vs prev. day", "vs prev. week", "vs October".</summary>
    public static string ChangeColumn(ReportEmailModel model) => model.Cadence switch
    {
        Cadence.Weekly => "vs prev. week",
        Cadence.Monthly => "vs " + PreviousName(model),
        _ => "vs prev. day",
    };

    /// <summary>
    /// Why a digest's second comparison says "n/a": Cost Explorer keeps 13 months, so a year before a month may be
    /// gone. Null when there is a figure to compare with, and in the daily email.
    /// </summary>
    public static string? ComparisonMissing(ReportEmailModel model) => model.Digest is { } digest && model.SameWeekdayLastWeek is null
        ? model.Cadence == Cadence.Monthly
            ? "Cost Explorer no longer has figures for " + PeriodNames.Month(digest.Comparison) + " to compare with."
            : "Cost Explorer has no figures for " + PeriodNames.Days(digest.Comparison, withYear: true) + " to compare with."
        : null;

    public static string MonthToDateLabel(ReportEmailModel model) =>
        "Month to date (" + model.Date.MonthStart.Day.ToString("d MMM", CultureInfo.InvariantCulture)
        + (model.Date.Day.Day == 1 ? string.Empty : "\u2013" + model.Date.Day.ToString("d MMM", CultureInfo.InvariantCulture)) + ")";

    public static string GroupHeading(ReportEmailModel model) =>
        model.Costs.Other is null
            ? string.Create(CultureInfo.InvariantCulture, $"Cost by {model.GroupNoun}")
            : string.Create(CultureInfo.InvariantCulture, $"Top {model.Costs.Listed} of {model.Costs.GroupCount} by {model.GroupNoun}");

    public static string NoGroups(ReportEmailModel model) => "No cost was recorded for any " + model.GroupNoun + model.Cadence switch
    {
        Cadence.Weekly => " in this week.",
        Cadence.Monthly => " in this month.",
        _ => " on this day.",
    };

    /// <summary>"Gross cost $150.00 · credits and refunds -$50.00 · net $100.00"; null when the day has no credits.</summary>
    public static string? GrossAndCredits(ReportEmailModel model) =>
        model.Credits is { } credits
            ? GrossLabel + " " + model.Amounts.Format(model.Costs.Sum) + " \u00B7 credits and refunds " + model.Amounts.Format(credits.Sum)
                + " \u00B7 net " + model.Amounts.Format(model.Total)
            : null;

    /// <summary>
    /// What follows a line's change: its percentage, or why there is none ("new", "no cost today, was $50.00").
    /// </summary>
    public static string ChangeNote(ReportEmailModel model, AmountFormatter amounts, GroupRow row)
    {
        if (row.PreviousDay is not { } change)
        {
            return string.Empty;
        }

        var now = model.Cadence switch
        {
            Cadence.Weekly => "this week",
            Cadence.Monthly => "this month",
            _ => "today",
        };
        return row.Status switch
        {
            LineStatus.New => "new",
            LineStatus.Gone when row.Kind == LineKind.Unlisted => "not in " + now + "'s figures, was " + amounts.Format(row.Was ?? 0m),
            LineStatus.Gone => (row.IsCredit ? "none " : "no cost ") + now + ", was " + amounts.Format(row.Was ?? 0m),
            _ => Percent(change),
        };
    }

    /// <summary>"Biggest moves vs previous week", "Biggest moves vs October".</summary>
    public static string MoversHeading(ReportEmailModel model) => "Biggest moves vs " + PreviousName(model);

    /// <summary>
    /// "A forecast made on 15 Nov by report daily-by-service expected $9,420 (range $9,100–9,800); the month ended at
    /// $9,700.00, 3.0% above, within the range." Null without a forecast to check.
    /// </summary>
    public static string? ForecastCheck(ReportEmailModel model)
    {
        if (model.Digest?.ForecastCheck is not { } check)
        {
            return null;
        }

        var amounts = model.Amounts;
        var text = "A forecast made on " + check.MadeOn + " by report " + check.ReportId + " expected " + amounts.FormatRough(check.Expected)
            + " (range " + amounts.FormatRange(check.Low, check.High) + "); the month ended at " + amounts.Format(model.Total);
        var miss = model.Total - check.Expected;
        if (miss == 0)
        {
            return text + ", exactly as forecast.";
        }

        var side = miss > 0 ? "above" : "below";
        text += Comparison.PercentOf(miss, check.Expected) switch
        {
            null => ", " + amounts.Format(Math.Abs(miss)) + " " + side,
            0m => ", within 0.1% of it",
            { } percent => ", " + AmountFormatter.FormatPercent(Math.Abs(percent), signed: false) + " " + side,
        };
        return text + (model.Total < check.Low ? ", under the low end of the range."
            : model.Total > check.High ? ", over the high end of the range."
            : ", within the range.");
    }

    /// <summary>A monthly digest's total against the report's budget; null without one.</summary>
    public static string? MonthBudget(ReportEmailModel model)
    {
        if (model.Digest?.Budget is not { } budget)
        {
            return null;
        }

        var over = model.Total - budget;
        return over > 0
            ? "Over the " + model.Amounts.FormatRough(budget) + " budget by " + model.Amounts.Format(over) + "."
            : "Within the " + model.Amounts.FormatRough(budget) + " budget, " + model.Amounts.Format(-over) + " under it.";
    }

    /// <summary>The lines of the "What changed" section: anomalies, revised earlier days and a budget at risk; empty when there is nothing to say.</summary>
    public static IReadOnlyList<string> WhatChanged(ReportEmailModel model)
    {
        var lines = new List<string>();
        foreach (var anomaly in model.Anomalies)
        {
            lines.Add((anomaly.Day is null ? string.Empty : anomaly.Day + ": ") + (anomaly.Kind == Events.AnomalyKind.NewGroup
                ? "First cost for " + anomaly.Label + ": " + model.Amounts.Format(anomaly.Amount)
                : anomaly.Label + " " + model.Amounts.Format(anomaly.Amount) + ", expected " + model.Amounts.FormatRange(anomaly.ExpectedLow, anomaly.ExpectedHigh)
                    + ": " + model.Amounts.FormatRoughChange(anomaly.Impact)));
        }

        if (model.MoreAnomalies > 0)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"And {model.MoreAnomalies} more outside their usual range."));
        }

        foreach (var day in model.Restated)
        {
            lines.Add(day.SettledMonth
                ? day.Day + "'s settled total is " + model.Amounts.Format(day.After) + ", revised from " + model.Amounts.Format(day.Before)
                : day.Day + " was revised from " + model.Amounts.Format(day.Before) + " to " + model.Amounts.Format(day.After));
        }

        if (model.MoreRestated > 0)
        {
            var (one, many) = model.Cadence switch
            {
                Cadence.Weekly => ("week was", "weeks were"),
                Cadence.Monthly => ("month was", "months were"),
                _ => ("day was", "days were"),
            };
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"And {model.MoreRestated} more earlier {(model.MoreRestated == 1 ? one : many)} revised."));
        }

        if (model.Budget is { } budget && (budget.AlreadyOver || budget.ProjectedOver))
        {
            lines.Add(BudgetNote(model)!);
        }

        return lines;
    }

    /// <summary>"Projected month total", or in a digest the month it projects: "Projected November total".</summary>
    public static string ProjectionHeading(ReportEmailModel model) =>
        model.Digest is null ? ProjectionLabel : "Projected " + model.Date.Day.ToString("MMMM", CultureInfo.InvariantCulture) + " total";

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
        Trigger.Replay => "Sent again on request: an operator replayed the report for " + PeriodName(model) + ".",
        Trigger.Backfill => model.Cadence switch
        {
            Cadence.Weekly => "Backfill: sent on request for a past week, not by the weekly schedule.",
            Cadence.Monthly => "Backfill: sent on request for a past month, not by the monthly schedule.",
            _ => "Backfill: sent on request for a past day, not by the daily schedule.",
        },
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
        var period = model.Cadence switch
        {
            Cadence.Weekly => "week",
            Cadence.Monthly => "month",
            _ => "day",
        };
        if (before != model.Total)
        {
            return replaces + "Cost Explorer revised the " + period + "'s total from " + model.Amounts.Format(before) + " to " + model.Amounts.Format(model.Total) + ".";
        }

        var unchanged = "The " + period + "'s total is unchanged at " + model.Amounts.Format(model.Total) + "; ";
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

    /// <summary>"Last 15 days", "Last 12 weeks", "Last 13 months".</summary>
    public static string TrendHeading(ReportEmailModel model)
    {
        var count = model.Trend.Count;
        return model.Cadence switch
        {
            Cadence.Weekly => string.Create(CultureInfo.InvariantCulture, $"Last {count} {(count == 1 ? "week" : "weeks")}"),
            Cadence.Monthly => string.Create(CultureInfo.InvariantCulture, $"Last {count} {(count == 1 ? "month" : "months")}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"Last {count} days"),
        };
    }

    /// <summary>What the plain-text trend marks the report's own period with: "report day", "this week", "this month".</summary>
    public static string TrendMark(ReportEmailModel model) => model.Cadence switch
    {
        Cadence.Weekly => "this week",
        Cadence.Monthly => "this month",
        _ => "report day",
    };

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
            text += " The dark bar is " + (model.Digest is null ? "the report day" : TrendMark(model)) + ".";
        }

        if (days.Any(d => d.Estimated && !d.IsReportDay))
        {
            text += " Pale bars are " + model.Cadence switch
            {
                Cadence.Weekly => "weeks",
                Cadence.Monthly => "months",
                _ => "days",
            } + " Cost Explorer still marks as estimated.";
        }

        return text;
    }

    public static string Footer(ReportEmailModel model) => string.Create(
        CultureInfo.InvariantCulture,
        $"Snapshot version {model.SnapshotVersion} \u00B7 grouped by {model.GroupBy} \u00B7 metric {model.Metric} \u00B7 collected {model.CollectedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC \u00B7 report {model.ReportId}");

    public static string AmountsNote(ReportEmailModel model) =>
        "Amounts in " + model.Amounts.Currency + ", rounded to the cent. " + model.Cadence switch
        {
            Cadence.Weekly => "Weeks are ISO weeks of UTC usage days, Monday to Sunday, as Cost Explorer counts the days.",
            Cadence.Monthly => "Months are calendar months of UTC usage days, as Cost Explorer counts the days.",
            _ => "Days are UTC usage days, as Cost Explorer counts them.",
        };
}
