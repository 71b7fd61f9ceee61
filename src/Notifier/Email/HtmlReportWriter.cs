using System.Globalization;
using System.Text;
using static CostNotifier.Notifier.Email.ReportEmailWording;

namespace CostNotifier.Notifier.Email;

/// <summary>
/// Writes the HTML part. Email clients strip stylesheets and scripts and render tables far more reliably than
/// anything else, so the layout is nested tables with inline styles (plus the old bgcolor/width attributes Outlook
/// still honours), bars are coloured table cells, and there are no images. Every value from data goes through
/// <see cref="Text"/>, which escapes it.
/// </summary>
internal sealed class HtmlReportWriter
{
    private const string Font = "Arial,Helvetica,sans-serif";
    private const string Ink = "#101828";
    private const string Muted = "#667085";
    private const string Rule = "#eaecf0";
    private const string Increase = "#b42318";
    private const string Decrease = "#067647";
    private const string BarColour = "#2563eb";
    private const string OtherBarColour = "#98a2b3";
    private const string TrendColour = "#93c5fd";
    private const string TrendEstimatedColour = "#dbe7fb";
    private const string TrendDayColour = "#1d4ed8";
    private const string Presentation = "role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\"";
    private const string CellFont = "font:13px Arial,sans-serif";

    private readonly ReportEmailModel _model;
    private readonly StringBuilder _html;

    private HtmlReportWriter(ReportEmailModel model)
    {
        _model = model;
        _html = new StringBuilder(6_000 + (model.Rows.Count * 700));
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
        Raw("<meta name=\"x-apple-disable-message-reformatting\">\n<title>");
        Text(subject);
        Raw("</title>\n</head>\n<body style=\"margin:0;padding:0;background-color:#f2f4f7\">\n");

        // The preheader is the grey line inbox lists show after the subject; it is not meant to be seen in the body.
        Raw("<div style=\"display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;color:#f2f4f7\">");
        Text(preheader);
        Raw("</div>\n");

        Raw("<table " + Presentation + " bgcolor=\"#f2f4f7\" style=\"background-color:#f2f4f7\">\n<tr><td align=\"center\" style=\"padding:24px 8px\">\n");
        Raw("<table role=\"presentation\" width=\"640\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" bgcolor=\"#ffffff\" style=\"width:100%;max-width:640px;background-color:#ffffff;border:1px solid " + Rule + "\">\n");
        Header();
        Notices();
        Totals();
        Groups();
        Trend();
        Footer();
        Raw("</table>\n</td></tr>\n</table>\n</body>\n</html>\n");
    }

    private void Header()
    {
        Raw("<tr><td style=\"padding:20px 24px 8px;font-family:" + Font + "\">");
        Raw("<div style=\"font-size:11px;letter-spacing:1px;text-transform:uppercase;color:" + Muted + "\">CostNotifier &middot; daily cost report</div>");
        Raw("<div style=\"font-size:20px;line-height:26px;font-weight:bold;padding-top:4px;color:" + Ink + "\">");
        Text(_model.ReportName);
        Raw("</div><div style=\"font-size:13px;padding-top:2px;color:#475467\">");
        Text(LongDate(_model));
        Raw(" &middot; UTC usage day</div></td></tr>\n");
    }

    private void Notices()
    {
        if (_model.Estimated)
        {
            Notice("#fffaeb", "#f79009", "#7a2e0e", ProvisionalTitle, ProvisionalBody);
        }

        if (RevisionNote(_model) is { } revision)
        {
            Notice("#f9fafb", "#98a2b3", "#344054", null, revision);
        }

        if (TriggerNote(_model) is { } trigger)
        {
            Notice("#eff8ff", "#2e90fa", "#194185", null, trigger);
        }
    }

    private void Notice(string background, string accent, string ink, string? title, string body)
    {
        Raw("<tr><td style=\"padding:8px 24px 0\"><table " + Presentation + "><tr><td bgcolor=\"" + background + "\" style=\"background-color:" + background
            + ";border-left:4px solid " + accent + ";padding:10px 12px;font:13px/18px " + Font + ";color:" + ink + "\">");
        if (title is not null)
        {
            Raw("<strong>");
            Text(title);
            Raw("</strong> ");
        }

        Text(body);
        Raw("</td></tr></table></td></tr>\n");
    }

