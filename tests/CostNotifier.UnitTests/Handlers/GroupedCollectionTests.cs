using CostNotifier.Collector;
using CostNotifier.Collector.Snapshots;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Messaging;

namespace CostNotifier.UnitTests.Handlers;

/// <summary>One collector message carrying many report periods: what it costs, what it records, how it fails.</summary>
public sealed class GroupedCollectionTests : IDisposable
{
    private static readonly ReportId Daily = ReportId.Parse("daily");
    private static readonly ReportId Weekly = ReportId.Parse("weekly");
    private static readonly ReportId Monthly = ReportId.Parse("monthly");
    private static readonly ReportId Ghost = ReportId.Parse("ghost");
    private static readonly ReportDate Last = ReportDate.Parse("2026-11-24");

    private static readonly ReportCatalog Catalog = new(
    [
        new ReportDefinition(Daily, "Daily", ["a@example.com"], GroupBy.Service, 10, []),
        new ReportDefinition(Weekly, "Weekly", ["a@example.com"], GroupBy.Service, 10, []) { Cadence = Cadence.Weekly },
        new ReportDefinition(Monthly, "Monthly", ["a@example.com"], GroupBy.Service, 10, []) { Cadence = Cadence.Monthly },
    ]);

    private readonly CollectorRig _rig = new(Catalog, ["111122223333", "444455556666"], ["Amazon EC2", "Amazon S3", "AWS Lambda"]);

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task ThirtyDaysOfOneReport_CostOneRequest_AndRecordThirtySnapshotsWithTheSourcesFigures()
    {
        var days = DateRange.Inclusive(Last.AddDays(-29), Last).EachDay().ToList();

        var result = await _rig.Collect([.. days.Select(d => Request(Daily, d))]);

        Assert.Equal(1, _rig.Source.Calls);
        Assert.Equal(1, result.CostSourceRequests);
        Assert.Equal(30, result.Results.Count);
        Assert.All(result.Results, r => Assert.Equal(CollectOutcome.Collected, r.Outcome));
        Assert.Equal(30, _rig.Events.Appended);
        var asked = Assert.Single(_rig.Source.Asked);
        Assert.Equal(DateRange.Inclusive(SnapshotWindow.For(days[0], _rig.Today).Start, Last), asked.Period);
        var question = new CostQuery(asked.Period, GroupBy.Service, [], "UnblendedCost");
        var requests = 0;
        foreach (var day in days)
        {
            var snapshot = await _rig.Latest(Daily, day);
            Assert.NotNull(snapshot);
            Assert.Equal(_rig.TotalOn(question, day), snapshot.Figures.Total);
            Assert.Equal(_rig.TotalOn(question, day.AddDays(-1)), snapshot.Figures.PreviousDayTotal);
            requests += snapshot.CostSourceRequests;
        }

        Assert.Equal(1, requests);
        Assert.Equal(days.Select(d => (ReportPeriod)d), _rig.Announced().Select(a => a.Period));
    }

    [Fact]
    public async Task ADailyReportAndAWeeklyDigestAskingTheSameQuestion_ShareOneRequest()
    {
        var result = await _rig.Collect([Request(Daily, Last), Request(Weekly, ReportPeriod.Parse("2026-W47"))]);

        Assert.Equal(1, _rig.Source.Calls);
        Assert.Equal([CollectOutcome.Collected, CollectOutcome.Collected], result.Results.Select(r => r.Outcome));
        Assert.Equal(2, _rig.Events.Appended);
        var weekly = await _rig.Latest(Weekly, ReportPeriod.Parse("2026-W47"));
        var question = new CostQuery(DateRange.Single(Last), GroupBy.Service, [], "UnblendedCost");
        Assert.Equal(ReportPeriod.Parse("2026-W47").Days.EachDay().Sum(d => _rig.TotalOn(question, d)), weekly!.Figures.Total);
    }

