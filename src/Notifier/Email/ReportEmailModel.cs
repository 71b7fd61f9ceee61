using System.Globalization;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Messaging;

namespace CostNotifier.Notifier.Email;

/// <summary>What a line of the group table stands for.</summary>
internal enum LineKind
{
    /// <summary>One group.</summary>
    Group,

    /// <summary>The groups beyond the top N, folded into one line.</summary>
    Other,

    /// <summary>
    /// Previous-day cost of groups the snapshot does not list at all, so the changes still add up to the total's change.
    /// </summary>
    Unlisted,
}

/// <summary>How a group's amount relates to the day before.</summary>
internal enum LineStatus
{
    /// <summary>It had an amount both days, or there is no previous day to compare with.</summary>
    Continuing,

    /// <summary>It had no amount the day before.</summary>
    New,

    /// <summary>It had an amount the day before and has none on the report day.</summary>
    Gone,
}

/// <summary>One line of the group table.</summary>
/// <param name="Label">Cleaned display text (not yet HTML-escaped).</param>
/// <param name="Kind">A group, the fold of the rest, or the previous day's unlisted remainder.</param>
/// <param name="Amount">Amount in cents; the lines of the table add up to the total in cents.</param>
/// <param name="Share">Percentage of the day's gross cost; null for credits and for lines without cost.</param>
/// <param name="PreviousDay">Change against the day before, null when the snapshot has no previous day.</param>
/// <param name="Status">New, gone or neither.</param>
/// <param name="IsCredit">The line is a credit or refund (a negative amount), listed apart from cost.</param>
/// <param name="BarPercent">Bar width, 0..100, relative to the largest cost line; 0 for credits and empty lines.</param>
internal sealed record GroupRow(string Label, LineKind Kind, decimal Amount, decimal? Share, Comparison? PreviousDay, LineStatus Status, bool IsCredit, int BarPercent)
{
    /// <summary>The amount of the day before as the table shows it, null without a previous day.</summary>
    public decimal? Was => PreviousDay is null ? null : Amount - PreviousDay.Difference;

    /// <summary>The position in the snapshot's group list of the group the line stands for; null for the folded lines.</summary>
    public int? Source { get; init; }
}

/// <summary>The cost lines or the credit lines of the group table, with their sum.</summary>
/// <param name="Lines">In print order: the listed groups, then the fold of the rest, then the unlisted remainder.</param>
/// <param name="Listed">How many groups are listed on lines of their own.</param>
/// <param name="GroupCount">How many groups the section holds in all.</param>
/// <param name="Sum">The sum of <see cref="Lines"/>, in cents.</param>
/// <param name="Change">The sum of the lines' changes, null without a previous day.</param>
internal sealed record TableSection(IReadOnlyList<GroupRow> Lines, int Listed, int GroupCount, decimal Sum, Comparison? Change)
{
    /// <summary>The fold of the groups beyond the top, if any.</summary>
    public GroupRow? Other => Lines.FirstOrDefault(l => l.Kind == LineKind.Other);
}

/// <summary>One day of the trend chart.</summary>
internal sealed record TrendBar(string DayLabel, string LongLabel, decimal Total, bool Estimated, bool IsReportDay, int HeightPixels);

/// <summary>An amount that stood out against its history, ready to print.</summary>
/// <param name="Label">The group as the table names it, or "Total".</param>
/// <param name="Kind">Spike, drop or first cost.</param>
/// <param name="Amount">The amount on the report day, in cents.</param>
/// <param name="ExpectedLow">The low end of the expected range.</param>
/// <param name="ExpectedHigh">The high end of the expected range.</param>
/// <param name="Impact">How far outside the range: positive above it, negative below it.</param>
internal sealed record AnomalyNote(string Label, AnomalyKind Kind, decimal Amount, decimal ExpectedLow, decimal ExpectedHigh, decimal Impact)
{
    /// <summary>The day it happened, e.g. "Wed 25 Nov", in a digest; null in a daily email, where it is the report day.</summary>
    public string? Day { get; init; }
}

/// <summary>An earlier day (or, in a digest, an earlier period) whose total changed.</summary>
/// <param name="Day">The day or period as the email names it, e.g. "Sunday 22 Nov", "October".</param>
/// <param name="Before">Its total as first reported, in cents.</param>
/// <param name="After">Its total now, in cents.</param>
internal sealed record RestatedNote(string Day, decimal Before, decimal After)
{
    /// <summary>Whether it is a month whose figures have settled since its digest was sent.</summary>
    public bool SettledMonth { get; init; }
}

/// <summary>The month's projection as the email shows it.</summary>
/// <param name="Expected">The projected month total, in cents.</param>
/// <param name="Low">The low end of the projection's range.</param>
/// <param name="High">The high end of the projection's range.</param>
/// <param name="Basis">How it was made, cleaned; may be empty.</param>
internal sealed record ForecastNote(decimal Expected, decimal Low, decimal High, string Basis);