    private void Totals()
    {
        Raw("<tr><td style=\"padding:16px 24px 12px;font-family:" + Font + "\"><div style=\"font-size:13px;color:#475467\">Total for the day</div>");
        Raw("<div style=\"font-size:32px;line-height:40px;font-weight:bold;color:" + Ink + "\">");
        Text(_model.Amounts.Format(_model.Total));
        if (_model.Estimated)
        {
            Raw(" <span style=\"font-size:14px;font-weight:normal;color:#b54708\">estimated</span>");
        }

        Raw("</div></td></tr>\n<tr><td style=\"padding:0 24px 16px\"><table " + Presentation + "><tr>");
        ComparisonBox(PreviousDayLabel(_model), _model.PreviousDay);
        Raw("<td width=\"8\" style=\"font-size:0\">&nbsp;</td>");
        ComparisonBox(LastWeekLabel(_model), _model.SameWeekdayLastWeek);
        Raw("<td width=\"8\" style=\"font-size:0\">&nbsp;</td>");
        Raw("<td width=\"32%\" valign=\"top\" style=\"padding:10px 12px;border:1px solid " + Rule + ";font-family:" + Font + "\">");
        Raw("<div style=\"font-size:12px;line-height:16px;color:" + Muted + "\">");
        Text(MonthToDateLabel(_model));
        Raw("</div><div style=\"font-size:16px;font-weight:bold;padding-top:4px;color:" + Ink + "\">");
        Text(_model.Amounts.Format(_model.MonthToDate));
        Raw("</div></td></tr></table></td></tr>\n");
    }

    private void ComparisonBox(string label, Comparison? comparison)
    {
        var colour = ChangeColour(comparison);
        Raw("<td width=\"32%\" valign=\"top\" style=\"padding:10px 12px;border:1px solid " + Rule + ";font-family:" + Font + "\">");
        Raw("<div style=\"font-size:12px;line-height:16px;color:" + Muted + "\">");
        Text(label);
        Raw("</div><div style=\"font-size:16px;font-weight:bold;padding-top:4px;color:" + colour + "\">");
        if (comparison is { Direction: > 0 })
        {
            Raw("&#9650; ");
        }
        else if (comparison is { Direction: < 0 })
        {
            Raw("&#9660; ");
        }

        Text(Difference(_model, comparison));
        Raw("</div><div style=\"font-size:13px;color:" + (comparison?.Percent is null ? Muted : colour) + "\">");
        Text(comparison is null ? "no data for that day" : comparison.Percent is null ? "n/a (was zero)" : Percent(comparison));
        Raw("</div></td>");
    }

    private void Groups()
    {
        Raw("<tr><td style=\"padding:8px 24px 0;font:bold 15px " + Font + ";color:" + Ink + "\">");
        Text(GroupHeading(_model));
        Raw("</td></tr>\n<tr><td style=\"padding:6px 24px 16px\">\n<table role=\"presentation\" width=\"100%\" cellpadding=\"5\" cellspacing=\"0\" border=\"0\" style=\"color:" + Ink + "\">\n<tr>");
        const string head = "font:bold 12px " + Font + ";color:" + Muted + ";border-bottom:1px solid #d0d5dd";
        Raw("<td align=\"left\" style=\"" + head + "\">");
        Text(_model.GroupColumn);
        Raw("</td><td align=\"right\" style=\"" + head + "\">Amount</td><td align=\"right\" style=\"" + head + "\">Share</td>");
        Raw("<td align=\"right\" nowrap style=\"" + head + "\">vs prev. day</td></tr>\n");

        if (_model.Rows.Count == 0)
        {
            Raw("<tr><td colspan=\"4\" style=\"font:13px " + Font + ";color:" + Muted + "\">");
            Text(NoGroups(_model));
            Raw("</td></tr>\n");
        }

        for (var i = 0; i < _model.Rows.Count; i++)
        {
            GroupRow(_model.Rows[i], i % 2 == 1, BarColour);
        }

        if (_model.Other is { } other)
        {
            GroupRow(other.Row, _model.Rows.Count % 2 == 1, OtherBarColour);
            if (other.Credits < 0)
            {
                Raw("<tr><td colspan=\"4\" style=\"font:12px " + Font + ";color:" + Muted + "\">");
                Text("Other includes credits and refunds of " + _model.Amounts.Format(other.Credits) + ".");
                Raw("</td></tr>\n");
            }
        }

        Raw("</table>\n</td></tr>\n");
    }

