using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CostNotifier.Domain;
using CostNotifier.Notifier.Email;
using static CostNotifier.Notifier.Email.ReportEmailWording;

namespace CostNotifier.Notifier.Chat;

/// <summary>
/// Writes the Slack message: Block Kit blocks in the email's order (header, notices, total and figures, what
/// changed, a digest's days and movers, the group table, footer) and the notification text. Names from data go in
/// <c>plain_text</c> objects wherever a block takes one; <c>mrkdwn</c> is used where a heading is bold, with the
/// data in it escaped. Every text is cut to its block's limit and the group table gives up rows, not the rest of
/// the message, when the message would pass 50 blocks.
/// </summary>
internal sealed class SlackMessageWriter
{
    /// <summary>The most blocks Slack takes in one message.</summary>
    public const int MaxBlocks = 50;

    /// <summary>The most fields one section takes.</summary>
    public const int MaxFields = 10;

    private const string Bullet = "\u2022 ";

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // The same model twice: names escaped for plain_text objects, and for mrkdwn.
    private readonly ReportEmailModel _plain;
    private readonly ReportEmailModel _mrkdwn;

    private SlackMessageWriter(ReportEmailModel plain, ReportEmailModel mrkdwn)
    {
        _plain = plain;
        _mrkdwn = mrkdwn;
    }

    /// <summary>
    /// Writes the message of <paramref name="model"/>, listing at most <paramref name="maxGroups"/> cost groups, in
    /// at most <paramref name="maxBlocks"/> blocks.
    /// </summary>
    public static string Write(ReportEmailModel model, int maxGroups, int maxBlocks = MaxBlocks)
    {
        var writer = new SlackMessageWriter(model.WithText(SlackText.Plain), model.WithText(SlackText.Mrkdwn));
        var text = ReportEmailRenderer.Subject(writer._mrkdwn) + "\n" + ReportEmailRenderer.Preheader(writer._mrkdwn);
        return Serialize(SlackText.Fit(text, SlackText.FallbackLimit), writer.Blocks(maxGroups, maxBlocks));
    }

    private List<Block> Blocks(int maxGroups, int maxBlocks)
    {
        var head = new List<Block>();
        Heading(head);
        Notices(head);
        Total(head);
        Notes(head);
        WhatChanged(head);
        Days(head);
        Movers(head);
        head.Add(new DividerBlock());

        List<Block> tail = [new DividerBlock(), new ContextBlock([Plain(Footer(_plain)), Plain(AmountsNote(_plain))])];

        // The table has what the rest leaves; it gives up its smallest cost lines first, then credit lines.
        var room = maxBlocks - head.Count - tail.Count;
        var costs = Math.Min(maxGroups, _plain.Costs.Listed);
        var credits = _plain.Credits?.Listed ?? 0;
        var table = Table(costs, credits);
        while (table.Count > room && costs + credits > 0)
        {
            if (costs > 0)
            {
                costs--;
            }
            else
            {
                credits--;
            }

            table = Table(costs, credits);
        }

        return [.. head, .. table, .. tail];
    }

    private void Heading(List<Block> blocks)
    {
        blocks.Add(new HeaderBlock(_plain.ReportName));
        blocks.Add(new ContextBlock([Plain("CostNotifier \u00B7 " + Kind(_plain)), Plain(LongDate(_plain) + " \u00B7 " + UsageDays(_plain))]));
    }

    private void Notices(List<Block> blocks)
    {
        var lines = new List<string>();
        if (_mrkdwn.Estimated)
        {
            lines.Add("*" + ProvisionalTitle + "* " + Provisional(_mrkdwn));
        }

        lines.AddRange(new[] { RevisionNote(_mrkdwn), TriggerNote(_mrkdwn) }.OfType<string>());
        if (lines.Count > 0)
        {
            blocks.Add(new SectionBlock(Mrkdwn(string.Join('\n', lines)), []));
        }
    }

