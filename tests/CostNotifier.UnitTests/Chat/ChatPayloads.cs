using System.Text.Json;

namespace CostNotifier.UnitTests.Chat;

/// <summary>A text of a chat payload: where it sits and whether the service reads markup in it.</summary>
/// <param name="Path">Where in the payload, e.g. <c>blocks[3].fields[1]</c>.</param>
/// <param name="Text">The text as the service receives it.</param>
/// <param name="Markup">Slack: a <c>mrkdwn</c> object or the top-level text. Teams: a TextBlock's text or a fact.</param>
internal sealed record ChatText(string Path, string Text, bool Markup);

/// <summary>Reads the chat payloads the way Slack and Teams do, for the tests to look at every text in them.</summary>
internal static class ChatPayloads
{
    /// <summary>Every text Slack shows: the top-level text and every text object of every block.</summary>
    public static IReadOnlyList<ChatText> SlackTexts(JsonElement root)
    {
        var texts = new List<ChatText> { new("text", root.GetProperty("text").GetString()!, true) };
        Walk(root.GetProperty("blocks"), "blocks", texts, element =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var type) && type.GetString() is "plain_text" or "mrkdwn"
                ? new ChatText(string.Empty, element.GetProperty("text").GetString()!, type.GetString() == "mrkdwn")
                : null);
        return texts;
    }

    /// <summary>Every text of the card: TextBlocks' texts and facts' titles and values.</summary>
    public static IReadOnlyList<ChatText> TeamsTexts(JsonElement root)
    {
        var texts = new List<ChatText>();
        Walk(root, string.Empty, texts, element =>
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (element.TryGetProperty("type", out var type) && type.GetString() == "TextBlock")
            {
                return new ChatText(string.Empty, element.GetProperty("text").GetString()!, true);
            }

            return element.TryGetProperty("title", out var title) && element.TryGetProperty("value", out var value)
                ? new ChatText(string.Empty, title.GetString() + "\n" + value.GetString(), true)
                : null;
        });
        return texts;
    }

    /// <summary>Every string value anywhere in the document.</summary>
    public static IReadOnlyList<string> AllStrings(JsonElement element)
    {
        var strings = new List<string>();
        Collect(element);
        return strings;

        void Collect(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String:
                    strings.Add(e.GetString()!);
                    break;
                case JsonValueKind.Object:
                    foreach (var property in e.EnumerateObject())
                    {
                        strings.Add(property.Name);
                        Collect(property.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Collect(item);
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// How many of <paramref name="characters"/> in <paramref name="text"/> Slack would read as formatting: those not
    /// kept inert by a zero-width space on each side.
    /// </summary>
    public static int UnprotectedSlack(string text, string characters = "*_~`")
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var inert = i > 0 && text[i - 1] == '\u200B' && i + 1 < text.Length && text[i + 1] == '\u200B';
            if (characters.Contains(text[i], StringComparison.Ordinal) && !inert)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>How many of <paramref name="characters"/> in <paramref name="text"/> carry no backslash escape.</summary>
    public static int UnescapedMarkdown(string text, string characters)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                // A backslash escapes the character after it, a backslash included.
                i++;
                continue;
            }

            if (characters.Contains(text[i], StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    private static void Walk(JsonElement element, string path, List<ChatText> texts, Func<JsonElement, ChatText?> read)
    {
        if (read(element) is { } text)
        {
            texts.Add(text with { Path = path });
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, path.Length == 0 ? property.Name : path + "." + property.Name, texts, read);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, path + "[" + index++ + "]", texts, read);
                }

                break;
        }
    }
}
