using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CostNotifier.Cli.Output;
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
        var from = new Option<string>("--from") { Description = "First usage day (yyyy-MM-dd).", Required = true };
        var to = new Option<string>("--to") { Description = "Last usage day, inclusive (yyyy-MM-dd).", Required = true };
        var report = new Option<string?>("--report") { Description = "Only this report id (default: every configured report)." };
        var output = OutputOption.Create("table", "json", "csv");
        var command = new Command("list", """
            List the latest snapshot of each report-day in a date range.
            Example: costnotifier snapshots list --from 2026-11-01 --to 2026-11-24 --output csv
            """)
        {
            from, to, report, output, context.DataDir, context.Verbose,
        };
        command.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            var range = DateRange.Inclusive(context.ParseDate(parsed.GetValue(from), "--from"), context.ParseDate(parsed.GetValue(to), "--to"));
            using var stack = context.OpenEmbedded(parsed);
            var views = await LoadAsync(stack.Events, ReportsOf(stack.Reports, parsed.GetValue(report)), range, withGroups: false, cancellationToken).ConfigureAwait(false);
            Write(context, views, parsed.GetValue(output)!, withGroups: false);
            return CliApp.Ok;
        }));
        return command;
    }

    private static Command CreateShow(CliContext context)
    {
        var date = new Option<string>("--date") { Description = "Usage day (yyyy-MM-dd or 'yesterday').", Required = true };
        var report = new Option<string?>("--report") { Description = "Only this report id (default: every configured report)." };
        var output = OutputOption.Create("table", "json", "csv");
        var command = new Command("show", """
            Show the latest snapshot of a day with every group.
            Example: costnotifier snapshots show --date 2026-11-24 --report daily-by-service --output json
            """)
        {
            date, report, output, context.DataDir, context.Verbose,
        };
        command.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            var day = context.ParseDate(parsed.GetValue(date), "--date");
            using var stack = context.OpenEmbedded(parsed);
            var views = await LoadAsync(stack.Events, ReportsOf(stack.Reports, parsed.GetValue(report)), DateRange.Single(day), withGroups: true, cancellationToken).ConfigureAwait(false);
            if (views.Count == 0)
            {
                await context.Error.WriteLineAsync($"error: no snapshot stored for {day}; run 'costnotifier run --date {day}' first.").ConfigureAwait(false);
                return CliApp.Failure;
            }

            Write(context, views, parsed.GetValue(output)!, withGroups: true);
            return CliApp.Ok;
        }));
        return command;
    }

    internal static IReadOnlyList<ReportId> ReportsOf(ReportCatalog catalog, string? report) =>
        report is null ? catalog.Reports.Select(r => r.Id).ToList() : [catalog.Get(ReportId.Parse(report)).Id];

    internal static async Task<IReadOnlyList<SnapshotView>> LoadAsync(
        IEventStore store, IReadOnlyList<ReportId> reports, DateRange range, bool withGroups, CancellationToken cancellationToken)
    {
        var views = new List<SnapshotView>();
        foreach (var report in reports)
        {
            var events = await store.ReadReportAsync(report, range, cancellationToken).ConfigureAwait(false);
            views.AddRange(SnapshotView.LatestPerDay(events, withGroups));
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

        var table = new TextTable("REPORT", "DATE", "VERSION", "TOTAL", "CURRENCY", "ESTIMATED", "PREV DAY", "LAST WEEK", "MTD", "REVISIONS", "EMAILS");
        foreach (var v in views)
        {
            table.Add(v.ReportId, v.Date, v.Version, Cents(v.Total), v.Currency, v.Estimated ? "yes" : "no", Cents(v.PreviousDayTotal), Cents(v.SameWeekdayLastWeekTotal), Cents(v.MonthToDate), v.Revisions, v.EmailsSent);
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
            var groups = new TextTable("GROUP", "AMOUNT", "PREV DAY", "LAST WEEK");
            foreach (var g in v.Groups ?? [])
            {
                groups.Add(g.Key, Cents(g.Amount), Cents(g.PreviousDay), Cents(g.SameWeekdayLastWeek));
            }

            groups.WriteTable(context.Output);
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
        var date = new Option<string>("--date") { Description = "Usage day (yyyy-MM-dd or 'yesterday').", Required = true };
        var report = new Option<string?>("--report") { Description = "Only this report id (default: every configured report)." };
        var output = OutputOption.Create("table", "json");
        var command = new Command("events", """
            Show what happened to a report-day, event by event: collections, revisions, emails sent or rejected.
            Example: costnotifier events --date 2026-11-03 --report daily-by-service
            """)
        {
            date, report, output, context.DataDir, context.Verbose,
        };
        command.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            var day = context.ParseDate(parsed.GetValue(date), "--date");
            using var stack = context.OpenEmbedded(parsed);
            var views = new List<EventView>();
            foreach (var report in SnapshotsCommand.ReportsOf(stack.Reports, parsed.GetValue(report)))
            {
                var events = await stack.Events.ReadStreamAsync(new StreamId(report, day), cancellationToken).ConfigureAwait(false);
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
            CostSnapshotRevised e => $"revised v{e.RevisesVersion}: {SnapshotsCommand.Cents(e.PreviousTotal)} -> {SnapshotsCommand.Cents(e.Total)} {e.Currency}{(e.Estimated ? " (estimated)" : string.Empty)} by {e.Trigger} request {e.RequestId}",
            CostSnapshotCollected e => $"collected {SnapshotsCommand.Cents(e.Total)} {e.Currency}{(e.Estimated ? " (estimated)" : string.Empty)}, {e.Groups.Count} groups, {e.CostSourceRequests} cost requests, by {e.Trigger} request {e.RequestId}",
            CostSnapshotConfirmed e => $"unchanged since v{e.SnapshotVersion}, by {e.Trigger} request {e.RequestId}",
            NotificationSent e => $"emailed {e.Recipient} (snapshot v{e.SnapshotVersion}, request {e.RequestId}, message {e.ProviderMessageId})",
            NotificationFailed e => $"email to {e.Recipient} rejected: {e.Reason}",
            var other => other.GetType().Name,
        };
        using var data = JsonDocument.Parse(stored.Data);
        return new EventView(stored.Stream.Name, stored.Version, stored.Type, stored.RecordedAt, summary, data.RootElement.Clone());
    }
}
