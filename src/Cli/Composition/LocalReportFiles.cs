using System.Globalization;
using CostNotifier.Aws.Configuration;

namespace CostNotifier.Cli.Composition;

/// <summary>
/// The embedded default's report configuration as versions: <c>reports.json</c> in the data directory is the
/// version in force, and <c>reports.json.&lt;N&gt;</c> keeps version N after a later one replaced it. Versions are
/// counted from 1; a data directory whose file was never replaced is at version 1.
/// </summary>
public sealed class LocalReportFiles(string dataDirectory)
{
    /// <summary>The data directory.</summary>
    public string DataDirectory { get; } = dataDirectory ?? throw new ArgumentNullException(nameof(dataDirectory));

    /// <summary>The file in force.</summary>
    public string CurrentFile => Path.Combine(DataDirectory, EmbeddedStack.ReportsFileName);

    /// <summary>The file that keeps version <paramref name="version"/> once a later one replaced it.</summary>
    public string BackupFile(long version) => CurrentFile + "." + version.ToString(CultureInfo.InvariantCulture);

    /// <summary>The version of the file in force; null when the data directory has none yet.</summary>
    public long? CurrentVersion() => File.Exists(CurrentFile) ? HighestBackup() + 1 : null;

    /// <summary>
    /// Makes <paramref name="document"/> the file in force: written beside it and moved over it in one rename, after
    /// the file it replaces was copied to its numbered backup.
    /// </summary>
    public ReportConfigurationVersion Publish(ReportConfigurationDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        Directory.CreateDirectory(DataDirectory);
        var current = CurrentVersion();
        var temp = Path.Combine(DataDirectory, $".{EmbeddedStack.ReportsFileName}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temp, document.Bytes.ToArray());
        try
        {
            if (current is { } version)
            {
                File.Copy(CurrentFile, BackupFile(version), overwrite: false);
            }

            File.Move(temp, CurrentFile, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        return Metadata((current ?? 0) + 1, CurrentFile, document);
    }

    /// <summary>Version <paramref name="version"/>, or the one in force when null, read and validated.</summary>
    public PublishedReportConfiguration Load(long? version)
    {
        var current = CurrentVersion()
            ?? throw new ReportConfigurationMissingException(
                $"{CurrentFile} does not exist yet; run `costnotifier reports publish --file reports.json` (or any command of the embedded default, which writes the sample reports).");
        var wanted = version ?? current;
        var path = wanted == current ? CurrentFile : BackupFile(wanted);
        if (wanted < 1 || wanted > current || !File.Exists(path))
        {
            throw new ReportConfigurationMissingException(
                $"Version {wanted} of the report configuration is not in {DataDirectory}: the version in force is {current}, and earlier ones are kept as {EmbeddedStack.ReportsFileName}.<N>.");
        }

        var text = File.ReadAllText(path);
        ReportConfigurationDocument document;
        try
        {
            document = ReportConfigurationDocument.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }

        return new PublishedReportConfiguration(Metadata(wanted, path, document), text, document.Catalog);
    }

    private static ReportConfigurationVersion Metadata(long version, string path, ReportConfigurationDocument document) =>
        new(version, 1, document.Bytes.Length, document.Sha256, document.ReportCount, document.AccountCount, File.GetLastWriteTimeUtc(path), null);

    private long HighestBackup()
    {
        var prefix = EmbeddedStack.ReportsFileName + ".";
        return Directory.Exists(DataDirectory)
            ? Directory.EnumerateFiles(DataDirectory, prefix + "*")
                .Select(path => Path.GetFileName(path))
                .Select(name => name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal)
                    && long.TryParse(name[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
                .DefaultIfEmpty(0)
                .Max()
            : 0;
    }
}
