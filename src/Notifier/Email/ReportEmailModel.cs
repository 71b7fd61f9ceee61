using System.Globalization;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Messaging;

namespace CostNotifier.Notifier.Email;

/// <summary>One line of the group table: a top group, or the fold of the rest.</summary>
/// <param name="Label">Cleaned display text (not yet HTML-escaped).</param>
/// <param name="Amount">Amount rounded to cents.</param>
/// <param name="Share">Percentage of the day's total, null when the total is not positive.</param>
/// <param name="PreviousDay">Change against the day before, null when the snapshot has no previous day.</param>
/// <param name="IsNew">The group had no cost the day before.</param>
/// <param name="BarPercent">Bar width, 0..100, relative to the largest line; 0 for credits.</param>
internal sealed record GroupRow(string Label, decimal Amount, decimal? Share, Comparison? PreviousDay, bool IsNew, int BarPercent);

/// <summary>The groups beyond the top N, folded into one line.</summary>
/// <param name="Row">The folded line.</param>
/// <param name="Count">How many groups it folds.</param>
/// <param name="Credits">Sum of the negative amounts among them, rounded; 0 when there are none.</param>
internal sealed record OtherRow(GroupRow Row, int Count, decimal Credits);

/// <summary>One day of the trend chart.</summary>
internal sealed record TrendBar(string DayLabel, string LongLabel, decimal Total, bool Estimated, bool IsReportDay, int HeightPixels);

