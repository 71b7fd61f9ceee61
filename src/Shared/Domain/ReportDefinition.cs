namespace CostNotifier.Domain;

/// <summary>One clause of a report's cost filter: a dimension or a tag matching any of the values.</summary>
/// <param name="Dimension">A Cost Explorer dimension such as <c>LINKED_ACCOUNT</c> or <c>REGION</c>; null for a tag clause.</param>
/// <param name="Tag">A cost-allocation tag key; null for a dimension clause.</param>
/// <param name="Values">The values that match.</param>
/// <param name="Exclude">When true the clause removes matching cost instead of keeping it.</param>
public sealed record FilterClause(string? Dimension, string? Tag, IReadOnlyList<string> Values, bool Exclude = false);

/// <summary>A configured report: who receives it and how its cost is grouped and filtered.</summary>
/// <param name="Id">The report's id.</param>
/// <param name="Name">A title for people, used in the email subject.</param>
/// <param name="Recipients">Email addresses; each gets its own copy.</param>
/// <param name="GroupBy">How cost is grouped.</param>
/// <param name="Top">How many groups the email lists before folding the rest into "Other".</param>
/// <param name="Filter">Clauses that must all hold (AND); empty for the whole account.</param>
public sealed record ReportDefinition(
    ReportId Id,
    string Name,
    IReadOnlyList<string> Recipients,
    GroupBy GroupBy,
    int Top,
    IReadOnlyList<FilterClause> Filter)
{
    /// <summary>How many groups an email lists when a report does not say.</summary>
    public const int DefaultTop = 10;
}
