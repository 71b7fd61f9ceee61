using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace CostNotifier.Domain;

/// <summary>
/// Identifies a configured report: lowercase letters, digits and dashes, 1 to 63 characters,
/// so it is safe inside stream names, queue attributes, file names and DynamoDB keys.
/// </summary>
[JsonConverter(typeof(TextJsonConverter<ReportId>))]
public readonly partial record struct ReportId : IParsable<ReportId>
{
    private ReportId(string value) => Value = value;

    /// <summary>The canonical text of the id.</summary>
    public string Value { get; }

    /// <summary>Parses an id or throws <see cref="FormatException"/> naming the problem.</summary>
    public static ReportId Parse(string? text) =>
        TryParse(text, out var id)
            ? id
            : throw new FormatException(
                $"'{text}' is not a valid report id: use 1-63 lowercase letters, digits or '-', starting with a letter or digit.");

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

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
