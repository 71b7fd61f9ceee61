using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CostNotifier.Aws.Configuration;
using CostNotifier.Cli.Composition;
using CostNotifier.Cli.Output;
using CostNotifier.Cli.Targets.Aws;

namespace CostNotifier.Cli.Commands;

/// <summary>
/// <c>costnotifier reports validate|publish|show</c>: check a report configuration file, make it the one in force
/// (the embedded data directory's file, or a version in a deployed stack's event table), and read what is in force.
/// </summary>
public static class ReportsCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Command("reports", "Validate, publish and show report configurations.")
        {
            CreateValidate(context), CreatePublish(context), CreateShow(context),
        };
    }

    private static Option<string> FileOption() => new("--file", "-f")
    {
        Description = "The report configuration: the JSON array of reports the functions read (the shape COSTNOTIFIER_REPORTS has; see docs/CLI.md).",
        Required = true,
    };

    private static Command CreateValidate(CliContext context)
    {
        var file = FileOption();
        var output = OutputOption.Create("table", "json");
        var command = new Command("validate", """
            Check a report configuration file without publishing it: every problem is printed with the report and
            field it concerns, and the exit code is 2 if there is any. A valid file is summarised: its reports, their
            cadences, per-account reports with their accounts, and the distinct addresses it sends to. Needs no
            stack and no AWS credentials.
            Example: costnotifier reports validate --file reports.json
            """)
        {
            file, output,
        };
        command.SetAction((parsed, cancellationToken) => context.GuardAsync(() =>
        {
            var path = parsed.GetValue(file)!;
            var document = Read(path, publishing: false);
            var summary = ReportsSummaryView.From(document.Catalog);
            if (parsed.GetValue(output) == "json")
            {
                context.Output.WriteLine(JsonSerializer.Serialize(summary, CliJsonContext.Default.ReportsSummaryView));
            }
            else
            {
                context.Output.WriteLine($"{path} is valid ({document.Bytes.Length.ToString(CultureInfo.InvariantCulture)} bytes, sha256 {document.Sha256}).");
                context.Output.WriteLine();
                summary.Write(context.Output);
            }

            return Task.FromResult(CliApp.Ok);
        }));
        return command;
    }

    private static Command CreatePublish(CliContext context)
    {
        var file = FileOption();
        var by = new Option<string?>("--by")
        {
            Description = "[aws] Who publishes, recorded with the version (default: $USER). A note works too, e.g. \"alice: add the sandbox accounts\".",
        };
        var command = new Command("publish", """
            Validate a report configuration file and make it the one in force; nothing is written when the file has a
            problem. The embedded default (--target local) replaces reports.json in the data directory in one rename
            and keeps the file it replaces as reports.json.<N>. A deployed stack (--target aws) stores the file as
            the next version in its event table, in parts, and then moves the table's pointer to it; if another
            publish moved the pointer first, this one is refused and nothing changes. The functions of a stack
            deployed with reports_source = "table" read the new version when their next container starts (see
            docs/DEPLOY.md). To roll back, publish an earlier version's text again (reports show --version N
            --output json > old.json).
            Example: costnotifier reports publish --file reports.json
            Example: costnotifier reports publish --file reports.json --target aws --stack costs-prod --region eu-west-1
            """)
        {
            file, by, context.Verbose,
        };
        context.Targets.AddTo(command);
        command.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            var document = Read(parsed.GetValue(file)!, publishing: true);
            if (!context.Targets.IsAws(parsed))
            {
                if (parsed.GetValue(by) is not null)
                {
                    throw new ArgumentException("--by applies only to --target aws: the embedded default keeps its versions as plain files, with no author.");
                }

                var files = LocalFiles(context, parsed);
                var local = files.Publish(document);
                context.Output.WriteLine($"Published version {Text(local.Version)} to {files.CurrentFile}"
                    + (local.Version > 1 ? $"; version {Text(local.Version - 1)} is kept as {files.BackupFile(local.Version - 1)}." : "."));
                WriteMetadata(context.Output, local);
                return CliApp.Ok;
            }

            using var target = (AwsTarget)context.OpenTarget(parsed);
            var store = await target.OpenReportConfigurationStoreAsync(cancellationToken).ConfigureAwait(false);
            context.Progress.Report($"publishing to table {store.TableName}");
            var published = await store.PublishAsync(document, parsed.GetValue(by) ?? context.Environment.Get("USER") ?? context.Environment.Get("USERNAME"), cancellationToken).ConfigureAwait(false);
            context.Progress.Done();
            context.Output.WriteLine($"Published version {Text(published.Version)} to table {store.TableName} ({target.Description}).");
            WriteMetadata(context.Output, published);
            return CliApp.Ok;
        }));
        return command;
    }

    private static Command CreateShow(CliContext context)
    {
        var version = new Option<long?>("--version")
        {
            Description = "Show this version instead of the one in force.",
        };
        version.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long?>() is < 1)
            {
                result.AddError("--version must be 1 or more.");
            }
        });
        var output = OutputOption.Create("table", "json");
        var command = new Command("show", """
            Show the report configuration in force (or --version N): its version, size, SHA-256, when and by whom it
            was published, and its reports. With --output json it prints the document itself, exactly as published,
            so it can be saved, compared or published again.
            Example: costnotifier reports show --target aws --stack costs-prod
            Example: costnotifier reports show --target aws --stack costs-prod --version 3 --output json > reports-v3.json
            """)
        {
            version, output, context.Verbose,
        };
        context.Targets.AddTo(command);
        command.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            PublishedReportConfiguration published;
            string where;
            if (!context.Targets.IsAws(parsed))
            {
                var files = LocalFiles(context, parsed);
                published = files.Load(parsed.GetValue(version));
                where = files.DataDirectory;
            }
            else
            {
                using var target = (AwsTarget)context.OpenTarget(parsed);
                var store = await target.OpenReportConfigurationStoreAsync(cancellationToken).ConfigureAwait(false);
                published = parsed.GetValue(version) is { } wanted
                    ? await store.LoadAsync(wanted, cancellationToken).ConfigureAwait(false)
                    : await store.LoadCurrentAsync(cancellationToken).ConfigureAwait(false);
                where = $"table {store.TableName}";
            }

            if (parsed.GetValue(output) == "json")
            {
                await context.Output.WriteAsync(published.Document).ConfigureAwait(false);
                return CliApp.Ok;
            }

            context.Output.WriteLine($"Report configuration version {Text(published.Metadata.Version)} in {where}");
            WriteMetadata(context.Output, published.Metadata);
            context.Output.WriteLine();
            ReportsSummaryView.From(published.Catalog).Write(context.Output);
            return CliApp.Ok;
        }));
        return command;
    }

    /// <summary>Reads and validates the file; every problem is named, with its report and field.</summary>
    internal static ReportConfigurationDocument Read(string path, bool publishing)
    {
        var text = OptionFile.ReadAllText(path, "--file");

        try
        {
            return ReportConfigurationDocument.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{path}: {ex.Message}" + (publishing ? " Nothing was published." : string.Empty), ex);
        }
    }

    private static LocalReportFiles LocalFiles(CliContext context, ParseResult parsed) =>
        new(context.ResolveDataDirectory(parsed.GetValue(context.DataDir)));

    private static void WriteMetadata(TextWriter output, ReportConfigurationVersion metadata)
    {
        output.WriteLine($"  version       {Text(metadata.Version)}");
        output.WriteLine($"  parts         {metadata.Parts.ToString(CultureInfo.InvariantCulture)}");
        output.WriteLine($"  bytes         {Text(metadata.Bytes)}");
        output.WriteLine($"  sha256        {metadata.Sha256}");
        output.WriteLine($"  reports       {metadata.Reports.ToString(CultureInfo.InvariantCulture)}");
        output.WriteLine($"  accounts      {metadata.Accounts.ToString(CultureInfo.InvariantCulture)}");
        output.WriteLine($"  published at  {metadata.PublishedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}");
        output.WriteLine($"  published by  {metadata.PublishedBy ?? "-"}");
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
