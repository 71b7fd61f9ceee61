using System.Net.Mail;
using System.Text.Json;
using System.Text.Json.Serialization;
using CostNotifier.Domain;

namespace CostNotifier.Configuration;

/// <summary>
/// Reads report definitions from JSON: an array of
/// <c>{ "id", "name", "recipients": [..], "groupBy", "top"?, "filter"?: [{ "dimension"|"tag", "values", "exclude"? }] }</c>.
/// Every problem is reported with the report and field it concerns.
/// </summary>
public static class ReportConfiguration
{
    /// <summary>The most recipients one report may have (SES takes 50 destinations per call).</summary>
    public const int MaxRecipients = 50;

    /// <summary>Parses the JSON into a catalog or throws <see cref="FormatException"/> listing every problem.</summary>
    public static ReportCatalog Parse(string json)
    {
        List<ReportDefinitionDocument>? documents;
        try
        {
            documents = JsonSerializer.Deserialize(json, ConfigurationJsonContext.Default.ListReportDefinitionDocument);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Report configuration is not valid JSON: {ex.Message}", ex);
        }

        if (documents is null || documents.Count == 0)
        {
            throw new FormatException("Report configuration must be a non-empty JSON array of reports.");
        }

        var problems = new List<string>();
        var reports = new List<ReportDefinition>();
        for (var i = 0; i < documents.Count; i++)
        {
            if (ToDefinition(documents[i], $"reports[{i}]", problems) is { } report)
            {
                reports.Add(report);
            }
        }

        foreach (var duplicate in reports.GroupBy(r => r.Id).Where(g => g.Count() > 1))
        {
            problems.Add($"report id '{duplicate.Key}' is configured {duplicate.Count()} times");
        }

        return problems.Count > 0
            ? throw new FormatException("Report configuration is invalid: " + string.Join("; ", problems) + ".")
            : new ReportCatalog(reports);
    }

    /// <summary>Serializes a catalog back to the JSON that <see cref="Parse"/> reads.</summary>
    public static string Serialize(ReportCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var documents = catalog.Reports.Select(r => new ReportDefinitionDocument
        {
            Id = r.Id.Value,
            Name = r.Name,
            Recipients = [.. r.Recipients],
            GroupBy = r.GroupBy.ToString(),
            Top = r.Top,
            Filter = [.. r.Filter.Select(f => new FilterClauseDocument { Dimension = f.Dimension, Tag = f.Tag, Values = [.. f.Values], Exclude = f.Exclude })],
        }).ToList();
        return JsonSerializer.Serialize(documents, ConfigurationJsonContext.Default.ListReportDefinitionDocument);
    }

    /// <summary>Whether <paramref name="address"/> is a single plain email address with no display name or line breaks.</summary>
    public static bool IsValidEmailAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Length > 254 || address.Any(char.IsControl) || address.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        return MailAddress.TryCreate(address, out var parsed)
            && string.Equals(parsed.Address, address, StringComparison.Ordinal)
            && string.IsNullOrEmpty(parsed.DisplayName)
            && parsed.Host.Contains('.', StringComparison.Ordinal);
    }

    private static ReportDefinition? ToDefinition(ReportDefinitionDocument document, string path, List<string> problems)
    {
        var before = problems.Count;
        if (!ReportId.TryParse(document.Id, out var id))
        {
            problems.Add($"{path}.id '{document.Id}' must be 1-63 lowercase letters, digits or '-'");
        }
        else
        {
            path = $"report '{id}'";
        }

        var name = string.IsNullOrWhiteSpace(document.Name) ? document.Id ?? string.Empty : document.Name.Trim();
        if (name.Length > 100 || name.Any(char.IsControl))
        {
            problems.Add($"{path}: name must be at most 100 characters without line breaks");
        }

        var recipients = document.Recipients ?? [];
        if (recipients.Count is 0 or > MaxRecipients)
        {
            problems.Add($"{path}: recipients must list 1 to {MaxRecipients} addresses");
        }

        foreach (var bad in recipients.Where(r => !IsValidEmailAddress(r)))
        {
            problems.Add($"{path}: recipient '{bad}' is not a valid email address");
        }

        if (!GroupBy.TryParse(document.GroupBy, out var groupBy))
        {
            problems.Add($"{path}: groupBy '{document.GroupBy}' must be SERVICE, LINKED_ACCOUNT or TAG:<key>");
        }

        var top = document.Top ?? ReportDefinition.DefaultTop;
        if (top is < 1 or > 100)
        {
            problems.Add($"{path}: top {top} must be between 1 and 100");
        }

        var filter = new List<FilterClause>();
        var clauses = document.Filter ?? [];
        for (var i = 0; i < clauses.Count; i++)
        {
            var clause = clauses[i];
            if ((clause.Dimension is null) == (clause.Tag is null))
            {
                problems.Add($"{path}: filter[{i}] must name exactly one of dimension or tag");
            }
            else if (clause.Dimension is not null && CostExplorerDimensions.FilterProblem(clause.Dimension) is { } problem)
            {
                problems.Add($"{path}: filter[{i}].dimension '{clause.Dimension}' {problem}");
            }
            else if (clause.Values is null || clause.Values.Count == 0)
            {
                problems.Add($"{path}: filter[{i}] on {clause.Dimension ?? clause.Tag} lists no values");
            }
            else
            {
                filter.Add(new FilterClause(clause.Dimension, clause.Tag, clause.Values, clause.Exclude ?? false));
            }
        }

        return problems.Count > before
            ? null
            : new ReportDefinition(id, name, recipients.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), groupBy!, top, filter);
    }
}

/// <summary>The JSON shape of one report definition.</summary>
public sealed class ReportDefinitionDocument
{
    /// <summary>Report id.</summary>
    public string? Id { get; set; }

    /// <summary>Title.</summary>
    public string? Name { get; set; }

    /// <summary>Recipient addresses.</summary>
    public List<string>? Recipients { get; set; }

    /// <summary>SERVICE, LINKED_ACCOUNT or TAG:key.</summary>
    public string? GroupBy { get; set; }

    /// <summary>Groups listed in the email.</summary>
    public int? Top { get; set; }

    /// <summary>Filter clauses.</summary>
    public List<FilterClauseDocument>? Filter { get; set; }
}

/// <summary>The JSON shape of a filter clause.</summary>
public sealed class FilterClauseDocument
{
    /// <summary>A Cost Explorer dimension, spelled as the API does (<see cref="CostExplorerDimensions.Filterable"/>).</summary>
    public string? Dimension { get; set; }

    /// <summary>A tag key.</summary>
    public string? Tag { get; set; }

    /// <summary>Matching values.</summary>
    public List<string>? Values { get; set; }

    /// <summary>Exclude instead of include.</summary>
    public bool? Exclude { get; set; }
}

/// <summary>Source-generated JSON for configuration.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(List<ReportDefinitionDocument>))]
public sealed partial class ConfigurationJsonContext : JsonSerializerContext;
