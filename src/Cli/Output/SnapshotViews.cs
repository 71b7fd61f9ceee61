using System.Text.Json.Serialization;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Insights;

namespace CostNotifier.Cli.Output;

/// <summary>One stored snapshot as the CLI prints it. Field names are the stable JSON contract (docs/CLI.md).</summary>
public sealed record SnapshotView(
    string ReportId,
    string Date,
    long Version,
    string Kind,
    decimal Total,
    decimal TotalExact,
    string Currency,
    bool Estimated,
    decimal? PreviousDayTotal,
    decimal? SameWeekdayLastWeekTotal,
    decimal MonthToDate,
    string GroupBy,
    string Metric,
    string RequestId,
    string Trigger,
    DateTimeOffset CollectedAt,
    int Revisions,
    int EmailsSent,
    IReadOnlyList<AnomalyView> Anomalies,
    ForecastView? Forecast,
    IReadOnlyList<RestatedView> Restated,
    IReadOnlyList<GroupView>? Groups)
{
    /// <summary>daily, weekly or monthly: the kind of period <c>date</c> names.</summary>
    public string Cadence { get; init; } = "daily";

    /// <summary>
    /// A digest's own figures: the periods it is compared with, a week's days, and a month's forecast check (the
    /// forecast a daily report made during it). Left out for a daily report.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DigestFigures? Digest { get; init; }

    /// <summary>What became of what was sent: the provider's reports per email recipient, and the chat messages posted.</summary>
    public DeliveryView Delivery { get; init; } = DeliveryView.None;

    /// <summary>The latest snapshot of every stream, from events read through the store's report index.</summary>
    /// <param name="events">Events of one report, any streams.</param>
    /// <param name="withGroups">Whether to list every group.</param>
    /// <param name="budget">The report's monthly budget, when the CLI knows it; the forecast is then set against it.</param>
    public static IReadOnlyList<SnapshotView> LatestPerDay(IEnumerable<StoredEvent> events, bool withGroups, decimal? budget = null) =>
        events
            .GroupBy(e => e.Stream)
            .Select(stream => (stream.Key, State: ReportPeriodState.Fold(stream.OrderBy(e => e.Version))))
            .Where(s => s.State.LatestSnapshot is not null)
            .OrderBy(s => s.Key.Period)
            .ThenBy(s => s.Key.Report.Value, StringComparer.Ordinal)
            .Select(s => From(s.State, withGroups, budget))
            .ToList();

    /// <summary>The view of a stream's latest snapshot.</summary>
    public static SnapshotView From(ReportPeriodState state, bool withGroups, decimal? budget = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var snapshot = state.LatestSnapshot ?? throw new InvalidOperationException("The stream has no snapshot.");
        return new SnapshotView(
            snapshot.ReportId,
            snapshot.Date,
            state.LatestSnapshotVersion,
            snapshot is CostSnapshotRevised ? "revised" : "collected",
            Money.RoundToCents(snapshot.Figures.Total),
            snapshot.Figures.Total,
            snapshot.Figures.Currency,
            snapshot.Figures.Estimated,
            snapshot.Figures.PreviousDayTotal,
            snapshot.Figures.SameWeekdayLastWeekTotal,
            snapshot.Figures.MonthToDate,
            snapshot.Figures.GroupBy,
            snapshot.Figures.Metric,
            snapshot.RequestId,
            snapshot.Trigger.ToWireName(),
            snapshot.CollectedAt,
            state.Snapshots.Count - 1,
            state.Sent.Keys.Count(k => !ChatChannel.IsChannelKey(k.Recipient)),
            snapshot.Figures.Anomalies.Select(AnomalyView.From).ToList(),
            snapshot.Figures.Forecast is { } forecast ? ForecastView.From(forecast, ReportPeriod.Parse(snapshot.Date).Last, snapshot.Figures.MonthToDate, budget) : null,
            snapshot.Restated.Select(r => new RestatedView(r.Date, Money.RoundToCents(r.PreviousTotal), Money.RoundToCents(r.Total), r.Version)).ToList(),
            withGroups ? snapshot.Figures.Groups.Select(g => new GroupView(g.Key, Money.RoundToCents(g.Amount), g.Amount, g.PreviousDay, g.SameWeekdayLastWeek)).ToList() : null)
        {
            Cadence = ReportPeriod.Parse(snapshot.Date).Cadence.ToWireName(),
            Digest = snapshot.Figures.Digest,
            Delivery = DeliveryView.From(state),
        };
    }
}

