using CostNotifier.Domain;
using CostNotifier.Messaging;
using FluentValidation;

namespace CostNotifier.Validation;

/// <summary>Rules shared by every message about a report period.</summary>
public static class ReportPeriodRules
{
    /// <summary>How far back Cost Explorer serves daily data: the 13 months before the current month.</summary>
    public const int HistoryMonths = 13;

    /// <summary>The earliest usage day Cost Explorer can serve on <paramref name="today"/>.</summary>
    public static ReportDate EarliestDate(ReportDate today) => new(today.MonthStart.Day.AddMonths(-HistoryMonths));

    /// <summary>The latest complete usage day on <paramref name="today"/>: yesterday.</summary>
    public static ReportDate LatestDate(ReportDate today) => today.AddDays(-1);

    /// <summary>
    /// Why <paramref name="period"/> cannot be reported on <paramref name="today"/>, or null when it can: every day of
    /// it must be complete and within Cost Explorer's history.
    /// </summary>
    public static string? WhyNotReportable(ReportPeriod period, ReportDate today)
    {
        if (period.Cadence == Cadence.Daily)
        {
            if (period.Last > LatestDate(today))
            {
                return $"date {period} is not a complete UTC day yet; the latest reportable day is {LatestDate(today)}";
            }

            return period.First < EarliestDate(today)
                ? $"date {period} is older than Cost Explorer's {HistoryMonths} months of history; the earliest is {EarliestDate(today)}"
                : null;
        }

        var kind = period.Cadence == Cadence.Weekly ? "week" : "month";
        if (period.Last > LatestDate(today))
        {
            return $"{kind} {period} has not ended: its last usage day {period.Last} is after the latest complete day {LatestDate(today)}";
        }

        return period.First < EarliestDate(today)
            ? $"{kind} {period} starts on {period.First}, before Cost Explorer's {HistoryMonths} months of history; the earliest day is {EarliestDate(today)}"
            : null;
    }

    /// <summary>Why <paramref name="period"/> is not a period of <paramref name="report"/>, or null when it is.</summary>
    public static string? WhyNotPeriodOf(ReportDefinition report, ReportPeriod period)
    {
        ArgumentNullException.ThrowIfNull(report);
        return period.Cadence == report.Cadence
            ? null
            : $"report '{report.Id}' is {report.Cadence.ToWireName()}, so it takes {Example(report.Cadence)}, not '{period}'";
    }

    /// <summary>How a period of <paramref name="cadence"/> is written, as an example.</summary>
    public static string Example(Cadence cadence) => cadence switch
    {
        Cadence.Daily => "a day (yyyy-MM-dd)",
        Cadence.Weekly => "an ISO week (yyyy-Www, e.g. 2026-W48)",
        _ => "a month (yyyy-MM, e.g. 2026-11)",
    };

}

/// <summary>
/// Checks what the types of a decoded report period message cannot: that the report is configured, the period is of
/// its cadence and can be reported today. The wire format itself was checked when the message was decoded.
/// </summary>
public abstract class ReportPeriodMessageValidator<T> : AbstractValidator<T>
    where T : IReportPeriodMessage
{
    /// <summary>Adds the report and date rules.</summary>
    protected ReportPeriodMessageValidator(ReportCatalog catalog, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(time);
        RuleFor(m => m.ReportId)
            .Must(catalog.Contains)
            .WithMessage(m => $"reportId '{m.ReportId}' is not a configured report")
            .OverridePropertyName("reportId");
        RuleFor(m => m.Period)
            .Must(p => ReportPeriodRules.WhyNotReportable(p, ReportDate.FromInstant(time.GetUtcNow())) is null)
            .WithMessage(m => ReportPeriodRules.WhyNotReportable(m.Period, ReportDate.FromInstant(time.GetUtcNow())))
            .OverridePropertyName("period");
        RuleFor(m => m.Period)
            .Must((m, p) => !catalog.TryGet(m.ReportId, out var report) || ReportPeriodRules.WhyNotPeriodOf(report, p) is null)
            .WithMessage(m => catalog.TryGet(m.ReportId, out var report) ? ReportPeriodRules.WhyNotPeriodOf(report, m.Period) : null)
            .OverridePropertyName("period");
    }
}

/// <summary>Validates a <see cref="ReportRequested"/> payload against the configured reports and today's date.</summary>
public sealed class ReportRequestedValidator(ReportCatalog catalog, TimeProvider time)
    : ReportPeriodMessageValidator<ReportRequested>(catalog, time);

/// <summary>Validates a <see cref="CostSnapshotReady"/> payload.</summary>
public sealed class CostSnapshotReadyValidator : ReportPeriodMessageValidator<CostSnapshotReady>
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