    private void Total(List<Block> blocks)
    {
        var model = _mrkdwn;
        var text = "*" + TotalHeading(model) + "*\n*" + model.Amounts.Format(model.Total) + "*" + (model.Estimated ? " (estimated)" : string.Empty);
        if (GrossAndCredits(model) is { } split)
        {
            text += "\n" + split;
        }

        var fields = new List<TextObject>
        {
            Figure(PreviousDayLabel(model), Difference(model, model.PreviousDay), model.PreviousDay is null ? string.Empty : Percent(model.PreviousDay)),
            Figure(LastWeekLabel(model), Difference(model, model.SameWeekdayLastWeek), model.SameWeekdayLastWeek is null ? string.Empty : Percent(model.SameWeekdayLastWeek)),
        };
        if (model.Cadence != Cadence.Monthly)
        {
            fields.Add(Figure(MonthToDateLabel(model), model.Amounts.Format(model.MonthToDate), string.Empty));
        }

        if (model.Forecast is { } forecast)
        {
            fields.Add(Figure(ProjectionHeading(model), Projection(model)!, ProjectionRange(forecast, model.Amounts)));
        }

        blocks.Add(new SectionBlock(Mrkdwn(text), fields));

        static TextObject Figure(string label, string value, string note) =>
            Mrkdwn("*" + label + "*\n" + value + (note.Length == 0 ? string.Empty : " " + note));
    }

    /// <summary>What the email says under its figures: a missing comparison, the forecast check, the budget, how the month was projected.</summary>
    private void Notes(List<Block> blocks)
    {
        var notes = new[] { ComparisonMissing(_plain), ForecastCheck(_plain), MonthBudget(_plain), BudgetNote(_plain), ProjectionBasis(_plain) }
            .OfType<string>()
            .Select(Plain)
            .ToList();
        if (notes.Count > 0)
        {
            blocks.Add(new ContextBlock(notes));
        }
    }

    private void WhatChanged(List<Block> blocks) =>
        Sections(blocks, WhatChangedHeading, [.. ReportEmailWording.WhatChanged(_mrkdwn).Select(line => Bullet + line)]);

    private void Days(List<Block> blocks)
    {
        if (_mrkdwn.Digest is not { Days.Count: > 0 } digest)
        {
            return;
        }

        var amounts = _mrkdwn.Amounts;
        Sections(blocks, DaysHeading, [.. digest.Days.Select(day =>
            day.Label + ": " + (day.Total is { } total ? amounts.Format(total) : NoDayData) + (day.Estimated ? " (estimated)" : string.Empty))]);
    }

    private void Movers(List<Block> blocks)
    {
        if (_mrkdwn.Digest is not { } digest || digest.Increases.Count + digest.Decreases.Count == 0)
        {
            return;
        }

        var amounts = _mrkdwn.Amounts;
        var lines = new List<string>();
        foreach (var (heading, rows) in new[] { (IncreasesHeading, digest.Increases), (DecreasesHeading, digest.Decreases) })
        {
            if (rows.Count == 0)
            {
                continue;
            }

            lines.Add("*" + heading + "*");
            lines.AddRange(rows.Select(row => Bullet + row.Label + ": " + amounts.Format(row.Amount) + ", "
                + Difference(amounts, row.PreviousDay) + " " + ChangeNote(_mrkdwn, amounts, row)));
        }

        Sections(blocks, MoversHeading(_mrkdwn), lines);
    }

    /// <summary>A bold heading and its lines, in as many sections as the text limit asks.</summary>
    private static void Sections(List<Block> blocks, string heading, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        var text = new StringBuilder("*").Append(heading).Append('*');
        foreach (var line in lines)
        {
            if (text.Length > 0 && text.Length + 1 + line.Length > SlackText.TextLimit)
            {
                blocks.Add(new SectionBlock(Mrkdwn(text.ToString()), []));
                text.Clear();
            }

            text.Append(text.Length == 0 ? string.Empty : "\n").Append(line);
        }

        blocks.Add(new SectionBlock(Mrkdwn(text.ToString()), []));
    }

