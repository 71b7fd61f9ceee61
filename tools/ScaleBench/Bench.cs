using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace CostNotifier.ScaleBench;

/// <summary>
/// "1,000 per-account reports × 1 day": the generated organisation (<see cref="ScaleConfiguration"/>) run once on
/// the emulators (<see cref="EmulatorRun"/>) and once by the embedded CLI (<see cref="EmbeddedRun"/>), the figures
/// printed side by side with the targets. A missed target is reported, not failed; the exit code is non-zero only
/// when a run did not work (an email missing, a message dead-lettered, a process failing).
/// </summary>
internal static class Bench
{
    private const double MaxCostExplorerRequests = 2;
    private const double WallTargetOverFloor = 1.5;

    public static async Task<int> RunAsync(string[] args)
    {
        ScaleOptions options;
        try
        {
            options = ScaleOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"ScaleBench: {ex.Message}{Environment.NewLine}{ScaleOptions.Usage}");
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(ScaleOptions.Usage);
            return 0;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        var configuration = new ScaleConfiguration(options.Accounts);
        var loadBefore = LoadAverage();
        var takenAt = DateTimeOffset.UtcNow;

        // The schedule fires early in the day and reports yesterday, the last whole UTC day.
        var scheduledTime = new DateTimeOffset(takenAt.UtcDateTime.Date.AddHours(6), TimeSpan.Zero);
        var day = DateOnly.FromDateTime(scheduledTime.UtcDateTime.AddDays(-1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var work = Directory.CreateTempSubdirectory("costnotifier-scale-").FullName;
        Console.WriteLine($"Report day {day}, {configuration.AccountCount} accounts, {configuration.ExpectedEmails} emails expected per mode; work directory {work}");

        var results = new List<ScaleFigures>();
        try
        {
            if (options.Emulators)
            {
                results.Add(await EmulatorRun.RunAsync(options, configuration, scheduledTime, work, stop.Token));
            }

            if (options.Embedded)
            {
                results.Add(await EmbeddedRun.RunAsync(options, configuration, day, work, stop.Token));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("ScaleBench: stopped.");
            return 130;
        }

        var heading = Heading(options, configuration, day, takenAt, loadBefore, LoadAverage());
        Console.WriteLine();
        Console.WriteLine(Text(heading, Headers(results), Rows(results, configuration, options)));
        foreach (var note in results.SelectMany(r => r.Notes.Select(n => $"{r.Mode}: {n}")))
        {
            Console.WriteLine("Note — " + note);
        }

        if (options.Markdown is not null)
        {
            await File.WriteAllTextAsync(options.Markdown, Markdown(heading, Headers(results), Rows(results, configuration, options)), stop.Token);
            Console.WriteLine($"Markdown table written to {options.Markdown}");
        }

        var failures = results.SelectMany(r => r.Failures.Select(f => $"{r.Mode}: {f}")).ToList();
        foreach (var failure in failures)
        {
            await Console.Error.WriteLineAsync("FAILED " + failure);
        }

        var deadLettered = results.Where(r => r.DeadLettered > 0).ToList();
        foreach (var result in deadLettered)
        {
            await Console.Error.WriteLineAsync($"FAILED {result.Mode}: {result.DeadLettered} dead-lettered message(s) ({result.DeadLetterDetail}); the target is 0");
        }

        return failures.Count == 0 && deadLettered.Count == 0 ? 0 : 1;
    }

    private static List<string[]> Rows(IReadOnlyList<ScaleFigures> results, ScaleConfiguration configuration, ScaleOptions options)
    {
        var snapshots = configuration.Snapshots;
        var floor = configuration.ExpectedEmails / (double)options.Rate;
        var rows = new List<string[]>();
        void Row(string measure, Func<ScaleFigures, string> cell, string target) =>
            rows.Add([measure, .. results.Select(cell), target]);

        Row("Cost Explorer requests", r => Verdict(r.CostExplorerRequests, MaxCostExplorerRequests, r.CostExplorerRequests.ToString(CultureInfo.InvariantCulture)), "≤ 2");
        Row("collector messages", r => Optional(r.CollectorMessages), "1");
        Row("shares collected / emailed / skipped", r => r.Shares is { } s ? $"{s.Collected} / {s.Emailed} / {s.Skipped}" : "n/a", $"{configuration.AccountCount} / {configuration.AccountCount} / — (the sample organisation has unowned accounts of its own)");
        Row("emails delivered", r => $"{r.EmailsDelivered.ToString(CultureInfo.InvariantCulture)} ({r.EmailsWhere})", configuration.ExpectedEmails.ToString(CultureInfo.InvariantCulture));
        Row("SES calls", r => Optional(r.SesCalls), configuration.ExpectedEmails.ToString(CultureInfo.InvariantCulture));
        Row("SQS requests (total; per report)", r => PerReport(r.SqsRequests, snapshots), "—");
        Row("SQS requests by operation", r => r.SqsOperations ?? "n/a", "—");
        Row("DynamoDB requests (total; per report)", r => PerReport(r.DynamoDbRequests, snapshots), "—");
        Row("DynamoDB requests by operation", r => r.DynamoDbOperations ?? "n/a", "—");
        Row("bytes stored per report", r => string.Create(CultureInfo.InvariantCulture, $"{r.StoredBytes / (double)snapshots / 1024:0.0} KB ({r.StoredBytes / 1024.0 / 1024:0.0} MB ÷ {snapshots}: {r.StoredWhat})"), "—");
        Row("dead-lettered messages", r => Verdict(r.DeadLettered, 0, $"{r.DeadLettered.ToString(CultureInfo.InvariantCulture)} ({r.DeadLetterDetail})"), "0");
        Row("peak memory (VmHWM)", r => string.Join("; ", r.PeakMemory.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Process} {p.Bytes / 1024.0 / 1024:0} MB"))), "—");
        Row(
            "wall time",
            r => Verdict(r.WallSeconds, floor * WallTargetOverFloor, string.Create(CultureInfo.InvariantCulture, $"{r.WallSeconds:0.0} s ({r.WallWhat})")),
            string.Create(CultureInfo.InvariantCulture, $"≤ {floor * WallTargetOverFloor:0.0} s (1.5 × floor {configuration.ExpectedEmails} emails ÷ {options.Rate}/s = {floor:0.0} s)"));
        return rows;
    }

    private static string Verdict(double value, double limit, string text) =>
        $"{text} {(value <= limit ? "PASS" : "FAIL")}";

    private static string Optional(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "n/a";

    private static string PerReport(int? total, int snapshots) =>
        total is { } count ? string.Create(CultureInfo.InvariantCulture, $"{count}; {count / (double)snapshots:0.0}") : "n/a";

    private static string Heading(ScaleOptions options, ScaleConfiguration configuration, string day, DateTimeOffset takenAt, string loadBefore, string loadAfter)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
        var pages = options.CostExplorerPageGroups is { } groups ? $"pages of at most {groups} groups" : "one page";
        var label = options.Label is null ? string.Empty : options.Label + Environment.NewLine;
        return label + string.Create(
            CultureInfo.InvariantCulture,
            $"""
            One daily per-account report over {configuration.AccountCount} accounts (one owner each, unowned skipped) for {day}: {configuration.ExpectedEmails} emails, {configuration.Snapshots} snapshots ("per report" divides by this).
            SES quota {options.Rate}/s shared by {ScaleOptions.NotifierProcesses} notifiers; Cost Explorer stand-in: {CostExplorerStub.ServicesPerAccount} services per account, {pages}.
            Taken {takenAt:yyyy-MM-dd HH:mm} UTC on {cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}.
            Load average (1/5/15 min) before: {loadBefore}; after: {loadAfter}. A missed target is reported, not failed.
            """);
    }

    private static string Text(string heading, string[] headers, List<string[]> rows)
    {
        var text = new StringBuilder(heading).AppendLine().AppendLine();
        foreach (var row in rows)
        {
            text.AppendLine(row[0]);
            for (var i = 1; i < row.Length; i++)
            {
                text.AppendLine($"  {headers[i] + ":",-11} {row[i]}");
            }
        }

        return text.ToString();
    }

    private static string Markdown(string heading, string[] headers, List<string[]> rows)
    {
        var text = new StringBuilder();
        foreach (var line in heading.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries))
        {
            text.AppendLine("- " + line);
        }

        text.AppendLine();
        text.AppendLine("| " + string.Join(" | ", headers) + " |");
        text.AppendLine("|" + string.Join("|", headers.Select(_ => "---")) + "|");
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }

        return text.ToString();
    }

    // The columns: the measure, one per mode run, the target.
    private static string[] Headers(IReadOnlyList<ScaleFigures> results) => ["measure", .. results.Select(r => r.Mode), "target"];

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
