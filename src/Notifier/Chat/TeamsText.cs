using System.Text;

namespace CostNotifier.Notifier.Chat;

/// <summary>
/// Makes text from data safe for an Adaptive Card in Teams. A TextBlock's text and a fact's title and value are
/// markdown, so every character markdown gives a meaning to gets a backslash, '&lt;' included, which also keeps
/// <c>&lt;at&gt;…&lt;/at&gt;</c> from being read as a mention. Two opening braces in a row start a date or time
/// function (<c>{{DATE(…)}}</c>), so a zero-width space goes between them.
/// </summary>
internal static class TeamsText
{
    private const string Special = "\\*_~[]()#>+-!|`<&";
    private const char ZeroWidthSpace = '\u200B';

    /// <summary>Text from data for a TextBlock or a fact.</summary>
    public static string Markdown(string value)
    {
        if (value.AsSpan().IndexOfAny(Special + "{") < 0)
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 16);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (Special.Contains(c, StringComparison.Ordinal))
            {
                text.Append('\\');
            }

            text.Append(c);
            if (c == '{' && i + 1 < value.Length && value[i + 1] == '{')
            {
                text.Append(ZeroWidthSpace);
            }
        }

        return text.ToString();
    }
}