/// <summary>
/// Everything the email shows, computed once so the subject, the HTML and the text part print the same figures.
/// </summary>
internal sealed record ReportEmailModel(
    string ReportId,
    string ReportName,
    ReportDate Date,
    AmountFormatter Amounts,
    decimal Total,
    bool Estimated,
    Comparison? PreviousDay,
    Comparison? SameWeekdayLastWeek,
    decimal MonthToDate,
    string GroupNoun,
    string GroupColumn,
    int GroupCount,
    IReadOnlyList<GroupRow> Rows,
    OtherRow? Other,
    IReadOnlyList<TrendBar> Trend,
    Trigger Trigger,
    long SnapshotVersion,
    string GroupBy,
    string Metric,
    DateTimeOffset CollectedAt,
    long? RevisesVersion,
    decimal? RevisedFromTotal)
{
    public const int MaxTop = 100;
    public const int TrendDays = 15;
    public const int TrendHeightPixels = 56;
    private const int MaxNameLength = 100;
    private const int MaxLabelLength = 80;

    public ReportDate PreviousDate => Date.AddDays(-1);

    public ReportDate SameWeekdayLastWeekDate => Date.AddDays(-7);

    public static ReportEmailModel Create(ReportDefinition report, CostSnapshot snapshot, long snapshotVersion, Trigger trigger)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!string.Equals(snapshot.ReportId, report.Id.Value, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The snapshot belongs to report '{snapshot.ReportId}', not '{report.Id}'.", nameof(snapshot));
        }

        if (report.Top is < 1 or > MaxTop)
        {
            throw new ArgumentOutOfRangeException(nameof(report), report.Top, $"Report '{report.Id}' lists the top {report.Top} groups; it must be between 1 and {MaxTop}.");
        }

        if (snapshotVersion < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(snapshotVersion), snapshotVersion, "A snapshot version is a stream version, 1 or more.");
        }

        if (!Triggers.All.Contains(trigger))
        {
            throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "Not a trigger.");
        }

        if (!ReportDate.TryParse(snapshot.Date, out var date))
        {
            throw new ArgumentException($"The snapshot's date '{snapshot.Date}' is not a yyyy-MM-dd day.", nameof(snapshot));
        }

        var figures = snapshot.Figures;
        if (!Domain.GroupBy.TryParse(figures.GroupBy, out var groupBy) || groupBy is null)
        {
            throw new ArgumentException($"The snapshot's groupBy '{figures.GroupBy}' is not SERVICE, LINKED_ACCOUNT or TAG:<key>.", nameof(snapshot));
        }

        if (figures.Groups is null)
        {
            throw new ArgumentException("The snapshot has no group list.", nameof(snapshot));
        }

        for (var i = 0; i < figures.Groups.Count; i++)
        {
            if (figures.Groups[i] is null)
            {
                throw new ArgumentException($"The snapshot's group {i} is missing (null).", nameof(snapshot));
            }
        }

        var currency = DisplayText.Clean(figures.Currency, 16);
        if (currency.Length == 0)
        {
            throw new ArgumentException("The snapshot has no currency.", nameof(snapshot));
        }

        var total = Money.RoundToCents(figures.Total);
        var hasPreviousDay = figures.PreviousDayTotal.HasValue;
        var (rows, other) = BuildRows(figures.Groups, report.Top, groupBy, total, hasPreviousDay);
        var name = DisplayText.Clean(report.Name, MaxNameLength);
        var revised = snapshot as CostSnapshotRevised;

        return new ReportEmailModel(
            report.Id.Value,
            name.Length > 0 ? name : report.Id.Value,
            date,
            new AmountFormatter(currency),
            total,
            figures.Estimated,
            Comparison.Between(figures.Total, figures.PreviousDayTotal),
            Comparison.Between(figures.Total, figures.SameWeekdayLastWeekTotal),
            Money.RoundToCents(figures.MonthToDate),
            NounFor(groupBy),
            ColumnFor(groupBy),
            figures.Groups.Count,
            rows,
            other,
            BuildTrend(figures.Trend, snapshot.Date),
            trigger,
            snapshotVersion,
            DisplayText.Clean(groupBy.ToString(), 140),
            DisplayText.Clean(figures.Metric, 40),
            snapshot.CollectedAt,
            revised?.RevisesVersion,
            revised is null ? null : Money.RoundToCents(revised.PreviousTotal));
    }

    /// <summary>What a group key says to a reader: a tag key's value, "(untagged)" for cost without the tag.</summary>
    public static string GroupLabel(GroupBy groupBy, string? key)
    {
        ArgumentNullException.ThrowIfNull(groupBy);
        var text = key ?? string.Empty;
        if (groupBy.Kind == GroupingKind.Tag)
        {
            // Cost Explorer returns tag groups as "key$value"; tag keys cannot contain '$', values can.
            var separator = text.IndexOf('$', StringComparison.Ordinal);
            var value = DisplayText.Clean(separator >= 0 ? text[(separator + 1)..] : text, MaxLabelLength);
            return value.Length > 0 ? value : "(untagged)";
        }

        var label = DisplayText.Clean(text, MaxLabelLength);
        return label.Length > 0 ? label : groupBy.Kind == GroupingKind.LinkedAccount ? "(no account)" : "(no service)";
    }

    private static (IReadOnlyList<GroupRow> Rows, OtherRow? Other) BuildRows(
        IReadOnlyList<GroupLine> groups, int top, GroupBy groupBy, decimal total, bool hasPreviousDay)
    {
        var shown = groups.Take(top).ToList();
        var rest = groups.Skip(top).ToList();

        var otherAmount = Money.RoundToCents(rest.Sum(g => g.Amount));
        var amounts = shown.Select(g => Money.RoundToCents(g.Amount)).ToList();
        var largest = amounts.Append(rest.Count > 0 ? otherAmount : 0m).Max();

        var rows = new List<GroupRow>(shown.Count);
        for (var i = 0; i < shown.Count; i++)
        {
            var line = shown[i];
            rows.Add(new GroupRow(
                GroupLabel(groupBy, line.Key),
                amounts[i],
                Share(amounts[i], total),
                hasPreviousDay ? Comparison.Between(line.Amount, line.PreviousDay ?? 0m) : null,
                hasPreviousDay && line.PreviousDay is null,
                Bar(amounts[i], largest)));
        }

        OtherRow? other = null;
        if (rest.Count > 0)
        {
            var previous = hasPreviousDay ? rest.Sum(g => g.PreviousDay ?? 0m) : (decimal?)null;
            var credits = Money.RoundToCents(rest.Where(g => g.Amount < 0).Sum(g => g.Amount));
            var label = string.Create(CultureInfo.InvariantCulture, $"Other ({rest.Count} {(rest.Count == 1 ? "group" : "groups")})");
            other = new OtherRow(
                new GroupRow(label, otherAmount, Share(otherAmount, total), Comparison.Between(otherAmount, previous), false, Bar(otherAmount, largest)),
                rest.Count,
                credits);
        }

        return (rows, other);
    }

    private static decimal? Share(decimal amount, decimal total) => total > 0 ? Comparison.PercentOf(amount, total) : null;

    private static int Bar(decimal amount, decimal largest)
    {
        // Credits and refunds are listed with their minus sign but never drawn: a bar of negative width means nothing.
        if (amount <= 0 || largest <= 0)
        {
            return 0;
        }

        var percent = (int)Math.Round(amount / largest * 100m, MidpointRounding.AwayFromZero);
        return Math.Clamp(percent, 1, 100);
    }

    private static List<TrendBar> BuildTrend(IReadOnlyList<DayTotal>? trend, string reportDay)
    {
        if (trend is null || trend.Count == 0)
        {
            return [];
        }

        var days = trend.Skip(Math.Max(0, trend.Count - TrendDays)).Where(d => d is not null).ToList();
        var totals = days.Select(d => Money.RoundToCents(d.Total)).ToList();
        var highest = totals.Count > 0 ? totals.Max() : 0m;

        var bars = new List<TrendBar>(days.Count);
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            var height = 0;
            if (totals[i] > 0 && highest > 0)
            {
                height = Math.Max(2, (int)Math.Round(totals[i] / highest * TrendHeightPixels, MidpointRounding.AwayFromZero));
            }

            var (dayLabel, longLabel) = ReportDate.TryParse(day.Date, out var parsed)
                ? (parsed.Day.Day.ToString(CultureInfo.InvariantCulture), parsed.Day.ToString("ddd yyyy-MM-dd", CultureInfo.InvariantCulture))
                : (DisplayText.Clean(day.Date, 10), DisplayText.Clean(day.Date, 20));
            bars.Add(new TrendBar(
                dayLabel,
                longLabel,
                totals[i],
                day.Estimated,
                string.Equals(day.Date, reportDay, StringComparison.Ordinal),
                height));
        }

        return bars;
    }

    private static string NounFor(GroupBy groupBy) => groupBy.Kind switch
    {
        GroupingKind.Service => "service",
        GroupingKind.LinkedAccount => "account",
        _ => "tag " + DisplayText.Clean(groupBy.TagKey, 60),
    };

    private static string ColumnFor(GroupBy groupBy) => groupBy.Kind switch
    {
        GroupingKind.Service => "Service",
        GroupingKind.LinkedAccount => "Account",
        _ => DisplayText.Clean(groupBy.TagKey, 60),
    };
}