/// <summary>
/// Everything the email shows, computed once so the subject, the HTML and the text part print the same figures.
/// </summary>
internal sealed class ReportEmailModel
{
    public const int MaxTop = 100;
    public const int MaxCreditLines = 5;
    public const int MaxAnomalies = 5;
    public const int MaxRestated = 5;
    public const int TrendDays = 15;
    public const int TrendWeeks = 12;
    public const int TrendMonths = 13;
    public const int TrendHeightPixels = 56;
    public const int MaxLabelLength = 64;
    public const int MaxNameLength = 100;
    public const int MaxBasisLength = 120;

    /// <summary>Currencies are three-letter codes; anything longer is shown, cut, since it follows many amounts.</summary>
    public const int MaxCurrencyLength = 12;

    public required string ReportId { get; init; }

    public required string ReportName { get; init; }

    /// <summary>The report day, or a digest's last day: month to date and the month's projection run up to it.</summary>
    public required ReportDate Date { get; init; }

    /// <summary>The days the email covers: the report day, or a digest's week or month.</summary>
    public required ReportPeriod Period { get; init; }

    /// <summary>What only a weekly or monthly digest shows; null for the daily email.</summary>
    public required DigestModel? Digest { get; init; }

    public Cadence Cadence => Period.Cadence;

    public required AmountFormatter Amounts { get; init; }

    /// <summary>Amounts as the group table's cells write them; see <see cref="AmountFormatter.ForTable"/>.</summary>
    public AmountFormatter TableAmounts => Amounts.ForTable();

    /// <summary>The day's net total in cents: gross cost plus credits.</summary>
    public required decimal Total { get; init; }

    public required bool Estimated { get; init; }

    public required Comparison? PreviousDay { get; init; }

    public required Comparison? SameWeekdayLastWeek { get; init; }

    public required decimal MonthToDate { get; init; }

    public required ForecastNote? Forecast { get; init; }

    public required BudgetRunRate? Budget { get; init; }

    public required string GroupNoun { get; init; }

    public required string GroupColumn { get; init; }

    /// <summary>The cost lines (amounts of zero or more); their sum is the day's gross cost.</summary>
    public required TableSection Costs { get; init; }

    /// <summary>The credits and refunds, or null when the day and the day before have none.</summary>
    public required TableSection? Credits { get; init; }

    /// <summary>Anomalies, largest impact first, at most <see cref="MaxAnomalies"/>.</summary>
    public required IReadOnlyList<AnomalyNote> Anomalies { get; init; }

    /// <summary>How many anomalies there are beyond <see cref="Anomalies"/>.</summary>
    public required int MoreAnomalies { get; init; }

    /// <summary>Earlier days whose totals were revised, oldest first, at most <see cref="MaxRestated"/>.</summary>
    public required IReadOnlyList<RestatedNote> Restated { get; init; }

    public required int MoreRestated { get; init; }

    public required IReadOnlyList<TrendBar> Trend { get; init; }

    public required Trigger Trigger { get; init; }

    public required long SnapshotVersion { get; init; }

    public required string GroupBy { get; init; }

    public required string Metric { get; init; }

    public required DateTimeOffset CollectedAt { get; init; }

    public required long? RevisesVersion { get; init; }

    public required decimal? RevisedFromTotal { get; init; }

    /// <summary>Whether the revision names earlier days of the window that changed.</summary>
    public bool HasRestatedDays => Restated.Count > 0;

    public ReportDate PreviousDate => Date.AddDays(-1);

    public ReportDate SameWeekdayLastWeekDate => Date.AddDays(-7);

    /// <summary>The largest cost group, for the preheader; null when no group has cost.</summary>
    public GroupRow? Largest => Costs.Lines.FirstOrDefault(l => l.Kind == LineKind.Group && l.Amount > 0);

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

        if (!ReportPeriod.TryParse(snapshot.Date, out var period))
        {
            throw new ArgumentException($"The snapshot's date '{snapshot.Date}' is not a yyyy-MM-dd day, a yyyy-Www week or a yyyy-MM month.", nameof(snapshot));
        }

        var figures = snapshot.Figures;
        if (period.Cadence == Cadence.Daily && figures.Digest is not null)
        {
            throw new ArgumentException($"The snapshot of {snapshot.Date} carries a digest's figures, but its date names one day, not a week or a month.", nameof(snapshot));
        }

        var date = period.Last;
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

        var currency = DisplayText.Clean(figures.Currency, MaxCurrencyLength);
        if (currency.Length == 0)
        {
            throw new ArgumentException("The snapshot has no currency.", nameof(snapshot));
        }