    private void GroupRow(GroupRow row, bool shaded, string barColour)
    {
        // Rows are the bulk of the document: alternate shading instead of rules, the short font shorthand and the
        // nowrap attribute keep 100 rows far below Gmail's 102 KB. The bar sits under the name rather than in a
        // column of its own, so it keeps its width on a phone where five columns would squeeze it to nothing.
        Raw(shaded ? "<tr bgcolor=\"#f9fafb\">" : "<tr>");
        Raw("<td style=\"" + CellFont + "\">");
        Text(row.Label);
        Bar(row.BarPercent, barColour);
        Raw("</td><td align=\"right\" nowrap style=\"" + CellFont + "\">");
        Text(_model.Amounts.Format(row.Amount));
        Raw("</td><td align=\"right\" style=\"" + CellFont + "\">");
        Text(Share(row.Share));
        Raw("</td><td align=\"right\" style=\"" + CellFont + ";color:" + ChangeColour(row.PreviousDay) + "\">");
        if (row.PreviousDay is null)
        {
            Text(NotAvailable);
        }
        else
        {
            // No nowrap here: a narrow screen may put the percentage under the amount.
            Text(Difference(_model, row.PreviousDay));
            Raw(" <span style=\"font-size:11px\">");
            Text(row.IsNew ? "new" : Percent(row.PreviousDay));
            Raw("</span>");
        }

        Raw("</td></tr>\n");
    }

    private void Bar(int percent, string colour)
    {
        // Credits and zero lines get no bar at all rather than one of zero or negative width.
        if (percent <= 0)
        {
            return;
        }

        // The empty second cell takes the rest of the width; without it the coloured cell would stretch to 100%.
        Raw(string.Create(CultureInfo.InvariantCulture, $"<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"margin-top:4px\"><tr><td width=\"{percent}%\" height=\"6\" bgcolor=\"{colour}\" style=\"font-size:0;line-height:0\">&nbsp;</td>"));
        Raw(percent < 100 ? "<td></td></tr></table>" : "</tr></table>");
    }

    private void Trend()
    {
        var days = _model.Trend;
        if (days.Count == 0)
        {
            return;
        }

        Raw("<tr><td style=\"padding:8px 24px 0;font:bold 15px " + Font + ";color:" + Ink + "\">");
        Text(string.Create(CultureInfo.InvariantCulture, $"Last {days.Count} days"));
        Raw("</td></tr>\n<tr><td style=\"padding:8px 24px 4px\"><table " + Presentation + ">\n<tr>");
        var width = 100 / days.Count;
        foreach (var day in days)
        {
            var colour = day.IsReportDay ? TrendDayColour : day.Estimated ? TrendEstimatedColour : TrendColour;
            Raw(string.Create(CultureInfo.InvariantCulture, $"<td width=\"{width}%\" height=\"{ReportEmailModel.TrendHeightPixels}\" valign=\"bottom\" style=\"padding:0 2px;height:{ReportEmailModel.TrendHeightPixels}px\" title=\""));
            Text(day.LongLabel + ": " + _model.Amounts.Format(day.Total) + (day.Estimated ? " (estimated)" : string.Empty));
            Raw("\"><table " + Presentation + "><tr>");
            if (day.HeightPixels > 0)
            {
                Raw(string.Create(CultureInfo.InvariantCulture, $"<td height=\"{day.HeightPixels}\" bgcolor=\"{colour}\" style=\"height:{day.HeightPixels}px;font-size:0;line-height:0\">&nbsp;</td>"));
            }
            else
            {
                // Zero or net-credit days get a thin baseline rather than a bar.
                Raw("<td height=\"1\" bgcolor=\"#d0d5dd\" style=\"height:1px;font-size:0;line-height:0\">&nbsp;</td>");
            }

            Raw("</tr></table></td>");
        }

        Raw("</tr>\n<tr>");
        foreach (var day in days)
        {
            Raw("<td align=\"center\" style=\"padding-top:4px;font:10px " + Font + ";color:" + (day.IsReportDay ? Ink : Muted) + "\">");
            Text(day.DayLabel);
            Raw("</td>");
        }

        Raw("</tr>\n</table></td></tr>\n<tr><td style=\"padding:4px 24px 16px;font:12px/17px " + Font + ";color:" + Muted + "\">");
        Text(TrendSummary(_model));
        Raw("</td></tr>\n");
    }

    private void Footer()
    {
        Raw("<tr><td style=\"padding:14px 24px 20px;border-top:1px solid " + Rule + ";font:11px/16px " + Font + ";color:" + Muted + "\">");
        Text(ReportEmailWording.Footer(_model));
        Raw("<br>");
        Text(AmountsNote(_model));
        Raw("</td></tr>\n");
    }

    private static string ChangeColour(Comparison? comparison) => comparison?.Direction switch
    {
        > 0 => Increase,
        < 0 => Decrease,
        _ => Muted,
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
