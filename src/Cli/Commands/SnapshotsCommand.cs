using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CostNotifier.Cli.Output;
using CostNotifier.Cli.Targets;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;

namespace CostNotifier.Cli.Commands;

/// <summary><c>costnotifier snapshots list|show</c>: stored snapshots, through the store's report index.</summary>
public static class SnapshotsCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Command("snapshots", "Query stored cost snapshots.") { CreateList(context), CreateShow(context) };
    }

    private static Command CreateList(CliContext context)
    {
        var from = new Option<string>("--from") { Description = "First period: a usage day (yyyy-MM-dd), ISO week (yyyy-Www) or month (yyyy-MM).", Required = true };
        var to = new Option<string>("--to") { Description = "Last period, inclusive, of the same kind as --from.", Required = true };
        var report = new Option<string?>("--report") { Description = "Only this report id (default: every configured report)." };
        var output = OutputOption.Create("table", "json", "csv");
        var command = new Command("list", """
            List the latest snapshot of each report period in a range, read through the event store's
            report-and-period index (one query per report, paged; never a table scan). A range of days lists the
            daily reports, a range of weeks the weekly digests, a range of months the monthly ones.
            Example: costnotifier snapshots list --from 2026-11-01 --to 2026-11-24 --output csv
            Example: costnotifier snapshots list --from 2026-W40 --to 2026-W48
            Example: costnotifier snapshots list --from 2026-11-01 --to 2026-11-30 --report by-service --target aws --stack costs-prod --output json
            """)
        {
            from, to, report, output, context.Verbose,
        };
        context.Targets.AddTo(command);
        command.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            var first = ParsePeriod(context, parsed.GetValue(from), "--from");
            var last = ParsePeriod(context, parsed.GetValue(to), "--to");
            if (last.Cadence != first.Cadence)
            {
                throw new FormatException($"--from {first} and --to {last} are not the same kind of period: give two days, two weeks or two months.");
            }

            if (last < first)
            {
                throw new FormatException($"--to {last} is before --from {first}.");
            }

            var range = new PeriodRange(first, last);
            using var target = context.OpenTarget(parsed);
            var reports = ReportSelection.Resolve(target, parsed.GetValue(report), EveryReport);
            var history = await target.OpenReportHistoryAsync(cancellationToken).ConfigureAwait(false);
            var views = await LoadAsync(history, target.Reports, reports, range, withGroups: false, cancellationToken).ConfigureAwait(false);
            Write(context, views, parsed.GetValue(output)!, withGroups: false);
            return CliApp.Ok;
        }));
        return command;
    }

    private static Command CreateShow(CliContext context)
    {
        var periods = PeriodOptions.Create("to show", withTo: false);
        var report = new Option<string?>("--report") { Description = "Only this report id (default: every configured report)." };
        var output = OutputOption.Create("table", "json", "csv");
        var command = new Command("show", """
            Show the latest snapshot of a day, week or month with every group.
            Example: costnotifier snapshots show --date 2026-11-24 --report daily-by-service --output json
            Example: costnotifier snapshots show --week 2026-W48
            """)
        {
            report, output, context.Verbose,
        };
        periods.AddTo(command);
        context.Targets.AddTo(command);
        command.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            var period = periods.Parse(parsed, context).First;
            using var target = context.OpenTarget(parsed);
            var reports = ReportSelection.Resolve(target, parsed.GetValue(report), EveryReport);
            var history = await target.OpenReportHistoryAsync(cancellationToken).ConfigureAwait(false);
            var views = await LoadAsync(history, target.Reports, reports, PeriodRange.Single(period), withGroups: true, cancellationToken).ConfigureAwait(false);
            if (views.Count == 0)
            {
                var hint = target.Kind == TargetOptions.Local
                    ? $"run 'costnotifier run --date {period.Last}' first"
                    : $"'costnotifier events {PeriodOptionOf(period)} {period}' shows what happened";
                await context.Error.WriteLineAsync($"error: no snapshot stored for {period} on {target.Description}; {hint}.").ConfigureAwait(false);
                return CliApp.Failure;
            }

            Write(context, views, parsed.GetValue(output)!, withGroups: true);
            return CliApp.Ok;
        }));
        return command;
    }

    /// <summary>What the commands call it when no <c>--report</c> is given.</summary>
    internal const string EveryReport = "Without --report every report is read, which";

    internal static async Task<IReadOnlyList<SnapshotView>> LoadAsync(
        IReportHistory history, ReportCatalog? catalog, IReadOnlyList<ReportId> reports, PeriodRange range, bool withGroups, CancellationToken cancellationToken)
    {
        var views = new List<SnapshotView>();
        foreach (var report in reports)
        {
            var events = await history.ReadReportAsync(report, range, cancellationToken).ConfigureAwait(false);
            var budget = catalog is not null && catalog.Contains(report) ? catalog.Get(report).MonthlyBudget : null;
            views.AddRange(SnapshotView.LatestPerDay(events, withGroups, budget));
        }

        return views.OrderBy(v => v.Date, StringComparer.Ordinal).ThenBy(v => v.ReportId, StringComparer.Ordinal).ToList();
    }

    private static void Write(CliContext context, IReadOnlyList<SnapshotView> views, string format, bool withGroups)
    {
        if (format == "json")
        {
            context.Output.WriteLine(views.Count == 1 && withGroups
                ? JsonSerializer.Serialize(views[0], CliJsonContext.Default.SnapshotView)
                : JsonSerializer.Serialize(views, CliJsonContext.Default.IReadOnlyListSnapshotView));
            return;
        }

        var table = new TextTable("REPORT", "PERIOD", "VERSION", "TOTAL", "CURRENCY", "ESTIMATED", "PREVIOUS", "COMPARED", "MTD", "FORECAST", "ANOMALIES", "REVISIONS", "EMAILS");
        foreach (var v in views)
        {
            table.Add(
                v.ReportId, v.Date, v.Version, Cents(v.Total), v.Currency, v.Estimated ? "yes" : "no", Cents(v.PreviousDayTotal),
                Cents(v.SameWeekdayLastWeekTotal), Cents(v.MonthToDate), Cents(v.Forecast?.Value), v.Anomalies.Count, v.Revisions, v.EmailsSent);
        }

        Emit(context, table, format);
        if (!withGroups || format == "csv")
        {
            return;
        }

        foreach (var v in views)
        {
            context.Output.WriteLine();
            context.Output.WriteLine($"{v.ReportId} {v.Date} by {v.GroupBy} ({v.Metric}):");
            var groups = new TextTable("GROUP", "AMOUNT", "PREVIOUS", "COMPARED");
            foreach (var g in v.Groups ?? [])
            {
                groups.Add(g.Key, Cents(g.Amount), Cents(g.PreviousDay), Cents(g.SameWeekdayLastWeek));
            }

            groups.WriteTable(context.Output);
            foreach (var anomaly in v.Anomalies)
            {
                context.Output.WriteLine($"anomaly: {anomaly.Describe()}");
            }

            if (v.Forecast is { } forecast)
            {
                context.Output.WriteLine($"forecast {forecast.Month}: {Cents(forecast.Value)} ({Cents(forecast.Low)}-{Cents(forecast.High)}), {forecast.Basis}");
                if (forecast.Budget is { } budget)
                {
                    context.Output.WriteLine($"budget {Cents(budget)}: {forecast.BudgetStatus}, projected overrun {Cents(forecast.BudgetOverrun)}{(forecast.BudgetCrossingDate is { } on ? $", around {on}" : string.Empty)}");
                }
            }

            foreach (var restated in v.Restated)
            {
                context.Output.WriteLine($"restated: {restated.Date} {Cents(restated.PreviousTotal)} -> {Cents(restated.Total)} (v{restated.Version})");
            }

            context.Output.WriteLine($"delivery: {v.Delivery.Describe()}");
        }
    }

    internal static void Emit(CliContext context, TextTable table, string format)
    {
        if (format == "csv")
        {
            table.WriteCsv(context.Output);
        }
        else
        {
            table.WriteTable(context.Output);
        }
    }

    /// <summary>The option that names a period of this kind.</summary>
    internal static string PeriodOptionOf(ReportPeriod period) => period.Cadence switch
    {
        Cadence.Weekly => "--week",
        Cadence.Monthly => "--month",
        _ => "--date",
    };

    private static ReportPeriod ParsePeriod(CliContext context, string? text, string option)
    {
        if (text is null or "yesterday" || text.Length == 10)
        {
            return context.ParseDate(text, option);
        }

        return ReportPeriod.TryParse(text, out var period, out var problem) ? period : throw new FormatException($"{option} {problem}.");
    }

    internal static string Cents(decimal? amount) =>
        amount is { } value ? Money.RoundToCents(value).ToString("0.00", CultureInfo.InvariantCulture) : "-";
}

