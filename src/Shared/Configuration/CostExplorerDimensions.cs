namespace CostNotifier.Configuration;

/// <summary>
/// The dimensions Cost Explorer knows, as its API model lists them (service <c>ce</c>, API version 2017-10-25,
/// the <c>Dimension</c> enum), and which of them a report's cost filter may use. Cost Explorer compares dimension
/// names exactly: <c>region</c> is not <c>REGION</c>, and an unknown or misspelt name fails every
/// <c>GetCostAndUsage</c> call with a ValidationException, so the configuration refuses it up front.
/// </summary>
public static class CostExplorerDimensions
{
    /// <summary>Every value of Cost Explorer's <c>Dimension</c> enum, in the model's order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "AZ",
        "INSTANCE_TYPE",
        "LINKED_ACCOUNT",
        "PAYER_ACCOUNT",
        "LINKED_ACCOUNT_NAME",
        "OPERATION",
        "PURCHASE_TYPE",
        "REGION",
        "SERVICE",
        "SERVICE_CODE",
        "USAGE_TYPE",
        "USAGE_TYPE_GROUP",
        "RECORD_TYPE",
        "OPERATING_SYSTEM",
        "TENANCY",
        "SCOPE",
        "PLATFORM",
        "SUBSCRIPTION_ID",
        "LEGAL_ENTITY_NAME",
        "DEPLOYMENT_OPTION",
        "DATABASE_ENGINE",
        "CACHE_ENGINE",
        "INSTANCE_TYPE_FAMILY",
        "BILLING_ENTITY",
        "RESERVATION_ID",
        "RESOURCE_ID",
        "RIGHTSIZING_TYPE",
        "SAVINGS_PLANS_TYPE",
        "SAVINGS_PLAN_ARN",
        "PAYMENT_OPTION",
        "AGREEMENT_END_DATE_TIME_AFTER",
        "AGREEMENT_END_DATE_TIME_BEFORE",
        "INVOICING_ENTITY",
        "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
        "ANOMALY_TOTAL_IMPACT_PERCENTAGE",
    ];

    /// <summary>
    /// Enum values the API documentation reserves for other operations: a cost filter naming one of them is refused
    /// by Cost Explorer just like an unknown name.
    /// </summary>
    public static IReadOnlyDictionary<string, string> UsableOnlyElsewhere { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["LINKED_ACCOUNT_NAME"] = "cost category rules",
        ["SERVICE_CODE"] = "cost category rules",
        ["ANOMALY_TOTAL_IMPACT_ABSOLUTE"] = "anomaly subscriptions",
        ["ANOMALY_TOTAL_IMPACT_PERCENTAGE"] = "anomaly subscriptions",
    };

    /// <summary>The dimensions a report's filter may name, in the model's order.</summary>
    public static IReadOnlyList<string> Filterable { get; } = [.. All.Where(d => !UsableOnlyElsewhere.ContainsKey(d))];

    /// <summary>Why <paramref name="dimension"/> cannot filter a cost query, or null when it can.</summary>
    public static string? FilterProblem(string dimension)
    {
        ArgumentNullException.ThrowIfNull(dimension);
        if (UsableOnlyElsewhere.TryGetValue(dimension, out var where))
        {
            return $"is a Cost Explorer dimension for {where} only, not for a cost filter";
        }

        if (Filterable.Contains(dimension, StringComparer.Ordinal))
        {
            return null;
        }

        // Dimension names are case-sensitive upper case; a near miss gets the exact spelling rather than the whole list.
        var spelled = All.FirstOrDefault(d => string.Equals(d, dimension.Trim(), StringComparison.OrdinalIgnoreCase));
        return spelled is null
            ? $"is not a Cost Explorer dimension; use one of {string.Join(", ", Filterable)}"
            : UsableOnlyElsewhere.TryGetValue(spelled, out where)
                ? $"is not a Cost Explorer dimension (and {spelled} is for {where} only, not for a cost filter)"
                : $"is not a Cost Explorer dimension; did you mean {spelled}? Dimension names are upper case";
    }
}
