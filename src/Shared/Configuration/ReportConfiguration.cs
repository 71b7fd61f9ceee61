using System.Globalization;
using System.Net.Mail;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CostNotifier.Domain;

namespace CostNotifier.Configuration;

/// <summary>
/// Reads report definitions from JSON: an array of
/// <c>{ "id", "name", "recipients": [..], "groupBy", "top"?, "filter"?: [{ "dimension"|"tag", "values", "exclude"? }],
/// "monthlyBudget"?, "anomalies"?: { "minimumImpact"?, "minimumRelativeImpact"? },
/// "channels"?: [{ "name", "type": "slack"|"slack-bot"|"teams", "parameter", "channel"? }],
/// "perAccount"?: { "unowned"?: "skip"|"default", "defaultRecipients"?: [..], "accounts"?: [{ "id", "name"?, "owners"?: [..] }] } }</c>.
/// Every problem is reported with the report and field it concerns.
/// </summary>
public static partial class ReportConfiguration
{
    /// <summary>The most recipients one report may have (SES takes 50 destinations per call).</summary>
    public const int MaxRecipients = 50;

    /// <summary>The most chat destinations one report may have.</summary>
    public const int MaxChannels = 10;

    /// <summary>
    /// The largest <see cref="AnomalyThresholds.MinimumRelativeImpact"/>: 10 means ten times the expected amount, far
    /// beyond any useful threshold; a larger number is almost certainly a percentage written as a whole number.
    /// </summary>
    public const decimal MaxRelativeImpact = 10m;

