namespace CostNotifier.Domain;

/// <summary>One clause of a report's cost filter: a dimension or a tag matching any of the values.</summary>
/// <param name="Dimension">A Cost Explorer dimension such as <c>LINKED_ACCOUNT</c> or <c>REGION</c>; null for a tag clause.</param>
/// <param name="Tag">A cost-allocation tag key; null for a dimension clause.</param>
/// <param name="Values">The values that match.</param>
/// <param name="Exclude">When true the clause removes matching cost instead of keeping it.</param>
public sealed record FilterClause(string? Dimension, string? Tag, IReadOnlyList<string> Values, bool Exclude = false);

/// <summary>Compares filters by what they keep.</summary>
public static class Filters
{
    /// <summary>
    /// A text equal for two filters exactly when they have the same clauses in the same order with the same values,
    /// so they keep the same cost (a dictionary key for "the same question").
    /// </summary>
    public static string Key(IReadOnlyList<FilterClause> filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return string.Join('\u001f', filter.Select(c => $"{c.Dimension}\u001e{c.Tag}\u001e{c.Exclude}\u001e{string.Join('\u001d', c.Values)}"));
    }
}

/// <summary>A configured report: who receives it and how its cost is grouped and filtered.</summary>
/// <param name="Id">The report's id.</param>
/// <param name="Name">A title for people, used in the email subject.</param>
/// <param name="Recipients">Email addresses; each gets its own copy. May be empty when the report has <see cref="Channels"/>.</param>
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

    /// <summary>How often the report is sent: a daily email, or a digest of each ISO week or calendar month once it has ended.</summary>
    public Cadence Cadence { get; init; } = Cadence.Daily;

    /// <summary>A monthly budget in the report's currency; the email says whether the month is on track to exceed it.</summary>
    public decimal? MonthlyBudget { get; init; }

    /// <summary>How large an anomaly must be before it is flagged.</summary>
    public AnomalyThresholds Anomalies { get; init; } = AnomalyThresholds.Default;

    /// <summary>Slack and Teams destinations that get the report beside the email recipients.</summary>
    public IReadOnlyList<ChatChannel> Channels { get; init; } = [];

    /// <summary>
    /// When set, the report fans out per linked account: its own stream holds the organisation total (grouped by
    /// account, sent to <see cref="Recipients"/> and <see cref="Channels"/>), and each account with someone to tell
    /// gets a share of its own (<see cref="ForAccount"/>), grouped by service.
    /// </summary>
    public PerAccountSettings? PerAccount { get; init; }

    /// <summary>
    /// <paramref name="account"/>'s share of this per-account report: grouped by service, filtered to the account,
    /// sent to its owners (or the default recipients), named after it.
    /// </summary>
    /// <exception cref="InvalidOperationException">This is not a per-account report.</exception>
    public ReportDefinition ForAccount(string account)
    {
        var settings = PerAccount ?? throw new InvalidOperationException($"Report '{Id}' is not a per-account report.");
        return new ReportDefinition(
            Id.ForAccount(account),
            Name,
            settings.RecipientsOf(account),
            GroupBy.Service,
            Top,
            [.. Filter, new FilterClause("LINKED_ACCOUNT", null, [account])])
        {
            Cadence = Cadence,
            Anomalies = Anomalies,
            AccountName = settings.Accounts.TryGetValue(account, out var known) ? known.Name : null,
        };
    }

    /// <summary>For one account's share of a per-account report: the account's name in the configuration; else null.</summary>
    public string? AccountName { get; init; }

    /// <summary>
    /// The title people read: <see cref="Name"/>, and for one account's share the account as well — its configured
    /// name, else <paramref name="queriedAccountName"/> (Cost Explorer's), and its id: "Cost by account: payments (111122223333)".
    /// </summary>
    public string TitleFor(string? queriedAccountName) =>
        Id.Account is { } account ? $"{Name}: {AccountName ?? queriedAccountName ?? "account"} ({account})" : Name;

    /// <summary>
    /// Every destination's key, as events and claims name it: the email addresses, then each channel's
    /// <see cref="ChatChannel.Key"/>.
    /// </summary>
    public IEnumerable<string> DestinationKeys => Recipients.Concat(Channels.Select(c => c.Key));
}

/// <summary>
/// The smallest deviation worth a reader's attention: an anomaly is flagged only when its impact (how far outside the
/// expected range, in money) reaches both limits, so noise never reaches anyone.
/// </summary>
/// <param name="MinimumImpact">The least impact in money, e.g. 10 for $10.</param>
/// <param name="MinimumRelativeImpact">The least impact as a fraction of the expected amount, e.g. 0.25 for 25%.</param>
public sealed record AnomalyThresholds(decimal MinimumImpact, decimal MinimumRelativeImpact)
{
    /// <summary>The defaults: $10 and 25%.</summary>
    public static AnomalyThresholds Default { get; } = new(10m, 0.25m);
}
