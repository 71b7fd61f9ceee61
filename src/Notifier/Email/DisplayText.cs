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

        // At most maxLength UTF-16 units, ellipsis included, so the space a value takes (escaped or not) has a bound
        // even when one visible character carries many combining marks. The cut falls between whole characters so
        // an emoji or accented letter is never split in half; a first character longer than the limit is cut.
        var end = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var next = elements.ElementIndex + elements.GetTextElement().Length;
            if (next > maxLength - 1)
            {
                break;
            }

            end = next;
        }

        if (end == 0)
        {
            end = char.IsHighSurrogate(text[0]) ? 2 : 1;
        }

        return text[..end].TrimEnd() + Ellipsis;
    }

    private static bool IsBidiControl(char c) =>
        c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