    /// <summary>
    /// The group table: one row of two fields per line (name, then amount, share and change), five rows a section.
    /// The credits heading and the fold note each start a section of their own, as its text.
    /// </summary>
    private List<Block> Table(int costs, int credits)
    {
        var heading = "*" + GroupHeading(_mrkdwn) + "*";
        var rows = ChatGroupTable.Rows(_plain, costs, credits);
        if (rows.Count == 0)
        {
            return [new SectionBlock(Mrkdwn(heading + "\n" + NoGroups(_mrkdwn)), [])];
        }

        var sections = new List<Block>();
        var fields = new List<TextObject>
        {
            Mrkdwn("*" + _mrkdwn.GroupColumn + "*"),
            Mrkdwn("*" + _mrkdwn.TableAmounts.AmountHeading + " \u00B7 Share \u00B7 " + ChangeColumn(_mrkdwn) + "*"),
        };
        TextObject? text = Mrkdwn(heading);
        foreach (var row in rows)
        {
            if (row.Kind is ChatRowKind.CreditsHeading or ChatRowKind.Fold)
            {
                Flush();
                text = Mrkdwn(row.Kind == ChatRowKind.Fold ? "_" + row.Name + "_" : "*" + row.Name + "*");
                continue;
            }

            if (fields.Count + 2 > MaxFields)
            {
                Flush();
            }

            fields.Add(row.Kind == ChatRowKind.Sum ? Mrkdwn("*" + row.Name + "*") : Plain(row.Name));
            fields.Add(Plain(row.Figures));
        }

        Flush();
        return sections;

        void Flush()
        {
            if (text is not null || fields.Count > 0)
            {
                sections.Add(new SectionBlock(text, [.. fields]));
            }

            text = null;
            fields.Clear();
        }
    }

    private static TextObject Plain(string text) => new(text, Markdown: false);

    private static TextObject Mrkdwn(string text) => new(text, Markdown: true);

    private static string Serialize(string text, List<Block> blocks)
    {
        var buffer = new ArrayBufferWriter<byte>(16_384);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("text", text);
            json.WriteStartArray("blocks");
            foreach (var block in blocks)
            {
                Write(json, block);
            }

            json.WriteEndArray();
            json.WriteBoolean("unfurl_links", false);
            json.WriteBoolean("unfurl_media", false);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter json, Block block)
    {
        json.WriteStartObject();
        switch (block)
        {
            case HeaderBlock header:
                json.WriteString("type", "header");
                json.WritePropertyName("text");
                Write(json, Plain(header.Text), SlackText.HeaderLimit);
                break;
            case SectionBlock section:
                json.WriteString("type", "section");
                if (section.Text is { } text)
                {
                    json.WritePropertyName("text");
                    Write(json, text, SlackText.TextLimit);
                }

                if (section.Fields.Count > 0)
                {
                    json.WriteStartArray("fields");
                    foreach (var field in section.Fields)
                    {
                        Write(json, field, SlackText.FieldLimit);
                    }

                    json.WriteEndArray();
                }

                break;
            case ContextBlock context:
                json.WriteString("type", "context");
                json.WriteStartArray("elements");
                foreach (var element in context.Elements)
                {
                    Write(json, element, SlackText.TextLimit);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteString("type", "divider");
                break;
        }

        json.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter json, TextObject text, int limit)
    {
        json.WriteStartObject();
        json.WriteString("type", text.Markdown ? "mrkdwn" : "plain_text");
        json.WriteString("text", SlackText.Fit(text.Text, limit));

        // Data is never an emoji code, and mrkdwn is never left to link or mention on its own.
        if (text.Markdown)
        {
            json.WriteBoolean("verbatim", true);
        }
        else
        {
            json.WriteBoolean("emoji", false);
        }

        json.WriteEndObject();
    }

    private sealed record TextObject(string Text, bool Markdown);

    private abstract record Block;

    private sealed record HeaderBlock(string Text) : Block;

    private sealed record SectionBlock(TextObject? Text, IReadOnlyList<TextObject> Fields) : Block;

    private sealed record ContextBlock(IReadOnlyList<TextObject> Elements) : Block;

    private sealed record DividerBlock : Block;
}
