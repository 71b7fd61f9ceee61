using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CostNotifier.Cli.Output;
using CostNotifier.Cli.Targets;
using CostNotifier.Collector.CostExplorer;
using CostNotifier.Domain;
using CostNotifier.Messaging;
using CostNotifier.Scheduler;
using CostNotifier.Validation;

namespace CostNotifier.Cli.Commands;

/// <summary><c>costnotifier replay</c>: collect and send a day, week or month (or a range of them) again under a fresh request id.</summary>
public static class ReplayCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var periods = PeriodOptions.Create("to replay", withTo: true);
        var report = new Option<string?>("--report") { Description = "Only this report id." };
        var allReports = new Option<bool>("--all-reports") { Description = "Every configured report (the default when --report is not given)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be enqueued and stop." };
        var output = OutputOption.Create("table", "json");
        var command = new Command("replay", """
            Re-run collection and notification for a day, week or month (or a range) under a new request id:
            figures are collected again (a changed period is recorded as a revision) and every recipient gets the
            email again. With --date, every report whose period ends on one of the days is replayed (a Sunday ends
            a weekly digest's week, a month's last day a monthly one's month); with --week or --month, the weekly
            or monthly digests. The report periods go to the collector queue, those whose reports ask
            Cost Explorer the same question in one message (SendMessageBatch, at most ten per call), so the
            collector makes one request per message; the message ids are printed. On the embedded default the
            messages are then delivered at once; on a deployed stack the functions deliver them within a minute
            or two. Periods Cost Explorer cannot serve (not ended yet, older than 13 months) are refused.
            Example: costnotifier replay --date 2026-11-03 --to 2026-11-05 --report daily-by-service
            Example: costnotifier replay --week 2026-W48
            Example: costnotifier replay --month 2026-09 --to 2026-11 --report monthly-review
            Example: costnotifier replay --date 2026-11-03 --target aws --stack costs-prod --reports-file reports.json
            """)
        {
            report, allReports, dryRun, output, context.Verbose,
        };
        periods.AddTo(command);
        context.Targets.AddTo(command);
        ReportSelection.AddExclusiveRule(command, report, allReports);

        command.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            var range = periods.ParseReportable(parsed, context);
            var format = parsed.GetValue(output)!;

            using var target = context.OpenTarget(parsed);
            var named = ReportSelection.Resolve(target, parsed.GetValue(report));

            // Without --report the scheduler picks every report of the cadence asked for from the same list.
            IReadOnlyList<ReportId> reports = parsed.GetValue(report) is null ? [] : named;

            // A week or month named for a report of another cadence is refused here, before anything is planned, so
            // a dry run answers as the real run would rather than planning nothing.
            if (range.Cadence != Cadence.Daily && target.Reports is { } catalog)
            {
                foreach (var id in reports)
                {
                    if (catalog.TryGet(id, out var definition) && ReportPeriodRules.WhyNotPeriodOf(definition, range.First) is { } why)
                    {
                        throw new FormatException(why + ".");
                    }
                }
            }

            var requestId = RequestId.New(Trigger.Replay);
            var queue = await target.DescribeCollectorQueueAsync(cancellationToken).ConfigureAwait(false);

            // --date replays whatever ends on its days, as the schedule sent it; --week and --month name digests.
            var schedule = new ScheduleReports(range.Days.Start, range.Days.Last, Trigger.Replay, reports, requestId, Guid.NewGuid().ToString("N"))
            {
                Cadence = range.Cadence == Cadence.Daily ? null : range.Cadence,
            };
            if (parsed.GetValue(dryRun))
            {
                // Without the report list only --report works, and its cadence is the one asked for (as the scheduler has it).
                var plan = schedule.Plan(target.Reports ?? new ReportCatalog([]), ReportDate.FromInstant(context.Time.GetUtcNow())).ToList();
                await WriteSkippedAsync(context, plan.Where(p => p.WhyNot is not null).Select(p => new SkippedPeriod(p.Report, p.Period, p.WhyNot!))).ConfigureAwait(false);
                var messages = plan.Where(p => p.WhyNot is null)
                    .Select(p => new EnqueuedMessage(p.Report.Value, p.Period.ToString(), null))
                    .ToList();
                PrintEnqueued(context, new EnqueueSummary(requestId.Value, DryRun: true, messages, queue), format);
                return CliApp.Ok;
            }

            context.Progress.Report($"enqueuing the report periods of {range} on {target.Description}");
            ScheduleResult result;
            try
            {
                result = await target.EnqueueAsync(schedule, cancellationToken).ConfigureAwait(false);
            }
            catch (PartialEnqueueException partial)
            {
                context.Progress.Done();
                PrintEnqueued(
                    context,
                    new EnqueueSummary(
                        requestId.Value,
                        DryRun: false,
                        partial.Enqueued.Select(p => new EnqueuedMessage(p.Report.Value, p.Period.ToString(), null, p.EnvelopeId)).ToList(),
                        queue,
                        partial.NotEnqueued.Select(p => new EnqueuedMessage(p.Report.Value, p.Period.ToString(), null, p.EnvelopeId)).ToList()),
                    format);
                await context.Error.WriteLineAsync(
                    $"error: only {partial.Enqueued.Count} of {partial.Enqueued.Count + partial.NotEnqueued.Count} report periods were enqueued. "
                    + $"Enqueued: {Days(partial.Enqueued)}. NOT enqueued: {Days(partial.NotEnqueued)}. "
                    + "Replay the ones not enqueued (each --date, --week or --month with --report) once the cause is fixed; the enqueued ones are delivered as usual.").ConfigureAwait(false);
                return CliApp.Failure;
            }

            context.Progress.Done();
            await WriteSkippedAsync(context, result.Skipped).ConfigureAwait(false);
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
                    result.Messages.Select(m => new EnqueuedMessage(m.Report.Value, m.Period.ToString(), m.QueueMessageId, m.EnvelopeId)).ToList(),
                    queue)
                {
                    CollectorMessages = result.Messages.Select(m => m.EnvelopeId).Distinct().Count(),
                },
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
        var table = new TextTable("REPORT", "PERIOD", "MESSAGE ID");
        foreach (var m in summary.Messages)
        {
            table.Add(m.ReportId, m.Date, m.MessageId ?? "-");
        }

        table.WriteTable(context.Output);
        if (summary.CollectorMessages is { } carriers)
        {
            context.Output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{summary.Messages.Count} report period(s) in {carriers} collector message(s): this command made no Cost Explorer request; the collector makes one per message (${carriers * CostExplorerClient.PricePerRequestUsd:0.00}), one more for each extra page of an answer."));
        }

        if (summary.NotEnqueued is { Count: > 0 } missing)
        {
            context.Output.WriteLine($"NOT enqueued ({missing.Count}):");
            var notSent = new TextTable("REPORT", "PERIOD");
            foreach (var m in missing)
            {
                notSent.Add(m.ReportId, m.Date);
            }

            notSent.WriteTable(context.Output);
        }
    }

    /// <summary>One line per skipped period (a digest that ends in the range but starts before Cost Explorer's history), as 'run' and 'replay' say it.</summary>
    internal static async Task WriteSkippedAsync(CliContext context, IEnumerable<SkippedPeriod> skipped)
    {
        foreach (var period in skipped)
        {
            await context.Error.WriteLineAsync($"skipped {period.Report} {period.Period}: {period.Reason}").ConfigureAwait(false);
        }
    }

    private static string Days(IReadOnlyList<PlannedReportPeriod> days) =>
        days.Count == 0 ? "none" : string.Join(", ", days.Select(d => $"{d.Report} {d.Period}"));
}
