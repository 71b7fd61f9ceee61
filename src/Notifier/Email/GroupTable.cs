using System.Globalization;
using CostNotifier.Domain;
using CostNotifier.Events;

namespace CostNotifier.Notifier.Email;

/// <summary>
/// Builds the group table so that it explains the total: cost lines (their sum is the gross cost) and credit lines
/// (their sum is the credits) add up to the net total, and, with a previous day, their changes add up to the total's
/// change. A group whose cost dropped to zero is kept, since it explains part of the change; a group beyond the top N
/// is folded into "Other", whose amount and change are those of everything it folds.
/// </summary>
internal static class GroupTable
{
    private const decimal HalfCent = 0.005m;

    /// <summary>Builds the cost and credit sections of the table.</summary>
    /// <param name="figures">The snapshot's figures.</param>
    /// <param name="top">How many groups each section lists before folding the rest.</param>
    /// <param name="groupBy">How the groups are keyed.</param>
    /// <param name="unlistedLabel">The name of the line for the previous period's cost of groups the snapshot does not list.</param>
    public static (TableSection Costs, TableSection? Credits) Build(CostFigures figures, int top, GroupBy groupBy, string unlistedLabel = "Not listed today")
    {
        var hasPreviousDay = figures.PreviousDayTotal.HasValue;
        var costs = new List<Candidate>();
        var credits = new List<Candidate>();
        var previousListed = 0m;
        for (var i = 0; i < figures.Groups.Count; i++)
        {
            var line = figures.Groups[i];
            var previous = hasPreviousDay ? line.PreviousDay ?? 0m : 0m;
            previousListed += previous;

            // A group belongs with cost or with credits by its amount, or by the day before when it has none today.
            // A group with nothing on either day explains nothing and is left out.
            var sign = line.Amount != 0 ? Math.Sign(line.Amount) : Math.Sign(previous);
            if (sign == 0)
            {
                continue;
            }

            var weight = Math.Max(Math.Abs(line.Amount), Math.Abs(line.Amount - previous));
            (sign > 0 ? costs : credits).Add(new Candidate(line, i, previous, weight));
        }

        // The previous day's total may include groups this snapshot does not list (snapshots collected before groups
        // without cost were kept); that remainder gets a line of its own so the changes still add up.
        var unlisted = hasPreviousDay ? figures.PreviousDayTotal!.Value - previousListed : 0m;
        var costDrafts = Drafts(costs, top, groupBy, credit: false, unlisted > 0 ? unlisted : 0m, hasPreviousDay, unlistedLabel);
        var creditDrafts = Drafts(credits, Math.Min(top, ReportEmailModel.MaxCreditLines), groupBy, credit: true, unlisted < 0 ? unlisted : 0m, hasPreviousDay, unlistedLabel);

        var all = costDrafts.Concat(creditDrafts).ToList();
        var amounts = CentApportionment.Apportion([.. all.Select(d => d.Amount)], Money.RoundToCents(figures.Total));
        var previousAmounts = hasPreviousDay
            ? CentApportionment.Apportion([.. all.Select(d => d.Previous)], Money.RoundToCents(figures.PreviousDayTotal!.Value))
            : null;

        var costSection = Section(costDrafts, 0, amounts, previousAmounts, costs.Count, credit: false);
        var creditSection = creditDrafts.Count == 0 ? null : Section(creditDrafts, costDrafts.Count, amounts, previousAmounts, credits.Count, credit: true);
        return (costSection, creditSection);
    }

    private static List<Draft> Drafts(List<Candidate> candidates, int top, GroupBy groupBy, bool credit, decimal unlisted, bool hasPreviousDay, string unlistedLabel)
    {
        // The lines that matter most are the largest amounts and the largest moves, whichever is bigger; a group that
        // went from $500 to nothing is as worth a line as one that cost $500.
        var chosen = candidates.OrderByDescending(c => c.Weight).ThenBy(c => c.Index).Take(top).ToHashSet();
        var listed = candidates.Where(chosen.Contains);
        listed = credit
            ? listed.OrderBy(c => c.Line.Amount).ThenByDescending(c => c.Weight)
            : listed.OrderByDescending(c => c.Line.Amount).ThenByDescending(c => c.Weight);

        var drafts = listed
            .Select(c => new Draft(
                ReportEmailModel.GroupLabel(groupBy, c.Line.Key),
                LineKind.Group,
                c.Line.Amount,
                c.Previous,
                !hasPreviousDay ? LineStatus.Continuing
                    : c.Line.Amount == 0 ? LineStatus.Gone
                    : c.Previous == 0 ? LineStatus.New
                    : LineStatus.Continuing,
                c.Index))
            .ToList();

        var rest = candidates.Where(c => !chosen.Contains(c)).ToList();
        if (rest.Count > 0)
        {
            var label = credit
                ? string.Create(CultureInfo.InvariantCulture, $"Other credits ({rest.Count})")
                : string.Create(CultureInfo.InvariantCulture, $"Other ({rest.Count} {(rest.Count == 1 ? "group" : "groups")})");
            drafts.Add(new Draft(label, LineKind.Other, rest.Sum(c => c.Line.Amount), rest.Sum(c => c.Previous), LineStatus.Continuing, null));
        }

        if (Math.Abs(unlisted) >= HalfCent)
        {
            drafts.Add(new Draft(unlistedLabel, LineKind.Unlisted, 0m, unlisted, LineStatus.Gone, null));
        }

        return drafts;
    }

    private static TableSection Section(List<Draft> drafts, int offset, decimal[] amounts, decimal[]? previousAmounts, int groupCount, bool credit)
    {
        var shown = amounts.AsSpan(offset, drafts.Count).ToArray();
        var sum = shown.Sum();
        var largest = shown.Length > 0 ? shown.Max() : 0m;
        var previousSum = 0m;
        var lines = new List<GroupRow>(drafts.Count);
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            var amount = shown[i];
            Comparison? change = null;
            if (previousAmounts is not null)
            {
                var previous = previousAmounts[offset + i];
                previousSum += previous;
                change = Comparison.Between(amount, previous);
            }

            lines.Add(new GroupRow(
                draft.Label,
                draft.Kind,
                amount,
                credit || amount <= 0 || sum <= 0 ? null : Comparison.PercentOf(amount, sum),
                change,
                draft.Status,
                credit,
                credit ? 0 : Bar(amount, largest))
            {
                Source = draft.Source,
            });
        }

        return new TableSection(
            lines,
            drafts.Count(d => d.Kind == LineKind.Group),
            groupCount,
            sum,
            previousAmounts is null ? null : Comparison.Between(sum, previousSum));
    }

    private static int Bar(decimal amount, decimal largest)
    {
        if (amount <= 0 || largest <= 0)
        {
            return 0;
        }

        var percent = (int)Math.Round(amount / largest * 100m, MidpointRounding.AwayFromZero);
        return Math.Clamp(percent, 1, 100);
    }

    private sealed record Candidate(GroupLine Line, int Index, decimal Previous, decimal Weight);

    private sealed record Draft(string Label, LineKind Kind, decimal Amount, decimal Previous, LineStatus Status, int? Source);
}
