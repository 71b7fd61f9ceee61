using System.Text;

namespace CostNotifier.Notifier.Chat;

/// <summary>
/// Makes text from data safe to show in Slack, and cuts text to Slack's limits. Slack reads '&amp;', '&lt;' and '&gt;'
/// as the start of its own markup in every text it shows (links, <c>&lt;!channel&gt;</c>, <c>&lt;@U…&gt;</c>), so
/// those three become entities everywhere; a '@' gets a zero-width joiner so a bare "@channel" or "@here" is just
/// text. In mrkdwn, '*', '_', '~' and '`' are formatting, so a character from data is wrapped in zero-width spaces:
/// it can then neither open nor close a span.
/// </summary>
internal static class SlackText
{
    /// <summary>The longest text a header block takes.</summary>
    public const int HeaderLimit = 150;

    /// <summary>The longest text of a section or a context element.</summary>
    public const int TextLimit = 3_000;

    /// <summary>The longest text of one of a section's fields.</summary>
    public const int FieldLimit = 2_000;

    /// <summary>The longest top-level text of a message Slack shows in full as the notification.</summary>
    public const int FallbackLimit = 4_000;

    private const char ZeroWidthSpace = '\u200B';
    private const char ZeroWidthJoiner = '\u200D';
    private const string Ellipsis = "\u2026";

    /// <summary>Text from data for a <c>plain_text</c> object.</summary>
    public static string Plain(string value) => Escape(value, mrkdwn: false);

    /// <summary>Text from data for a <c>mrkdwn</c> object.</summary>
    public static string Mrkdwn(string value) => Escape(value, mrkdwn: true);

    /// <summary>
    /// Cuts escaped text to at most <paramref name="limit"/> characters, an ellipsis included. The cut never falls
    /// inside an entity or a surrogate pair, and never leaves a formatting character or an '@' without the marks
    /// that keep it inert.
    /// </summary>
    public static string Fit(string text, int limit)
    {
        if (text.Length <= limit)
        {
            return text;
        }

        var end = limit - Ellipsis.Length;
        var entity = text.LastIndexOf('&', end - 1);
        if (entity >= 0 && text.IndexOf(';', entity, end - entity) < 0)
        {
            end = entity;
        }

        while (end > 0 && Unfinished(text, end))
        {
            end--;
        }

        return text[..end] + Ellipsis;
    }

    // Whether the text cut at `end` ends in half of something: a surrogate pair, an '@' without its joiner, a
    // formatting character without its closing space, or the opening space of one.
    private static bool Unfinished(string text, int end)
    {
        var last = text[end - 1];
        return char.IsHighSurrogate(last)
            || IsFormatting(last)
            || last == '@'
            || (last == ZeroWidthSpace && (end < 2 || !IsFormatting(text[end - 2])));
    }

    private static bool IsFormatting(char c) => c is '*' or '_' or '~' or '`';

    private static string Escape(string value, bool mrkdwn)
    {
        if (value.AsSpan().IndexOfAny(mrkdwn ? "&<>@*_~`" : "&<>@") < 0)
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            switch (c)
            {
                case '&':
                    text.Append("&amp;");
                    break;
                case '<':
                    text.Append("&lt;");
                    break;
                case '>':
                    text.Append("&gt;");
                    break;
                case '@':
                    text.Append('@').Append(ZeroWidthJoiner);
                    break;
                case var formatting when mrkdwn && IsFormatting(formatting):
                    text.Append(ZeroWidthSpace).Append(c).Append(ZeroWidthSpace);
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        return text.ToString();
    }
}
