using System.Globalization;
using System.Text;

namespace CostNotifier.Notifier.Email;

/// <summary>
/// Turns a value from data (report name, service, tag value, account id) into one line of text a reader can trust.
/// Control characters become spaces and bidirectional overrides are dropped: a line break would split the subject
/// header or a text column, and a right-to-left override would visually reverse the amounts that follow it.
/// Escaping for HTML happens later, when the text is written.
/// </summary>
internal static class DisplayText
{
    private const string Ellipsis = "\u2026";

    public static string Clean(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (IsBidiControl(c))
            {
                continue;
            }

            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else
            {
                // A lone surrogate cannot be encoded as UTF-8.
                builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return Truncate(builder.ToString(), maxLength);
    }

    private static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        // Cut between whole characters so an emoji or accented letter is never split in half.
        var info = new StringInfo(text);
        return info.LengthInTextElements <= maxLength
            ? text
            : info.SubstringByTextElements(0, maxLength - 1).TrimEnd() + Ellipsis;
    }

    private static bool IsBidiControl(char c) =>
        c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
