using System.CommandLine;
using System.Text.Json;
using CostNotifier.Cli.Output;
using CostNotifier.Domain;
using CostNotifier.Messaging;
using CostNotifier.Scheduler;
using CostNotifier.Validation;

namespace CostNotifier.Cli.Commands;

/// <summary><c>costnotifier replay</c>: collect and send a date (or range) again under a fresh request id.</summary>
public static class ReplayCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var date = new Option<string>("--date") { Description = "Usage day to replay (yyyy-MM-dd or 'yesterday').", Required = true };
        var to = new Option<string?>("--to") { Description = "Last day of a range starting at --date (inclusive); one message per report-day." };
        var report = new Option<string?>("--report") { Description = "Only this report id." };
        var allReports = new Option<bool>("--all-reports") { Description = "Every configured report (the default when --report is not given)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be enqueued and stop." };
        var output = OutputOption.Create("table", "json");
        var command = new Command("replay", """
            Re-run collection and notification for a date or range under a new request id: figures are collected
            again (a changed day is recorded as a revision) and every recipient gets the email again.
            Example: costnotifier replay --date 2026-11-03 --report daily-by-service
            """)
        {
            date, to, report, allReports, dryRun, output, context.DataDir, context.Verbose,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(report) is not null && result.GetValue(allReports))
            {
                result.AddError("Give either --report or --all-reports, not both.");
            }
        });

        command.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            var from = context.ParseDate(parsed.GetValue(date), "--date");
            var last = parsed.GetValue(to) is { } toText ? context.ParseDate(toText, "--to") : from;
            var today = ReportDate.FromInstant(context.Time.GetUtcNow());
            foreach (var day in new[] { from, last })
            {
                if (ReportDayRules.WhyNotReportable(day, today) is { } why)
                {
                    throw new FormatException(why);
                }
            }

            using var stack = context.OpenEmbedded(parsed);
            var reports = SnapshotsCommand.ReportsOf(stack.Reports, parsed.GetValue(report));
            var requestId = $"{Triggers.Replay}-{Guid.NewGuid():N}";
            if (parsed.GetValue(dryRun))
            {
                var plan = DateRange.Inclusive(from, last).EachDay()
                    .SelectMany(d => reports.Select(r => new EnqueuedMessage(r.Value, d.ToString(), null)))
                    .ToList();
                PrintEnqueued(context, new EnqueueSummary(requestId, DryRun: true, plan), parsed.GetValue(output)!);
                return CliApp.Ok;
            }

            var result = await stack.Mediator
                .Send(new ScheduleReports(from, last, Triggers.Replay, reports, requestId, Guid.NewGuid().ToString("N")), cancellationToken)
                .ConfigureAwait(false);
            await stack.Runner.DrainAsync(cancellationToken).ConfigureAwait(false);

            var summary = await RunCommand.Summarize(stack, Triggers.Replay, result.Messages.Select(m => (m.Report, m.Date, m.RequestId)), cancellationToken).ConfigureAwait(false);
            RunCommand.Print(context, summary, parsed.GetValue(output)!);
            return summary.Reports.All(r => r.SnapshotVersion is not null && r.FailedRecipients.Count == 0) ? CliApp.Ok : CliApp.Failure;
        }));
        return command;
    }

    internal static void PrintEnqueued(CliContext context, EnqueueSummary summary, string format)
    {
        if (format == "json")
        {
            context.Output.WriteLine(JsonSerializer.Serialize(summary, CliJsonContext.Default.EnqueueSummary));
            return;
        }

        context.Output.WriteLine(summary.DryRun
            ? $"Dry run: would enqueue {summary.Messages.Count} messages under request {summary.RequestId}:"
            : $"Enqueued {summary.Messages.Count} messages under request {summary.RequestId}:");
        var table = new TextTable("REPORT", "DATE", "MESSAGE ID");
        foreach (var m in summary.Messages)
        {
            table.Add(m.ReportId, m.Date, m.MessageId ?? "-");
        }

        table.WriteTable(context.Output);
    }
}
