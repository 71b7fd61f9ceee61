using System.Globalization;
using System.Text;
using CostNotifier.Domain;
using static CostNotifier.Notifier.Email.ReportEmailWording;

namespace CostNotifier.Notifier.Email;

/// <summary>
/// Writes the HTML part. The layout is nested tables (what email clients render most reliably) without images; bars
/// are coloured table cells. Looks come from a stylesheet in the head, which Gmail, Apple Mail and Outlook keep, so a
/// row of the group table costs a few class names instead of repeated inline styles: the worst case (100 rows of long
/// names that all need escaping) stays well under Gmail's clipping limit. A client that drops the stylesheet still
/// shows every figure, only plainer. Every value from data goes through <see cref="Text"/>, which escapes it.
/// </summary>
internal sealed class HtmlReportWriter
{
    private const string Page = "#f2f4f7";
    private const string Card = "#ffffff";
    private const string Presentation = "role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\"";

    /// <summary>
    /// Light colours. Text colours sit on classes, never on the table cells' element selector, so a colour class always
    /// wins; the figures' columns do not wrap, the names do (anywhere, if a name has no spaces), so the table fits a
    /// 375-pixel screen.
    /// </summary>
    public const string Stylesheet =
        "body{margin:0;padding:0}\n"
        + ".bg{background:" + Page + "}\n"
        + ".c{background:" + Card + ";color:#101828;border:1px solid #eaecf0;max-width:640px;word-break:break-word;overflow-wrap:anywhere}\n"
        + "td{font-family:Arial,Helvetica,sans-serif}\n"
        + ".p{padding:0 24px}\n"
        + ".k{font-size:11px;letter-spacing:1px;text-transform:uppercase;color:#667085}\n"
        + ".t{font-size:20px;line-height:26px;font-weight:bold;padding-top:4px}\n"
        + ".s{font-size:13px;color:#475467}\n"
        + ".m{color:#667085}\n"
        + ".big{font-size:32px;line-height:40px;font-weight:bold}\n"
        + ".e{font-size:14px;font-weight:normal;color:#b54708}\n"
        + ".h{font-size:15px;font-weight:bold;padding:8px 0 6px}\n"
        + ".w{margin:0;padding:0 0 0 20px;font-size:14px;line-height:20px}\n"
        + ".n{padding:10px 12px;font-size:13px;line-height:18px;border-left:4px solid}\n"
        + ".n1{background:#fffaeb;color:#7a2e0e;border-color:#f79009}\n"
        + ".n2{background:#f9fafb;color:#344054;border-color:#98a2b3}\n"
        + ".n3{background:#eff8ff;color:#194185;border-color:#2e90fa}\n"
        + ".f td{font-size:13px;line-height:18px;padding:3px 0;vertical-align:top}\n"
        + ".g{border-collapse:collapse}\n"
        + ".g td{font-size:13px;line-height:17px;padding:5px 4px;border-bottom:1px solid #eaecf0;vertical-align:top}\n"
        + ".gh td{font-size:12px;font-weight:bold;color:#667085;border-bottom:1px solid #d0d5dd}\n"
        + ".sum td{font-weight:bold;border-top:1px solid #d0d5dd}\n"
        + ".r{text-align:right;white-space:nowrap}\n"
        + ".v{text-align:right;word-break:normal;overflow-wrap:normal}\n"
        + "small{font-size:11px}\n"
        + ".f .v small{white-space:nowrap}\n"
        + ".u{color:#b42318}\n"
        + ".d{color:#067647}\n"
        + ".b{margin-top:4px;border-collapse:collapse}\n"
        + ".b td{height:6px;padding:0;border:0;background:#2563eb;font-size:0;line-height:0}\n"
        + ".b.o td{background:#98a2b3}\n"
        + ".x{font-size:11px;line-height:16px;border-top:1px solid #eaecf0}\n"
        + ".tb{padding:0 2px;vertical-align:bottom}\n"
        + ".tk{border-collapse:collapse}\n"
        + ".tk td{padding:0;font-size:0;line-height:0}\n"
        + "@media (max-width:480px){.p{padding-left:12px!important;padding-right:12px!important}.big{font-size:26px!important;line-height:32px!important}}\n";

