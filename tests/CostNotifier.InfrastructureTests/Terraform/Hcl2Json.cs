using System.Diagnostics;
using System.Text.Json;

namespace CostNotifier.InfrastructureTests.Terraform;

/// <summary>
/// Converts HCL files to JSON with the pinned <c>@cdktf/hcl2json</c> (HashiCorp's own HCL parser compiled to
/// WebAssembly) through <c>tools/hcl2json/convert.mjs</c>. There is no Terraform binary in CI, so this is
/// what proves the files parse at all.
/// </summary>
public static class Hcl2Json
{
    public const string InstallCommand = "npm ci --prefix tools/hcl2json";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Parses each file; the result maps each given path to its document.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Convert(IReadOnlyCollection<string> files) =>
        Convert(files, Path.Combine(RepositoryPaths.Root, "tools", "hcl2json"));

    internal static IReadOnlyDictionary<string, JsonElement> Convert(IReadOnlyCollection<string> files, string toolDirectory)
    {
        var package = Path.Combine(toolDirectory, "node_modules", "@cdktf", "hcl2json", "package.json");
        if (!File.Exists(package))
        {
            throw new InvalidOperationException(
                $"@cdktf/hcl2json is not installed ({package} is missing). Run `{InstallCommand}` from the repository root before the infrastructure tests.");
        }

        var node = FindNode() ?? throw new InvalidOperationException(
            "`node` is not on PATH; the infrastructure tests need Node.js (20 or later) to run @cdktf/hcl2json.");

        var start = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = toolDirectory,
        };
        start.ArgumentList.Add(Path.Combine(toolDirectory, "convert.mjs"));
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {node}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"hcl2json did not finish within {Timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new HclSyntaxException($"hcl2json failed (exit {process.ExitCode}): {stderr.Result.Trim()}");
        }

        using var document = JsonDocument.Parse(stdout.Result);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }

    private static string? FindNode()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, OperatingSystem.IsWindows() ? "node.exe" : "node"))
            .FirstOrDefault(File.Exists);
    }
}

/// <summary>A Terraform file that HashiCorp's HCL parser rejects.</summary>
public sealed class HclSyntaxException(string message) : Exception(message);
