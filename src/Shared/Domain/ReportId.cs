using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace CostNotifier.Domain;

/// <summary>
/// Identifies a report: lowercase letters, digits and dashes, 1 to 63 characters, so it is safe inside stream names,
/// queue attributes, file names and DynamoDB keys. A per-account report's share for one linked account is named by
/// its id, a dot and the 12-digit account (<c>org-accounts.111122223333</c>); a configured id never has the dot.
/// </summary>
[JsonConverter(typeof(TextJsonConverter<ReportId>))]
public readonly partial record struct ReportId : IParsable<ReportId>
{
    private ReportId(string value) => Value = value;

    /// <summary>The canonical text of the id.</summary>
    public string Value { get; }

    /// <summary>The 12-digit linked account when this names one account's share of a per-account report; else null.</summary>
    public string? Account => Value is { } value && value.IndexOf('.', StringComparison.Ordinal) is var dot and > 0 ? value[(dot + 1)..] : null;

    /// <summary>The configured report: this id without its account part.</summary>
    public ReportId Configured => Account is null ? this : new ReportId(Value[..Value.IndexOf('.', StringComparison.Ordinal)]);

    /// <summary>The id of <paramref name="account"/>'s share of this per-account report.</summary>
    /// <exception cref="FormatException">The account is not 12 digits, or this id already names an account.</exception>
    public ReportId ForAccount(string account) =>
        Account is null && account is { Length: 12 } && account.All(char.IsAsciiDigit)
            ? new ReportId(Value + "." + account)
            : throw new FormatException($"'{account}' is not a 12-digit AWS account id (or '{Value}' already names one).");

    /// <summary>Parses an id or throws <see cref="FormatException"/> naming the problem.</summary>
    public static ReportId Parse(string? text) =>
        TryParse(text, out var id)
            ? id
            : throw new FormatException(
                $"'{text}' is not a valid report id: use 1-63 lowercase letters, digits or '-', starting with a letter or digit (and '.<12-digit account>' for one account of a per-account report).");

    /// <summary>Parses an id without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ReportId id)
    {
        if (text is not null && Pattern().IsMatch(text))
        {
            id = new ReportId(text);
            return true;
        }

        id = default;
        return false;
    }

    /// <inheritdoc />
    static ReportId IParsable<ReportId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc />
    static bool IParsable<ReportId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out ReportId result) => TryParse(s, out result);

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}(\\.[0-9]{12})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
