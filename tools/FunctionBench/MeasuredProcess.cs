using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CostNotifier.FunctionBench;

/// <summary>Starts one fresh measured process (<see cref="FunctionHost"/>) for a function package and reads what it reports.</summary>
internal static class MeasuredProcess
{
    // Only these of the benchmark's own environment reach the measured process, so a stray AWS_* or DOTNET_*
    // variable in the caller's shell cannot change what is measured.
    private static readonly string[] InheritedVariables = ["PATH", "HOME", "TMPDIR", "LANG", "TZ"];

    public static async Task<(MeasuredRun? Run, string? Failure)> RunAsync(
        string dotnet,
        string hostAssembly,
        string packageDirectory,
        FunctionPackage function,
        string variant,
        PreparedRun prepared,
        IReadOnlyDictionary<string, string> extraEnvironment,
        string workDirectory,
        CancellationToken cancellationToken)
    {
        var coldEvent = Path.Combine(workDirectory, "cold-event.json");
        var warmEvent = Path.Combine(workDirectory, "warm-event.json");
        var resultPath = Path.Combine(workDirectory, "result.json");
        await File.WriteAllBytesAsync(coldEvent, prepared.ColdEvent, cancellationToken);
        await File.WriteAllBytesAsync(warmEvent, prepared.WarmEvent, cancellationToken);
        File.Delete(resultPath);

        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDirectory,
        };
        start.Environment.Clear();
        foreach (var name in InheritedVariables)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                start.Environment[name] = value;
            }
        }

        foreach (var (name, value) in prepared.Environment.Concat(extraEnvironment))
        {
            start.Environment[name] = value;
        }

        // Exactly how the dotnet10 managed runtime starts a class-library handler, with this host standing in for
        // its bootstrap assembly.
        string[] arguments =
        [
            "exec",
            "--depsfile", Path.Combine(packageDirectory, function.Assembly + ".deps.json"),
            "--runtimeconfig", Path.Combine(packageDirectory, function.Assembly + ".runtimeconfig.json"),
            hostAssembly,
            FunctionHost.Command,
            "--handler", function.Handler,
            "--cold-event", coldEvent,
            "--warm-event", warmEvent,
            "--package", packageDirectory,
            "--result", resultPath,
            "--spawned-at",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);

        var spawnedAt = Stopwatch.GetTimestamp();
        start.ArgumentList.Add(spawnedAt.ToString(CultureInfo.InvariantCulture));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                return (null, $"the process did not finish within 2 minutes{Tail(output)}");
            }
        }

        if (!File.Exists(resultPath))
        {
            return (null, $"the process exited with code {process.ExitCode} without a result{Tail(output)}");
        }

        using var result = JsonDocument.Parse(await File.ReadAllBytesAsync(resultPath, cancellationToken));
        var root = result.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            return (null, $"the function failed: {error.GetString()}{Tail(output)}");
        }

        var foreign = root.GetProperty("foreignAssemblies").EnumerateArray().Select(e => e.GetString()).ToList();
        if (foreign.Count > 0)
        {
            return (null, "assemblies were loaded from outside the package: " + string.Join(", ", foreign));
        }

        var run = new MeasuredRun(
            function.Name,
            variant,
            root.GetProperty("mainMs").GetDouble(),
            root.GetProperty("loadedMs").GetDouble(),
            root.GetProperty("builtMs").GetDouble(),
            root.GetProperty("answeredMs").GetDouble(),
            root.GetProperty("coldInvokeMs").GetDouble(),
            root.GetProperty("warmInvokeMs").GetDouble(),
            root.GetProperty("jitMethods").GetInt64(),
            root.GetProperty("jitMs").GetDouble(),
            root.GetProperty("peakAfterColdKb").GetInt64(),
            root.GetProperty("peakKb").GetInt64(),
            root.GetProperty("coldResponse").GetString() ?? string.Empty,
            root.GetProperty("warmResponse").GetString() ?? string.Empty);
        var problem = await prepared.VerifyAsync(run);
        return problem is null ? (run, null) : (null, $"the invocations did not do their work: {problem}{Tail(output)}");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Tail(StringBuilder output)
    {
        string text;
        lock (output)
        {
            text = output.ToString();
        }

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? string.Empty : Environment.NewLine + "  its output ends with:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", lines.TakeLast(15));
    }
}
