using System.Text.RegularExpressions;
using CostNotifier.Domain;
using CostNotifier.Messaging;
using FluentValidation;

namespace CostNotifier.Validation;

/// <summary>Rules shared by every message about a report-day.</summary>
public static partial class ReportDayRules
{
    /// <summary>How far back Cost Explorer serves daily data: the 13 months before the current month.</summary>
    public const int HistoryMonths = 13;

    /// <summary>The earliest usage day Cost Explorer can serve on <paramref name="today"/>.</summary>
    public static ReportDate EarliestDate(ReportDate today) => new(today.MonthStart.Day.AddMonths(-HistoryMonths));

    /// <summary>The latest complete usage day on <paramref name="today"/>: yesterday.</summary>
    public static ReportDate LatestDate(ReportDate today) => today.AddDays(-1);

    /// <summary>Why <paramref name="date"/> cannot be reported on <paramref name="today"/>, or null when it can.</summary>
    public static string? WhyNotReportable(ReportDate date, ReportDate today)
    {
        if (date > LatestDate(today))
        {
            return $"date {date} is not a complete UTC day yet; the latest reportable day is {LatestDate(today)}";
        }

        if (date < EarliestDate(today))
        {
            return $"date {date} is older than Cost Explorer's {HistoryMonths} months of history; the earliest is {EarliestDate(today)}";
        }

        return null;
    }

    /// <summary>Request ids: 1-128 characters of letters, digits, '-', '_', ':' and '.'.</summary>
    public static bool IsValidRequestId(string? id) => id is not null && RequestIdPattern().IsMatch(id);

    /// <summary>Adds the report id, date and request id rules to a validator.</summary>
    internal static void AddReportDayRules<T>(
        AbstractValidator<T> validator,
        Func<T, string> reportId,
        Func<T, string> date,
        Func<T, string> requestId,
        ReportCatalog catalog,
        TimeProvider time)
    {
        validator.RuleFor(m => reportId(m))
            .Must(id => ReportId.TryParse(id, out _))
            .WithMessage(m => $"reportId '{reportId(m)}' is not a valid report id")
            .Must(id => ReportId.TryParse(id, out var parsed) && catalog.Contains(parsed))
            .WithMessage(m => $"reportId '{reportId(m)}' is not a configured report")
            .OverridePropertyName("reportId");

        validator.RuleFor(m => date(m))
            .Must(d => ReportDate.TryParse(d, out _))
            .WithMessage(m => $"date '{date(m)}' is not an existing day in yyyy-MM-dd form")
            .DependentRules(() =>
                validator.RuleFor(m => date(m))
                    .Must(d => WhyNotReportable(ReportDate.Parse(d), ReportDate.FromInstant(time.GetUtcNow())) is null)
                    .WithMessage(m => WhyNotReportable(ReportDate.Parse(date(m)), ReportDate.FromInstant(time.GetUtcNow())))
                    .OverridePropertyName("date"))
            .OverridePropertyName("date");

        validator.RuleFor(m => requestId(m))
            .Must(IsValidRequestId)
            .WithMessage(m => $"requestId '{requestId(m)}' must be 1-128 letters, digits, '-', '_', ':' or '.'")
            .OverridePropertyName("requestId");
    }

    [GeneratedRegex("^[A-Za-z0-9_:.-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex RequestIdPattern();
}

/// <summary>Validates a <see cref="ReportRequested"/> payload against the configured reports and today's date.</summary>
public sealed class ReportRequestedValidator : AbstractValidator<ReportRequested>
{
    /// <summary>Creates the validator.</summary>
    public ReportRequestedValidator(ReportCatalog catalog, TimeProvider time)
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        ReportDayRules.AddReportDayRules(this, m => m.ReportId, m => m.Date, m => m.RequestId, catalog, time);
        RuleFor(m => m.Trigger)
            .Must(t => Triggers.All.Contains(t))
            .WithMessage(m => $"trigger '{m.Trigger}' must be one of {string.Join(", ", Triggers.All)}")
            .OverridePropertyName("trigger");
    }
}

/// <summary>Validates a <see cref="CostSnapshotReady"/> payload.</summary>
public sealed class CostSnapshotReadyValidator : AbstractValidator<CostSnapshotReady>
{
    /// <summary>Creates the validator.</summary>
    public CostSnapshotReadyValidator(ReportCatalog catalog, TimeProvider time)
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        ReportDayRules.AddReportDayRules(this, m => m.ReportId, m => m.Date, m => m.RequestId, catalog, time);
        RuleFor(m => m.SnapshotVersion)
            .GreaterThan(0)
            .WithMessage(m => $"snapshotVersion {m.SnapshotVersion} must be 1 or more")
            .OverridePropertyName("snapshotVersion");
        RuleFor(m => m.Trigger)
            .Must(t => Triggers.All.Contains(t))
            .WithMessage(m => $"trigger '{m.Trigger}' must be one of {string.Join(", ", Triggers.All)}")
            .OverridePropertyName("trigger");
    }
}
