using System.Security.Cryptography;
using System.Text;
using CostNotifier.Configuration;
using CostNotifier.Domain;

namespace CostNotifier.Aws.Configuration;

/// <summary>What is recorded about one published version of the report configuration.</summary>
/// <param name="Version">The version number; versions only grow, and may skip a number a failed publish claimed.</param>
/// <param name="Parts">How many parts the document is stored in.</param>
/// <param name="Bytes">The document's length in UTF-8 bytes.</param>
/// <param name="Sha256">The SHA-256 of those bytes, lowercase hex (what <c>sha256sum</c> prints for the file).</param>
/// <param name="Reports">How many reports it defines.</param>
/// <param name="Accounts">How many accounts its per-account reports list, all together.</param>
/// <param name="PublishedAt">When it was published.</param>
/// <param name="PublishedBy">Who published it, as the publisher said (a user name or a note); null when nobody said.</param>
public sealed record ReportConfigurationVersion(
    long Version, int Parts, long Bytes, string Sha256, int Reports, int Accounts, DateTimeOffset PublishedAt, string? PublishedBy);

/// <summary>A published version with its document and the catalog parsed from it.</summary>
/// <param name="Metadata">What was recorded about the version.</param>
/// <param name="Document">The document exactly as it was published.</param>
/// <param name="Catalog">The reports it defines.</param>
public sealed record PublishedReportConfiguration(ReportConfigurationVersion Metadata, string Document, ReportCatalog Catalog);

/// <summary>A report configuration document checked for publishing: its text, its bytes and the catalog it defines.</summary>
public sealed class ReportConfigurationDocument
{
    private ReportConfigurationDocument(string text, byte[] bytes, ReportCatalog catalog)
    {
        Text = text;
        Bytes = bytes;
        Catalog = catalog;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>The document's text, as the operator wrote it.</summary>
    public string Text { get; }

    /// <summary>The text in UTF-8, without a byte order mark: what is stored and hashed.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The reports it defines.</summary>
    public ReportCatalog Catalog { get; }

    /// <summary>The SHA-256 of <see cref="Bytes"/>, lowercase hex.</summary>
    public string Sha256 { get; }

    /// <summary>How many reports the document defines.</summary>
    public int ReportCount => Catalog.Reports.Count;

    /// <summary>How many accounts the per-account reports list, all together.</summary>
    public int AccountCount => CountAccounts(Catalog);

    /// <summary>
    /// Parses and validates <paramref name="text"/>; throws <see cref="FormatException"/> listing every problem by
    /// report and field (<see cref="ReportConfiguration.Parse"/>'s message) when it is not a valid configuration.
    /// </summary>
    public static ReportConfigurationDocument Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var catalog = ReportConfiguration.Parse(text);
        return new ReportConfigurationDocument(text, Encoding.UTF8.GetBytes(text), catalog);
    }

    /// <summary>How many accounts the per-account reports of <paramref name="catalog"/> list, all together.</summary>
    public static int CountAccounts(ReportCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Reports.Sum(r => r.PerAccount?.Accounts.Count ?? 0);
    }
}
