using CostNotifier.Collector;
using CostNotifier.Collector.Snapshots;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Observability;
using Microsoft.Extensions.Logging.Abstractions;

namespace CostNotifier.UnitTests.Handlers;

/// <summary>Weekly and monthly digests through the collector, on SQLite and the deterministic sample cost source.</summary>
public sealed class DigestCollectionTests : IDisposable
{
    private static readonly ReportId Daily = ReportId.Parse("daily");
    private static readonly ReportId Weekly = ReportId.Parse("weekly");
    private static readonly ReportId Monthly = ReportId.Parse("monthly");

    private static readonly ReportCatalog Catalog = new(
    [
        new ReportDefinition(Daily, "Daily", ["a@example.com"], GroupBy.Service, 10, []),
        new ReportDefinition(Weekly, "Weekly", ["a@example.com"], GroupBy.Service, 10, []) { Cadence = Cadence.Weekly },
        new ReportDefinition(Monthly, "Monthly", ["a@example.com"], GroupBy.Service, 10, []) { Cadence = Cadence.Monthly },
    ]);

    private readonly HandlerTestBed _bed = new();
    private readonly List<CostQuery> _queries = [];

    public DigestCollectionTests()
    {
        _bed.Costs.Transform = (query, result) =>
        {
            _queries.Add(query);
            return result;
        };
    }

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task Collect_AWeeklyDigest_AsksCostExplorerOnce_AndRecordsTheWeekOnItsOwnStream()
    {
        var week = ReportPeriod.Parse("2026-W48");
        At(2026, 12, 1);

        var result = await Collect(Weekly, week);

        Assert.Equal(CollectOutcome.Collected, result.Outcome);
        var query = Assert.Single(_queries);
        Assert.Equal(CostGranularity.Daily, query.Granularity);
        Assert.Equal(ReportDate.Parse("2026-08-31"), query.Period.Start);
        Assert.Equal(ReportDate.Parse("2026-11-30"), query.Period.End);

        var snapshot = await Latest(new StreamId(Weekly, week));
        Assert.Equal("2026-W48", snapshot.Date);
        Assert.Equal(1, snapshot.CostSourceRequests);
        var digest = Assert.IsType<DigestFigures>(snapshot.Figures.Digest);
        Assert.Equal(["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"], digest.Days.Select(d => d.Date));
        Assert.Equal(await SampleTotal(week.Days), snapshot.Figures.Total);
        Assert.Equal("2026-W47", digest.PreviousPeriod);
        Assert.Equal("2026-W44", digest.ComparisonPeriod);

        var ready = MessageCodec.DecodeCostSnapshotReady(Assert.Single(_bed.Publisher.Sent).Body).Payload;
        Assert.Equal(week, ready.Period);
    }

    [Fact]
    public async Task Collect_AMonthlyDigest_AsksForMonthlyFiguresOnce_AndSetsTheMonthAgainstTheForecastADailyReportMadeMidMonth()
    {
        var month = ReportPeriod.Parse("2026-11");
        At(2026, 12, 1);
        await Collect(Daily, ReportDate.Parse("2026-11-15"));
        var made = (await Latest(new StreamId(Daily, ReportDate.Parse("2026-11-15")))).Figures.Forecast;
        Assert.NotNull(made);
        _queries.Clear();

        await Collect(Monthly, month);

        var query = Assert.Single(_queries);
        Assert.Equal(CostGranularity.Monthly, query.Granularity);
        Assert.Equal(ReportDate.Parse("2025-11-01"), query.Period.Start);
        Assert.Equal(ReportDate.Parse("2026-12-01"), query.Period.End);
        var snapshot = await Latest(new StreamId(Monthly, month));
        Assert.Equal(await SampleTotal(month.Days), snapshot.Figures.Total);
        Assert.Equal(13, snapshot.Figures.Trend.Count);
        Assert.Equal("2025-11", snapshot.Figures.Digest!.ComparisonPeriod);
        Assert.Equal(new ForecastCheck("daily", "2026-11-15", made.Expected, made.Low, made.High), snapshot.Figures.Digest.ForecastCheck);
    }

