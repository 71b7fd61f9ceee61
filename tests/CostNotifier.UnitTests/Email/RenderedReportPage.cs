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

    /// <summary>The big figure under "Total for the day" (or, in a digest, the week or the month).</summary>
    public string TotalText => Document.QuerySelectorAll("div")
        .Single(d => d.TextContent is "Total for the day" or "Total for the week" or "Total for the month")
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

    /// <summary>A digest's "Biggest moves" rows, increases then decreases, without the headings; empty when absent.</summary>
    public IReadOnlyList<MoverCells> Movers => [.. SectionRows("Biggest moves vs ")
        .Where(r => r.Cells.Length == 3 && !r.ClassList.Contains("gh"))
        .Select(r => new MoverCells(r.Cells[0].TextContent, r.Cells[1].TextContent, r.Cells[2].TextContent, Heading(r)))];

    /// <summary>A weekly digest's "Day by day" rows: the day, its amount (with any note) and its bar; empty when absent.</summary>
    public IReadOnlyList<DayCells> Days => [.. SectionRows("Day by day")
        .Where(r => !r.ClassList.Contains("gh"))
        .Select(r => new DayCells(string.Concat(r.Cells[0].ChildNodes.OfType<IText>().Select(t => t.Data)), r.Cells[1].TextContent, BarPercent(r.Cells[0])))];

    /// <summary>The width of the bar drawn in a group row's name cell, in percent; 0 when the row has no bar.</summary>
    public static int BarPercent(IElement nameCell)
    {
        var bar = nameCell.QuerySelector("table.b");
        return bar is null ? 0 : int.Parse(bar.GetAttribute("width")!.TrimEnd('%'), CultureInfo.InvariantCulture);
    }

    /// <summary>The rows of the table that follows a section heading starting with <paramref name="heading"/>, not those of tables inside its cells.</summary>
    private IEnumerable<IHtmlTableRowElement> SectionRows(string heading) =>
        Document.QuerySelectorAll("div.h").FirstOrDefault(d => d.TextContent.StartsWith(heading, StringComparison.Ordinal))?.NextElementSibling is IHtmlTableElement table
            ? table.Rows
            : [];

    /// <summary>The sub-heading ("Increases", "Decreases") a row of the movers table falls under.</summary>
    private static string Heading(IElement row)
    {
        for (var previous = row.PreviousElementSibling; previous is not null; previous = previous.PreviousElementSibling)
        {
            if (previous.ClassList.Contains("gh") && previous.Children.Length == 1)
            {
                return previous.TextContent;
            }
        }

        return string.Empty;
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

internal sealed record MoverCells(string Name, string Amount, string Change, string Direction);

internal sealed record DayCells(string Day, string Amount, int BarPercent);