    /// <summary>
    /// Dark colours for clients that honour the reader's dark mode, every pair as readable as the light one. Kept in a
    /// block of its own so a client that rejects it keeps the light stylesheet. Clients that invert colours themselves
    /// get dark text on light backgrounds to invert, never light text that could end up on white.
    /// </summary>
    public const string DarkStylesheet =
        ":root{color-scheme:light dark;supported-color-schemes:light dark}\n"
        + "@media (prefers-color-scheme:dark){\n"
        + "body,.bg{background:#0c111d!important}\n"
        + ".c{background:#161b26!important;color:#f5f5f6!important;border-color:#333741!important}\n"
        + ".k{color:#94969c!important}\n"
        + ".s{color:#cecfd2!important}\n"
        + ".m{color:#94969c!important}\n"
        + ".e{color:#fdb022!important}\n"
        + ".n1{background:#2d1f07!important;color:#fedf89!important}\n"
        + ".n2{background:#1f242f!important;color:#cecfd2!important}\n"
        + ".n3{background:#0b2545!important;color:#b2ddff!important}\n"
        + ".gh td{color:#94969c!important}\n"
        + ".g td,.x{border-color:#333741!important}\n"
        + ".u{color:#fda29b!important}\n"
        + ".d{color:#75e0a7!important}\n"
        + "}\n";

    private const string TrendColour = "#93c5fd";
    private const string TrendEstimatedColour = "#dbe7fb";
    private const string TrendDayColour = "#1d4ed8";

    private readonly ReportEmailModel _model;
    private readonly AmountFormatter _table;
    private readonly StringBuilder _html;

    private HtmlReportWriter(ReportEmailModel model)
    {
        _model = model;
        _table = model.TableAmounts;
        var rows = model.Costs.Lines.Count + (model.Credits?.Lines.Count ?? 0);
        _html = new StringBuilder(8_000 + (rows * 400));
    }

    public static string Write(ReportEmailModel model, string subject, string preheader)
    {
        var writer = new HtmlReportWriter(model);
        writer.Document(subject, preheader);
        return writer._html.ToString();
    }

    private void Document(string subject, string preheader)
    {
        Raw("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"utf-8\">\n");
        Raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n");
        Raw("<meta name=\"x-apple-disable-message-reformatting\">\n");
        Raw("<meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"supported-color-schemes\" content=\"light dark\">\n<title>");
        Text(subject);
        Raw("</title>\n<style>\n" + Stylesheet + "</style>\n<style>\n" + DarkStylesheet + "</style>\n</head>\n");
        Raw("<body class=\"bg\" style=\"margin:0;padding:0;background-color:" + Page + "\">\n");

        // The preheader is the grey line inbox lists show after the subject; it is not meant to be seen in the body.
        Raw("<div style=\"display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all\">");
        Text(preheader);
        Raw("</div>\n");

        // No fixed pixel width anywhere: the card is as wide as the screen up to 640 pixels.
        Raw("<table class=\"bg\" " + Presentation + " bgcolor=\"" + Page + "\">\n<tr><td align=\"center\" style=\"padding:24px 8px\">\n");
        Raw("<table class=\"c\" " + Presentation + " bgcolor=\"" + Card + "\" style=\"max-width:640px;word-break:break-word\">\n");
        Header();
        Notices();
        Total();
        WhatChangedSection();
        Figures();
        Days();
        Movers();
        Groups();
        Trend();
        Footer();
        Raw("</table>\n</td></tr>\n</table>\n</body>\n</html>\n");
    }

    private void Header()
    {
        Raw("<tr><td class=\"p\" style=\"padding-top:20px\"><div class=\"k\">CostNotifier &middot; ");
        Text(Kind(_model));
        Raw("</div><div class=\"t\">");
        Text(_model.ReportName);
        Raw("</div><div class=\"s\">");
        Text(LongDate(_model));
        Raw(" &middot; ");
        Text(UsageDays(_model));
        Raw("</div></td></tr>\n");
    }

    private void Notices()
    {
        if (_model.Estimated)
        {
            Notice("n1", ProvisionalTitle, Provisional(_model));
        }

        if (RevisionNote(_model) is { } revision)
        {
            Notice("n2", null, revision);
        }

        if (TriggerNote(_model) is { } trigger)
        {
            Notice("n3", null, trigger);
        }
    }

