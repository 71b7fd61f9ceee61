using System.Globalization;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace CostNotifier.UnitTests.Email;

/// <summary>The report email's HTML parsed as a browser would, with the parts the tests look at.</summary>
internal sealed class RenderedReportPage
{
    private RenderedReportPage(IHtmlDocument document) => Document = document;

    public IHtmlDocument Document { get; }

    public static RenderedReportPage Parse(string html) => new(new HtmlParser().ParseDocument(html));

    /// <summary>The big figure under "Total for the day".</summary>
    public string TotalText => Document.QuerySelectorAll("div")
        .Single(d => d.TextContent == "Total for the day")
        .NextElementSibling!.ChildNodes.OfType<IText>().First().Data.Trim();

    /// <summary>The group table's lines of groups (cost, "Other", then credits), without the header and the sums.</summary>
    public IReadOnlyList<GroupRowCells> GroupRows => TableRows.Where(r => !r.IsSum).ToList();

    /// <summary>The sum lines of the group table: "Total", or "Gross cost", credits and "Net total".</summary>
    public IReadOnlyList<GroupRowCells> SumRows => TableRows.Where(r => r.IsSum).ToList();

    /// <summary>Every four-cell row of the group table after its header, in order.</summary>
    public IReadOnlyList<GroupRowCells> TableRows
    {
        get
        {
            var header = Document.QuerySelectorAll("tr")
                .Single(r => r.Children.Length == 4 && r.Children[1].TextContent.StartsWith("Amount", StringComparison.Ordinal));
            return header.ParentElement!.Children
                .Where(r => r != header && r.Children.Length == 4)
                .Select(r => new GroupRowCells(
                    string.Concat(r.Children[0].ChildNodes.OfType<IText>().Select(t => t.Data)),
                    r.Children[1].TextContent,
                    r.Children[2].TextContent,
                    r.Children[3].TextContent,
                    r.Children[0],
                    r.ClassList.Contains("sum")))
                .ToList();
        }
    }

    /// <summary>The text of the "What changed" list, one entry per item; empty when the section is absent.</summary>
    public IReadOnlyList<string> WhatChanged =>
        Document.QuerySelectorAll("div").FirstOrDefault(d => d.TextContent == "What changed")?.NextElementSibling?.Children.Select(li => li.TextContent).ToList() ?? [];

    /// <summary>The figure next to a label of the figures under the total ("vs previous day", "Month to date", …).</summary>
    public string Figure(string labelStart) => Document.QuerySelectorAll("table.f tr")
        .Single(r => r.Children.Length == 2 && r.Children[0].TextContent.StartsWith(labelStart, StringComparison.Ordinal))
        .Children[1].TextContent;

    /// <summary>The width of the bar drawn in a group row's name cell, in percent; 0 when the row has no bar.</summary>
    public static int BarPercent(IElement nameCell)
    {
        var bar = nameCell.QuerySelector("table.b");
        return bar is null ? 0 : int.Parse(bar.GetAttribute("width")!.TrimEnd('%'), CultureInfo.InvariantCulture);
    }

    /// <summary>Reads "$1,234.56", "-$12.34" or "+$1.00" back into a decimal.</summary>
    public static decimal Amount(string text)
    {
        var trimmed = text.Trim();
        var negative = trimmed.StartsWith('-');
        var digits = trimmed.TrimStart('+', '-').Replace("$", string.Empty, StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal);
        var value = decimal.Parse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return negative ? -value : value;
    }
}

internal sealed record GroupRowCells(string Name, string Amount, string Share, string Change, IElement NameCell, bool IsSum);