/// <summary><c>costnotifier events</c>: a report-day's event history in order.</summary>
public static class EventsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var periods = PeriodOptions.Create("to show", withTo: false);
        var report = new Option<string?>("--report") { Description = "Only this report id (default: every configured report)." };
        var output = OutputOption.Create("table", "json");
        var command = new Command("events", """
            Show what happened to a report period, event by event: collections, revisions, emails sent or
            rejected. Reads the period's stream directly (strongly consistent).
            Example: costnotifier events --date 2026-11-03 --report daily-by-service
            Example: costnotifier events --month 2026-10 --report monthly-by-service
            Example: costnotifier events --date 2026-11-03 --report by-service --target aws --stack costs-prod --output json
            """)
        {
            report, output, context.Verbose,
        };
        periods.AddTo(command);
        context.Targets.AddTo(command);
        command.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            var period = periods.Parse(parsed, context).First;
            using var target = context.OpenTarget(parsed);
            var reports = ReportSelection.Resolve(target, parsed.GetValue(report), SnapshotsCommand.EveryReport);
            var store = await target.OpenEventStoreAsync(cancellationToken).ConfigureAwait(false);
            var views = new List<EventView>();
            foreach (var report in reports)
            {
                var events = await store.ReadStreamAsync(new StreamId(report, period), cancellationToken).ConfigureAwait(false);
                views.AddRange(events.Select(ToView));
            }

            if (parsed.GetValue(output) == "json")
            {
                context.Output.WriteLine(JsonSerializer.Serialize<IReadOnlyList<EventView>>(views, CliJsonContext.Default.IReadOnlyListEventView));
                return CliApp.Ok;
            }

            var table = new TextTable("STREAM", "VERSION", "TYPE", "RECORDED", "WHAT");
            foreach (var v in views)
            {
                table.Add(v.Stream, v.Version, v.Type, v.RecordedAt.ToString("u", CultureInfo.InvariantCulture), v.Summary);
            }

            table.WriteTable(context.Output);
            return CliApp.Ok;
        }));
        return command;
    }

    internal static EventView ToView(StoredEvent stored)
    {
        var summary = EventTypes.Deserialize(stored) switch
        {
            CostSnapshotRevised e => $"revised v{e.RevisesVersion}: {SnapshotsCommand.Cents(e.PreviousTotal)} -> {Figures(e.Figures)} by {e.Trigger.ToWireName()} request {e.RequestId}",
            CostSnapshotCollected e => $"collected {Figures(e.Figures)}, {e.Figures.Groups.Count} groups, {e.CostSourceRequests} cost requests, by {e.Trigger.ToWireName()} request {e.RequestId}",
            CostSnapshotConfirmed e => $"unchanged since v{e.SnapshotVersion}, by {e.Trigger.ToWireName()} request {e.RequestId}",
            NotificationSent e when ChatChannel.IsChannelKey(e.Recipient) => $"posted to {e.Recipient} (snapshot v{e.SnapshotVersion}, request {e.RequestId}, message {e.ProviderMessageId})",
            NotificationSent e => $"emailed {e.Recipient} (snapshot v{e.SnapshotVersion}, request {e.RequestId}, message {e.ProviderMessageId})",
            NotificationFailed e when ChatChannel.IsChannelKey(e.Recipient) => $"message to {e.Recipient} rejected: {e.Reason}",
            NotificationFailed e => $"email to {e.Recipient} rejected: {e.Reason}",
            NotificationAccepted e => $"the provider accepted the email to {e.Recipient} (request {e.RequestId}, message {e.ProviderMessageId})",
            NotificationDelivered e => $"delivered to {e.Recipient} (request {e.RequestId}, message {e.ProviderMessageId})",
            NotificationBounced e => $"bounced for {e.Recipient}: {e.BounceType}/{e.BounceSubType}{(e.Diagnostic is { } d ? " " + d : string.Empty)} (request {e.RequestId})",
            NotificationComplained e => $"{e.Recipient} marked it as spam{(e.FeedbackType is { } f ? " (" + f + ")" : string.Empty)} (request {e.RequestId})",
            NotificationDelayed e => $"delivery to {e.Recipient} delayed: {e.DelayType}{(e.Diagnostic is { } d ? " " + d : string.Empty)} (request {e.RequestId})",
            NotificationRejected e => $"the provider did not deliver to {e.Recipient}: {e.Reason} (request {e.RequestId})",
            var other => other.GetType().Name,
        };
        using var data = JsonDocument.Parse(stored.Data);
        return new EventView(stored.Stream.Name, stored.Version, stored.Type, stored.RecordedAt, summary, data.RootElement.Clone());
    }

    private static string Figures(CostFigures figures) =>
        $"{SnapshotsCommand.Cents(figures.Total)} {figures.Currency}{(figures.Estimated ? " (estimated)" : string.Empty)}";
}
