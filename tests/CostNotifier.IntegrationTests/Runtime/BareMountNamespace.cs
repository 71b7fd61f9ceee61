using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.Runtime;

/// <summary>
/// A launcher that runs a command in a private mount namespace (<c>unshare --mount</c>) where this machine's .NET
/// installations and every ICU library are hidden: empty directories and <c>/dev/null</c> bind-mounted over them.
/// What is left is what provided.al2023 offers a Native AOT <c>bootstrap</c>: a C library, no .NET, no ICU.
/// The mounts die with the namespace; the machine itself is untouched.
/// </summary>
internal sealed class BareMountNamespace : IDisposable
{
    /// <summary>Where .NET is installed when it is not where <c>dotnet</c> resolves to.</summary>
    private static readonly string[] KnownDotnetDirectories =
    [
        "/usr/share/dotnet", "/usr/lib/dotnet", "/usr/lib64/dotnet", "/usr/local/share/dotnet", "/opt/dotnet", "/root/.dotnet",
    ];

    private static readonly string[] LibraryDirectories = ["/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib"];

    private readonly string _empty = Directory.CreateTempSubdirectory("costnotifier-empty-").FullName;

    private BareMountNamespace(string unshare, IReadOnlyList<string> hiddenDirectories, IReadOnlyList<string> hiddenFiles)
    {
        HiddenDirectories = hiddenDirectories;
        HiddenFiles = hiddenFiles;
        var script = string.Join(
            Environment.NewLine,
            [
                "set -e",
                .. hiddenDirectories.Select(d => $"mount --bind {Quote(_empty)} {Quote(d)}"),
                .. hiddenFiles.Select(f => $"mount --bind /dev/null {Quote(f)}"),
                .. hiddenDirectories.Select(d => $"if [ -n \"$(ls -A {Quote(d)})\" ]; then echo 'still visible: {d}' >&2; exit 97; fi"),
                "exec \"$@\"",
            ]);
        Launcher = [unshare, "--mount", "--propagation", "private", "--", "/bin/sh", "-c", script, "sh"];
    }

    /// <summary>The command to put in front of the function's own (<see cref="PackagedFunction.Start"/>'s launcher).</summary>
    public IReadOnlyList<string> Launcher { get; }

    /// <summary>The .NET installations hidden.</summary>
    public IReadOnlyList<string> HiddenDirectories { get; }

    /// <summary>The ICU library files hidden.</summary>
    public IReadOnlyList<string> HiddenFiles { get; }

    /// <summary>
    /// Prepares the launcher. Fails, never skips, when it cannot work here: it needs root (for the mounts) and
    /// <c>unshare</c> from util-linux.
    /// </summary>
    public static BareMountNamespace Create()
    {
        var unshare = new[] { "/usr/bin/unshare", "/bin/unshare", "/usr/sbin/unshare", "/sbin/unshare" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "unshare (util-linux) is not installed, so the test cannot hide .NET and ICU from the bootstrap. Install util-linux; this check must run, not be skipped.");
        var uid = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[2];
        if (uid != "0")
        {
            throw new InvalidOperationException(
                $"Hiding .NET and ICU needs root for unshare --mount and bind mounts; the tests run as uid {uid}. Run them as root (e.g. in the CI container); this check must run, not be skipped.");
        }

        var dotnet = Path.GetDirectoryName(PackagedFunction.DotnetHost())!;
        var directories = KnownDotnetDirectories.Append(dotnet)
            .Append(Environment.GetEnvironmentVariable("DOTNET_ROOT") ?? string.Empty)
            .Where(Directory.Exists)
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        // Only real files, each once: /lib is often a link to /usr/lib, and a link to a hidden file is hidden with it.
        var search = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        var icu = LibraryDirectories
            .Where(Directory.Exists)
            .Select(d => Directory.ResolveLinkTarget(d, returnFinalTarget: true)?.FullName ?? d)
            .Distinct(StringComparer.Ordinal)
            .SelectMany(d => Directory.EnumerateFiles(d, "libicu*", search))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new BareMountNamespace(unshare, directories, icu);
    }

    public void Dispose() => Directory.Delete(_empty, recursive: true);

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