    private void Notice(string colours, string? title, string body)
    {
        Raw("<tr><td class=\"p\" style=\"padding-top:8px\"><table " + Presentation + "><tr><td class=\"n " + colours + "\">");
        if (title is not null)
        {
            Raw("<strong>");
            Text(title);
            Raw("</strong> ");
        }

        Text(body);
        Raw("</td></tr></table></td></tr>\n");
    }

    private void Total()
    {
        Raw("<tr><td class=\"p\" style=\"padding-top:16px\"><div class=\"s\">");
        Text(TotalHeading(_model));
        Raw("</div><div class=\"big\">");
        Text(_model.Amounts.Format(_model.Total));
        if (_model.Estimated)
        {
            Raw(" <span class=\"e\">estimated</span>");
        }

        Raw("</div>");
        if (GrossAndCredits(_model) is { } split)
        {
            Raw("<div class=\"s\">");
            Text(split);
            Raw("</div>");
        }

        Raw("</td></tr>\n");
    }

    private void WhatChangedSection()
    {
        var lines = WhatChanged(_model);
        if (lines.Count == 0)
        {
            return;
        }

        Raw("<tr><td class=\"p\" style=\"padding-top:8px\"><div class=\"h\">" + WhatChangedHeading + "</div><ul class=\"w\">\n");
        foreach (var line in lines)
        {
            Raw("<li>");
            Text(line);
            Raw("</li>\n");
        }

        Raw("</ul></td></tr>\n");
    }

    private void Figures()
    {
        Raw("<tr><td class=\"p\" style=\"padding-top:12px;padding-bottom:8px\"><table class=\"f\" " + Presentation + ">\n");
        FigureRow(PreviousDayLabel(_model), _model.PreviousDay);
        FigureRow(LastWeekLabel(_model), _model.SameWeekdayLastWeek);
        if (ComparisonMissing(_model) is { } missing)
        {
            Raw("<tr><td colspan=\"2\" class=\"m\"><small>");
            Text(missing);
            Raw("</small></td></tr>\n");
        }

        if (_model.Cadence != Cadence.Monthly)
        {
            FigureRow(MonthToDateLabel(_model), _model.Amounts.Format(_model.MonthToDate), null, null);
        }

        if (ForecastCheck(_model) is { } check)
        {
            Raw("<tr><td colspan=\"2\">");
            Text(check);
            Raw("</td></tr>\n");
        }

        if (MonthBudget(_model) is { } monthBudget)
        {
            var colour = _model.Total > _model.Digest!.Budget ? "u" : "d";
            Raw("<tr><td colspan=\"2\" class=\"" + colour + "\">");
            Text(monthBudget);
            Raw("</td></tr>\n");
        }

        if (_model.Forecast is { } forecast)
        {
            FigureRow(ProjectionHeading(_model), Projection(_model)!, ProjectionRange(forecast, _model.Amounts), null);
            if (BudgetNote(_model) is { } budget)
            {
                var colour = _model.Budget is { AlreadyOver: true } or { ProjectedOver: true } ? "u" : "d";
                Raw("<tr><td colspan=\"2\" class=\"" + colour + "\">");
                Text(budget);
                Raw("</td></tr>\n");
            }

            if (ProjectionBasis(_model) is { } basis)
            {
                Raw("<tr><td colspan=\"2\" class=\"m\"><small>");
                Text(basis);
                Raw("</small></td></tr>\n");
            }
        }

        Raw("</table></td></tr>\n");
    }

    private void FigureRow(string label, Comparison? comparison)
    {
        var marker = comparison?.Direction switch
        {
            > 0 => "&#9650; ",
            < 0 => "&#9660; ",
            _ => null,
        };
        FigureRow(label, Difference(_model, comparison), comparison is null ? null : Percent(comparison), ChangeClass(comparison), marker);
    }

    private void FigureRow(string label, string value, string? note, string? colour, string? marker = null)
    {
        Raw("<tr><td class=\"m\">");
        Text(label);
        // The value may wrap between the amount and its note on a narrow screen, never inside either.
        Raw(colour is null ? "</td><td class=\"v\">" : "</td><td class=\"v " + colour + "\">");
        if (marker is not null)
        {
            Raw(marker);
        }

        Text(value);
        if (note is not null)
        {
            Raw(" <small>");
            Text(note);
            Raw("</small>");
        }

        Raw("</td></tr>\n");
    }

