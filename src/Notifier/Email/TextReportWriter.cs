using System.Text;
using CostNotifier.Domain;
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
    private readonly AmountFormatter _table;
    private readonly StringBuilder _text;

    private TextReportWriter(ReportEmailModel model)
    {
        _model = model;
        _table = model.TableAmounts;
        _text = new StringBuilder(2_000 + ((model.Costs.Lines.Count + (model.Credits?.Lines.Count ?? 0)) * 100));
    }

    public static string Write(ReportEmailModel model)
    {
        var writer = new TextReportWriter(model);
        writer.Document();
        return writer._text.ToString();
    }

    private void Document()
    {
        Line("CostNotifier \u00B7 " + Kind(_model));
        Line(_model.ReportName);
        Line(LongDate(_model) + " \u00B7 " + UsageDays(_model));
        Line();

        var hasNotice = false;
        if (_model.Estimated)
        {
            Line("*** " + ProvisionalTitle + " " + Provisional(_model) + " ***");
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

        Total();
        WhatChangedSection();
        Figures();
        Days();
        Movers();
        Groups();
        Trend();
        Line(Footer(_model));
        Line(AmountsNote(_model));
    }

    private void Total()
    {
        Line(TotalHeading(_model) + "  " + _model.Amounts.Format(_model.Total) + (_model.Estimated ? "  (estimated)" : string.Empty));
        if (GrossAndCredits(_model) is { } split)
        {
            Line(split);
        }

        Line();
    }

    private void WhatChangedSection()
    {
        var lines = WhatChanged(_model);
        if (lines.Count == 0)
        {
            return;
        }

        Line(WhatChangedHeading);
        foreach (var line in lines)
        {
            Line("- " + line);
        }

        Line();
    }

    private void Figures()
    {
        var rows = new List<(string Label, string Value, string Note)>
        {
            (PreviousDayLabel(_model), Difference(_model, _model.PreviousDay), PercentOrEmpty(_model.PreviousDay)),
            (LastWeekLabel(_model), Difference(_model, _model.SameWeekdayLastWeek), PercentOrEmpty(_model.SameWeekdayLastWeek)),
        };
        if (_model.Cadence != Cadence.Monthly)
        {
            rows.Add((MonthToDateLabel(_model), _model.Amounts.Format(_model.MonthToDate), string.Empty));
        }

        if (_model.Forecast is { } forecast)
        {
            rows.Add((ProjectionHeading(_model), Projection(_model)!, ProjectionRange(forecast, _model.Amounts)));
        }

        var labelWidth = rows.Max(r => r.Label.Length);
        var valueWidth = rows.Max(r => r.Value.Length);
        foreach (var (label, value, note) in rows)
        {
            Line((label.PadRight(labelWidth) + "  " + value.PadLeft(valueWidth) + "  " + note).TrimEnd());
        }

        foreach (var note in new[] { ComparisonMissing(_model), ForecastCheck(_model), MonthBudget(_model) })
        {
            if (note is not null)
            {
                Line(note);
            }
        }

        if (BudgetNote(_model) is { } budget)
        {
            Line(budget);
        }

        if (ProjectionBasis(_model) is { } basis)
        {
            Line(basis);
        }

        Line();
    }

    private static string PercentOrEmpty(Comparison? comparison) => comparison is null ? string.Empty : Percent(comparison);

    private void Days()
    {
        if (_model.Digest is not { Days.Count: > 0 } digest)
        {
            return;
        }

        Line(DaysHeading);
        var labelWidth = Math.Max(DayColumn.Length, digest.Days.Max(d => d.Label.Length));
        var amounts = digest.Days.Select(d => d.Total is { } total ? _table.Format(total) : NoDayData).ToList();
        var amountWidth = Math.Max(_table.AmountHeading.Length, amounts.Max(a => a.Length));
        Line(DayColumn.PadRight(labelWidth) + "  " + _table.AmountHeading.PadLeft(amountWidth));
        for (var i = 0; i < digest.Days.Count; i++)
        {
            var day = digest.Days[i];
            var bar = new string('#', day.BarPercent == 0 ? 0 : Math.Max(1, (int)Math.Round(day.BarPercent * TrendBarWidth / 100m, MidpointRounding.AwayFromZero)));
            Line((day.Label.PadRight(labelWidth) + "  " + amounts[i].PadLeft(amountWidth) + "  " + bar.PadRight(TrendBarWidth) + (day.Estimated ? " (estimated)" : string.Empty)).TrimEnd());
        }

        Line();
    }

    private void Movers()
    {
        if (_model.Digest is not { } digest || digest.Increases.Count + digest.Decreases.Count == 0)
        {
            return;
        }

        Line(MoversHeading(_model));
        var rows = digest.Increases.Concat(digest.Decreases).ToList();
        var nameWidth = Math.Max(_model.GroupColumn.Length, Math.Min(MaxNameColumn, rows.Max(r => r.Label.Length)));
        var amountHeading = _table.AmountHeading;
        var amountWidth = Math.Max(amountHeading.Length, rows.Max(r => _table.Format(r.Amount).Length));
        var differenceWidth = rows.Max(r => Difference(_table, r.PreviousDay).Length);
        Line(_model.GroupColumn.PadRight(nameWidth) + "  " + amountHeading.PadLeft(amountWidth) + "  " + ChangeColumn(_model));
        foreach (var (heading, list) in new[] { (IncreasesHeading, digest.Increases), (DecreasesHeading, digest.Decreases) })
        {
            if (list.Count == 0)
            {
                continue;
            }

            Line(heading);
            foreach (var row in list)
            {
                var name = row.Label;
                if (name.Length > nameWidth)
                {
                    Line(name);
                    name = string.Empty;
                }

                Line((name.PadRight(nameWidth) + "  " + _table.Format(row.Amount).PadLeft(amountWidth) + "  "
                    + Difference(_table, row.PreviousDay).PadLeft(differenceWidth) + " " + ChangeNote(_model, _table, row)).TrimEnd());
            }
        }

        Line();
    }

    private void Groups()
    {
        Line(GroupHeading(_model));
        var costs = _model.Costs;
        var credits = _model.Credits;
        if (costs.Lines.Count == 0 && credits is null)
        {
            Line(NoGroups(_model));
            Line();
            return;
        }

        // Every row in print order; null stands for the credits heading, which spans the columns.
        var rows = new List<Columns?>(costs.Lines.Select(ColumnsOf));
        if (credits is null)
        {
            rows.Add(SumOf(TotalLabel, _model.Total, _model.PreviousDay));
        }
        else
        {
            rows.Add(SumOf(GrossLabel, costs.Sum, costs.Change));
            rows.Add(null);
            rows.AddRange(credits.Lines.Select(ColumnsOf));
            if (credits.Lines.Count > 1)
            {
                rows.Add(SumOf(CreditsTotalLabel, credits.Sum, credits.Change));
            }

            rows.Add(SumOf(NetLabel, _model.Total, _model.PreviousDay));
        }

        var filled = rows.OfType<Columns>().ToList();
        var nameWidth = Math.Min(MaxNameColumn, filled.Max(r => r.Name.Length));
        nameWidth = Math.Max(nameWidth, _model.GroupColumn.Length);
        var amountHeading = _table.AmountHeading;
        var amountWidth = Math.Max(amountHeading.Length, filled.Max(r => r.Amount.Length));
        var shareWidth = Math.Max("Share".Length, filled.Max(r => r.Share.Length));
        var differenceWidth = filled.Max(r => r.Difference.Length);
        var percentWidth = filled.Where(r => !r.WordNote).Max(r => (int?)r.Note.Length) ?? 0;
        var changeHeading = ChangeColumn(_model);
        var changeWidth = Math.Max(changeHeading.Length, differenceWidth + 1 + percentWidth);
        var wordIndent = new string(' ', changeWidth - (differenceWidth + 1 + percentWidth));

        Line(_model.GroupColumn.PadRight(nameWidth) + "  " + amountHeading.PadLeft(amountWidth) + "  " + "Share".PadLeft(shareWidth) + "  " + changeHeading.PadLeft(changeWidth));
        foreach (var row in rows)
        {
            if (row is null)
            {
                Line(CreditsHeading);
                continue;
            }

            if (row.IsSum)
            {
                Line(new string('-', nameWidth + amountWidth + shareWidth + changeWidth + 6));
            }

            var name = row.Name;
            if (name.Length > nameWidth)
            {
                // A long name gets its own line so the figures stay in their columns.
                Line(name);
                name = string.Empty;
            }

            // Percentages line up on the right; a worded note ("new", "no cost today, was …") follows its amount.
            var change = row.Note.Length == 0 ? row.Difference.PadLeft(changeWidth)
                : row.WordNote ? wordIndent + row.Difference.PadLeft(differenceWidth) + " " + row.Note
                : (row.Difference.PadLeft(differenceWidth) + " " + row.Note.PadLeft(percentWidth)).PadLeft(changeWidth);
            Line((name.PadRight(nameWidth) + "  " + row.Amount.PadLeft(amountWidth) + "  " + row.Share.PadLeft(shareWidth) + "  " + change).TrimEnd());
        }

        Line();
    }

    private Columns ColumnsOf(GroupRow row) =>
        new(row.Label, _table.Format(row.Amount), Share(row.Share), Difference(_table, row.PreviousDay), ChangeNote(_model, _table, row), false, row.PreviousDay is not null && row.Status != LineStatus.Continuing);

    private Columns SumOf(string label, decimal amount, Comparison? change) =>
        new(label, _table.Format(amount), string.Empty, Difference(_table, change), change is null ? string.Empty : Percent(change), true, false);

    private void Trend()
    {
        var days = _model.Trend;
        if (days.Count == 0)
        {
            return;
        }

        Line(TrendHeading(_model));
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
            var marks = (day.IsReportDay ? "  <- " + TrendMark(_model) : string.Empty) + (day.Estimated ? " (estimated)" : string.Empty);
            Line((day.LongLabel.PadRight(labelWidth) + "  " + amounts[i].PadLeft(amountWidth) + "  " + new string('#', length).PadRight(TrendBarWidth) + marks).TrimEnd());
        }

        Line();
    }

    private void Line(string text = "") => _text.Append(text).Append('\n');

    private sealed record Columns(string Name, string Amount, string Share, string Difference, string Note, bool IsSum, bool WordNote);
}
