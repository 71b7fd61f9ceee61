using CostNotifier.Domain;
using CostNotifier.Messaging;
using FluentValidation;

namespace CostNotifier.Validation;

/// <summary>Rules shared by every message about a report-day.</summary>
public static class ReportDayRules
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

}

/// <summary>
/// Checks what the types of a decoded report-day message cannot: that the report is configured and the day can be
/// reported today. The wire format itself was checked when the message was decoded.
/// </summary>
public abstract class ReportDayMessageValidator<T> : AbstractValidator<T>
    where T : IReportDayMessage
{
    /// <summary>Adds the report and date rules.</summary>
    protected ReportDayMessageValidator(ReportCatalog catalog, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(time);
        RuleFor(m => m.ReportId)
            .Must(catalog.Contains)
            .WithMessage(m => $"reportId '{m.ReportId}' is not a configured report")
            .OverridePropertyName("reportId");
        RuleFor(m => m.Date)
            .Must(d => ReportDayRules.WhyNotReportable(d, ReportDate.FromInstant(time.GetUtcNow())) is null)
            .WithMessage(m => ReportDayRules.WhyNotReportable(m.Date, ReportDate.FromInstant(time.GetUtcNow())))
            .OverridePropertyName("date");
    }
}

/// <summary>Validates a <see cref="ReportRequested"/> payload against the configured reports and today's date.</summary>
public sealed class ReportRequestedValidator(ReportCatalog catalog, TimeProvider time)
    : ReportDayMessageValidator<ReportRequested>(catalog, time);

/// <summary>Validates a <see cref="CostSnapshotReady"/> payload.</summary>
public sealed class CostSnapshotReadyValidator : ReportDayMessageValidator<CostSnapshotReady>
{
    /// <summary>Creates the validator.</summary>
    public CostSnapshotReadyValidator(ReportCatalog catalog, TimeProvider time)
        : base(catalog, time)
    {
        RuleFor(m => m.SnapshotVersion)
            .GreaterThan(0)
            .WithMessage(m => $"snapshotVersion {m.SnapshotVersion} must be 1 or more")
            .OverridePropertyName("snapshotVersion");
    }
}
