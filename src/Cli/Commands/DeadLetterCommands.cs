using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CostNotifier.Cli.Output;
using CostNotifier.Cli.Targets;
using CostNotifier.Messaging;

namespace CostNotifier.Cli.Commands;

/// <summary><c>costnotifier dlq list</c> and <c>costnotifier redrive</c>: what failed for good, and sending it back.</summary>
public static class DeadLetterCommands
{
    /// <summary>Creates <c>dlq</c> with its <c>list</c> subcommand.</summary>
    public static Command CreateDlq(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var queue = QueueOption();
        var max = new Option<int>("--max") { Description = "Show at most this many messages (default 100).", DefaultValueFactory = _ => 100 };
        var output = OutputOption.Create("table", "json");
        var list = new Command("list", """
            List the messages waiting in a dead-letter queue, with the reason each failed when the function that
            gave up on it recorded one (the CostNotifier.Reason attribute); a message moved there by the queue's
            redrive policy after repeated failures has no reason attached: look for its id in the function's log.
            On SQS, looking means receiving: each message is received with a 20-second visibility timeout and made
            visible again as soon as the listing ends, so a redrive or a second listing running at the same moment
            may miss it, and its receive count goes up by one.
            Example: costnotifier dlq list --queue collector --target aws --stack costs-prod
            """)
        {
            queue, max, output, context.Verbose,
        };
        context.Targets.AddTo(list);
        list.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            var limit = parsed.GetValue(max);
            if (limit < 1)
            {
                throw new FormatException($"--max {limit} must be 1 or more.");
            }

            var source = ParseQueue(parsed.GetValue(queue));
            using var target = context.OpenTarget(parsed);
            var views = await target.ListDeadLettersAsync(source, limit, cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(output) == "json")
            {
                context.Output.WriteLine(JsonSerializer.Serialize<IReadOnlyList<DeadLetterView>>(views, CliJsonContext.Default.IReadOnlyListDeadLetterView));
                return CliApp.Ok;
            }

            var table = new TextTable("MESSAGE ID", "REPORT", "DATE", "RECEIVES", "DEAD-LETTERED", "REASON");
            foreach (var v in views)
            {
                table.Add(
                    v.MessageId,
                    v.ReportId ?? "?",
                    v.Date ?? "?",
                    v.ReceiveCount,
                    v.DeadLetteredAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-",
                    v.Reason ?? (target.Kind == TargetOptions.Aws ? "(failed repeatedly; see the function's log)" : "-"));
            }

            table.WriteTable(context.Output);
            var name = views.Count > 0 ? views[0].Queue : $"the {parsed.GetValue(queue)} dead-letter queue";
            context.Output.WriteLine($"{views.Count} message(s) in {name}{(views.Count == limit ? $" (showing the first {limit}; --max shows more)" : string.Empty)}.");
            return CliApp.Ok;
        }));
        return new Command("dlq", "Inspect dead-letter queues.") { list };
    }

    /// <summary>Creates <c>redrive</c>.</summary>
    public static Command CreateRedrive(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var queue = QueueOption();
        var max = new Option<int?>("--max") { Description = "Move at most this many messages (default: all that wait). On SQS this moves one message at a time." };
        var maxPerSecond = new Option<int?>("--max-per-second") { Description = "[aws] Rate limit of the SQS message move task (1-500 messages per second; default: SQS's)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say how many messages would be moved, and how, and stop." };
        var output = OutputOption.Create("table", "json");
        var command = new Command("redrive", """
            Move messages from a dead-letter queue back to its source queue after fixing the cause. Redriven
            messages keep their request id, so work already done is skipped and nothing is sent twice.
            On the embedded default each message is moved in one transaction and delivered at once. On AWS an SQS
            message move task moves them and the command follows it to the end, printing progress; where SQS
            message move tasks are not available (an emulator) or with --max, each message is received, sent to
            the source queue and only then deleted, so an interrupted redrive can leave a duplicate but never loses
            a message: run it again to move the rest.
            Example: costnotifier redrive --queue notifier --target aws --stack costs-prod --dry-run
            """)
        {
            queue, max, maxPerSecond, dryRun, output, context.Verbose,
        };
        context.Targets.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(maxPerSecond) is { } rate && (rate < 1 || rate > 500))
            {
                result.AddError($"--max-per-second {rate} must be between 1 and 500.");
            }

            if (result.GetValue(maxPerSecond) is not null && result.GetValue(context.Targets.Target) != TargetOptions.Aws)
            {
                result.AddError("--max-per-second applies only to --target aws.");
            }
        });
        command.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            var limit = parsed.GetValue(max);
            if (limit is < 1)
            {
                throw new FormatException($"--max {limit} must be 1 or more.");
            }

            var source = ParseQueue(parsed.GetValue(queue));
            using var target = context.OpenTarget(parsed);
            var summary = await target
                .RedriveAsync(source, new RedriveRequest(limit, parsed.GetValue(maxPerSecond), parsed.GetValue(dryRun)), context.Progress, cancellationToken)
                .ConfigureAwait(false);
            Print(context, target, summary, parsed.GetValue(output)!);
            return summary.Status switch
            {
                "DRY-RUN" => CliApp.Ok,
                "COMPLETED" when target.Kind == TargetOptions.Local => summary.Remaining == 0 ? CliApp.Ok : CliApp.Failure,
                "COMPLETED" => CliApp.Ok,
                _ => CliApp.Failure,
            };
        }));
        return command;
    }

    internal static PipelineQueue ParseQueue(string? name) => name switch
    {
        "collector" => PipelineQueue.Collector,
        "notifier" => PipelineQueue.Notifier,
        "delivery" => PipelineQueue.Delivery,
        _ => throw new FormatException($"--queue '{name}' must be collector, notifier or delivery."),
    };

    private static void Print(CliContext context, IOperatorTarget target, RedriveSummary summary, string format)
    {
        if (format == "json")
        {
            context.Output.WriteLine(JsonSerializer.Serialize(summary, CliJsonContext.Default.RedriveSummary));
            return;
        }

        if (summary.DryRun)
        {
            context.Output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Dry run: would move {summary.Moved} of {summary.Waiting?.ToString(CultureInfo.InvariantCulture) ?? "?"} message(s) from {summary.DeadLetterQueue} to {summary.Source} ({summary.Method})."));
            return;
        }

        context.Output.WriteLine($"Moved {summary.Moved} message(s) from {summary.DeadLetterQueue} to {summary.Source} ({summary.Method}, {summary.Status}).");
        if (summary.FailureReason is { } reason)
        {
            context.Output.WriteLine($"The move task failed: {reason}");
        }

        if (target.Kind == TargetOptions.Local)
        {
            context.Output.WriteLine($"Delivered; {summary.Remaining} message(s) now in {summary.DeadLetterQueue}.");
        }
        else if (summary.Remaining is { } left)
        {
            context.Output.WriteLine($"{left} message(s) now in {summary.DeadLetterQueue}; the deployed functions process the moved ones.");
        }
    }

    private static Option<string> QueueOption()
    {
        var option = new Option<string>("--queue") { Description = "Which pipeline queue: collector, notifier or delivery (SES's sending events).", Required = true };
        option.AcceptOnlyFromAmong("collector", "notifier", "delivery");
        return option;
    }
}