        var (costs, credits) = GroupTable.Build(figures, report.Top, groupBy, ReportEmailWording.UnlistedLabel(period.Cadence));
        var name = DisplayText.Clean(report.TitleFor(snapshot.AccountName), MaxNameLength);
        var revised = snapshot as CostSnapshotRevised;
        var monthToDate = Money.RoundToCents(figures.MonthToDate);
        var forecast = figures.Forecast;

        // A month's digest is sent once the month has ended: a projection of it would say nothing.
        var usableForecast = forecast is not null
            && period.Cadence != Cadence.Monthly
            && string.Equals(forecast.Month, date.Day.ToString("yyyy-MM", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var anomalies = (figures.Anomalies ?? []).Where(a => a is not null)
            .OrderByDescending(a => Math.Abs(a.Impact))
            .ToList();
        var restated = (snapshot.Restated ?? []).Where(r => r is not null && !string.Equals(r.Date, snapshot.Date, StringComparison.Ordinal))
            .OrderBy(r => r.Date, StringComparer.Ordinal)
            .ToList();

        return new ReportEmailModel
        {
            ReportId = report.Id.Value,
            ReportName = name.Length > 0 ? name : report.Id.Value,
            Date = date,
            Period = period,
            Digest = period.Cadence == Cadence.Daily ? null : DigestModel.Create(period, figures, groupBy, costs, credits, report.MonthlyBudget),
            Amounts = new AmountFormatter(currency),
            Total = Money.RoundToCents(figures.Total),
            Estimated = figures.Estimated,
            PreviousDay = Comparison.Between(figures.Total, figures.PreviousDayTotal),
            SameWeekdayLastWeek = Comparison.Between(figures.Total, figures.SameWeekdayLastWeekTotal),
            MonthToDate = monthToDate,
            Forecast = usableForecast
                ? new ForecastNote(Money.RoundToCents(forecast!.Expected), Money.RoundToCents(forecast.Low), Money.RoundToCents(forecast.High), DisplayText.Clean(forecast.Basis, MaxBasisLength))
                : null,
            Budget = usableForecast
                ? BudgetRunRate.Project(date.Day, monthToDate, forecast!.Month, Money.RoundToCents(forecast.Expected), Money.RoundToCents(forecast.High), report.MonthlyBudget)
                : null,
            GroupNoun = NounFor(groupBy),
            GroupColumn = ColumnFor(groupBy),
            Costs = costs,
            Credits = credits,
            Anomalies = [.. anomalies.Take(MaxAnomalies).Select(a => new AnomalyNote(
                a.Key is null ? "Total" : GroupLabel(groupBy, a.Key),
                a.Kind,
                Money.RoundToCents(a.Amount),
                Money.RoundToCents(a.ExpectedLow),
                Money.RoundToCents(a.ExpectedHigh),
                Money.RoundToCents(a.Impact))
            {
                Day = period.Cadence == Cadence.Daily ? null : AnomalyDayLabel(a.Date),
            })],
            MoreAnomalies = Math.Max(0, anomalies.Count - MaxAnomalies),
            Restated = [.. restated.Take(MaxRestated).Select(r => Restatement(r, period))],
            MoreRestated = Math.Max(0, restated.Count - MaxRestated),
            Trend = BuildTrend(figures.Trend, snapshot.Date, period),
            Trigger = trigger,
            SnapshotVersion = snapshotVersion,
            GroupBy = DisplayText.Clean(groupBy.ToString(), 140),
            Metric = DisplayText.Clean(figures.Metric, 40),
            CollectedAt = snapshot.CollectedAt,
            RevisesVersion = revised?.RevisesVersion,
            RevisedFromTotal = revised is null ? null : Money.RoundToCents(revised.PreviousTotal),
        };
    }

    /// <summary>
    /// The same model with every piece of text a reader sees passed through <paramref name="encode"/>, numbers and
    /// dates untouched. A format whose markup lives in its text (Slack mrkdwn, Teams markdown) escapes the model once
    /// here, so the shared wording composes already-escaped names and its own words stay as they are. A text field
    /// added to the model must be mapped here too.
    /// </summary>
    public ReportEmailModel WithText(Func<string, string> encode)
    {
        ArgumentNullException.ThrowIfNull(encode);
        GroupRow Row(GroupRow row) => row with { Label = encode(row.Label) };
        TableSection Section(TableSection section) => section with { Lines = [.. section.Lines.Select(Row)] };
        return new ReportEmailModel
        {
            ReportId = encode(ReportId),
            ReportName = encode(ReportName),
            Date = Date,
            Period = Period,
            Digest = Digest is not { } digest ? null : digest with
            {
                Days = [.. digest.Days.Select(d => d with { Label = encode(d.Label) })],
                Increases = [.. digest.Increases.Select(Row)],
                Decreases = [.. digest.Decreases.Select(Row)],
                ForecastCheck = digest.ForecastCheck is not { } check ? null : check with
                {
                    ReportId = encode(check.ReportId),
                    MadeOn = encode(check.MadeOn),
                },
            },
            Amounts = new AmountFormatter(encode(Amounts.Currency)),
            Total = Total,
            Estimated = Estimated,
            PreviousDay = PreviousDay,
            SameWeekdayLastWeek = SameWeekdayLastWeek,
            MonthToDate = MonthToDate,
            Forecast = Forecast is not { } forecast ? null : forecast with { Basis = encode(forecast.Basis) },
            Budget = Budget,
            GroupNoun = encode(GroupNoun),
            GroupColumn = encode(GroupColumn),
            Costs = Section(Costs),
            Credits = Credits is null ? null : Section(Credits),
            Anomalies = [.. Anomalies.Select(a => a with { Label = encode(a.Label), Day = a.Day is null ? null : encode(a.Day) })],
            MoreAnomalies = MoreAnomalies,
            Restated = [.. Restated.Select(r => r with { Day = encode(r.Day) })],
            MoreRestated = MoreRestated,
            Trend = [.. Trend.Select(t => t with { DayLabel = encode(t.DayLabel), LongLabel = encode(t.LongLabel) })],
            Trigger = Trigger,
            SnapshotVersion = SnapshotVersion,
            GroupBy = encode(GroupBy),
            Metric = encode(Metric),
            CollectedAt = CollectedAt,
            RevisesVersion = RevisesVersion,
            RevisedFromTotal = RevisedFromTotal,
        };
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

    private static string RestatedDayLabel(string? day) =>
        ReportDate.TryParse(day, out var parsed)
            ? parsed.Day.ToString("dddd d MMM", CultureInfo.InvariantCulture)
            : DisplayText.Clean(day, 20);

    private static RestatedNote Restatement(RestatedPeriod day, ReportPeriod period)
    {
        var before = Money.RoundToCents(day.PreviousTotal);
        var after = Money.RoundToCents(day.Total);
        if (period.Cadence == Cadence.Daily || !ReportPeriod.TryParse(day.Date, out var restated))
        {
            return new RestatedNote(RestatedDayLabel(day.Date), before, after);
        }

        var year = period.Last.Day.Year;
        return restated.Cadence switch
        {
            Cadence.Weekly => new RestatedNote("The " + PeriodNames.WeekOf(restated, year), before, after),
            Cadence.Monthly => new RestatedNote(PeriodNames.Month(restated, year), before, after) { SettledMonth = true },
            _ => new RestatedNote(RestatedDayLabel(day.Date), before, after),
        };
    }

    private static string? AnomalyDayLabel(string? day) =>
        day is null ? null
        : ReportDate.TryParse(day, out var parsed) ? ReportEmailWording.ShortDate(parsed)
        : DisplayText.Clean(day, 20);

    private static List<TrendBar> BuildTrend(IReadOnlyList<DayTotal>? trend, string reportDay, ReportPeriod period)
    {
        if (trend is null || trend.Count == 0)
        {
            return [];
        }

        var length = period.Cadence switch
        {
            Cadence.Weekly => TrendWeeks,
            Cadence.Monthly => TrendMonths,
            _ => TrendDays,
        };
        var days = trend.Skip(Math.Max(0, trend.Count - length)).Where(d => d is not null).ToList();
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

            var (dayLabel, longLabel) = period.Cadence == Cadence.Daily ? DayLabels(day.Date) : PeriodLabels(day.Date, period);
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

    private static (string Short, string Long) DayLabels(string date) =>
        ReportDate.TryParse(date, out var parsed)
            ? (parsed.Day.Day.ToString(CultureInfo.InvariantCulture), parsed.Day.ToString("ddd yyyy-MM-dd", CultureInfo.InvariantCulture))
            : (DisplayText.Clean(date, 10), DisplayText.Clean(date, 20));

    /// <summary>"W48" under a week's bar and "week of 23 Nov" in its title; "Nov" and "Nov 2026" for a month.</summary>
    private static (string Short, string Long) PeriodLabels(string date, ReportPeriod period)
    {
        if (!ReportPeriod.TryParse(date, out var parsed) || parsed.Cadence != period.Cadence)
        {
            return (DisplayText.Clean(date, 10), DisplayText.Clean(date, 20));
        }

        return parsed.Cadence == Cadence.Weekly
            ? (string.Create(CultureInfo.InvariantCulture, $"W{PeriodNames.WeekNumber(parsed)}"), PeriodNames.WeekOf(parsed, period.Last.Day.Year))
            : (PeriodNames.ShortMonth(parsed), PeriodNames.ShortMonthAndYear(parsed));
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
