using System.Text.Json;
using CostNotifier.CostData;
using CostNotifier.Domain;

namespace CostNotifier.Collector.CostExplorer;

/// <summary>
/// Writes the JSON body of a <c>GetCostAndUsage</c> call (AWS JSON 1.1) for a <see cref="CostQuery"/>:
/// DAILY or MONTHLY granularity as the query asks, <c>TimePeriod</c> with an exclusive <c>End</c>, one metric, the
/// query's grouping (preceded by <c>LINKED_ACCOUNT</c> for a query by account: Cost Explorer takes at most two), and
/// the report's filter as a Cost Explorer <c>Expression</c>.
/// </summary>
internal static class GetCostAndUsageRequestWriter
{
    /// <summary>The body for <paramref name="query"/>, asking for the page after <paramref name="nextPageToken"/>.</summary>
    /// <exception cref="CostSourceException">
    /// The query cannot be expressed (empty metric, malformed filter clause, a query by account that is also grouped by account).
    /// </exception>
    public static byte[] Write(CostQuery query, string? nextPageToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(query.GroupBy, nameof(query));
        if (string.IsNullOrWhiteSpace(query.Metric))
        {
            throw new CostSourceException("The cost query names no metric (e.g. UnblendedCost).", isTransient: false);
        }

        // Cost Explorer refuses the same dimension twice in GroupBy; a per-account answer grouped by account again
        // would be one group per account anyway, which the plain LINKED_ACCOUNT grouping already gives.
        if (query.ByAccount && query.GroupBy.Kind == GroupingKind.LinkedAccount)
        {
            throw new CostSourceException(
                "A cost query by account cannot also be grouped by LINKED_ACCOUNT: Cost Explorer does not group by one dimension twice. Group by LINKED_ACCOUNT alone, or by account and a service or tag.",
                isTransient: false);
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();

            json.WriteStartObject("TimePeriod");
            json.WriteString("Start", query.Period.Start.ToString());
            json.WriteString("End", query.Period.End.ToString());
            json.WriteEndObject();

            json.WriteString("Granularity", GranularityName(query.Granularity));

            json.WriteStartArray("Metrics");
            json.WriteStringValue(query.Metric);
            json.WriteEndArray();

            json.WriteStartArray("GroupBy");
            if (query.ByAccount)
            {
                WriteGroupDefinition(json, GroupBy.LinkedAccount);
            }

            WriteGroupDefinition(json, query.GroupBy);
            json.WriteEndArray();

            var filter = query.Filter ?? [];
            if (filter.Count > 0)
            {
                json.WritePropertyName("Filter");
                WriteFilter(json, filter);
            }

            if (!string.IsNullOrEmpty(nextPageToken))
            {
                json.WriteString("NextPageToken", nextPageToken);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string GranularityName(CostGranularity granularity) => granularity switch
    {
        CostGranularity.Daily => "DAILY",
        CostGranularity.Monthly => "MONTHLY",
        _ => throw new CostSourceException($"The granularity '{granularity}' cannot be sent to Cost Explorer: use daily or monthly.", isTransient: false),
    };

    private static void WriteGroupDefinition(Utf8JsonWriter json, GroupBy groupBy)
    {
        ArgumentNullException.ThrowIfNull(groupBy);
        var (type, key) = groupBy.Kind switch
        {
            GroupingKind.Service => ("DIMENSION", "SERVICE"),
            GroupingKind.LinkedAccount => ("DIMENSION", "LINKED_ACCOUNT"),
            GroupingKind.Tag when !string.IsNullOrWhiteSpace(groupBy.TagKey) => ("TAG", groupBy.TagKey),
            _ => throw new CostSourceException($"The grouping '{groupBy}' cannot be sent to Cost Explorer: a tag grouping needs a tag key.", isTransient: false),
        };

        json.WriteStartObject();
        json.WriteString("Type", type);
        json.WriteString("Key", key);
        json.WriteEndObject();
    }

    // Cost Explorer rejects an And (or Or) with a single operand, so one clause is written on its own.
    private static void WriteFilter(Utf8JsonWriter json, IReadOnlyList<FilterClause> filter)
    {
        if (filter.Count == 1)
        {
            WriteClause(json, filter[0]);
            return;
        }

        json.WriteStartObject();
        json.WriteStartArray("And");
        foreach (var clause in filter)
        {
            WriteClause(json, clause);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteClause(Utf8JsonWriter json, FilterClause clause)
    {
        ArgumentNullException.ThrowIfNull(clause);
        var hasDimension = !string.IsNullOrWhiteSpace(clause.Dimension);
        var hasTag = !string.IsNullOrWhiteSpace(clause.Tag);
        if (hasDimension == hasTag)
        {
            throw new CostSourceException(
                $"A filter clause must name exactly one of a dimension or a tag (got dimension '{clause.Dimension}', tag '{clause.Tag}').",
                isTransient: false);
        }

        var name = hasDimension ? clause.Dimension! : clause.Tag!;
        if (clause.Values is null || clause.Values.Count == 0 || clause.Values.Any(string.IsNullOrEmpty))
        {
            throw new CostSourceException(
                $"The filter clause on {(hasDimension ? "dimension" : "tag")} '{name}' needs at least one non-empty value.",
                isTransient: false);
        }

        json.WriteStartObject();
        if (clause.Exclude)
        {
            json.WriteStartObject("Not");
        }

        json.WriteStartObject(hasDimension ? "Dimensions" : "Tags");
        json.WriteString("Key", name);
        json.WriteStartArray("Values");
        foreach (var value in clause.Values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
        json.WriteEndObject();

        if (clause.Exclude)
        {
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
