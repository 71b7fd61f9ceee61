using CostNotifier.Domain;
using CostNotifier.Messaging;
using CostNotifier.Observability;
using CostNotifier.Scheduler;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Handlers;

/// <summary>How the scheduler splits a run's report periods into collector messages.</summary>
public sealed class CollectionGroupsTests
{
    private static readonly ReportDate Last = ReportDate.Parse("2026-11-24");
    private static readonly FilterClause Prod = new("LINKED_ACCOUNT", null, ["111122223333"]);

    private static readonly ReportCatalog Catalog = new(
    [
        new ReportDefinition(ReportId.Parse("daily"), "Daily", ["a@example.com"], GroupBy.Service, 10, []),
        new ReportDefinition(ReportId.Parse("daily-copy"), "Daily copy", ["b@example.com"], GroupBy.Service, 5, []),
        new ReportDefinition(ReportId.Parse("daily-third"), "Daily third", ["c@example.com"], GroupBy.Service, 3, []),
        new ReportDefinition(ReportId.Parse("weekly"), "Weekly", ["a@example.com"], GroupBy.Service, 10, []) { Cadence = Cadence.Weekly },
        new ReportDefinition(ReportId.Parse("monthly"), "Monthly", ["a@example.com"], GroupBy.Service, 10, []) { Cadence = Cadence.Monthly },
        new ReportDefinition(ReportId.Parse("prod"), "Prod", ["a@example.com"], GroupBy.Service, 10, [Prod]),
        new ReportDefinition(ReportId.Parse("accounts"), "Accounts", ["a@example.com"], GroupBy.LinkedAccount, 10, []),
        new ReportDefinition(ReportId.Parse("teams"), "Teams", ["a@example.com"], new GroupBy(GroupingKind.Tag, "team"), 10, []),
        new ReportDefinition(ReportId.Parse("other-team"), "Other team", ["a@example.com"], new GroupBy(GroupingKind.Tag, "owner"), 10, []),
        new ReportDefinition(ReportId.Parse("org"), "Org", ["a@example.com"], GroupBy.LinkedAccount, 10, [])
        {
            PerAccount = new PerAccountSettings(new Dictionary<string, AccountSettings>(StringComparer.Ordinal), UnownedAccounts.Skip, []),
        },
    ]);

    [Fact]
    public void ReportsAskingTheSameQuestion_TravelInOneMessage_InPeriodOrder()
    {
        var requests = new[]
        {
            Request("daily", Last),
            Request("weekly", ReportPeriod.Parse("2026-W47")),
            Request("daily-copy", Last.AddDays(-3)),
            Request("daily", Last.AddDays(-3)),
        };

        var message = Assert.Single(CollectionGroups.Split(requests, Catalog));

        Assert.Equal([requests[2], requests[3], requests[1], requests[0]], message);
    }

    [Fact]
    public void ReportsAskingDifferentQuestions_TravelApart()
    {
        var requests = new[]
        {
            Request("daily", Last),
            Request("prod", Last),
            Request("accounts", Last),
            Request("teams", Last),
            Request("other-team", Last),
            Request("monthly", ReportPeriod.Parse("2026-10")),
            Request("org", Last),
        };

        var messages = CollectionGroups.Split(requests, Catalog).ToList();

        Assert.Equal(requests.Length, messages.Count);
        Assert.Equal(requests, messages.Select(m => Assert.Single(m)));
    }

    [Fact]
    public void AQuestionAskedForMoreThan400Periods_IsSplitInto400s_InPeriodOrder()
    {
        var days = DateRange.Inclusive(Last.AddDays(-399), Last).EachDay().ToList();
        var requests = new[] { "daily", "daily-copy", "daily-third" }
            .SelectMany(id => days.Select(d => Request(id, d)))
            .ToList();

        var messages = CollectionGroups.Split(requests, Catalog).ToList();

        Assert.Equal([400, 400, 400], messages.Select(m => m.Count));
        Assert.Equal(requests.OrderBy(r => r.Period.Last), messages.SelectMany(m => m));
        Assert.Equal(ReportsRequested.MaxRequests, messages[0].Count);
    }

