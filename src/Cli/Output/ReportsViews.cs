using System.Globalization;
using CostNotifier.Aws.Configuration;
using CostNotifier.Domain;

namespace CostNotifier.Cli.Output;

/// <summary>One report of a configuration, as <c>reports validate|show</c> list it.</summary>
/// <param name="Id">The report id.</param>
/// <param name="Name">The title.</param>
/// <param name="Cadence">daily, weekly or monthly.</param>
/// <param name="GroupBy">SERVICE, LINKED_ACCOUNT or TAG:key.</param>
/// <param name="Recipients">The report's own recipients.</param>
/// <param name="Channels">Its chat destinations.</param>
/// <param name="Accounts">For a per-account report, the accounts it lists; null otherwise.</param>
/// <param name="OwnedAccounts">For a per-account report, the accounts with at least one owner; null otherwise.</param>
public sealed record ReportSummaryView(string Id, string Name, string Cadence, string GroupBy, int Recipients, int Channels, int? Accounts, int? OwnedAccounts);

/// <summary>What a report configuration defines, in numbers.</summary>
/// <param name="Reports">How many reports.</param>
/// <param name="Daily">How many are daily.</param>
/// <param name="Weekly">How many are weekly.</param>
/// <param name="Monthly">How many are monthly.</param>
/// <param name="PerAccountReports">How many fan out per linked account.</param>
/// <param name="Accounts">How many accounts those list, all together.</param>
/// <param name="Recipients">Distinct addresses anywhere in it: recipients, default recipients and owners.</param>
/// <param name="Items">Each report.</param>
public sealed record ReportsSummaryView(int Reports, int Daily, int Weekly, int Monthly, int PerAccountReports, int Accounts, int Recipients, IReadOnlyList<ReportSummaryView> Items)
{
    /// <summary>Summarises <paramref name="catalog"/>.</summary>
    public static ReportsSummaryView From(ReportCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var reports = catalog.Reports;
        var addresses = reports
            .SelectMany(r => r.Recipients
                .Concat(r.PerAccount?.DefaultRecipients ?? [])
                .Concat(r.PerAccount?.Accounts.Values.SelectMany(a => a.Owners) ?? []))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Count();
        return new ReportsSummaryView(
            reports.Count,
            reports.Count(r => r.Cadence == Cadence.Daily),
            reports.Count(r => r.Cadence == Cadence.Weekly),
            reports.Count(r => r.Cadence == Cadence.Monthly),
            reports.Count(r => r.PerAccount is not null),
            ReportConfigurationDocument.CountAccounts(catalog),
            addresses,
            [.. reports.Select(r => new ReportSummaryView(
                r.Id.Value,
                r.Name,
                r.Cadence.ToWireName(),
                r.GroupBy.ToString(),
                r.Recipients.Count,
                r.Channels.Count,
                r.PerAccount?.Accounts.Count,
                r.PerAccount?.Accounts.Values.Count(a => a.Owners.Count > 0)))]);
    }

    /// <summary>Writes the reports as a table and the totals under it.</summary>
    public void Write(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var table = new TextTable("REPORT", "CADENCE", "GROUP BY", "RECIPIENTS", "CHANNELS", "ACCOUNTS", "OWNED", "NAME");
        foreach (var r in Items)
        {
            table.Add(r.Id, r.Cadence, r.GroupBy, r.Recipients, r.Channels, Number(r.Accounts), Number(r.OwnedAccounts), r.Name);
        }

        table.WriteTable(output);
        output.WriteLine();
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{Reports} report(s): {Daily} daily, {Weekly} weekly, {Monthly} monthly; {PerAccountReports} per account, listing {Accounts} account(s); {Recipients} distinct address(es)."));
    }

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