    private void Groups()
    {
        Raw("<tr><td class=\"p\" style=\"padding-top:8px;padding-bottom:16px\"><div class=\"h\">");
        Text(GroupHeading(_model));
        Raw("</div>\n<table class=\"g\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\">\n<tr class=\"gh\"><td>");
        Text(_model.GroupColumn);
        Raw("</td><td class=\"r\">");
        Text(_table.AmountHeading);
        Raw("</td><td class=\"r\">Share</td><td class=\"r\">");
        Text(ChangeColumn(_model));
        Raw("</td></tr>\n");

        var costs = _model.Costs;
        if (costs.Lines.Count == 0 && _model.Credits is null)
        {
            Raw("<tr><td colspan=\"4\" class=\"m\">");
            Text(NoGroups(_model));
            Raw("</td></tr>\n");
        }

        foreach (var line in costs.Lines)
        {
            Line(line);
        }

        if (_model.Credits is not { } credits)
        {
            Sum(TotalLabel, _model.Total, _model.PreviousDay);
        }
        else
        {
            Sum(GrossLabel, costs.Sum, costs.Change);
            Raw("<tr class=\"gh\"><td colspan=\"4\">");
            Text(CreditsHeading);
            Raw("</td></tr>\n");
            foreach (var line in credits.Lines)
            {
                Line(line);
            }

            if (credits.Lines.Count > 1)
            {
                Sum(CreditsTotalLabel, credits.Sum, credits.Change);
            }

            Sum(NetLabel, _model.Total, _model.PreviousDay);
        }

        Raw("</table>\n</td></tr>\n");
    }

    private void Line(GroupRow row)
    {
        Raw("<tr><td>");
        Text(row.Label);
        Bar(row.BarPercent, row.Kind == LineKind.Other);

        Raw("</td><td class=\"r\">");
        Text(_table.Format(row.Amount));
        Raw("</td><td class=\"r\">");
        Text(Share(row.Share));
        ChangeCell(row.PreviousDay, ChangeNote(_model, _table, row));
        Raw("</tr>\n");
    }

    /// <summary>A weekly digest's days, each with a bar as long as its share of the week's largest day.</summary>
    private void Days()
    {
        if (_model.Digest is not { Days.Count: > 0 } digest)
        {
            return;
        }

        Raw("<tr><td class=\"p\" style=\"padding-top:8px;padding-bottom:8px\"><div class=\"h\">" + DaysHeading + "</div>\n<table class=\"g\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\">\n<tr class=\"gh\"><td>" + DayColumn + "</td><td class=\"r\">");
        Text(_table.AmountHeading);
        Raw("</td></tr>\n");
        foreach (var day in digest.Days)
        {
            Raw("<tr><td>");
            Text(day.Label);
            Bar(day.BarPercent, other: false);
            if (day.Total is { } total)
            {
                Raw("</td><td class=\"r\">");
                Text(_table.Format(total));
                Raw(day.Estimated ? " <small>estimated</small></td></tr>\n" : "</td></tr>\n");
            }
            else
            {
                Raw("</td><td class=\"r m\">" + NoDayData + "</td></tr>\n");
            }
        }

        Raw("</table></td></tr>\n");
    }

    /// <summary>A digest's largest rises and falls against the previous period, in the group table's columns.</summary>
    private void Movers()
    {
        if (_model.Digest is not { } digest || digest.Increases.Count + digest.Decreases.Count == 0)
        {
            return;
        }

        Raw("<tr><td class=\"p\" style=\"padding-top:8px;padding-bottom:8px\"><div class=\"h\">");
        Text(MoversHeading(_model));
        Raw("</div>\n<table class=\"g\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\">\n<tr class=\"gh\"><td>");
        Text(_model.GroupColumn);
        Raw("</td><td class=\"r\">");
        Text(_table.AmountHeading);
        Raw("</td><td class=\"r\">");
        Text(ChangeColumn(_model));
        Raw("</td></tr>\n");
        MoverRows(IncreasesHeading, digest.Increases);
        MoverRows(DecreasesHeading, digest.Decreases);
        Raw("</table>\n</td></tr>\n");
    }

    private void MoverRows(string heading, IReadOnlyList<GroupRow> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        Raw("<tr class=\"gh\"><td colspan=\"3\">" + heading + "</td></tr>\n");
        foreach (var row in rows)
        {
            Raw("<tr><td>");
            Text(row.Label);
            Raw("</td><td class=\"r\">");
            Text(_table.Format(row.Amount));
            ChangeCell(row.PreviousDay, ChangeNote(_model, _table, row));
            Raw("</tr>\n");
        }
    }

