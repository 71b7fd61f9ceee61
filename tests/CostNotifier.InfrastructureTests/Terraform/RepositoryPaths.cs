namespace CostNotifier.InfrastructureTests.Terraform;

/// <summary>Finds the repository the tests were built from, so they read its terraform/ and tools/ directories.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string TerraformDirectory => Path.Combine(Root, "terraform");

    private static string FindRoot()
    {
        // Lets a copy of the test project built elsewhere still read this repository.
        if (Environment.GetEnvironmentVariable("COSTNOTIFIER_REPOSITORY_ROOT") is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, "terraform"))
                && File.Exists(Path.Combine(directory.FullName, "tools", "hcl2json", "package.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No repository root (a directory with terraform/ and tools/hcl2json/package.json) above {AppContext.BaseDirectory}.");
    }
}
