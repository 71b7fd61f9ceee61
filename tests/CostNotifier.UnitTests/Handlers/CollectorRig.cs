using CostNotifier.Collector;
using CostNotifier.Collector.Snapshots;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Observability;
using CostNotifier.UnitTests.Collector;
using Microsoft.Extensions.Logging.Abstractions;

namespace CostNotifier.UnitTests.Handlers;

/// <summary>
/// The collector's message handler on the test bed's SQLite stores, reading cost from a scripted source and counting
/// every event appended.
/// </summary>
internal sealed class CollectorRig : IDisposable
{
    public CollectorRig(ReportCatalog catalog, IReadOnlyList<string> accounts, IReadOnlyList<string> services)
    {
        Catalog = catalog;
        Source = new ScriptedCostSource(accounts, services);
        Events = new CountingEventStore(Bed.Events);
    }

    public HandlerTestBed Bed { get; } = new();

    public ReportCatalog Catalog { get; }

    public ScriptedCostSource Source { get; }

    public CountingEventStore Events { get; }

    public ReportDate Today => ReportDate.FromInstant(Bed.Time.GetUtcNow());

    /// <summary>Handles one collector message carrying <paramref name="requests"/>.</summary>
    public async Task<CollectBatchResult> Collect(IReadOnlyList<ReportRequested> requests, string worker = "w")
    {
        var collector = new CollectCostSnapshotHandler(
            Events, Bed.Claims, Source, Bed.Publisher, Catalog, new CollectorOptions(),
            new Restatements(Events, NullLogger<Restatements>.Instance), new MonthForecastLookup(Events, Catalog),
            Bed.Time, PipelineMetrics.None, NullLogger<CollectCostSnapshotHandler>.Instance);
        var handler = new CollectCostSnapshotsHandler(
            collector, Source, Catalog, new CollectCostSnapshotValidator(Catalog, Bed.Time), new CollectorOptions(), Bed.Time,
            NullLogger<CollectCostSnapshotsHandler>.Instance);
        return await handler.Handle(new CollectCostSnapshots(requests, "corr", worker), CancellationToken.None);
    }

    /// <summary>The latest snapshot of a report period; null when none was recorded.</summary>
    public async Task<CostSnapshot?> Latest(ReportId report, ReportPeriod period) =>
        (await Bed.Events.LoadAsync(new StreamId(report, period), CancellationToken.None)).LatestSnapshot;

    /// <summary>The snapshots announced to the notifier, in the order they were sent.</summary>
    public List<CostSnapshotReady> Announced() =>
        [.. Bed.Publisher.Sent.Where(s => s.Queue == PipelineQueue.Notifier).Select(s => MessageCodec.DecodeCostSnapshotReady(s.Body).Payload)];

    /// <summary>What the source's answer to <paramref name="query"/> adds up to on <paramref name="day"/>.</summary>
    public decimal TotalOn(CostQuery query, ReportDate day) =>
        Source.Expected(query with { Period = DateRange.Single(day) }).Days.Single().Groups.Sum(g => g.Amount);

    public void Dispose() => Bed.Dispose();
}