    [Fact]
    public async Task Collect_AMonthlyDigestWithoutADailyReportAskingTheSameQuestion_HasNoForecastCheck()
    {
        At(2026, 12, 1);
        await Collect(Monthly, ReportPeriod.Parse("2026-11"));

        Assert.Null((await Latest(new StreamId(Monthly, ReportPeriod.Parse("2026-11")))).Figures.Digest!.ForecastCheck);
    }

    [Fact]
    public async Task Collect_NextMonthsDigest_RecordsTheSettledMonthAsARevisionOfItsStream_AndListsIt()
    {
        var november = ReportPeriod.Parse("2026-11");
        At(2026, 12, 1);
        await Collect(Monthly, november);
        Assert.True((await Latest(new StreamId(Monthly, november))).Figures.Estimated);

        At(2027, 1, 1);
        await Collect(Monthly, ReportPeriod.Parse("2026-12"));

        var revised = Assert.IsType<CostSnapshotRevised>(await Latest(new StreamId(Monthly, november)));
        Assert.False(revised.Figures.Estimated);
        Assert.Equal(0, revised.CostSourceRequests);
        var december = await Latest(new StreamId(Monthly, ReportPeriod.Parse("2026-12")));
        var restated = Assert.Single(december.Restated);
        Assert.Equal("2026-11", restated.Date);
        Assert.Equal(2, _queries.Count);
    }

    [Fact]
    public async Task Collect_AWeekTheSourceHasNoDataForYet_FailsTransientlyNamingTheMissingDay()
    {
        At(2026, 12, 1);
        _bed.Costs.Transform = (query, result) => result with { Days = result.Days.Where(d => d.Date != ReportDate.Parse("2026-11-29")).ToList() };

        var error = await Assert.ThrowsAsync<CostSourceException>(async () => await Collect(Weekly, ReportPeriod.Parse("2026-W48")));

        Assert.True(error.IsDataPending);
        Assert.Contains("2026-11-29", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _bed.Events.ReadStreamAsync(new StreamId(Weekly, ReportPeriod.Parse("2026-W48")), CancellationToken.None));
    }

    private void At(int year, int month, int day) => _bed.Time.SetUtcNow(new DateTimeOffset(year, month, day, 8, 0, 0, TimeSpan.Zero));

    private async Task<CollectResult> Collect(ReportId report, ReportPeriod period)
    {
        var request = new ReportRequested(report, period, Trigger.Scheduled, RequestId.Scheduled(period));
        var handler = new CollectCostSnapshotHandler(
            _bed.Events, _bed.Claims, _bed.Costs, _bed.Publisher, Catalog, new CollectorOptions(),
            new Restatements(_bed.Events, NullLogger<Restatements>.Instance), new MonthForecastLookup(_bed.Events, Catalog),
            _bed.Time, PipelineMetrics.None, NullLogger<CollectCostSnapshotHandler>.Instance);
        return await handler.Handle(new CollectCostSnapshot(request, "c", "w"), CancellationToken.None);
    }

    private async Task<CostSnapshot> Latest(StreamId stream) =>
        (await _bed.Events.LoadAsync(stream, CancellationToken.None)).LatestSnapshot ?? throw new InvalidOperationException($"{stream} has no snapshot.");

    // What the sample source's daily figures add up to over the days, asked for directly.
    private async Task<decimal> SampleTotal(DateRange days)
    {
        var answer = await new CostNotifier.Embedded.SampleCost.SampleCostSource(_bed.Time)
            .GetCostAsync(new CostQuery(days, GroupBy.Service, [], "UnblendedCost"), CancellationToken.None);
        return answer.Days.SelectMany(d => d.Groups).Sum(g => g.Amount);
    }
}
