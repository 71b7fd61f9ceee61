using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CostNotifier.Domain;
using CostNotifier.Notifier.Email;
using static CostNotifier.Notifier.Email.ReportEmailWording;

namespace CostNotifier.Notifier.Chat;

/// <summary>
/// Writes the Teams message: one Adaptive Card 1.5 in the email's order (header, notices, total, what changed, the
/// figures as a FactSet, a digest's days and movers, the group table as a Table, footer). Text from data is
/// markdown-escaped once, in the model; bold and colour come from the elements' properties, never from markdown, so
/// the only markup in a text is the escaping. The group table gives up rows until the payload fits Teams' message
/// size limit.
/// </summary>
internal sealed class TeamsCardWriter
{
    /// <summary>
    /// The most UTF-8 bytes the whole payload may take: Teams refuses messages of about 28 KB and more, and the
    /// webhook wraps the card in a little more of its own.
    /// </summary>
    public const int MaxBytes = 28_000;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ReportEmailModel _model;
    private readonly Utf8JsonWriter _json;

    private TeamsCardWriter(ReportEmailModel model, Utf8JsonWriter json)
    {
        _model = model;
        _json = json;
    }

    /// <summary>Writes the message of <paramref name="model"/>, listing at most <paramref name="maxGroups"/> cost groups.</summary>
    public static string Write(ReportEmailModel model, int maxGroups)
    {
        var escaped = model.WithText(TeamsText.Markdown);

        // The table gives up its smallest cost lines first, then credit lines, until the message fits. Rows differ
        // in size, so the first cut is an estimate from the card without cost lines; the rest go one by one.
        var costs = Math.Min(maxGroups, escaped.Costs.Listed);
        var credits = escaped.Credits?.Listed ?? 0;
        var payload = Serialize(escaped, costs, credits);
        if (payload.WrittenCount > MaxBytes && costs > 0)
        {
            var bare = Serialize(escaped, 0, credits).WrittenCount;
            var perRow = Math.Max(1, (payload.WrittenCount - bare) / costs);
            costs = Math.Clamp((MaxBytes - bare) / perRow, 0, costs - 1);
            payload = Serialize(escaped, costs, credits);
        }

        while (payload.WrittenCount > MaxBytes && costs + credits > 0)
        {
            if (costs > 0)
            {
                costs--;
            }
            else
            {
                credits--;
            }

            payload = Serialize(escaped, costs, credits);
        }

        return Encoding.UTF8.GetString(payload.WrittenSpan);
    }

    private static ArrayBufferWriter<byte> Serialize(ReportEmailModel model, int costs, int credits)
    {
        var buffer = new ArrayBufferWriter<byte>(16_384);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            new TeamsCardWriter(model, json).Message(costs, credits);
        }

