namespace CostNotifier.Domain;

/// <summary>
/// How a per-account report splits: one query for the whole organisation, one snapshot and one email per linked
/// account to that account's owners, and the organisation total on the report's own stream.
/// </summary>
/// <param name="Accounts">The accounts the configuration knows, by 12-digit id: a name and the owners' addresses.</param>
/// <param name="Unowned">What happens to an account that has cost but no owners.</param>
/// <param name="DefaultRecipients">Who gets an unowned account's email when <paramref name="Unowned"/> is <see cref="UnownedAccounts.Default"/>.</param>
public sealed record PerAccountSettings(
    IReadOnlyDictionary<string, AccountSettings> Accounts,
    UnownedAccounts Unowned,
    IReadOnlyList<string> DefaultRecipients)
{
    /// <summary>The most accounts one report may name: an AWS Organization's default quota is 10 per cent of this.</summary>
    public const int MaxAccounts = 10_000;

    /// <summary>Who gets <paramref name="account"/>'s email: its owners, the default recipients, or nobody (skipped).</summary>
    public IReadOnlyList<string> RecipientsOf(string account) =>
        Accounts.TryGetValue(account, out var settings) && settings.Owners.Count > 0 ? settings.Owners
        : Unowned == UnownedAccounts.Default ? DefaultRecipients
        : [];

    /// <summary>Whether <paramref name="account"/> gets a snapshot of its own: it has owners, or unowned accounts go to the default recipients.</summary>
    public bool Reports(string account) => RecipientsOf(account).Count > 0;
}

/// <summary>One linked account of a per-account report.</summary>
/// <param name="Name">A name for people; when null, Cost Explorer's name for the account is used.</param>
/// <param name="Owners">The addresses that get this account's email; may be empty.</param>
public sealed record AccountSettings(string? Name, IReadOnlyList<string> Owners);

/// <summary>What a per-account report does with an account that has cost but no owners.</summary>
public enum UnownedAccounts
{
    /// <summary>No snapshot and no email for the account; its cost still counts in the organisation total.</summary>
    Skip,

    /// <summary>The account's email goes to the report's default recipients.</summary>
    Default,
}
