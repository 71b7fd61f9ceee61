using System.Text;
using static CostNotifier.Notifier.Email.ReportEmailWording;

namespace CostNotifier.Notifier.Email;

/// <summary>
/// Writes the plain-text part: the same figures as the HTML in aligned columns, for clients and people that
/// read text. Values from data are already cleaned of line breaks and direction overrides, so columns hold.
/// </summary>
internal sealed class TextReportWriter
{
    private const int TrendBarWidth = 24;
    private const int MaxNameColumn = 44;

    private readonly ReportEmailModel _model;
    private readonly StringBuilder _text;

    private TextReportWriter(ReportEmailModel model)
    {
        _model = model;
        _text = new StringBuilder(2_000 + (model.Rows.Count * 100));
    }

    public static string Write(ReportEmailModel model)
    {
        var writer = new TextReportWriter(model);
        writer.Document();
        return writer._text.ToString();
    }

    private void Document()
    {
        Line("CostNotifier \u00B7 daily cost report");
        Line(_model.ReportName);
        Line(LongDate(_model) + " \u00B7 UTC usage day");
        Line();

        var hasNotice = false;
        if (_model.Estimated)
        {
            Line("*** " + ProvisionalTitle + " " + ProvisionalBody + " ***");
            hasNotice = true;
        }

        foreach (var note in new[] { RevisionNote(_model), TriggerNote(_model) })
        {
            if (note is not null)
            {
                Line(note);
                hasNotice = true;
            }
        }

        if (hasNotice)
        {
            Line();
        }

        Totals();
        Groups();
        Trend();
        Line(Footer(_model));
        Line(AmountsNote(_model));
    }

    private void Totals()
    {
        var rows = new (string Label, string Amount, string Note)[]
        {
            ("Total for the day", _model.Amounts.Format(_model.Total), _model.Estimated ? "(estimated)" : string.Empty),
            (PreviousDayLabel(_model), Difference(_model, _model.PreviousDay), PercentOrEmpty(_model.PreviousDay)),
            (LastWeekLabel(_model), Difference(_model, _model.SameWeekdayLastWeek), PercentOrEmpty(_model.SameWeekdayLastWeek)),
            (MonthToDateLabel(_model), _model.Amounts.Format(_model.MonthToDate), string.Empty),
        };
        var labelWidth = rows.Max(r => r.Label.Length);
        var amountWidth = rows.Max(r => r.Amount.Length);
        foreach (var (label, amount, note) in rows)
        {
            Line((label.PadRight(labelWidth) + "  " + amount.PadLeft(amountWidth) + "  " + note).TrimEnd());
        }

        Line();
    }

    private static string PercentOrEmpty(Comparison? comparison) => comparison is null ? string.Empty : Percent(comparison);

    private void Groups()
    {
        Line(GroupHeading(_model));
        if (_model.Rows.Count == 0)
        {
            Line(NoGroups(_model));
            Line();
            return;
        }

        var rows = _model.Rows.Select(Columns).ToList();
        if (_model.Other is { } other)
        {
            rows.Add(Columns(other.Row));
        }

        var nameWidth = Math.Min(MaxNameColumn, rows.Max(r => r.Name.Length));
        nameWidth = Math.Max(nameWidth, _model.GroupColumn.Length);
        var amountWidth = Math.Max("Amount".Length, rows.Max(r => r.Amount.Length));
        var shareWidth = Math.Max("Share".Length, rows.Max(r => r.Share.Length));
        var differenceWidth = rows.Max(r => r.Difference.Length);
        var percentWidth = rows.Max(r => r.Percent.Length);
        const string changeHeading = "vs prev. day";
        var changeWidth = Math.Max(changeHeading.Length, differenceWidth + 1 + percentWidth);

        Line(_model.GroupColumn.PadRight(nameWidth) + "  " + "Amount".PadLeft(amountWidth) + "  " + "Share".PadLeft(shareWidth) + "  " + changeHeading.PadLeft(changeWidth));
        foreach (var row in rows)
        {
            var name = row.Name;
            if (name.Length > nameWidth)
            {
                // A long name gets its own line so the figures stay in their columns.
                Line(name);
                name = string.Empty;
            }

            var change = row.Percent.Length == 0
                ? row.Difference.PadLeft(changeWidth)
                : (row.Difference.PadLeft(differenceWidth) + " " + row.Percent.PadLeft(percentWidth)).PadLeft(changeWidth);
            Line((name.PadRight(nameWidth) + "  " + row.Amount.PadLeft(amountWidth) + "  " + row.Share.PadLeft(shareWidth) + "  " + change).TrimEnd());
        }

        if (_model.Other is { Credits: < 0 } folded)
        {
            Line("Other includes credits and refunds of " + _model.Amounts.Format(folded.Credits) + ".");
        }

        Line();
    }

    private (string Name, string Amount, string Share, string Difference, string Percent) Columns(GroupRow row) =>
        row.PreviousDay is null
            ? (row.Label, _model.Amounts.Format(row.Amount), Share(row.Share), NotAvailable, string.Empty)
            : (row.Label, _model.Amounts.Format(row.Amount), Share(row.Share), Difference(_model, row.PreviousDay), row.IsNew ? "new" : Percent(row.PreviousDay));

    private void Trend()
    {
        var days = _model.Trend;
        if (days.Count == 0)
        {
            return;
        }

        Line("Last " + days.Count + " days");
        var highest = days.Max(d => d.Total);
        var labelWidth = days.Max(d => d.LongLabel.Length);
        var amounts = days.Select(d => _model.Amounts.Format(d.Total)).ToList();
        var amountWidth = amounts.Max(a => a.Length);
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            var length = day.Total > 0 && highest > 0
                ? Math.Max(1, (int)Math.Round(day.Total / highest * TrendBarWidth, MidpointRounding.AwayFromZero))
                : 0;
            var marks = (day.IsReportDay ? "  <- report day" : string.Empty) + (day.Estimated ? " (estimated)" : string.Empty);
            Line((day.LongLabel.PadRight(labelWidth) + "  " + amounts[i].PadLeft(amountWidth) + "  " + new string('#', length).PadRight(TrendBarWidth) + marks).TrimEnd());
        }

        Line();
    }

    private void Line(string text = "") => _text.Append(text).Append('\n');
}