    [Fact]
    public void APerAccountReport_TravelsSevenPeriodsAMessage()
    {
        var requests = DateRange.Inclusive(Last.AddDays(-19), Last).EachDay().Select(d => Request("org", d)).Reverse().ToList();

        var messages = CollectionGroups.Split(requests, Catalog).ToList();

        Assert.Equal([7, 7, 6], messages.Select(m => m.Count));
        Assert.Equal(CollectionGroups.PerAccountPeriods, messages[0].Count);
        Assert.Equal(requests.OrderBy(r => r.Period.Last), messages.SelectMany(m => m));
    }

    [Fact]
    public void AReportTheCatalogDoesNotList_TravelsAlone_31PeriodsAMessage()
    {
        var days = DateRange.Inclusive(Last.AddDays(-39), Last).EachDay().ToList();
        var requests = days.Select(d => Request("ghost", d))
            .Concat(days.Take(3).Select(d => Request("phantom", d)))
            .Concat(days.Take(3).Select(d => Request("daily", d)))
            .ToList();

        var messages = CollectionGroups.Split(requests, Catalog).ToList();

        Assert.Equal([31, 9, 3, 3], messages.Select(m => m.Count));
        Assert.Equal(CollectionGroups.UnlistedPeriods, messages[0].Count);
        Assert.All(messages, m => Assert.Single(m.Select(r => r.ReportId).Distinct()));
    }

    [Fact]
    public async Task TheScheduler_PublishesOneMessagePerQuestion_ThatDecodesToExactlyItsPlannedPeriods()
    {
        var publisher = new HandlerTestBed.RecordingPublisher();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        var catalog = new ReportCatalog(Catalog.Reports.Where(r => r.Id.Value is "daily" or "weekly" or "monthly" or "prod"));
        var handler = new ScheduleReportsHandler(catalog, publisher, time, PipelineMetrics.None, NullLogger<ScheduleReportsHandler>.Instance);

        var result = await handler.Handle(new ScheduleReports(ReportDate.Parse("2026-10-01"), Last, Trigger.Scheduled, [], null, "c"), CancellationToken.None);

        Assert.Equal(3, publisher.Sent.Count);
        var decoded = publisher.Sent.Select(s => MessageCodec.DecodeCollectorMessage(s.Body)).ToList();
        Assert.Equal(result.Messages.Count, decoded.Sum(d => d.Payload.Count));
        foreach (var message in decoded)
        {
            var planned = result.Messages.Where(m => m.EnvelopeId == message.Envelope.Id).ToList();
            Assert.Equal(planned.Select(p => (p.Report, p.Period, p.RequestId)), message.Payload.Select(r => (r.ReportId, r.Period, r.RequestId)));
            Assert.Equal(message.Payload.OrderBy(r => r.Period.Last), message.Payload);
            Assert.All(message.Payload, r => Assert.Equal(Trigger.Scheduled, r.Trigger));
        }

        var sizes = decoded.ToDictionary(d => d.Payload[0].ReportId.Value, d => d.Payload.Count);
        Assert.Equal(55 + 8, sizes["daily"]);
        Assert.Equal(55, sizes["prod"]);
        Assert.Equal(1, sizes["monthly"]);
        var single = decoded.Single(d => d.Payload[0].ReportId.Value == "monthly");
        Assert.Equal(MessageTypes.ReportRequested, single.Envelope.Type);
        Assert.Equal(ReportPeriod.Parse("2026-10"), single.Payload[0].Period);
        Assert.All(decoded.Where(d => d != single), d => Assert.Equal(MessageTypes.ReportsRequested, d.Envelope.Type));
    }

    private static ReportRequested Request(string report, ReportPeriod period) =>
        new(ReportId.Parse(report), period, Trigger.Scheduled, RequestId.Scheduled(period));
}
