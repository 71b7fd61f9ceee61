using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CostNotifier.Cli.Output;
using CostNotifier.Cli.Targets;
using CostNotifier.Domain;
using CostNotifier.Messaging;
using CostNotifier.Scheduler;

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
            again (a changed day is recorded as a revision) and every recipient gets the email again. One
            ReportRequested message per report-day goes to the collector queue (SendMessageBatch, at most ten per
            call); the message ids are printed. On the embedded default the messages are then delivered at once;
            on a deployed stack the functions deliver them within a minute or two.
            Dates Cost Explorer cannot serve (today or later, older than 13 months) are refused.
            Example: costnotifier replay --date 2026-11-03 --to 2026-11-05 --report daily-by-service
            Example: costnotifier replay --date 2026-11-03 --target aws --stack costs-prod --reports-file reports.json
            """)
        {
            date, to, report, allReports, dryRun, output, context.Verbose,
        };
        context.Targets.AddTo(command);
        ReportSelection.AddExclusiveRule(command, report, allReports);

        command.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            var from = context.ParseDate(parsed.GetValue(date), "--date");
            var last = parsed.GetValue(to) is { } toText ? context.ParseDate(toText, "--to") : from;
            var range = ReportSelection.ReportableRange(from, last, context.Time);
            var format = parsed.GetValue(output)!;

            using var target = context.OpenTarget(parsed);
            var reports = ReportSelection.Resolve(target, parsed.GetValue(report));
            var requestId = RequestId.New(Trigger.Replay);
            var queue = await target.DescribeCollectorQueueAsync(cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(dryRun))
            {
                var plan = range.EachDay()
                    .SelectMany(d => reports.Select(r => new EnqueuedMessage(r.Value, d.ToString(), null)))
                    .ToList();
                PrintEnqueued(context, new EnqueueSummary(requestId.Value, DryRun: true, plan, queue), format);
                return CliApp.Ok;
            }

            context.Progress.Report(string.Create(CultureInfo.InvariantCulture, $"enqueuing {range.Days * reports.Count} message(s) on {target.Description}"));
            ScheduleResult result;
            try
            {
                result = await target
                    .EnqueueAsync(new ScheduleReports(from, last, Trigger.Replay, reports, requestId, Guid.NewGuid().ToString("N")), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (PartialEnqueueException partial)
            {
                context.Progress.Done();
                PrintEnqueued(
                    context,
                    new EnqueueSummary(
                        requestId.Value,
                        DryRun: false,
                        partial.Enqueued.Select(p => new EnqueuedMessage(p.Report.Value, p.Date.ToString(), null, p.EnvelopeId)).ToList(),
                        queue,
                        partial.NotEnqueued.Select(p => new EnqueuedMessage(p.Report.Value, p.Date.ToString(), null, p.EnvelopeId)).ToList()),
                    format);
                await context.Error.WriteLineAsync(
                    $"error: only {partial.Enqueued.Count} of {partial.Enqueued.Count + partial.NotEnqueued.Count} report-days were enqueued. "
                    + $"Enqueued: {Days(partial.Enqueued)}. NOT enqueued: {Days(partial.NotEnqueued)}. "
                    + "Replay the ones not enqueued (each --date/--report) once the cause is fixed; the enqueued ones are delivered as usual.").ConfigureAwait(false);
                return CliApp.Failure;
            }

            context.Progress.Done();
            if (await target.DeliverAsync(Trigger.Replay, result.Messages, cancellationToken).ConfigureAwait(false) is { } delivered)
            {
                RunCommand.Print(context, delivered, format);
                return delivered.Reports.All(r => r.SnapshotVersion is not null && r.FailedRecipients.Count == 0) ? CliApp.Ok : CliApp.Failure;
            }

            PrintEnqueued(
                context,
                new EnqueueSummary(
                    requestId.Value,
                    DryRun: false,
                    result.Messages.Select(m => new EnqueuedMessage(m.Report.Value, m.Date.ToString(), m.QueueMessageId, m.EnvelopeId)).ToList(),
                    queue),
                format);
            return CliApp.Ok;
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

        var where = summary.Queue is null ? string.Empty : $" on {summary.Queue}";
        context.Output.WriteLine(summary.DryRun
            ? $"Dry run: would enqueue {summary.Messages.Count} messages{where} under request {summary.RequestId}:"
            : $"Enqueued {summary.Messages.Count} messages{where} under request {summary.RequestId}:");
        var table = new TextTable("REPORT", "DATE", "MESSAGE ID");
        foreach (var m in summary.Messages)
        {
            table.Add(m.ReportId, m.Date, m.MessageId ?? "-");
        }

        table.WriteTable(context.Output);
        if (summary.NotEnqueued is { Count: > 0 } missing)
        {
            context.Output.WriteLine($"NOT enqueued ({missing.Count}):");
            var notSent = new TextTable("REPORT", "DATE");
            foreach (var m in missing)
            {
                notSent.Add(m.ReportId, m.Date);
            }

            notSent.WriteTable(context.Output);
        }
    }

    private static string Days(IReadOnlyList<PlannedReportDay> days) =>
        days.Count == 0 ? "none" : string.Join(", ", days.Select(d => $"{d.Report} {d.Date}"));
}
