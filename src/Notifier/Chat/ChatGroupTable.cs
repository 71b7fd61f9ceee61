using System.Globalization;
using CostNotifier.Notifier.Email;
using static CostNotifier.Notifier.Email.ReportEmailWording;

namespace CostNotifier.Notifier.Chat;

/// <summary>What a row of the chat group table is.</summary>
internal enum ChatRowKind
{
    /// <summary>A line of the email's table: a group, the fold of the rest, or the unlisted remainder.</summary>
    Line,

    /// <summary>A sum: total, gross cost, total credits or net total.</summary>
    Sum,

    /// <summary>The heading above the credits; only <see cref="ChatRow.Name"/> is set.</summary>
    CreditsHeading,

    /// <summary>Says how many groups the chat leaves to the email; only <see cref="ChatRow.Name"/> is set.</summary>
    Fold,
}

/// <summary>One row of the chat group table, its cells written as the email's text part writes them.</summary>
/// <param name="Kind">A line, a sum, the credits heading or the fold note.</param>
/// <param name="Name">The group's label, the sum's label, or the heading's or note's text.</param>
/// <param name="Amount">"$1,234.56", or "1,234.56" when the heading names the currency.</param>
/// <param name="Share">"41.5%", or empty.</param>
/// <param name="Change">"+$38.27 +3.2%", "+$50.00 new", "n/a".</param>
internal sealed record ChatRow(ChatRowKind Kind, string Name, string Amount, string Share, string Change)
{
    /// <summary>The figures of the row in one cell: "$1,234.56 · 41.5% · +$38.27 +3.2%".</summary>
    public string Figures => string.Join(" \u00B7 ", new[] { Amount, Share, Change }.Where(c => c.Length > 0));
}

/// <summary>
/// The email's group table as chat shows it: the same lines with the same cells, in the same order, but at most a
/// given number of groups in each section. When groups are left out, the fold of the rest and the unlisted remainder
/// go with them (their amounts are the email's, but the lines between would be missing) and a note says how many
/// groups the email has beyond those shown. The sums are always the email's.
/// </summary>
internal static class ChatGroupTable
{
    public static IReadOnlyList<ChatRow> Rows(ReportEmailModel model, int maxCostGroups, int maxCreditGroups)
    {
        var rows = new List<ChatRow>();
        var costs = model.Costs;
        if (costs.Lines.Count == 0 && model.Credits is null)
        {
            return rows;
        }

        var table = model.TableAmounts;
        Lines(model, table, costs, maxCostGroups, rows);
        if (model.Credits is not { } credits)
        {
            rows.Add(Sum(table, TotalLabel, model.Total, model.PreviousDay));
            return rows;
        }

        rows.Add(Sum(table, GrossLabel, costs.Sum, costs.Change));
        rows.Add(new ChatRow(ChatRowKind.CreditsHeading, CreditsHeading, string.Empty, string.Empty, string.Empty));
        Lines(model, table, credits, maxCreditGroups, rows);
        if (credits.Lines.Count > 1)
        {
            rows.Add(Sum(table, CreditsTotalLabel, credits.Sum, credits.Change));
        }

        rows.Add(Sum(table, NetLabel, model.Total, model.PreviousDay));
        return rows;
    }

    /// <summary>"… and 285 more groups in the email".</summary>
    public static string FoldNote(int groups) =>
        string.Create(CultureInfo.InvariantCulture, $"\u2026 and {groups} more {(groups == 1 ? "group" : "groups")} in the email");

    private static void Lines(ReportEmailModel model, AmountFormatter table, TableSection section, int maxGroups, List<ChatRow> rows)
    {
        var shown = Math.Max(0, maxGroups);
        if (section.Listed <= shown)
        {
            rows.AddRange(section.Lines.Select(line => Line(model, table, line)));
            return;
        }

        // The listed groups come first in the email's order, largest first.
        rows.AddRange(section.Lines.Where(l => l.Kind == LineKind.Group).Take(shown).Select(line => Line(model, table, line)));
        rows.Add(new ChatRow(ChatRowKind.Fold, FoldNote(section.GroupCount - shown), string.Empty, string.Empty, string.Empty));
    }

    private static ChatRow Line(ReportEmailModel model, AmountFormatter table, GroupRow row)
    {
        var note = ChangeNote(model, table, row);
        return new ChatRow(ChatRowKind.Line, row.Label, table.Format(row.Amount), Share(row.Share), Join(Difference(table, row.PreviousDay), note));
    }

    private static ChatRow Sum(AmountFormatter table, string label, decimal amount, Comparison? change) =>
        new(ChatRowKind.Sum, label, table.Format(amount), string.Empty, Join(Difference(table, change), change is null ? string.Empty : Percent(change)));

    private static string Join(string difference, string note) => note.Length == 0 ? difference : difference + " " + note;
}
