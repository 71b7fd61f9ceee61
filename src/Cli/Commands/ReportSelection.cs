using System.CommandLine;
using CostNotifier.Cli.Targets;
using CostNotifier.Domain;
using CostNotifier.Scheduler;
using CostNotifier.Validation;

namespace CostNotifier.Cli.Commands;

/// <summary>Which reports and dates a command is about, checked before anything is contacted.</summary>
public static class ReportSelection
{
    /// <summary>
    /// The reports named by <c>--report</c>, or every report of the target. A named report is checked against the
    /// target's list when it is known; without the list only <c>--report</c> works.
    /// </summary>
    public static IReadOnlyList<ReportId> Resolve(IOperatorTarget target, string? report, string allOption = "--all-reports (the default without --report)")
    {
        ArgumentNullException.ThrowIfNull(target);
        if (report is not null)
        {
            var id = ReportId.Parse(report);
            return [target.Reports is { } known ? known.Get(id).Id : id];
        }

        var catalog = target.Reports
            ?? throw new ReportsUnknownException($"{allOption} needs the report list of {target.Description}: {target.HowToGiveReports}.");
        return catalog.Reports.Select(r => r.Id).ToList();
    }

    /// <summary>
    /// The days <paramref name="from"/>..<paramref name="to"/>, refused (as bad input) when the range is reversed,
    /// too long, or holds a day Cost Explorer cannot serve today.
    /// </summary>
    public static DateRange ReportableRange(ReportDate from, ReportDate to, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (to < from)
        {
            throw new FormatException($"--to {to} is before --date {from}; give the first day with --date and the last with --to.");
        }

        var today = ReportDate.FromInstant(time.GetUtcNow());
        foreach (var day in new[] { from, to })
        {
            if (ReportPeriodRules.WhyNotReportable(day, today) is { } why)
            {
                throw new FormatException(why + ".");
            }
        }

        var range = DateRange.Inclusive(from, to);
        if (range.Days > ScheduleReportsValidator.MaxDays)
        {
            throw new FormatException($"the range {from}..{to} is {range.Days} days, longer than the {ScheduleReportsValidator.MaxDays} a replay may cover.");
        }

        return range;
    }

    /// <summary>Adds the rule that <c>--report</c> and <c>--all-reports</c> exclude each other.</summary>
    public static void AddExclusiveRule(Command command, Option<string?> report, Option<bool> allReports)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(report) is not null && result.GetValue(allReports))
            {
                result.AddError("Give either --report or --all-reports, not both.");
            }
        });
    }
}