/// <summary>
/// What the email provider reported about a report period's emails, counted in distinct recipients over every request
/// of the stream, and the chat messages posted. A recipient counts once per outcome; a complaint implies a delivery.
/// </summary>
/// <param name="Recipients">Email recipients the report was sent to.</param>
/// <param name="Delivered">Recipients whose server accepted it (SES Delivery, or a Complaint).</param>
/// <param name="Bounced">Recipients it bounced for.</param>
/// <param name="Complained">Recipients who marked it as spam.</param>
/// <param name="Delayed">Recipients whose delivery was delayed and not yet reported otherwise.</param>
/// <param name="Rejected">Recipients SES refused to deliver to after accepting (Reject, Rendering Failure).</param>
/// <param name="Unreported">Recipients with no report from the provider yet, or ever (no event destination configured).</param>
/// <param name="ChatMessages">Slack and Teams messages posted.</param>
public sealed record DeliveryView(int Recipients, int Delivered, int Bounced, int Complained, int Delayed, int Rejected, int Unreported, int ChatMessages)
{
    /// <summary>Nothing sent.</summary>
    public static DeliveryView None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Counts from a stream's state.</summary>
    public static DeliveryView From(ReportPeriodState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var recipients = state.Sent.Keys.Select(k => k.Recipient).Concat(state.Accepted.Keys.Select(k => k.Recipient))
            .Where(r => !ChatChannel.IsChannelKey(r)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        HashSet<string> Who<T>()
            where T : DeliveryReport => state.DeliveryReports.OfType<T>().Select(r => r.Recipient).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var complained = Who<NotificationComplained>();
        var delivered = Who<NotificationDelivered>();
        delivered.UnionWith(complained);
        var bounced = Who<NotificationBounced>();
        var rejected = Who<NotificationRejected>();
        var delayed = Who<NotificationDelayed>();
        delayed.ExceptWith(delivered);
        delayed.ExceptWith(bounced);
        var reported = new HashSet<string>(delivered, StringComparer.OrdinalIgnoreCase);
        reported.UnionWith(bounced);
        reported.UnionWith(rejected);
        reported.UnionWith(delayed);
        return new DeliveryView(
            recipients.Count,
            delivered.Count,
            bounced.Count,
            complained.Count,
            delayed.Count,
            rejected.Count,
            recipients.Count(r => !reported.Contains(r)),
            state.Sent.Keys.Count(k => ChatChannel.IsChannelKey(k.Recipient)));
    }

    /// <summary>One line for people, e.g. "2 of 3 recipients received it; 1 bounced; 1 chat message".</summary>
    public string Describe()
    {
        var parts = new List<string> { $"{Delivered} of {Recipients} email recipients received it" };
        if (Bounced > 0)
        {
            parts.Add($"{Bounced} bounced");
        }

        if (Complained > 0)
        {
            parts.Add($"{Complained} complained");
        }

        if (Delayed > 0)
        {
            parts.Add($"{Delayed} delayed");
        }

        if (Rejected > 0)
        {
            parts.Add($"{Rejected} rejected by SES");
        }

        if (Unreported > 0)
        {
            parts.Add($"{Unreported} not reported yet");
        }

        parts.Add(ChatMessages == 1 ? "1 chat message posted" : $"{ChatMessages} chat messages posted");
        return string.Join("; ", parts);
    }
}

/// <summary>One group of a snapshot.</summary>
public sealed record GroupView(string Key, decimal Amount, decimal AmountExact, decimal? PreviousDay, decimal? SameWeekdayLastWeek);

/// <summary>An amount that stood out against its history.</summary>
/// <param name="Group">The group key; left out for the day's total.</param>
/// <param name="Kind"><c>spike</c>, <c>drop</c> or <c>new</c> (a group's first cost).</param>
/// <param name="Amount">The amount on the day, rounded to cents.</param>
/// <param name="ExpectedLow">The low end of the expected range.</param>
/// <param name="ExpectedHigh">The high end of the expected range.</param>
/// <param name="Impact">How far outside the range, in money: positive above, negative below.</param>
public sealed record AnomalyView(string? Group, string Kind, decimal Amount, decimal ExpectedLow, decimal ExpectedHigh, decimal Impact)
{
    /// <summary>The view of a stored anomaly.</summary>
    public static AnomalyView From(CostAnomaly anomaly)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        return new AnomalyView(
            anomaly.Key,
            anomaly.Kind switch
            {
                AnomalyKind.Spike => "spike",
                AnomalyKind.Drop => "drop",
                _ => "new",
            },
            Money.RoundToCents(anomaly.Amount),
            Money.RoundToCents(anomaly.ExpectedLow),
            Money.RoundToCents(anomaly.ExpectedHigh),
            Money.RoundToCents(anomaly.Impact));
    }

