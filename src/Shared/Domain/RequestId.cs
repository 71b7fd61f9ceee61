using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace CostNotifier.Domain;

/// <summary>
/// Identifies one request for report-days: redeliveries of a message share it, a replay gets a new one, and emails
/// go once per request and recipient. 1-128 letters, digits, '-', '_', ':' or '.', so it is safe in keys and logs.
/// </summary>
[JsonConverter(typeof(TextJsonConverter<RequestId>))]
public readonly partial record struct RequestId : IParsable<RequestId>
{
    private RequestId(string value) => Value = value;

    /// <summary>The text of the id.</summary>
    public string Value { get; }

    /// <summary>
    /// The request id of the scheduled run of a period (a day, or the week or month a digest covers). It is derived,
    /// not random, so a schedule that fires twice collects and sends once.
    /// </summary>
    public static RequestId Scheduled(ReportPeriod period) => new($"scheduled-{period}");

    /// <summary>A fresh id for an operator's request, which therefore sends again.</summary>
    public static RequestId New(Trigger trigger) => new($"{trigger.ToWireName()}-{Guid.NewGuid():N}");

    /// <summary>Parses an id or throws <see cref="FormatException"/> naming the problem.</summary>
    public static RequestId Parse(string? text) =>
        TryParse(text, out var id)
            ? id
            : throw new FormatException($"'{text}' is not a valid request id: it must be 1-128 letters, digits, '-', '_', ':' or '.'");

    /// <summary>Parses an id without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out RequestId id)
    {
        if (text is not null && Pattern().IsMatch(text))
        {
            id = new RequestId(text);
            return true;
        }

        id = default;
        return false;
    }

    /// <inheritdoc />
    static RequestId IParsable<RequestId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc />
    static bool IParsable<RequestId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out RequestId result) => TryParse(s, out result);

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;

    [GeneratedRegex("^[A-Za-z0-9_:.-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