    [Fact]
    public async Task ARedeliveredMessage_AsksForNothing_AndRecordsNothingNew()
    {
        IReadOnlyList<ReportRequested> message = [.. DateRange.Inclusive(Last.AddDays(-9), Last).EachDay().Select(d => Request(Daily, d)), Request(Weekly, ReportPeriod.Parse("2026-W47"))];
        var first = await _rig.Collect(message, "w1");
        var appended = _rig.Events.Appended;

        var second = await _rig.Collect(message, "w2");

        Assert.Equal(1, _rig.Source.Calls);
        Assert.Equal(appended, _rig.Events.Appended);
        Assert.Equal(0, second.CostSourceRequests);
        Assert.All(second.Results, r => Assert.Equal(CollectOutcome.AlreadyCollected, r.Outcome));
        Assert.Equal(first.Results.Select(r => r.SnapshotVersion), second.Results.Select(r => r.SnapshotVersion));
    }

    [Fact]
    public async Task AnUnknownReportAmongSeveralPeriods_LeavesTheOthersCollected_AndDeadLettersNamingIt()
    {
        var days = DateRange.Inclusive(Last.AddDays(-4), Last).EachDay().ToList();
        List<ReportRequested> message = [.. days.Select(d => Request(Daily, d))];
        message.Insert(2, Request(Ghost, ReportDate.Parse("2026-11-22")));

        var error = await Assert.ThrowsAsync<PoisonMessageException>(() => _rig.Collect(message));

        Assert.Contains("1 of 6", error.Message, StringComparison.Ordinal);
        Assert.Contains("ghost 2026-11-22", error.Message, StringComparison.Ordinal);
        Assert.Contains("reportId 'ghost' is not a configured report", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _rig.Source.Calls);
        foreach (var day in days)
        {
            Assert.NotNull(await _rig.Latest(Daily, day));
        }
    }

    [Fact]
    public async Task ATransientCostSourceFailure_IsRethrownAsItIs_SoTheMessageIsRetried()
    {
        var outage = new CostSourceException("Cost Explorer is throttling", isTransient: true);
        _rig.Source.Fail = _ => outage;
        List<ReportRequested> message = [Request(Daily, Last.AddDays(-1)), Request(Ghost, Last), Request(Daily, Last)];

        var error = await Assert.ThrowsAsync<CostSourceException>(() => _rig.Collect(message));

        Assert.Same(outage, error);
        Assert.Equal(0, _rig.Events.Appended);
        Assert.Empty(_rig.Announced());
    }

    [Fact]
    public async Task ACostSourceRefusingEveryPeriod_DeadLettersTheMessageNamingEachPeriodAndWhy()
    {
        _rig.Source.Fail = _ => new CostSourceException("AccessDeniedException", isTransient: false);

        var error = await Assert.ThrowsAsync<PoisonMessageException>(() => _rig.Collect([Request(Daily, Last.AddDays(-1)), Request(Daily, Last)]));

        Assert.Contains("2 of 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("daily 2026-11-23: Cost source refused the request: AccessDeniedException", error.Message, StringComparison.Ordinal);
        Assert.Contains("daily 2026-11-24: Cost source refused the request: AccessDeniedException", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _rig.Events.Appended);
    }

    [Fact]
    public async Task TheSnapshotsOfAMessage_AddUpToTheRequestsItMade()
    {
        _rig.Source.Pages = _ => 3;
        List<ReportRequested> message =
        [
            Request(Daily, Last.AddDays(-1)),
            Request(Daily, Last),
            Request(Weekly, ReportPeriod.Parse("2026-W47")),
            Request(Monthly, ReportPeriod.Parse("2026-10")),
        ];

        var result = await _rig.Collect(message);

        Assert.Equal(2, _rig.Source.Calls);
        Assert.Equal(6, _rig.Source.Requests);
        Assert.Equal(6, result.CostSourceRequests);
        Assert.Equal(6, result.Results.Sum(r => r.CostSourceRequests));
        var recorded = 0;
        foreach (var request in message)
        {
            recorded += (await _rig.Latest(request.ReportId, request.Period))!.CostSourceRequests;
        }

        Assert.Equal(6, recorded);
    }

    private static ReportRequested Request(ReportId report, ReportPeriod period) => new(report, period, Trigger.Scheduled, RequestId.Scheduled(period));
}
