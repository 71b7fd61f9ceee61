using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CostNotifier.IntegrationTests.Runtime;

/// <summary>
/// What a Linux executable needs from the machine it runs on, read with binutils: the shared libraries it names
/// (<c>readelf -d</c>, <c>NEEDED</c>) and the versions of the symbols it imports from them (<c>objdump -T</c>,
/// e.g. <c>GLIBC_2.34</c>, <c>GLIBCXX_3.4.29</c>).
/// </summary>
internal sealed partial record ElfDependencies(IReadOnlyList<string> NeededLibraries, IReadOnlyList<(string Library, Version Version)> SymbolVersions)
{
    /// <summary>The newest version of <paramref name="library"/> (e.g. <c>GLIBC</c>) a symbol needs; null when none does.</summary>
    public Version? Newest(string library) =>
        SymbolVersions.Where(v => v.Library == library).Select(v => v.Version).DefaultIfEmpty().Max();

    /// <summary>Reads <paramref name="executable"/>'s dependencies; fails saying which tool is missing.</summary>
    public static async Task<ElfDependencies> ReadAsync(string executable)
    {
        var dynamicSection = await RunAsync("readelf", "-d", executable);
        var dynamicSymbols = await RunAsync("objdump", "-T", executable);
        var needed = NeededPattern().Matches(dynamicSection).Select(m => m.Groups[1].Value).ToList();
        var versions = SymbolVersionPattern().Matches(dynamicSymbols)
            .Select(m => (m.Groups[1].Value, Version.Parse(m.Groups[2].Value.Contains('.', StringComparison.Ordinal) ? m.Groups[2].Value : m.Groups[2].Value + ".0")))
            .Distinct()
            .ToList();
        return new ElfDependencies(needed, versions);
    }

    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{tool} is needed to inspect the Native AOT bootstrap and is not installed (apt-get install binutils): {ex.Message}", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0
                ? await output
                : throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
        }
    }

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")]
    private static partial Regex NeededPattern();

    [GeneratedRegex(@"\b(GLIBC|GLIBCXX|CXXABI|GCC)_([0-9]+(?:\.[0-9]+)*)\b")]
    private static partial Regex SymbolVersionPattern();
}
