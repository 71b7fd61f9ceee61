using System.Text.Json;
using CostNotifier.BatchProcessing;
using CostNotifier.Claims;
using CostNotifier.Domain;
using CostNotifier.EmailSending;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Notifications;
using CostNotifier.Notifier;
using CostNotifier.Notifier.Delivery;
using CostNotifier.Testing.Faults;
using CostNotifier.UnitTests.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CostNotifier.UnitTests.Delivery;

/// <summary>
/// The delivery queue's consumer as the notifier function composes it (batch processor, mediator with validation,
/// SQLite stores), with the report period streams the samples name already collected, and recording stand-ins for
/// the dead-letter queue, the metrics and the logs.
/// </summary>
internal sealed class DeliveryTestBed : IDisposable
{
    public static readonly StreamId DailyStream = new(ReportId.Parse("daily"), ReportPeriod.Parse("2026-11-24"));
    public static readonly StreamId WeeklyStream = new(ReportId.Parse("weekly-digest"), ReportPeriod.Parse("2026-W48"));
    public static readonly StreamId MonthlyStream = new(ReportId.Parse("monthly-by-account"), ReportPeriod.Parse("2026-11"));

    private readonly HandlerTestBed _stores = new();
    private readonly ServiceProvider _services;

    private DeliveryTestBed(Func<IEventStore, IEventStore>? decorate)
    {
        Events = decorate is null ? _stores.Events : decorate(_stores.Events);
        _services = new ServiceCollection()
            .AddPipelineBasics(Catalog, _stores.Time, "unit", Logs, Metrics, LogLevel.Debug)
            .AddSingleton(Events)
            .AddSingleton(_stores.Claims)
            .AddSingleton<IEmailSender>(_stores.Email)
            .AddSingleton<IChatSender>(new RecordingChatSender())
            .AddSingleton<IDeadLetterSink>(DeadLetters)
            .AddSingleton(new NotifierOptions("cost-reports@example.com"))
            .AddNotifierCommands()
            .AddDeliveryTracking()
            .AddNotifierMediator()
            .AddBatchProcessor<DeliveryRecordHandler>()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>
    /// A bed whose three streams each hold a snapshot. <paramref name="decorate"/> wraps the event store the handlers
    /// use (not the one that seeds the streams).
    /// </summary>
    public static async Task<DeliveryTestBed> StartAsync(Func<IEventStore, IEventStore>? decorate = null)
    {
        var bed = new DeliveryTestBed(decorate);
        foreach (var stream in new[] { DailyStream, WeeklyStream, MonthlyStream })
        {
            await bed.CollectAsync(stream);
        }

        return bed;
    }

    /// <summary>A daily report for two recipients, a weekly digest and a monthly one for one.</summary>
    public static ReportCatalog Catalog { get; } = new(
    [
        new ReportDefinition(ReportId.Parse("daily"), "Daily", ["finops@example.com", "platform@example.com"], GroupBy.Service, 10, []),
        new ReportDefinition(ReportId.Parse("weekly-digest"), "Weekly", ["finops@example.com"], GroupBy.Service, 10, []) { Cadence = Cadence.Weekly },
        new ReportDefinition(ReportId.Parse("monthly-by-account"), "Monthly", ["finops@example.com"], GroupBy.LinkedAccount, 5, []) { Cadence = Cadence.Monthly },
    ]);

    public IEventStore Events { get; }

    public StringWriter Logs { get; } = new();

    public StringWriter Metrics { get; } = new();

    public RecordingDeadLetters DeadLetters { get; } = new();

    public SqsBatchProcessor Processor => _services.GetRequiredService<SqsBatchProcessor>();

    public IServiceProvider Services => _services;

    /// <summary>Runs one batch of bodies, the message ids being <c>m1</c>, <c>m2</c>… in order.</summary>
    public Task<SqsBatchResponse> ProcessAsync(params string[] bodies) =>
        Processor.ProcessAsync(
            new SqsEvent { Records = [.. bodies.Select((body, i) => new SqsMessage { MessageId = $"m{i + 1}", Body = body })] },
            CancellationToken.None);

    /// <summary>The delivery reports on a stream, in stream order.</summary>
    public async Task<IReadOnlyList<DeliveryReport>> ReportsOnAsync(StreamId stream) =>
        (await Events.LoadAsync(stream, CancellationToken.None)).DeliveryReports;

    /// <summary>The values the metric lines named <paramref name="metric"/> carry.</summary>
    public IReadOnlyList<JsonElement> MetricLines(string metric) =>
        [.. Metrics.ToString()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(line => line.TryGetProperty(metric, out _))];

    public void Dispose()
    {
        _services.Dispose();
        _stores.Dispose();
    }

    private Task CollectAsync(StreamId stream) =>
        _stores.Events.AppendAsync(
            stream,
            ReportPeriodState.Empty,
            new CostSnapshotCollected
            {
                ReportId = stream.Report.Value,
                Date = stream.Period.ToString(),
                RequestId = RequestId.Scheduled(stream.Period).Value,
                Trigger = Trigger.Scheduled,
                Figures = new CostFigures("SERVICE", "UnblendedCost", "USD", 12.5m, false, null, null, 12.5m, [new GroupLine("EC2", 12.5m, null, null)], []),
                CostSourceRequests = 1,
                CollectedAt = _stores.Time.GetUtcNow(),
            },
            _stores.Time.GetUtcNow(),
            CancellationToken.None);

    internal sealed class RecordingDeadLetters : IDeadLetterSink
    {
        public List<(PipelineQueue Source, string MessageId, string Reason)> Moved { get; } = [];

        public Task SendAsync(PipelineQueue source, string messageId, string body, string reason, CancellationToken cancellationToken)
        {
            Moved.Add((source, messageId, reason));
            return Task.CompletedTask;
        }
    }
}
