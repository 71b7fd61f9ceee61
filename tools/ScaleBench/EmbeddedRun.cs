using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CostNotifier.ScaleBench;

/// <summary>
/// The embedded default: a fresh data directory, <c>costnotifier reports publish --file</c> with the generated
/// configuration, then <c>costnotifier run --date DAY --output json</c> with <c>COSTNOTIFIER_SES_MAX_SEND_RATE</c>
/// set, the CLI a child process (<c>dotnet costnotifier.dll</c>) whose wall time and peak memory are measured.
/// Everything else comes from the run's JSON, the outbox and the database file.
/// </summary>
internal static class EmbeddedRun
{
    public static async Task<ScaleFigures> RunAsync(ScaleOptions options, ScaleConfiguration configuration, string day, string work, CancellationToken cancellationToken)
    {
        var figures = new ScaleFigures("embedded");
        var dataDir = Path.Combine(work, "embedded-data");
        var file = Path.Combine(work, "org-accounts.json");
        await File.WriteAllTextAsync(file, configuration.Json(), cancellationToken);

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["COSTNOTIFIER_SES_MAX_SEND_RATE"] = options.Rate.ToString(CultureInfo.InvariantCulture),
        };
        var publish = await RunCliAsync(options, ["reports", "publish", "--file", file, "--data-dir", dataDir], environment, options.Timeout, cancellationToken);
        if (publish.ExitCode != 0)
        {
            return figures with { Failures = [$"reports publish exited with {publish.ExitCode}: {publish.Error.Trim()}"] };
        }

        Console.WriteLine($"Embedded: running `costnotifier run --date {day} --output json` over {configuration.AccountCount} accounts...");
        var run = await RunCliAsync(options, ["run", "--date", day, "--output", "json", "--data-dir", dataDir], environment, options.Timeout, cancellationToken);
        var failures = new List<string>();
        if (run.ExitCode != 0)
        {
            failures.Add($"run exited with {run.ExitCode}: {run.Error.Trim()}");
        }

        JsonElement summary;
        try
        {
            using var document = JsonDocument.Parse(run.Output);
            summary = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            failures.Add($"run did not print JSON ({ex.Message}): {run.Output[..Math.Min(400, run.Output.Length)]}");
            return figures with { Failures = failures, WallSeconds = run.Elapsed.TotalSeconds };
        }

        var reports = summary.GetProperty("reports").EnumerateArray().ToList();
        var org = reports.FirstOrDefault(r => r.GetProperty("reportId").GetString() == ScaleConfiguration.ReportId);
        (int, int, int)? shares = null;
        var orgEmailed = 0;
        if (org.ValueKind == JsonValueKind.Object)
        {
            orgEmailed = org.GetProperty("sentNow").GetArrayLength();
            if (org.TryGetProperty("accounts", out var accounts))
            {
                shares = (accounts.GetProperty("collected").GetInt32(), accounts.GetProperty("sentNow").GetInt32(), accounts.GetProperty("skipped").GetInt32());
            }
        }
        else
        {
            failures.Add($"run's JSON has no row for {ScaleConfiguration.ReportId}");
        }

        var outbox = summary.TryGetProperty("outboxDirectory", out var directory) ? directory.GetString() : null;
        var emails = outbox is not null && Directory.Exists(outbox) ? Directory.EnumerateFiles(outbox, "*.eml", SearchOption.AllDirectories).Count() : 0;
        var deadLettered = summary.GetProperty("queues").EnumerateArray().Sum(q => q.GetProperty("deadLettered").GetInt32());
        var queueDetail = string.Join(", ", summary.GetProperty("queues").EnumerateArray().Select(q =>
            $"{q.GetProperty("queue").GetString()} {q.GetProperty("deadLettered").GetInt32().ToString(CultureInfo.InvariantCulture)}"));
        var database = Directory.EnumerateFiles(dataDir, "costnotifier.db*").Sum(f => new FileInfo(f).Length);
        if (emails != configuration.ExpectedEmails)
        {
            failures.Add($"the outbox holds {emails} emails, not the {configuration.ExpectedEmails} expected");
        }

        return figures with
        {
            CostExplorerRequests = summary.TryGetProperty("costSourceRequests", out var requests) ? requests.GetInt32() : 0,
            CollectorMessages = summary.TryGetProperty("collectorMessages", out var messages) ? messages.GetInt32() : null,
            Shares = shares,
            EmailsDelivered = emails,
            EmailsWhere = $"outbox .eml files (run JSON: {(shares?.Item2 ?? 0) + orgEmailed} sent now)",
            StoredBytes = database,
            StoredWhat = "SQLite database file(s) after the run",
            DeadLettered = deadLettered,
            DeadLetterDetail = queueDetail,
            PeakMemory = [("costnotifier run", run.PeakBytes)],
            WallSeconds = run.Elapsed.TotalSeconds,
            WallWhat = "process start to exit of `costnotifier run` (its start-up and summary included)",
            Notes = ["The sample cost source stands in for Cost Explorer (no HTTP); emails are written to the outbox, paced at the full rate."],
            Failures = failures,
        };
    }

    private sealed record CliResult(int ExitCode, string Output, string Error, TimeSpan Elapsed, long PeakBytes);

    private static async Task<CliResult> RunCliAsync(
        ScaleOptions options, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(options.Cli!);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        long peakKilobytes = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // VmHWM only grows: sampling it until the process ends gives its peak up to the last sample.
            var exited = process.WaitForExitAsync(deadline.Token);
            while (!exited.IsCompleted)
            {
                peakKilobytes = Math.Max(peakKilobytes, FunctionRole.PeakKilobytes(process.Id));
                await Task.WhenAny(exited, Task.Delay(100, deadline.Token));
            }

            await exited;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return new CliResult(-1, string.Empty, $"still running after {timeout.TotalSeconds:0} s; stopped", clock.Elapsed, peakKilobytes * 1024);
        }

        clock.Stop();
        return new CliResult(process.ExitCode, await output, await error, clock.Elapsed, peakKilobytes * 1024);
    }
}