        return buffer;
    }

    private void Message(int costs, int credits)
    {
        _json.WriteStartObject();
        _json.WriteString("type", "message");
        _json.WriteStartArray("attachments");
        _json.WriteStartObject();
        _json.WriteString("contentType", "application/vnd.microsoft.card.adaptive");
        _json.WriteNull("contentUrl");
        _json.WriteStartObject("content");
        _json.WriteString("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        _json.WriteString("type", "AdaptiveCard");
        _json.WriteString("version", "1.5");
        _json.WriteStartArray("body");
        Heading();
        Notices();
        Total();
        WhatChangedSection();
        Figures();
        Days();
        Movers();
        Groups(costs, credits);
        Footer();
        _json.WriteEndArray();
        _json.WriteStartObject("msteams");
        _json.WriteString("width", "Full");
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteEndObject();
    }

    private void Heading()
    {
        TextBlock("CostNotifier \u00B7 " + Kind(_model), size: "Small", subtle: true);
        TextBlock(_model.ReportName, size: "Large", bold: true, spacing: "None");
        TextBlock(LongDate(_model) + " \u00B7 " + UsageDays(_model), subtle: true, spacing: "None");
    }

    private void Notices()
    {
        if (_model.Estimated)
        {
            Container("warning", () =>
            {
                TextBlock(ProvisionalTitle, bold: true);
                TextBlock(Provisional(_model), spacing: "None");
            });
        }

        foreach (var note in new[] { RevisionNote(_model), TriggerNote(_model) })
        {
            if (note is not null)
            {
                Container("emphasis", () => TextBlock(note));
            }
        }
    }

    private void Total()
    {
        TextBlock(TotalHeading(_model), subtle: true, spacing: "Medium");
        TextBlock(_model.Amounts.Format(_model.Total), size: "ExtraLarge", bold: true, spacing: "None");
        if (_model.Estimated)
        {
            TextBlock("estimated", size: "Small", color: "Warning", spacing: "None");
        }

        if (GrossAndCredits(_model) is { } split)
        {
            TextBlock(split, subtle: true, spacing: "None");
        }
    }

    private void WhatChangedSection()
    {
        var lines = WhatChanged(_model);
        if (lines.Count == 0)
        {
            return;
        }

        TextBlock(WhatChangedHeading, bold: true, spacing: "Medium");
        foreach (var line in lines)
        {
            TextBlock("\u2022 " + line, spacing: "Small");
        }
    }

    private void Figures()
    {
        var facts = new List<(string Title, string Value)>
        {
            (PreviousDayLabel(_model), Change(_model.PreviousDay)),
            (LastWeekLabel(_model), Change(_model.SameWeekdayLastWeek)),
        };
        if (_model.Cadence != Cadence.Monthly)
        {
            facts.Add((MonthToDateLabel(_model), _model.Amounts.Format(_model.MonthToDate)));
        }

        if (_model.Forecast is { } forecast)
        {
            facts.Add((ProjectionHeading(_model), Projection(_model) + " " + ProjectionRange(forecast, _model.Amounts)));
        }

        FactSet(facts, spacing: "Medium");
        foreach (var note in new[] { ComparisonMissing(_model), ForecastCheck(_model), MonthBudget(_model), BudgetNote(_model), ProjectionBasis(_model) })
        {
            if (note is not null)
            {
                TextBlock(note, subtle: true, spacing: "Small");
            }
        }

        string Change(Comparison? comparison) =>
            comparison is null ? Difference(_model, comparison) : Difference(_model, comparison) + " " + Percent(comparison);
    }

    private void Days()
    {
        if (_model.Digest is not { Days.Count: > 0 } digest)
        {
            return;
        }

        TextBlock(DaysHeading, bold: true, spacing: "Medium");
        FactSet([.. digest.Days.Select(day => (day.Label,
            (day.Total is { } total ? _model.Amounts.Format(total) : NoDayData) + (day.Estimated ? " (estimated)" : string.Empty)))]);
    }

    private void Movers()
    {
        if (_model.Digest is not { } digest || digest.Increases.Count + digest.Decreases.Count == 0)
        {
            return;
        }

        TextBlock(MoversHeading(_model), bold: true, spacing: "Medium");
        var amounts = _model.Amounts;
        foreach (var (heading, rows) in new[] { (IncreasesHeading, digest.Increases), (DecreasesHeading, digest.Decreases) })
        {
            if (rows.Count == 0)
            {
                continue;
            }

            TextBlock(heading, subtle: true, spacing: "Small");
            FactSet([.. rows.Select(row => (row.Label,
                amounts.Format(row.Amount) + ", " + Difference(amounts, row.PreviousDay) + " " + ChangeNote(_model, amounts, row)))]);
        }
    }

    private void Groups(int costs, int credits)
    {
        TextBlock(GroupHeading(_model), bold: true, spacing: "Medium");
        var rows = ChatGroupTable.Rows(_model, costs, credits);
        if (rows.Count == 0)
        {
            TextBlock(NoGroups(_model), subtle: true);
            return;
        }

        _json.WriteStartObject();
        _json.WriteString("type", "Table");
        _json.WriteBoolean("firstRowAsHeader", true);
        _json.WriteBoolean("showGridLines", false);
        _json.WriteStartArray("columns");
        foreach (var (width, right) in new[] { (4, false), (2, true), (1, true), (3, true) })
        {
            _json.WriteStartObject();
            _json.WriteNumber("width", width);
            if (right)
            {
                _json.WriteString("horizontalCellContentAlignment", "Right");
            }

            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteStartArray("rows");
        Row(_model.GroupColumn, _model.TableAmounts.AmountHeading, "Share", ChangeColumn(_model), bold: true);
        foreach (var row in rows)
        {
            switch (row.Kind)
            {
                case ChatRowKind.CreditsHeading:
                    Row(row.Name, string.Empty, string.Empty, string.Empty, bold: true);
                    break;
                case ChatRowKind.Fold:
                    Row(row.Name, string.Empty, string.Empty, string.Empty, subtle: true);
                    break;
                default:
                    Row(row.Name, row.Amount, row.Share, row.Change, bold: row.Kind == ChatRowKind.Sum);
                    break;
            }
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
    }

    private void Row(string name, string amount, string share, string change, bool bold = false, bool subtle = false)
    {
        _json.WriteStartObject();
        _json.WriteString("type", "TableRow");
        _json.WriteStartArray("cells");
        foreach (var cell in new[] { name, amount, share, change })
        {
            _json.WriteStartObject();
            _json.WriteString("type", "TableCell");
            _json.WriteStartArray("items");
            if (cell.Length > 0)
            {
                TextBlock(cell, bold: bold, subtle: subtle);
            }

            _json.WriteEndArray();
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
    }

    private void Footer()
    {
        TextBlock(ReportEmailWording.Footer(_model), size: "Small", subtle: true, spacing: "Large");
        TextBlock(AmountsNote(_model), size: "Small", subtle: true, spacing: "None");
    }

    private void Container(string style, Action items)
    {
        _json.WriteStartObject();
        _json.WriteString("type", "Container");
        _json.WriteString("style", style);
        _json.WriteStartArray("items");
        items();
        _json.WriteEndArray();
        _json.WriteEndObject();
    }

    private void FactSet(IReadOnlyList<(string Title, string Value)> facts, string? spacing = null)
    {
        _json.WriteStartObject();
        _json.WriteString("type", "FactSet");
        if (spacing is not null)
        {
            _json.WriteString("spacing", spacing);
        }

        _json.WriteStartArray("facts");
        foreach (var (title, value) in facts)
        {
            _json.WriteStartObject();
            _json.WriteString("title", title);
            _json.WriteString("value", value);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
    }

    private void TextBlock(string text, string? size = null, bool bold = false, bool subtle = false, string? color = null, string? spacing = null)
    {
        _json.WriteStartObject();
        _json.WriteString("type", "TextBlock");
        _json.WriteString("text", text);
        _json.WriteBoolean("wrap", true);
        if (size is not null)
        {
            _json.WriteString("size", size);
        }

        if (bold)
        {
            _json.WriteString("weight", "Bolder");
        }

        if (subtle)
        {
            _json.WriteBoolean("isSubtle", true);
        }

        if (color is not null)
        {
            _json.WriteString("color", color);
        }

        if (spacing is not null)
        {
            _json.WriteString("spacing", spacing);
        }

        _json.WriteEndObject();
    }
}
