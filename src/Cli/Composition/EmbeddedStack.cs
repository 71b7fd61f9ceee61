using CostNotifier.BatchProcessing;
using CostNotifier.Claims;
using CostNotifier.Collector;
using CostNotifier.Configuration;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.EmailSending;
using CostNotifier.Embedded.Outbox;
using CostNotifier.Embedded.Pipeline;
using CostNotifier.Embedded.Queues;
using CostNotifier.Embedded.SampleCost;
using CostNotifier.Embedded.Storage;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Notifications;
using CostNotifier.Notifier;
using CostNotifier.Notifier.Delivery;
using CostNotifier.Observability;
using CostNotifier.Scheduler;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Cli.Composition;

/// <summary>
/// The whole pipeline in one process over a data directory: the SQLite event store and queues, the sample cost
/// source and the outbox — the same scheduler, collector and notifier handlers that run in Lambda.
/// </summary>
public sealed class EmbeddedStack : IDisposable
{
    /// <summary>The report configuration file inside the data directory.</summary>
    public const string ReportsFileName = "reports.json";

    /// <summary>The sender address of embedded emails unless <c>COSTNOTIFIER_SENDER_ADDRESS</c> says otherwise.</summary>
    public const string DefaultSender = "costnotifier@example.com";

    /// <summary>
    /// How long a claim lives on the embedded default, deliberately shorter than <see cref="Claim.DefaultDuration"/>
    /// (sized for a Lambda's timeout). Work in one local process takes well under a second; a claim outlives it only
    /// when the process was killed, and the runner's retries are sized to outlast it.
    /// </summary>
    public static readonly TimeSpan ClaimLifetime = TimeSpan.FromSeconds(30);

    private readonly ServiceProvider _services;

    private EmbeddedStack(string dataDirectory, ServiceProvider services)
    {
        DataDirectory = dataDirectory;
        _services = services;
    }

    /// <summary>The data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>Where emails are written.</summary>
    public string OutboxDirectory => Path.Combine(DataDirectory, "outbox");

    /// <summary>The report configuration file.</summary>
    public string ReportsFile => Path.Combine(DataDirectory, ReportsFileName);

    /// <summary>The configured reports.</summary>
    public ReportCatalog Reports => _services.GetRequiredService<ReportCatalog>();

    /// <summary>The event store.</summary>
    public IEventStore Events => _services.GetRequiredService<IEventStore>();

    /// <summary>The event store's read side: a report's events over a date range.</summary>
    public IReportHistory History => _services.GetRequiredService<IReportHistory>();

    /// <summary>The local queues.</summary>
    public LocalQueueStore Queues => _services.GetRequiredService<LocalQueueStore>();

    /// <summary>Sends commands through the validation pipeline.</summary>
    public ISender Mediator => _services.GetRequiredService<ISender>();

    /// <summary>Delivers queued messages until the pipeline settles.</summary>
    public LocalPipelineRunner Runner => _services.GetRequiredService<LocalPipelineRunner>();

    /// <summary>Billable requests (pages) the cost source has made since the stack opened: Cost Explorer's, or what the sample would have cost there.</summary>
    public int CostSourceRequests => _services.GetRequiredService<CountingCostSource>().Requests;