    private const string NotAnAddress = "is not a valid email address";

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
            Cadence = r.Cadence == Cadence.Daily ? null : r.Cadence.ToWireName(),
            Name = r.Name,
            Recipients = [.. r.Recipients],
            GroupBy = r.GroupBy.ToString(),
            Top = r.Top,
            Filter = [.. r.Filter.Select(f => new FilterClauseDocument { Dimension = f.Dimension, Tag = f.Tag, Values = [.. f.Values], Exclude = f.Exclude })],
            MonthlyBudget = r.MonthlyBudget,
            Anomalies = r.Anomalies == AnomalyThresholds.Default
                ? null
                : new AnomalyThresholdsDocument { MinimumImpact = r.Anomalies.MinimumImpact, MinimumRelativeImpact = r.Anomalies.MinimumRelativeImpact },
            Channels = r.Channels.Count == 0
                ? null
                : [.. r.Channels.Select(c => new ChatChannelDocument { Name = c.Name, Type = c.Kind.ToWireName(), Parameter = c.SecretParameter, Channel = c.SlackChannel })],
            PerAccount = r.PerAccount is not { } perAccount
                ? null
                : new PerAccountDocument
                {
                    Unowned = perAccount.Unowned == UnownedAccounts.Default ? "default" : null,
                    DefaultRecipients = perAccount.DefaultRecipients.Count == 0 ? null : [.. perAccount.DefaultRecipients],
                    Accounts = [.. perAccount.Accounts.Select(a => new AccountDocument { Id = a.Key, Name = a.Value.Name, Owners = a.Value.Owners.Count == 0 ? null : [.. a.Value.Owners] })],
                },
        }).ToList();
        return JsonSerializer.Serialize(documents, ConfigurationJsonContext.Default.ListReportDefinitionDocument);
    }

    /// <summary>Whether <paramref name="address"/> is one plain email address SES can send from or to.</summary>
    public static bool IsValidEmailAddress(string? address) => EmailAddressProblem(address) is null;

    /// <summary>
    /// Why <paramref name="address"/> cannot be a sender or recipient, or null when it can: it must be one plain
    /// address (no display name, list or line break) with a 7-bit ASCII local part and an ASCII domain, as SES v2
    /// requires. A domain with non-ASCII letters is refused rather than converted: under invariant globalization
    /// .NET's Punycode conversion skips IDNA's case mapping and normalization, so it could name another domain.
    /// </summary>
    public static string? EmailAddressProblem(string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Length > 254 || address.Any(char.IsControl) || address.Contains(' ', StringComparison.Ordinal)
            || !MailAddress.TryCreate(address, out var parsed)
            || !string.Equals(parsed.Address, address, StringComparison.Ordinal)
            || !string.IsNullOrEmpty(parsed.DisplayName))
        {
            return NotAnAddress;
        }

        var at = address.LastIndexOf('@');
        var local = address[..at];
        var domain = address[(at + 1)..];
        if (!Ascii.IsValid(local))
        {
            return $"has a non-ASCII local part '{local}': SES sends only to and from addresses whose part before the '@' is 7-bit ASCII";
        }

        if (!Ascii.IsValid(domain))
        {
            return $"has a non-ASCII domain '{domain}': SES needs the domain in ASCII, so write it in Punycode{PunycodeHint(local, domain)}";
        }

        return PlainAsciiAddress().IsMatch(address) ? null : NotAnAddress;
    }

    /// <summary>
    /// The ASCII form of a domain as an example, when the conversion available here can be trusted: lower-case
    /// letters only, nothing that IDNA would first map or normalize (combining marks, full-width forms).
    /// </summary>
    private static string PunycodeHint(string local, string domain)
    {
        var lower = domain.ToLowerInvariant();
        var plain = lower.All(c => Ascii.IsValid(c)
            || (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LowercaseLetter or UnicodeCategory.OtherLetter && c is < '\uF900' or > '\uFFEF'));
        if (!plain)
        {
            return " (xn--...)";
        }

        try
        {
            return $", e.g. '{local}@{new IdnMapping { UseStd3AsciiRules = true }.GetAscii(lower)}'";
        }
        catch (ArgumentException)
        {
            return " (xn--...)";
        }
    }

    /// <summary>A dot-atom local part and a domain of letter-digit-hyphen labels, at least two of them.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlainAsciiAddress();

    private static ReportDefinition? ToDefinition(ReportDefinitionDocument document, string path, List<string> problems)
    {
        var before = problems.Count;
        if (!ReportId.TryParse(document.Id, out var id) || id.Account is not null)
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
        var channels = ToChannels(document.Channels ?? [], path, problems);
        if (recipients.Count > MaxRecipients || (recipients.Count == 0 && (document.Channels ?? []).Count == 0 && document.PerAccount is null))
        {
            problems.Add($"{path}: recipients must list 1 to {MaxRecipients} addresses (or 0 when the report has channels or is per account)");
        }

        AddressProblems(recipients, $"{path}: recipients", problems);
        var perAccount = document.PerAccount is null ? null : ToPerAccount(document.PerAccount, path, problems);
        if (document.PerAccount is not null && document.GroupBy != "LINKED_ACCOUNT")
        {
            problems.Add($"{path}: groupBy '{document.GroupBy}' must be LINKED_ACCOUNT for a per-account report (its own email is the organisation total by account; each account's share is grouped by service)");
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

        var cadence = Cadence.Daily;
        if (document.Cadence is not null)
        {
            try
            {
                cadence = Cadences.Parse(document.Cadence);
            }
            catch (FormatException ex)
            {
                problems.Add($"{path}: cadence {ex.Message}");
            }
        }

        if (document.MonthlyBudget is { } budget && budget <= 0m)
        {
            problems.Add($"{path}: monthlyBudget {Text(budget)} must be greater than 0 (leave it out for no budget)");
        }

        var anomalies = new AnomalyThresholds(
            document.Anomalies?.MinimumImpact ?? AnomalyThresholds.Default.MinimumImpact,
            document.Anomalies?.MinimumRelativeImpact ?? AnomalyThresholds.Default.MinimumRelativeImpact);
        if (anomalies.MinimumImpact < 0m)
        {
            problems.Add($"{path}: anomalies.minimumImpact {Text(anomalies.MinimumImpact)} must be 0 or more (an amount in the report's currency)");
        }

        if (anomalies.MinimumRelativeImpact is < 0m or > MaxRelativeImpact)
        {
            problems.Add($"{path}: anomalies.minimumRelativeImpact {Text(anomalies.MinimumRelativeImpact)} must be between 0 and {Text(MaxRelativeImpact)} (a fraction of the expected amount: 0.25 is 25%)");
        }

        return problems.Count > before
            ? null
            : new ReportDefinition(id, name, recipients.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), groupBy!, top, filter)
            {
                Cadence = cadence,
                MonthlyBudget = document.MonthlyBudget,
                Anomalies = anomalies,
                Channels = channels,
                PerAccount = perAccount,
            };
    }

    private static void AddressProblems(IReadOnlyList<string> addresses, string path, List<string> problems)
    {
        for (var i = 0; i < addresses.Count; i++)
        {
            if (EmailAddressProblem(addresses[i]) is { } problem)
            {
                problems.Add($"{path}[{i}] '{addresses[i]}' {problem}");
            }
        }
    }

    /// <summary>
    /// Reads a per-account report's accounts: unique 12-digit ids, optional names, up to <see cref="MaxRecipients"/>
    /// owners each, and what happens to accounts without owners.
    /// </summary>
    private static PerAccountSettings? ToPerAccount(PerAccountDocument document, string path, List<string> problems)
    {
        var before = problems.Count;
        path += ": perAccount";
        var unowned = UnownedAccounts.Skip;
        switch (document.Unowned)
        {
            case null or "skip":
                break;
            case "default":
                unowned = UnownedAccounts.Default;
                break;
            default:
                problems.Add($"{path}.unowned '{document.Unowned}' must be skip (no email for an account without owners) or default (send it to defaultRecipients)");
                break;
        }

        var defaults = document.DefaultRecipients ?? [];
        if (unowned == UnownedAccounts.Default && defaults.Count is 0 or > MaxRecipients)
        {
            problems.Add($"{path}.defaultRecipients must list 1 to {MaxRecipients} addresses when unowned is default");
        }
        else if (unowned == UnownedAccounts.Skip && defaults.Count > 0)
        {
            problems.Add($"{path}.defaultRecipients is only used when unowned is default; set unowned to default or remove them");
        }

        AddressProblems(defaults, $"{path}.defaultRecipients", problems);
        var documents = document.Accounts ?? [];
        if (documents.Count > PerAccountSettings.MaxAccounts)
        {
            problems.Add($"{path}.accounts lists {documents.Count} accounts; at most {PerAccountSettings.MaxAccounts} are allowed");
        }

        var accounts = new Dictionary<string, AccountSettings>(StringComparer.Ordinal);
        for (var i = 0; i < documents.Count; i++)
        {
            var account = documents[i];
            var at = $"{path}.accounts[{i}]";
            if (account.Id is not { Length: 12 } id || !id.All(char.IsAsciiDigit))
            {
                problems.Add($"{at}.id '{account.Id}' must be a 12-digit AWS account id (quote it, so leading zeros survive)");
                continue;
            }

            at = $"{path}: account {id}";
            var name = string.IsNullOrWhiteSpace(account.Name) ? null : account.Name.Trim();
            if (name is not null && (name.Length > 100 || name.Any(char.IsControl)))
            {
                problems.Add($"{at}: name must be at most 100 characters without line breaks");
            }

            var owners = account.Owners ?? [];
            if (owners.Count > MaxRecipients)
            {
                problems.Add($"{at}: owners lists {owners.Count} addresses; at most {MaxRecipients} are allowed");
            }

            AddressProblems(owners, $"{at}: owners", problems);
            if (!accounts.TryAdd(id, new AccountSettings(name, owners.Distinct(StringComparer.OrdinalIgnoreCase).ToList())))
            {
                problems.Add($"{at}: the account is listed more than once");
            }
        }

        return problems.Count > before ? null : new PerAccountSettings(accounts, unowned, defaults.Distinct(StringComparer.OrdinalIgnoreCase).ToList());
    }

    /// <summary>
    /// Reads a report's chat destinations: a unique name, a known type, the SSM parameter holding the secret, and a
    /// channel id exactly when the type is <c>slack-bot</c>.
    /// </summary>
    private static List<ChatChannel> ToChannels(List<ChatChannelDocument> documents, string path, List<string> problems)
    {
        if (documents.Count > MaxChannels)
        {
            problems.Add($"{path}: channels lists {documents.Count} destinations; at most {MaxChannels} are allowed");
        }

        var channels = new List<ChatChannel>(documents.Count);
        for (var i = 0; i < documents.Count; i++)
        {
            var document = documents[i];
            var at = $"{path}: channels[{i}]";
            var before = problems.Count;
            if (document.Name is null || !ChannelName().IsMatch(document.Name))
            {
                problems.Add($"{at}.name '{document.Name}' must be 1-63 lowercase letters, digits or '-'");
            }
            else
            {
                at = $"{path}: channel '{document.Name}'";
            }

            if (!ChatChannelKinds.TryParse(document.Type, out var kind))
            {
                problems.Add($"{at}: type '{document.Type}' must be one of {string.Join(", ", ChatChannelKinds.Names)}");
            }

            if (document.Parameter is null || !SsmParameterName().IsMatch(document.Parameter)
                || document.Parameter.TrimStart('/').StartsWith("aws", StringComparison.OrdinalIgnoreCase)
                || document.Parameter.TrimStart('/').StartsWith("ssm", StringComparison.OrdinalIgnoreCase)
                || LooksLikeSlackToken(document.Parameter))
            {
                problems.Add($"{at}: parameter '{Redact(document.Parameter)}' must name the SSM parameter holding the {(kind == ChatChannelKind.SlackBot ? "bot token" : "webhook URL")} (e.g. /costnotifier/slack/finops), not the secret itself");
            }

            if (kind == ChatChannelKind.SlackBot && (document.Channel is null || !SlackChannelId().IsMatch(document.Channel)))
            {
                problems.Add($"{at}: channel '{document.Channel}' must be a Slack channel id such as C0123ABCD (a slack-bot destination posts with chat.postMessage)");
            }
            else if (kind != ChatChannelKind.SlackBot && document.Channel is not null && problems.Count == before)
            {
                problems.Add($"{at}: channel is only for type slack-bot; a webhook already names its channel");
            }

            if (problems.Count == before)
            {
                channels.Add(new ChatChannel(document.Name!, kind, document.Parameter!, kind == ChatChannelKind.SlackBot ? document.Channel : null));
            }
        }

        foreach (var duplicate in channels.GroupBy(c => c.Name).Where(g => g.Count() > 1))
        {
            problems.Add($"{path}: channel name '{duplicate.Key}' is used {duplicate.Count()} times");
        }

        return channels;
    }

    // A webhook URL or token pasted where the parameter name belongs is a secret: name the mistake, not the value.
    private static string Redact(string? parameter) =>
        parameter is null ? string.Empty
        : parameter.Contains("://", StringComparison.Ordinal) || LooksLikeSlackToken(parameter) ? "(a URL or token, not shown)"
        : parameter.Length > 80 ? parameter[..80] + "..."
        : parameter;

    // Slack's tokens start xoxb-, xoxp-, xoxa-, xoxe-…: a valid parameter name by its characters, and a secret.
    private static bool LooksLikeSlackToken(string parameter) => parameter.StartsWith("xox", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[a-z0-9-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelName();

    /// <summary>An SSM parameter name: letters, digits and <c>_.-/</c>, at most 1011 characters.</summary>
    [GeneratedRegex("^[A-Za-z0-9_./-]{1,1011}$", RegexOptions.CultureInvariant)]
    private static partial Regex SsmParameterName();

    /// <summary>A Slack conversation id: a public or private channel (C/G) or a direct message (D).</summary>
    [GeneratedRegex("^[CGD][A-Z0-9]{8,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex SlackChannelId();

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The JSON shape of one report definition.</summary>
public sealed class ReportDefinitionDocument
{
    /// <summary>Report id.</summary>
    public string? Id { get; set; }

    /// <summary>daily (the default), weekly or monthly.</summary>
    public string? Cadence { get; set; }

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

    /// <summary>A monthly budget in the report's currency, greater than 0; none when absent.</summary>
    public decimal? MonthlyBudget { get; set; }

    /// <summary>How large an anomaly must be to be flagged; absent values take <see cref="AnomalyThresholds.Default"/>'s.</summary>
    public AnomalyThresholdsDocument? Anomalies { get; set; }

    /// <summary>Slack and Teams destinations.</summary>
    public List<ChatChannelDocument>? Channels { get; set; }

    /// <summary>Present for a report that fans out per linked account.</summary>
    public PerAccountDocument? PerAccount { get; set; }
}

/// <summary>The JSON shape of a per-account report's accounts.</summary>
public sealed class PerAccountDocument
{
    /// <summary>skip (the default) or default.</summary>
    public string? Unowned { get; set; }

    /// <summary>Who gets an unowned account's email when <see cref="Unowned"/> is default.</summary>
    public List<string>? DefaultRecipients { get; set; }

    /// <summary>The accounts with names or owners.</summary>
    public List<AccountDocument>? Accounts { get; set; }
}

/// <summary>The JSON shape of one linked account.</summary>
public sealed class AccountDocument
{
    /// <summary>The 12-digit account id, as a string.</summary>
    public string? Id { get; set; }

    /// <summary>A name for people.</summary>
    public string? Name { get; set; }

    /// <summary>The owners' addresses.</summary>
    public List<string>? Owners { get; set; }
}

/// <summary>The JSON shape of a chat destination.</summary>
public sealed class ChatChannelDocument
{
    /// <summary>The destination's name within the report.</summary>
    public string? Name { get; set; }

    /// <summary>slack (incoming webhook), slack-bot (chat.postMessage) or teams (Workflows webhook).</summary>
    public string? Type { get; set; }

    /// <summary>The SSM SecureString parameter holding the webhook URL or bot token.</summary>
    public string? Parameter { get; set; }

    /// <summary>The Slack channel id, for slack-bot only.</summary>
    public string? Channel { get; set; }
}

/// <summary>The JSON shape of a report's anomaly thresholds.</summary>
public sealed class AnomalyThresholdsDocument
{
    /// <summary>The least impact in money, 0 or more.</summary>
    public decimal? MinimumImpact { get; set; }

    /// <summary>The least impact as a fraction of the expected amount, 0 to 10.</summary>
    public decimal? MinimumRelativeImpact { get; set; }
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
