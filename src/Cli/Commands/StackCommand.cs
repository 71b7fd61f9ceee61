using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CostNotifier.Cli.Output;

namespace CostNotifier.Cli.Commands;

/// <summary><c>costnotifier stack</c>: what the CLI resolved, and whether each resource exists.</summary>
public static class StackCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var output = OutputOption.Create("table", "json");
        var command = new Command("stack", """
            Show what the CLI operates on: the work queues and dead-letter queues (URL, approximate depth and where
            each work queue dead-letters to), the event table (status, item count, index) and the functions, and
            whether each exists. Exits 1 when anything is missing or miswired, so it doubles as a smoke test after
            'terraform apply'. Function checks need lambda:GetFunctionConfiguration; without it they show as
            'not checked'.
            Example: costnotifier stack --target aws --stack costs-prod --region eu-west-1
            """)
        {
            output, context.Verbose,
        };
        context.Targets.AddTo(command);
        command.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            using var target = context.OpenTarget(parsed);
            context.Progress.Report($"checking {target.Description}");
            var view = await target.DescribeAsync(cancellationToken).ConfigureAwait(false);
            context.Progress.Done();
            if (parsed.GetValue(output) == "json")
            {
                context.Output.WriteLine(JsonSerializer.Serialize(view, CliJsonContext.Default.StackView));
            }
            else
            {
                Print(context, view);
            }

            if (view.Problems.Count > 0)
            {
                foreach (var problem in view.Problems)
                {
                    await context.Error.WriteLineAsync("error: " + problem).ConfigureAwait(false);
                }

                return CliApp.Failure;
            }

            return CliApp.Ok;
        }));
        return command;
    }

    private static void Print(CliContext context, StackView view)
    {
        var where = view.Target == "aws"
            ? $"Stack {view.Stack ?? "(resources given one by one)"} in {view.Region}{(view.Endpoint is { } endpoint ? $" at {endpoint}" : string.Empty)}"
            : $"Embedded data directory {view.DataDirectory}";
        context.Output.WriteLine(where);
        context.Output.WriteLine();

        var queues = new TextTable("QUEUE", "NAME", "EXISTS", "WAITING", "IN FLIGHT", "DEAD-LETTERS TO", "URL");
        foreach (var q in view.Queues)
        {
            queues.Add(q.Role, q.Name, q.Exists ? "yes" : "NO", Number(q.Visible), Number(q.InFlight), q.DeadLetterQueue ?? "-", q.Url ?? "-");
        }

        queues.WriteTable(context.Output);
        context.Output.WriteLine();

        var table = new TextTable("TABLE", "EXISTS", "STATUS", "ITEMS", "REPORT INDEX");
        table.Add(view.Table.Name, view.Table.Exists ? "yes" : "NO", view.Table.Status ?? "-", Number(view.Table.ItemCount), view.Table.HasReportIndex switch { true => "yes", false => "NO", null => "-" });
        table.WriteTable(context.Output);

        if (view.Functions.Count > 0)
        {
            context.Output.WriteLine();
            var functions = new TextTable("FUNCTION", "NAME", "EXISTS", "STATE");
            foreach (var f in view.Functions)
            {
                functions.Add(f.Role, f.Name, f.Exists switch { true => "yes", false => "NO", null => "?" }, f.State ?? "-");
            }

            functions.WriteTable(context.Output);
        }

        context.Output.WriteLine();
        context.Output.WriteLine(view.Reports.Source is { } source
            ? $"Reports ({source}): {string.Join(", ", view.Reports.Ids)}"
            : "Reports: not known (give --reports-file PATH or COSTNOTIFIER_REPORTS for --all-reports; --report ID works without).");
        context.Output.WriteLine(view.Problems.Count == 0 ? "All resources found." : $"{view.Problems.Count} problem(s): see standard error.");
    }

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
