using CostNotifier.Domain;
using CostNotifier.Events;

namespace CostNotifier.Notifier.Email;

/// <summary>
/// The groups whose cost moved most against the previous period, up and down, for a digest: a group that appeared or
/// vanished is a move like any other (its whole amount). A group the group table lists shows the table's amounts,
/// whose cents were shared out so the table adds up; any other is rounded on its own, so one group never shows two
/// different amounts in one email.
/// </summary>
internal static class GroupMovers
{
    /// <summary>
    /// Three each way: a digest's group table already shows the changes of every listed group, so this is a summary
    /// at a glance, and its names (escaped, up to 64 characters) are what the email's size budget can least afford.
    /// </summary>
    public const int MaxPerDirection = 3;

    public static (IReadOnlyList<GroupRow> Increases, IReadOnlyList<GroupRow> Decreases) Find(
        CostFigures figures,
        GroupBy groupBy,
        TableSection costs,
        TableSection? credits)
    {
        if (figures.PreviousDayTotal is null)
        {
            return ([], []);
        }

        var listed = new Dictionary<int, GroupRow>();
        foreach (var row in costs.Lines.Concat(credits?.Lines ?? []))
        {
            if (row.Source is { } source && row.PreviousDay is not null)
            {
                listed[source] = row;
            }
        }

        var moves = new List<(GroupRow Row, int Index)>();
        for (var i = 0; i < figures.Groups.Count; i++)
        {
            var row = listed.TryGetValue(i, out var shown) ? shown : Move(figures.Groups[i], groupBy);
            if (row?.PreviousDay is { Difference: not 0m })
            {
                moves.Add((row with { Share = null, BarPercent = 0 }, i));
            }
        }

        return (
            [.. moves.Where(m => m.Row.PreviousDay!.Difference > 0).OrderByDescending(m => m.Row.PreviousDay!.Difference).ThenBy(m => m.Index).Take(MaxPerDirection).Select(m => m.Row)],
            [.. moves.Where(m => m.Row.PreviousDay!.Difference < 0).OrderBy(m => m.Row.PreviousDay!.Difference).ThenBy(m => m.Index).Take(MaxPerDirection).Select(m => m.Row)]);
    }

    private static GroupRow? Move(GroupLine line, GroupBy groupBy)
    {
        var amount = Money.RoundToCents(line.Amount);
        var previous = Money.RoundToCents(line.PreviousDay ?? 0m);
        if (amount == previous)
        {
            return null;
        }

        // The same tests the table makes: new when there was nothing before, gone when there is nothing now.
        var status = line.Amount == 0 ? LineStatus.Gone : (line.PreviousDay ?? 0m) == 0 ? LineStatus.New : LineStatus.Continuing;
        var credit = line.Amount != 0 ? line.Amount < 0 : previous < 0;
        return new GroupRow(ReportEmailModel.GroupLabel(groupBy, line.Key), LineKind.Group, amount, null, Comparison.Between(amount, previous), status, credit, 0);
    }
}
