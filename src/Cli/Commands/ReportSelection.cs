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