    /// <summary>
    /// Opens (creating when needed) the data directory. Logs go as JSON lines to <paramref name="log"/>.
    /// The first open writes the default report configuration so it can be edited. <paramref name="configure"/>
    /// runs last, so it can replace or decorate any registration. With <paramref name="emailSendRate"/> (emails per
    /// second, from <c>COSTNOTIFIER_SES_MAX_SEND_RATE</c>) every email waits its turn as the notifier paces SES sends
    /// in AWS; the whole rate is this process's, as it is the only sender. Without it emails go out at once.
    /// </summary>
    public static EmbeddedStack Open(
        string dataDirectory,
        TimeProvider time,
        TextWriter log,
        LogLevel logLevel,
        ICostSource? costSource = null,
        IEmailSender? emailSender = null,
        Func<TimeSpan, CancellationToken, Task>? wait = null,
        Action<IServiceCollection>? configure = null,
        decimal? emailSendRate = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        Directory.CreateDirectory(dataDirectory);
        var catalog = LoadReports(Path.Combine(dataDirectory, ReportsFileName));
        var sender = Environment.GetEnvironmentVariable("COSTNOTIFIER_SENDER_ADDRESS") is { Length: > 0 } configured ? configured : DefaultSender;
        if (!ReportConfiguration.IsValidEmailAddress(sender))
        {
            throw new InvalidOperationException($"COSTNOTIFIER_SENDER_ADDRESS '{sender}' is not a valid email address.");
        }

        var services = new ServiceCollection()
            .AddPipelineBasics(catalog, time, "embedded", log, TextWriter.Null, logLevel)
            .AddSingleton(_ => new SqliteDatabase(dataDirectory))
            .AddSingleton(sp => new SqliteEventStore(sp.GetRequiredService<SqliteDatabase>()))
            .AddSingleton<IEventStore>(sp => sp.GetRequiredService<SqliteEventStore>())
            .AddSingleton<IReportHistory>(sp => sp.GetRequiredService<SqliteEventStore>())
            .AddSingleton<IClaimStore>(sp => new SqliteClaimStore(sp.GetRequiredService<SqliteDatabase>(), time))
            .AddSingleton(sp => new LocalQueueStore(
                sp.GetRequiredService<SqliteDatabase>(), time, LocalQueueStore.DefaultMaxReceiveCount, sp.GetRequiredService<ILogger<LocalQueueStore>>()))
            .AddSingleton<IMessagePublisher>(sp => new LocalQueuePublisher(sp.GetRequiredService<LocalQueueStore>()))
            .AddSingleton<IDeadLetterSink>(sp => new LocalDeadLetterSink(sp.GetRequiredService<LocalQueueStore>()))
            .AddSingleton(new CountingCostSource(costSource ?? new SampleCostSource(time, SampleAccounts(catalog))))
            .AddSingleton<ICostSource>(sp => sp.GetRequiredService<CountingCostSource>())
            .AddSingleton(sp => Paced(
                emailSender ?? new DeliveryReportingEmailSender(
                    new OutboxEmailSender(Path.Combine(dataDirectory, "outbox"), time),
                    sp.GetRequiredService<LocalQueueStore>(),
                    time,
                    sp.GetRequiredService<ILogger<DeliveryReportingEmailSender>>()),
                emailSendRate,
                time))
            .AddSingleton<IChatSender>(new OutboxChatSender(Path.Combine(dataDirectory, "outbox"), time))
            .AddSingleton(new CollectorOptions(ClaimDuration: ClaimLifetime))
            .AddSingleton(new NotifierOptions(sender, ClaimLifetime))
            .AddSchedulerCommands()
            .AddCollectorCommands()
            .AddNotifierCommands()
            .AddDeliveryTracking()
            .AddSingleton<CollectorRecordHandler>()
            .AddSingleton<NotifierRecordHandler>()
            .AddSingleton<DeliveryRecordHandler>()
            .AddSingleton(sp => new LocalPipelineRunner(
                sp.GetRequiredService<LocalQueueStore>(),
                Processor(sp, sp.GetRequiredService<CollectorRecordHandler>()),
                Processor(sp, sp.GetRequiredService<NotifierRecordHandler>()),
                Processor(sp, sp.GetRequiredService<DeliveryRecordHandler>()),
                sp.GetRequiredService<ILogger<LocalPipelineRunner>>(),
                ClaimLifetime,
                wait))
            .AddCliMediator();

        // Lets tests wrap any adapter (fault injection, counting) without a second composition root.
        configure?.Invoke(services);
        return new EmbeddedStack(dataDirectory, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
    }

    /// <summary>
    /// The linked accounts of the sample organisation: the default five, and every account a per-account report
    /// names, so each of those has cost to report; null (the default five as they are, with their names and
    /// figures) when no report names any other.
    /// </summary>
    internal static IReadOnlyList<string>? SampleAccounts(ReportCatalog catalog)
    {
        var named = catalog.Reports.SelectMany(r => r.PerAccount?.Accounts.Keys ?? []).ToList();
        return named.All(SampleCostSource.DefaultAccountIds.Contains)
            ? null
            : [.. SampleCostSource.DefaultAccountIds.Concat(named).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The default reports written to a new data directory.</summary>
    public static ReportCatalog DefaultReports { get; } = ReportConfiguration.Parse("""
        [
          { "id": "daily-by-service", "name": "Daily cost by service", "recipients": ["finops@example.com", "platform-team@example.com"], "groupBy": "SERVICE", "top": 10, "monthlyBudget": 8000,
            "channels": [{ "name": "platform-costs", "type": "slack", "parameter": "/costnotifier/slack/platform-costs" }] },
          { "id": "daily-by-account", "name": "Daily cost by account", "recipients": ["finops@example.com"], "groupBy": "LINKED_ACCOUNT", "top": 5,
            "channels": [{ "name": "finops", "type": "teams", "parameter": "/costnotifier/teams/finops" }] },
          { "id": "daily-by-team", "name": "Daily cost by team", "recipients": ["platform-team@example.com"], "groupBy": "TAG:team", "top": 5 },
          { "id": "weekly-by-service", "cadence": "weekly", "name": "Weekly cost by service", "recipients": ["platform-team@example.com"], "groupBy": "SERVICE", "top": 10 },
          { "id": "monthly-by-service", "cadence": "monthly", "name": "Monthly cost review", "recipients": ["finops@example.com"], "groupBy": "SERVICE", "top": 10, "monthlyBudget": 8000 }
        ]
        """);

    /// <inheritdoc />
    public void Dispose() => _services.Dispose();

    private static ReportCatalog LoadReports(string path)
    {
        if (!File.Exists(path))
        {
            var temp = path + ".tmp";
            File.WriteAllText(temp, ReportConfiguration.Serialize(DefaultReports));
            File.Move(temp, path, overwrite: true);
            return DefaultReports;
        }

        try
        {
            return ReportConfiguration.Parse(File.ReadAllText(path));
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{path}: {ex.Message}", ex);
        }
    }

    private static IEmailSender Paced(IEmailSender sender, decimal? rate, TimeProvider time) =>
        rate is { } perSecond ? new RateLimitedEmailSender(sender, new SendRateLimiter(perSecond, time)) : sender;

    private static SqsBatchProcessor Processor(IServiceProvider services, IRecordHandler handler) =>
        new(handler, services.GetRequiredService<IDeadLetterSink>(), services.GetRequiredService<PipelineMetrics>(), services.GetRequiredService<ILogger<SqsBatchProcessor>>());
}
