using CostNotifier.Domain;

namespace CostNotifier.CostData;

/// <summary>
/// Where daily cost comes from: Cost Explorer in AWS, a deterministic sample on the embedded default.
/// One call returns every day of the period, so a report-day with its history costs one request
/// (plus one per extra page).
/// </summary>
public interface ICostSource
{
    /// <summary>
    /// Fetches the cost of every group for each day of <see cref="CostQuery.Period"/>, or for each calendar month of
    /// it when <see cref="CostQuery.Granularity"/> is <see cref="CostGranularity.Monthly"/>.
    /// </summary>
    Task<CostQueryResult> GetCostAsync(CostQuery query, CancellationToken cancellationToken);
}

/// <summary>A request for daily grouped cost.</summary>
/// <param name="Period">The usage days wanted; <c>End</c> is exclusive.</param>
/// <param name="GroupBy">How to group.</param>
/// <param name="Filter">Clauses that must all hold; empty for everything.</param>
/// <param name="Metric">The cost metric, e.g. <c>UnblendedCost</c>.</param>
public sealed record CostQuery(DateRange Period, GroupBy GroupBy, IReadOnlyList<FilterClause> Filter, string Metric)
{
    /// <summary>
    /// Daily (the default) or monthly figures. A monthly query's period starts on the first of a month and ends on the
    /// first of a later one.
    /// </summary>
    public CostGranularity Granularity { get; init; } = CostGranularity.Daily;

    /// <summary>
    /// Also group by <c>LINKED_ACCOUNT</c>, ahead of <see cref="GroupBy"/> (Cost Explorer's two group-bys): every
    /// group of the answer carries its <see cref="GroupCost.Account"/>, and the answer the accounts' names. One such
    /// query answers a per-account report's organisation total and every account's share.
    /// </summary>
    public bool ByAccount { get; init; }
}

/// <summary>How finely a query splits its period: Cost Explorer's <c>Granularity</c>.</summary>
public enum CostGranularity
{
    /// <summary>One result per usage day (<c>DAILY</c>).</summary>
    Daily,

    /// <summary>One result per calendar month (<c>MONTHLY</c>).</summary>
    Monthly,
}

/// <summary>Daily cost for a period.</summary>
/// <param name="Days">
/// The days (or months) of the period the source has data for, in date order. A day it has no data for yet is left out, never
/// given as a day without cost; a day that is final and had no cost is an entry without groups.
/// </param>
/// <param name="Requests">How many billable requests (pages) the source made to answer.</param>
public sealed record CostQueryResult(IReadOnlyList<DailyCost> Days, int Requests)
{
    /// <summary>
    /// Linked accounts' names by account id, as the source gives them with an answer grouped by account (Cost
    /// Explorer's <c>DimensionValueAttributes</c>, attribute <c>description</c>); empty when it gives none.
    /// </summary>
    public IReadOnlyDictionary<string, string> AccountNames { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>The cost of one usage day, or of one calendar month for a monthly query.</summary>
/// <param name="Date">The usage day; for a monthly query, the first day of the month.</param>
/// <param name="Estimated">True while the provider may still revise the day.</param>
/// <param name="Groups">Cost per group key; credits and refunds appear as negative amounts.</param>
public sealed record DailyCost(ReportDate Date, bool Estimated, IReadOnlyList<GroupCost> Groups);

/// <summary>The cost of one group on one day.</summary>
/// <param name="Key">The group key: a service name, an account id, or <c>tagkey$value</c>.</param>
/// <param name="Amount">The amount at full precision.</param>
/// <param name="Currency">The unit, e.g. <c>USD</c>.</param>
public sealed record GroupCost(string Key, decimal Amount, string Currency)
{
    /// <summary>The linked account the cost belongs to, for a query <see cref="CostQuery.ByAccount">by account</see>; else null.</summary>
    public string? Account { get; init; }
}

/// <summary>
/// A failure of the cost source: transient (throttling, an outage, data not there yet) or not (bad request, access
/// denied, an answer that cannot be read).
/// </summary>
public sealed class CostSourceException(string message, bool isTransient, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>Whether a later retry may succeed.</summary>
    public bool IsTransient { get; } = isTransient;

    /// <summary>
    /// The source has no data for the day yet: nothing is wrong, the day has not landed. Transient; when the retries
    /// run out, this is the reason the message is dead-lettered with.
    /// </summary>
    public bool IsDataPending { get; private init; }

    /// <summary>The source has no data for <paramref name="period"/> yet (see <see cref="IsDataPending"/>).</summary>
    public static CostSourceException DataPending(ReportPeriod period) =>
        new($"Cost Explorer has no data for {period} yet; the report waits for it rather than showing it as without cost.", isTransient: true)
        {
            IsDataPending = true,
        };
}
