using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CostNotifier.Aws;
using CostNotifier.Cli.Composition;
using CostNotifier.Cli.Output;
using CostNotifier.Cli.Targets.Aws;
using CostNotifier.Collector.CostExplorer;
using CostNotifier.Domain;
using CostNotifier.Embedded.Outbox;
using CostNotifier.Embedded.Queues;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Scheduler;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Cli.Commands;

/// <summary><c>costnotifier run</c>: what the daily schedule does, for a date or range, on the embedded default.</summary>
public static class RunCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var date = new Option<string?>("--date")
        {
            Description = "Usage day to report (yyyy-MM-dd or 'yesterday'; default yesterday, UTC). Weekly digests are sent for a Sunday, monthly ones for a month's last day.",
        };
        var to = new Option<string?>("--to") { Description = "Last day of a range starting at --date (inclusive)." };
        var report = new Option<string?>("--report") { Description = "Only this report id (default: every configured report)." };
        var output = OutputOption.Create("table", "json");
        var costSource = new Option<string>("--cost-source")
        {
            Description = "Where cost comes from: 'sample' (default, deterministic data) or 'aws' (this account's Cost Explorer; "
                + "each request costs $0.01; store, queues and outbox stay local). With 'aws': --profile, --region, --endpoint-url.",
            DefaultValueFactory = _ => Sample,
        };
        costSource.AcceptOnlyFromAmong(Sample, Aws);
        var command = new Command("run", """
            Run the pipeline as the daily schedule would: enqueue one request per report and period that ends on
            the day (every day for a daily report; the ISO week when the day is a Sunday, the month when it is the
            month's last day, for digests), collect the cost, store the snapshot and write the emails to the
            outbox. Running a date again sends nothing new.
            Example: costnotifier run --date 2026-11-24
            Example: costnotifier run --date 2026-11-29   (a Sunday: the daily reports and the week 2026-W48 digest)
            Your own account, nothing deployed: costnotifier run --cost-source aws --profile P
            """)
        {
            date, to, report, output, costSource, context.Targets.Profile, context.Targets.Region, context.Targets.EndpointUrl, context.DataDir, context.Verbose,
        };

        command.SetAction((parsed, cancellationToken) => context.GuardAsync(async () =>
        {
            var from = context.ParseDate(parsed.GetValue(date), "--date");
            var last = parsed.GetValue(to) is { } toText ? context.ParseDate(toText, "--to") : from;
            var reports = parsed.GetValue(report) is { } id ? new[] { ReportId.Parse(id) } : [];
            var fromAws = parsed.GetValue(costSource) == Aws;
            if (!fromAws && (parsed.GetValue(context.Targets.Profile) ?? parsed.GetValue(context.Targets.Region) ?? parsed.GetValue(context.Targets.EndpointUrl)) is not null)
            {
                throw new ArgumentException("--profile, --region and --endpoint-url choose the AWS account for --cost-source aws; add it, or leave them out.");
            }

            using var costExplorer = fromAws ? OpenCostExplorer(context, parsed) : null;
            using var stack = context.OpenEmbedded(parsed, costExplorer);
            var scheduled = await stack.Mediator
                .Send(new ScheduleReports(from, last, Trigger.Scheduled, reports, null, Guid.NewGuid().ToString("N")), cancellationToken)
                .ConfigureAwait(false);
            await ReplayCommand.WriteSkippedAsync(context, scheduled.Skipped).ConfigureAwait(false);

            if (fromAws)
            {
                var questions = scheduled.Messages.Select(m => m.EnvelopeId).Distinct().Count();
                await context.Error.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Cost Explorer: {scheduled.Messages.Count} report period(s) in {questions} collector message(s) need at least {questions} request(s) (${questions * CostExplorerClient.PricePerRequestUsd:0.00}), one more for each extra page of an answer.")).ConfigureAwait(false);
            }

            var summary = await DeliverAsync(stack, Trigger.Scheduled, scheduled.Messages, cancellationToken).ConfigureAwait(false);
            summary = summary with { CostSource = fromAws ? Aws : Sample };

            Print(context, summary, parsed.GetValue(output)!);
            return summary.Reports.All(r => r.SnapshotVersion is not null && r.FailedRecipients.Count == 0) ? CliApp.Ok : CliApp.Failure;
        }));
        return command;
    }

    private const string Sample = "sample";
    private const string Aws = "aws";

    // The account's own Cost Explorer, reached as the AWS CLI would reach it (AWS_ENDPOINT_URL_COST_EXPLORER honoured).
    private static CostExplorerClient OpenCostExplorer(CliContext context, ParseResult parsed)
    {
        var connection = AwsTargetSettings.Connect(parsed, context.Targets, context.Environment, [AwsConnection.Services.CostExplorer]);
        var loggers = context.Loggers(parsed);
        return new CostExplorerClient(connection, loggers.CreateLogger<CostExplorerClient>());
    }

    /// <summary>
    /// Delivers what was enqueued until the pipeline settles, then reads back from the store what happened to each
    /// report-day — including which emails this delivery wrote, told apart from those sent before.
    /// </summary>
    internal static async Task<RunSummary> DeliverAsync(
        EmbeddedStack stack, Trigger trigger, IReadOnlyList<ScheduledReportPeriod> enqueued, CancellationToken cancellationToken)
    {
        var before = new Dictionary<StreamId, long>();
        foreach (var message in enqueued)
        {
            var stream = new StreamId(message.Report, message.Period);
            var events = await stack.Events.ReadStreamAsync(stream, cancellationToken).ConfigureAwait(false);
            before[stream] = events.Count;

            // A per-account report's shares have streams of their own: how far each had got tells this run's account
            // emails from those of an earlier run of the same request.
            if (stack.Reports.Get(message.Report).PerAccount is { } settings)
            {
                foreach (var account in AccountsOf(settings, ReportPeriodState.Fold(events).LatestSnapshot).Where(settings.Reports))
                {
                    var share = new StreamId(message.Report.ForAccount(account), message.Period);
                    before[share] = (await stack.Events.ReadStreamAsync(share, cancellationToken).ConfigureAwait(false)).Count;
                }
            }
        }

        var requestsBefore = stack.CostSourceRequests;
        await stack.Runner.DrainAsync(cancellationToken).ConfigureAwait(false);
        var summary = await Summarize(stack, trigger, enqueued, before, cancellationToken).ConfigureAwait(false);
        return summary with
        {
            CostSourceRequests = stack.CostSourceRequests - requestsBefore,
            CollectorMessages = enqueued.Select(m => m.EnvelopeId).Distinct().Count(),
        };
    }

    private static async Task<RunSummary> Summarize(
        EmbeddedStack stack, Trigger trigger, IReadOnlyList<ScheduledReportPeriod> enqueued, Dictionary<StreamId, long> before, CancellationToken cancellationToken)
    {
        var outbox = new OutboxEmailSender(stack.OutboxDirectory, TimeProvider.System);
        var rows = new List<RunReportPeriod>();
        foreach (var (reportId, period, requestId) in enqueued.Select(m => (m.Report, m.Period, m.RequestId)))
        {
            var stream = new StreamId(reportId, period);
            var events = await stack.Events.ReadStreamAsync(stream, cancellationToken).ConfigureAwait(false);
            var state = ReportPeriodState.Fold(events);
            var facts = events.Select(e => (e.Version, Event: EventTypes.Deserialize(e))).ToList();
            var sentNow = facts
                .Where(e => e.Version > before[stream])
                .Select(e => e.Event)
                .OfType<NotificationSent>()
                .Where(e => e.RequestId == requestId.Value)
                .ToList();
            var files = sentNow.Select(e => outbox.Find(e.ProviderMessageId)?.EmlPath).OfType<string>().ToList();
            var directory = Path.Combine(stack.OutboxDirectory, period.ToString(), reportId.Value);
            var chatFiles = sentNow
                .Where(e => ChatChannel.IsChannelKey(e.Recipient))
                .SelectMany(e => new[] { ".slack.json", ".teams.json" }.Select(extension => Path.Combine(directory, e.ProviderMessageId + extension)))
                .Where(File.Exists)
                .ToList();
            var channels = stack.Reports.Get(reportId).Channels.Select(c => c.Key).ToList();
            var recipients = stack.Reports.Get(reportId).Recipients;
            var emailed = recipients.Where(r => state.WasSent(requestId, r)).ToList();
            var failed = recipients.Where(r => state.Failed.ContainsKey((requestId.Value, r)) && !state.WasSent(requestId, r)).ToList();
            var snapshot = state.TryGetCollection(requestId, out var version) ? state.Snapshots[version] : null;
            rows.Add(new RunReportPeriod(
                reportId.Value,
                period.ToString(),
                requestId.Value,
                snapshot is null ? null : version,
                snapshot is null ? null : Money.RoundToCents(snapshot.Figures.Total),
                snapshot?.Figures.Total,
                snapshot?.Figures.Currency,
                snapshot?.Figures.Estimated,
                emailed,
                failed,
                Directory.Exists(directory) ? directory : null,
                sentNow.Select(e => e.Recipient).ToList(),
                files)
            {
                Cadence = period.Cadence.ToWireName(),
                CostSourceRequests = CollectionRequests(facts.Select(f => f.Event), requestId) ?? (snapshot is null ? null : 0),
                PostedChannels = channels.Where(c => state.WasSent(requestId, c)).ToList(),
                FailedChannels = channels.Where(c => state.Failed.ContainsKey((requestId.Value, c)) && !state.WasSent(requestId, c)).ToList(),
                ChatFiles = chatFiles,
                Accounts = snapshot is null ? null : await AccountSharesAsync(stack, stack.Reports.Get(reportId), period, requestId, snapshot, before, cancellationToken).ConfigureAwait(false),
            });
        }

        var queues = new List<QueueSummary>();
        foreach (var queue in new[] { LocalQueue.Collector, LocalQueue.Notifier, LocalQueue.Delivery })
        {
            var depth = await stack.Queues.GetDepthAsync(queue, cancellationToken).ConfigureAwait(false);
            var dead = (await stack.Queues.GetDepthAsync(queue.DeadLetter, cancellationToken).ConfigureAwait(false)).Total;
            queues.Add(new QueueSummary(queue.Name, depth.Visible, depth.InFlight, dead));
        }

        return new RunSummary(trigger.ToWireName(), rows, queues, stack.OutboxDirectory);
    }

    // Every account of a per-account report's period: the organisation total's groups (they are the accounts) and
    // every configured one.
    private static IEnumerable<string> AccountsOf(PerAccountSettings settings, CostSnapshot? total) =>
        (total?.Figures.Groups.Select(g => g.Key) ?? [])
            .Where(a => a is { Length: 12 } && a.All(char.IsAsciiDigit))
            .Concat(settings.Accounts.Keys)
            .Distinct(StringComparer.Ordinal);

    // A per-account report's shares, each read from its own stream.
    private static async Task<AccountSharesSummary?> AccountSharesAsync(
        EmbeddedStack stack, ReportDefinition report, ReportPeriod period, RequestId requestId, CostSnapshot total, Dictionary<StreamId, long> before, CancellationToken cancellationToken)
    {
        if (report.PerAccount is not { } settings)
        {
            return null;
        }

        int collected = 0, emailed = 0, failed = 0, skipped = 0, sentNow = 0;
        foreach (var account in AccountsOf(settings, total))
        {
            if (!settings.Reports(account))
            {
                skipped++;
                continue;
            }

            var share = stack.Reports.Get(report.Id.ForAccount(account));
            var stream = new StreamId(share.Id, period);
            var events = await stack.Events.ReadStreamAsync(stream, cancellationToken).ConfigureAwait(false);
            var state = ReportPeriodState.Fold(events);
            collected += state.TryGetCollection(requestId, out _) ? 1 : 0;
            emailed += share.Recipients.Count(r => state.WasSent(requestId, r));
            failed += share.Recipients.Count(r => state.Failed.ContainsKey((requestId.Value, r)) && !state.WasSent(requestId, r));
            var earlier = before.GetValueOrDefault(stream);
            sentNow += events.Select(e => (e.Version, Event: EventTypes.Deserialize(e)))
                .Count(e => e.Version > earlier && e.Event is NotificationSent sent && sent.RequestId == requestId.Value);
        }

        return new AccountSharesSummary(collected, emailed, failed, skipped, sentNow);
    }

    private static string Count(IReadOnlyList<string> done, IReadOnlyList<string> rejected) =>
        rejected.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{done.Count} ({rejected.Count} rejected)")
            : done.Count.ToString(CultureInfo.InvariantCulture);

    // What the request's collection cost: a first snapshot, a revision or a confirmation each record their requests.
    private static int? CollectionRequests(IEnumerable<ReportPeriodEvent> events, RequestId requestId) =>
        events
            .Select(e => e switch
            {
                CostSnapshot s when s.RequestId == requestId.Value && s.CostSourceRequests > 0 => s.CostSourceRequests,
                CostSnapshotConfirmed c when c.RequestId == requestId.Value => c.CostSourceRequests,
                _ => (int?)null,
            })
            .LastOrDefault(n => n is not null);

    /// <summary>Prints a run summary as a table (with the outbox location) or JSON.</summary>
    internal static void Print(CliContext context, RunSummary summary, string format)
    {
        if (format == "json")
        {
            context.Output.WriteLine(JsonSerializer.Serialize(summary, CliJsonContext.Default.RunSummary));
            return;
        }

        var table = new TextTable("REPORT", "PERIOD", "SNAPSHOT", "TOTAL", "CURRENCY", "ESTIMATED", "EMAILED", "CHAT", "NEW", "ACCOUNTS", "CE REQUESTS", "REQUEST");
        foreach (var row in summary.Reports)
        {
            table.Add(
                row.ReportId,
                row.Date,
                row.SnapshotVersion is { } v ? $"v{v}" : "none",
                row.Total?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                row.Currency ?? "-",
                row.Estimated switch { true => "yes", false => "no", null => "-" },
                Count(row.EmailedRecipients, row.FailedRecipients),
                Count(row.PostedChannels, row.FailedChannels),
                row.SentNow.Count,
                row.Accounts is { } accounts
                    ? string.Create(CultureInfo.InvariantCulture, $"{accounts.Collected} ({accounts.Emailed} emailed, {accounts.SentNow} new, {accounts.Skipped} skipped)")
                    : "-",
                row.CostSourceRequests?.ToString(CultureInfo.InvariantCulture) ?? "-",
                row.RequestId);
        }

        table.WriteTable(context.Output);
        context.Output.WriteLine();
        var files = summary.Reports.SelectMany(r => r.EmailFiles).ToList();
        if (files.Count > 0)
        {
            context.Output.WriteLine($"Wrote {files.Count} email(s) (.eml, with .html and .txt beside each):");
            foreach (var file in files)
            {
                context.Output.WriteLine("  " + file);
            }
        }
        else if (summary.Reports.Count > 0 && summary.Reports.All(r => r.FailedRecipients.Count == 0 && r.SnapshotVersion is not null))
        {
            context.Output.WriteLine("No new emails: every recipient already has this request's email. 'costnotifier replay' sends again.");
        }

        var chatFiles = summary.Reports.SelectMany(r => r.ChatFiles).ToList();
        if (chatFiles.Count > 0)
        {
            context.Output.WriteLine($"Wrote {chatFiles.Count} chat message(s), each the JSON body its Slack or Teams webhook would receive:");
            foreach (var file in chatFiles)
            {
                context.Output.WriteLine("  " + file);
            }
        }

        context.Output.WriteLine($"Outbox: {summary.OutboxDirectory}");
        if (summary.CostSourceRequests is { } requests)
        {
            var made = summary.CostSource == Aws ? "made" : "would have been made (the sample data stood in)";
            context.Output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Cost Explorer: {requests} request(s) {made}, ${requests * CostExplorerClient.PricePerRequestUsd:0.00}, for {summary.Reports.Count} report period(s) in {summary.CollectorMessages} collector message(s)."));
        }

        foreach (var queue in summary.Queues)
        {
            context.Output.WriteLine($"Queue {queue.Queue}: {queue.Waiting} waiting, {queue.InFlight} retrying, {queue.DeadLettered} in the dead-letter queue");
        }

        if (summary.Queues.Any(q => q.DeadLettered > 0))
        {
            context.Output.WriteLine("Some messages are in a dead-letter queue: see 'costnotifier dlq list --queue <collector|notifier|delivery>'.");
        }
    }
}
