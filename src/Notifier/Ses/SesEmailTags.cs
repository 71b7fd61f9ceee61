using System.Text;

namespace CostNotifier.Notifier.Ses;

/// <summary>
/// Fits message tags to SES's rules: names and values of ASCII letters, digits, <c>_</c> and <c>-</c>, at most
/// 256 characters. Other characters become <c>_</c>; empty names and values are dropped, as SES would refuse them.
/// </summary>
internal static class SesEmailTags
{
    /// <summary>The longest tag name or value SES accepts.</summary>
    public const int MaxLength = 256;

    /// <summary>The tags of <paramref name="tags"/> in SES form, ordered by name; on a clash after sanitising the first name wins.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Sanitize(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null || tags.Count == 0)
        {
            return [];
        }

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var safeName = Clean(name);
            var safeValue = Clean(value);
            if (safeName.Length > 0 && safeValue.Length > 0)
            {
                result.TryAdd(safeName, safeValue);
            }
        }

        return [.. result];
    }

    /// <summary><paramref name="text"/> with every character SES forbids replaced by <c>_</c>, cut to <see cref="MaxLength"/>.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxLength));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, MaxLength)))
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        return builder.ToString();
    }
}