    /// <summary>One line for a table: <c>Amazon EC2 414.50, expected 160.00-190.00: +224.50</c>.</summary>
    public string Describe() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{Group ?? "(total)"} {Amount:0.00}, expected {ExpectedLow:0.00}-{ExpectedHigh:0.00}: {Impact:+0.00;-0.00} ({Kind})");
}

/// <summary>The projected month total made on the snapshot's day.</summary>
/// <param name="Month">The month, yyyy-MM.</param>
/// <param name="Value">The projected total, rounded to cents.</param>
/// <param name="Low">The low end of the range.</param>
/// <param name="High">The high end of the range.</param>
/// <param name="Basis">How it was made.</param>
/// <param name="Budget">The report's monthly budget, when set and known to the CLI.</param>
/// <param name="BudgetStatus"><c>within</c>, <c>on-track-to-exceed</c> or <c>exceeded</c>.</param>
/// <param name="BudgetOverrun">How far the projection ends above the budget; negative below it.</param>
/// <param name="BudgetCrossingDate">Around when the month's cost reaches the budget, when it is on track to.</param>
public sealed record ForecastView(
    string Month,
    decimal Value,
    decimal Low,
    decimal High,
    string Basis,
    decimal? Budget = null,
    string? BudgetStatus = null,
    decimal? BudgetOverrun = null,
    string? BudgetCrossingDate = null)
{
    /// <summary>The view of a stored forecast made on <paramref name="day"/>, set against <paramref name="budget"/> when given.</summary>
    public static ForecastView From(MonthForecast forecast, ReportDate day, decimal monthToDate, decimal? budget)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        var view = new ForecastView(
            forecast.Month,
            Money.RoundToCents(forecast.Expected),
            Money.RoundToCents(forecast.Low),
            Money.RoundToCents(forecast.High),
            forecast.Basis);
        if (budget is not > 0m || forecast.Month != day.Day.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))
        {
            return view;
        }

        var outlook = BudgetOutlook.Assess(day, monthToDate, forecast, budget.Value);
        return view with
        {
            Budget = outlook.Budget,
            BudgetStatus = outlook.Status switch
            {
                Insights.BudgetStatus.Exceeded => "exceeded",
                Insights.BudgetStatus.OnTrackToExceed => "on-track-to-exceed",
                _ => "within",
            },
            BudgetOverrun = Money.RoundToCents(outlook.Overrun),
            BudgetCrossingDate = outlook.CrossingDate?.ToString(),
        };
    }
}

/// <summary>An earlier day whose total this collection found changed, and revised on that day's stream.</summary>
public sealed record RestatedView(string Date, decimal PreviousTotal, decimal Total, long Version);

/// <summary>One stored event as the CLI prints it.</summary>
public sealed record EventView(string Stream, long Version, string Type, DateTimeOffset RecordedAt, string Summary, System.Text.Json.JsonElement Data);

/// <summary>Source-generated JSON for CLI output.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<SnapshotView>))]
[JsonSerializable(typeof(SnapshotView))]
[JsonSerializable(typeof(IReadOnlyList<EventView>))]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(IReadOnlyList<DeadLetterView>))]
[JsonSerializable(typeof(EnqueueSummary))]
[JsonSerializable(typeof(StackView))]
[JsonSerializable(typeof(RedriveSummary))]
[JsonSerializable(typeof(ReportsSummaryView))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