    private void Bar(int percent, bool other)
    {
        if (percent > 0)
        {
            // The empty cell of the bar table is the bar; the table's width is the bar's length. A one-cell table
            // without headings is read as layout, so it needs no role attribute, which would repeat on every row.
            Raw(string.Create(CultureInfo.InvariantCulture, $"<table class=\"{(other ? "b o" : "b")}\" width=\"{percent}%\"><tr><td></td></tr></table>"));
        }
    }

    private void Sum(string label, decimal amount, Comparison? change)
    {
        Raw("<tr class=\"sum\"><td>");
        Text(label);
        Raw("</td><td class=\"r\">");
        Text(_table.Format(amount));
        Raw("</td><td class=\"r\">");
        ChangeCell(change, change is null ? string.Empty : Percent(change));
        Raw("</tr>\n");
    }

    private void ChangeCell(Comparison? change, string note)
    {
        // The change cell may wrap between the amount and its note on a narrow screen; each part stays whole.
        Raw(ChangeClass(change) is { } colour ? "</td><td class=\"v " + colour + "\">" : "</td><td class=\"v\">");
        Text(Difference(_table, change));
        if (note.Length > 0)
        {
            Raw(" <small>");
            Text(note);
            Raw("</small>");
        }

        Raw("</td>");
    }

    private void Trend()
    {
        var days = _model.Trend;
        if (days.Count == 0)
        {
            return;
        }

        Raw("<tr><td class=\"p\"><div class=\"h\">");
        Text(TrendHeading(_model));
        Raw("</div><table " + Presentation + ">\n<tr>");
        var width = 100 / days.Count;
        foreach (var day in days)
        {
            var colour = day.IsReportDay ? TrendDayColour : day.Estimated ? TrendEstimatedColour : TrendColour;
            Raw(string.Create(CultureInfo.InvariantCulture, $"<td class=\"tb\" width=\"{width}%\" height=\"{ReportEmailModel.TrendHeightPixels}\" valign=\"bottom\" title=\""));
            Text(day.LongLabel + ": " + _model.Amounts.Format(day.Total) + (day.Estimated ? " (estimated)" : string.Empty));

            // Zero or net-credit days get a thin baseline rather than a bar.
            var (height, fill) = day.HeightPixels > 0 ? (day.HeightPixels, colour) : (1, "#d0d5dd");
            Raw(string.Create(CultureInfo.InvariantCulture, $"\"><table class=\"tk\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr><td height=\"{height}\" bgcolor=\"{fill}\" style=\"height:{height}px\">&nbsp;</td></tr></table></td>"));
        }

        Raw("</tr>\n<tr>");
        foreach (var day in days)
        {
            Raw(day.IsReportDay ? "<td align=\"center\" style=\"padding-top:4px;font-size:10px;font-weight:bold\">" : "<td align=\"center\" class=\"m\" style=\"padding-top:4px;font-size:10px\">");
            Text(day.DayLabel);
            Raw("</td>");
        }

        Raw("</tr>\n</table><div class=\"m\" style=\"padding:4px 0 16px;font-size:12px;line-height:17px\">");
        Text(TrendSummary(_model));
        Raw("</div></td></tr>\n");
    }

    private void Footer()
    {
        Raw("<tr><td class=\"p x m\" style=\"padding-top:14px;padding-bottom:20px\">");
        Text(ReportEmailWording.Footer(_model));
        Raw("<br>");
        Text(AmountsNote(_model));
        Raw("</td></tr>\n");
    }

    private static string? ChangeClass(Comparison? comparison) => comparison?.Direction switch
    {
        > 0 => "u",
        < 0 => "d",
        _ => null,
    };

    private void Raw(string markup) => _html.Append(markup);

    private void Text(string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '&':
                    _html.Append("&amp;");
                    break;
                case '<':
                    _html.Append("&lt;");
                    break;
                case '>':
                    _html.Append("&gt;");
                    break;
                case '"':
                    _html.Append("&quot;");
                    break;
                case '\'':
                    _html.Append("&#39;");
                    break;
                default:
                    _html.Append(c);
                    break;
            }
        }
    }
}
