using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CostNotifier.Cli.Output;
using CostNotifier.Embedded.Queues;
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
            List the messages waiting in a dead-letter queue, with the reason each failed.
            Example: costnotifier dlq list --queue collector
            """)
        {
            queue, max, output, context.DataDir, context.Verbose,
        };
        list.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            using var stack = context.OpenEmbedded(parsed);
            var source = ParseQueue(parsed.GetValue(queue));
            var messages = await stack.Queues.ListDeadLettersAsync(source, Math.Max(1, parsed.GetValue(max)), cancellationToken).ConfigureAwait(false);
            var views = messages.Select(m => ToView(m)).ToList();
            if (parsed.GetValue(output) == "json")
            {
                context.Output.WriteLine(JsonSerializer.Serialize<IReadOnlyList<DeadLetterView>>(views, CliJsonContext.Default.IReadOnlyListDeadLetterView));
                return CliApp.Ok;
            }

            var table = new TextTable("MESSAGE ID", "REPORT", "DATE", "RECEIVES", "DEAD-LETTERED", "REASON");
            foreach (var v in views)
            {
                table.Add(v.MessageId, v.ReportId ?? "?", v.Date ?? "?", v.ReceiveCount, v.DeadLetteredAt?.ToString("u", CultureInfo.InvariantCulture), v.Reason ?? "-");
            }

            table.WriteTable(context.Output);
            context.Output.WriteLine($"{views.Count} message(s) in {LocalQueue.Of(source).DeadLetter.Name}.");
            return CliApp.Ok;
        }));
        return new Command("dlq", "Inspect dead-letter queues.") { list };
    }

    /// <summary>Creates <c>redrive</c>.</summary>
    public static Command CreateRedrive(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var queue = QueueOption();
        var max = new Option<int?>("--max") { Description = "Move at most this many messages (default: all)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be moved and stop." };
        var command = new Command("redrive", """
            Move messages from a dead-letter queue back to its source queue after fixing the cause; on the embedded
            default they are then delivered at once. Each message is copied before it is deleted, so none is lost.
            Example: costnotifier redrive --queue notifier
            """)
        {
            queue, max, dryRun, context.DataDir, context.Verbose,
        };
        command.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            using var stack = context.OpenEmbedded(parsed);
            var source = ParseQueue(parsed.GetValue(queue));
            var limit = parsed.GetValue(max) ?? int.MaxValue;
            if (limit < 1)
            {
                throw new FormatException($"--max {limit} must be 1 or more.");
            }

            var local = LocalQueue.Of(source);
            if (parsed.GetValue(dryRun))
            {
                var waiting = await stack.Queues.ListDeadLettersAsync(source, Math.Min(limit, 10_000), cancellationToken).ConfigureAwait(false);
                context.Output.WriteLine($"Dry run: would move {waiting.Count} message(s) from {local.DeadLetter.Name} to {local.Name}.");
                return CliApp.Ok;
            }

            var moved = await stack.Queues.RedriveAsync(source, limit, cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"Moved {moved.Count} message(s) from {local.DeadLetter.Name} to {local.Name}.");
            await stack.Runner.DrainAsync(cancellationToken).ConfigureAwait(false);
            var left = (await stack.Queues.GetDepthAsync(local.DeadLetter, cancellationToken).ConfigureAwait(false)).Total;
            context.Output.WriteLine($"Delivered; {left} message(s) now in {local.DeadLetter.Name}.");
            return left == 0 ? CliApp.Ok : CliApp.Failure;
        }));
        return command;
    }

    internal static DeadLetterView ToView(DeadLetterMessage message)
    {
        string? reportId = null;
        string? date = null;
        try
        {
            using var body = JsonDocument.Parse(message.Body);
            if (body.RootElement.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object)
            {
                reportId = payload.TryGetProperty("reportId", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                date = payload.TryGetProperty("date", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // An unreadable body is one reason a message ends here; show it as it is.
        }

        return new DeadLetterView(message.Queue.Name, message.MessageId, message.ReceiveCount, message.Reason, message.DeadLetteredAt, reportId, date, message.Body);
    }

    private static Option<string> QueueOption()
    {
        var option = new Option<string>("--queue") { Description = "Which pipeline queue: collector or notifier.", Required = true };
        option.AcceptOnlyFromAmong("collector", "notifier");
        return option;
    }

    private static PipelineQueue ParseQueue(string? name) => name switch
    {
        "collector" => PipelineQueue.Collector,
        "notifier" => PipelineQueue.Notifier,
        _ => throw new FormatException($"--queue '{name}' must be collector or notifier."),
    };
}
