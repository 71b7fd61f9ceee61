using CostNotifier.BatchProcessing;
using CostNotifier.Claims;
using CostNotifier.Collector;
using CostNotifier.Collector.Snapshots;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.EmailSending;
using CostNotifier.Events;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Notifications;
using CostNotifier.Notifier;
using CostNotifier.Notifier.Chat;
using CostNotifier.Notifier.Email;
using CostNotifier.Observability;
using CostNotifier.UnitTests.Timing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CostNotifier.UnitTests.Handlers;

public sealed class CollectAndNotifyHandlerTests : IDisposable
{
    private static readonly ReportId Daily = ReportId.Parse("daily");
    private static readonly ReportDate Sunday = ReportDate.Parse("2026-11-22");
    private static readonly ReportDate Monday = ReportDate.Parse("2026-11-23");
    private static readonly StreamId Stream = new(Daily, ReportDate.Parse("2026-11-24"));
    private readonly HandlerTestBed _bed = new();

    // The test bed's reports, with a Slack and a Teams destination on the daily one.
    private static readonly ReportCatalog WithChannels = new(
        HandlerTestBed.Catalog.Reports.Select(r => r.Id == Daily
            ? r with
            {
                Channels =
                [
                    new ChatChannel("ops", ChatChannelKind.SlackWebhook, "/costnotifier/slack/ops"),
                    new ChatChannel("finops", ChatChannelKind.TeamsWorkflow, "/costnotifier/teams/finops"),
                ],
            }
            : r).ToList());

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task Collect_RedeliveredRequest_AnnouncesAgainWithoutAskingForCostTwice()
    {
        var handler = Collector();
        var request = Request(Trigger.Scheduled, "scheduled-2026-11-24");

        var first = await handler.Handle(new CollectCostSnapshot(request, "c", "w1"), CancellationToken.None);
        var second = await handler.Handle(new CollectCostSnapshot(request, "c", "w2"), CancellationToken.None);

        Assert.Equal(CollectOutcome.Collected, first.Outcome);
        Assert.Equal(CollectOutcome.AlreadyCollected, second.Outcome);
        Assert.Equal(first.SnapshotVersion, second.SnapshotVersion);
        Assert.Equal(1, _bed.Costs.Calls);
        Assert.Equal(2, _bed.Publisher.Sent.Count(s => s.Queue == PipelineQueue.Notifier));
        Assert.Single(await _bed.Events.ReadStreamAsync(Stream, CancellationToken.None));
    }

    [Fact]
    public async Task Collect_WhileAnotherWorkerHoldsTheClaim_FailsTransientlyWithoutTouchingCostExplorer()
    {
        await _bed.Claims.TryAcquireAsync($"collect#{Stream}", "someone-else", TimeSpan.FromMinutes(2), CancellationToken.None);

        await Assert.ThrowsAsync<ClaimHeldException>(async () =>
            await Collector().Handle(new CollectCostSnapshot(Request(Trigger.Scheduled, "scheduled-2026-11-24"), "c", "w1"), CancellationToken.None));

        Assert.Equal(0, _bed.Costs.Calls);
        Assert.Empty(await _bed.Events.ReadStreamAsync(Stream, CancellationToken.None));
    }

    [Fact]
    public async Task Collect_AfterTheOtherWorkersClaimExpires_Proceeds()
    {
        await _bed.Claims.TryAcquireAsync($"collect#{Stream}", "dead-worker", TimeSpan.FromMinutes(2), CancellationToken.None);
        _bed.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        var result = await Collector().Handle(new CollectCostSnapshot(Request(Trigger.Scheduled, "scheduled-2026-11-24"), "c", "w1"), CancellationToken.None);

        Assert.Equal(CollectOutcome.Collected, result.Outcome);
    }

    [Fact]
    public async Task Collect_AReplayAfterTheDaySettled_RecordsARevision_AndAnUnchangedReplayAConfirmation()
    {
        var handler = Collector();
        await handler.Handle(new CollectCostSnapshot(Request(Trigger.Scheduled, "scheduled-2026-11-24"), "c", "w"), CancellationToken.None);
        _bed.Costs.Transform = (_, result) => new CostQueryResult(
            result.Days.Select(d => d with { Estimated = false, Groups = [.. d.Groups, new GroupCost("Late usage", 0.42m, "USD")] }).ToList(),
            result.Requests);

        var revised = await handler.Handle(new CollectCostSnapshot(Request(Trigger.Replay, "replay-1"), "c", "w"), CancellationToken.None);
        var confirmed = await handler.Handle(new CollectCostSnapshot(Request(Trigger.Replay, "replay-2"), "c", "w"), CancellationToken.None);

        Assert.Equal(CollectOutcome.Revised, revised.Outcome);
        Assert.Equal(CollectOutcome.Unchanged, confirmed.Outcome);
        Assert.Equal(revised.SnapshotVersion, confirmed.SnapshotVersion);
        var types = (await _bed.Events.ReadStreamAsync(Stream, CancellationToken.None)).Select(e => e.Type);
        Assert.Equal([EventTypes.NameOf<CostSnapshotCollected>(), EventTypes.NameOf<CostSnapshotRevised>(), EventTypes.NameOf<CostSnapshotConfirmed>()], types);
    }

    [Fact]
    public async Task Collect_TheOldestDayCostExplorerServes_AsksForNothingOlder_AndHasNoComparisons()
    {
        var day = ReportDate.Parse("2025-10-01");
        CostQuery? asked = null;
        _bed.Costs.Transform = (query, result) =>
        {
            asked = query;
            return result;
        };

        await Collector().Handle(new CollectCostSnapshot(new ReportRequested(ReportId.Parse("daily"), day, Trigger.Replay, RequestId.Parse("replay-old")), "c", "w"), CancellationToken.None);

        Assert.Equal(DateRange.Single(day), asked!.Period);
        var figures = (await _bed.Events.LoadAsync(new StreamId(ReportId.Parse("daily"), day), CancellationToken.None)).LatestSnapshot!.Figures;
        Assert.Null(figures.PreviousDayTotal);
        Assert.Null(figures.SameWeekdayLastWeekTotal);
        Assert.All(figures.Groups, g => Assert.Null(g.PreviousDay));
        Assert.Equal(figures.Total, Assert.Single(figures.Trend).Total);
    }

    [Fact]
    public async Task Collect_MondayFindsSundaySettled_RevisesSundaysStreamFromTheSameAnswer_AndListsItOnMonday()
    {
        AnswerWith(sunday: 310.20m, sundayEstimated: true);
        await Collector().Handle(new CollectCostSnapshot(Request(Trigger.Scheduled, "scheduled-2026-11-22", Sunday), "c", "w"), CancellationToken.None);
        AnswerWith(sunday: 322.75m, sundayEstimated: false);

        var monday = await Collector().Handle(new CollectCostSnapshot(Request(Trigger.Scheduled, "scheduled-2026-11-23", Monday), "c", "w"), CancellationToken.None);

        Assert.Equal(CollectOutcome.Collected, monday.Outcome);
        var sunday = await _bed.Events.LoadAsync(new StreamId(Daily, Sunday), CancellationToken.None);
        Assert.Equal(2, sunday.Version);
        var revision = Assert.IsType<CostSnapshotRevised>(sunday.LatestSnapshot);
        Assert.Equal((1L, 310.20m, 322.75m, false), (revision.RevisesVersion, revision.PreviousTotal, revision.Figures.Total, revision.Figures.Estimated));
        Assert.Equal(("scheduled-2026-11-23", Trigger.Scheduled, 0), (revision.RequestId, revision.Trigger, revision.CostSourceRequests));
        Assert.Equal("2026-11-22", revision.Date);
        var mondaySnapshot = (await _bed.Events.LoadAsync(new StreamId(Daily, Monday), CancellationToken.None)).LatestSnapshot!;
        Assert.Equal([new RestatedPeriod("2026-11-22", 310.20m, 322.75m, 2)], mondaySnapshot.Restated);

        // No extra request, no email for Sunday's revision, and no stream started for the days nobody collected.
        Assert.Equal(2, _bed.Costs.Calls);
        var announced = _bed.Publisher.Sent.Select(s => MessageCodec.DecodeCostSnapshotReady(s.Body).Payload).ToList();
        Assert.Equal([((ReportPeriod)Sunday, 1L), ((ReportPeriod)Monday, 1L)], announced.Select(a => (a.Period, a.SnapshotVersion)));
        for (var day = Monday.AddDays(-7); day < Sunday; day = day.AddDays(1))
        {
            Assert.Empty(await _bed.Events.ReadStreamAsync(new StreamId(Daily, day), CancellationToken.None));
        }
    }

    [Fact]
    public async Task Collect_WhenTheEarlierDayIsUnchanged_RecordsNothingThere()
    {
        AnswerWith(sunday: 310.20m, sundayEstimated: false);
        await Collector().Handle(new CollectCostSnapshot(Request(Trigger.Scheduled, "scheduled-2026-11-22", Sunday), "c", "w"), CancellationToken.None);

        await Collector().Handle(new CollectCostSnapshot(Request(Trigger.Scheduled, "scheduled-2026-11-23", Monday), "c", "w"), CancellationToken.None);

        Assert.Single(await _bed.Events.ReadStreamAsync(new StreamId(Daily, Sunday), CancellationToken.None));
        Assert.Empty((await _bed.Events.LoadAsync(new StreamId(Daily, Monday), CancellationToken.None)).LatestSnapshot!.Restated);
    }

    [Fact]
    public async Task Collect_WhenAnotherWriterAppendsToTheEarlierDayFirst_SkipsItAndStillCollects()
    {
        AnswerWith(sunday: 310.20m, sundayEstimated: true);
        await Collector().Handle(new CollectCostSnapshot(Request(Trigger.Scheduled, "scheduled-2026-11-22", Sunday), "c", "w"), CancellationToken.None);
        AnswerWith(sunday: 322.75m, sundayEstimated: false);
        var racing = new RacingStore(_bed.Events, new StreamId(Daily, Sunday));

        var monday = await Collector(racing).Handle(new CollectCostSnapshot(Request(Trigger.Scheduled, "scheduled-2026-11-23", Monday), "c", "w"), CancellationToken.None);

        Assert.Equal(CollectOutcome.Collected, monday.Outcome);
        var sunday = await _bed.Events.ReadStreamAsync(new StreamId(Daily, Sunday), CancellationToken.None);
        Assert.Equal([EventTypes.NameOf<CostSnapshotCollected>(), EventTypes.NameOf<NotificationSent>()], sunday.Select(e => e.Type));
        Assert.Empty((await _bed.Events.LoadAsync(new StreamId(Daily, Monday), CancellationToken.None)).LatestSnapshot!.Restated);
    }

    [Fact]
    public async Task Collect_RetriedAfterRestatingButBeforeRecording_ListsTheRevisionWithoutAppendingItTwice()
    {
        AnswerWith(sunday: 310.20m, sundayEstimated: true);
        await Collector().Handle(new CollectCostSnapshot(Request(Trigger.Scheduled, "scheduled-2026-11-22", Sunday), "c", "w"), CancellationToken.None);
        AnswerWith(sunday: 322.75m, sundayEstimated: false);
        var failing = new FailingAppendStore(_bed.Events) { FailAppendsTo = new StreamId(Daily, Monday) };
        var request = Request(Trigger.Scheduled, "scheduled-2026-11-23", Monday);

        await Assert.ThrowsAsync<TimeoutException>(async () => await Collector(failing).Handle(new CollectCostSnapshot(request, "c", "w1"), CancellationToken.None));
        await Collector().Handle(new CollectCostSnapshot(request, "c", "w2"), CancellationToken.None);

        Assert.Equal(2, (await _bed.Events.ReadStreamAsync(new StreamId(Daily, Sunday), CancellationToken.None)).Count);
        var mondaySnapshot = (await _bed.Events.LoadAsync(new StreamId(Daily, Monday), CancellationToken.None)).LatestSnapshot!;
        Assert.Equal([new RestatedPeriod("2026-11-22", 310.20m, 322.75m, 2)], mondaySnapshot.Restated);
    }

    [Fact]
    public async Task Notify_SendsEachRecipientOnce_AndARedeliveryNone()
    {
        var ready = await CollectAsync();
        var notifier = Notifier();

        var first = await notifier.Handle(new SendReportEmail(ready, "c", "w1"), CancellationToken.None);
        var again = await notifier.Handle(new SendReportEmail(ready, "c", "w2"), CancellationToken.None);

        Assert.Equal(["a@example.com", "b@example.com"], first.Sent);
        Assert.Empty(again.Sent);
        Assert.Equal(2, again.AlreadySent.Count);
        Assert.Equal(2, _bed.Email.Sent.Count);
        Assert.DoesNotContain(_bed.Email.Sent, e => e.Subject.Contains('\n', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Notify_ARejectedRecipient_IsRecordedAndFailsPermanently_WhileTheOthersAreSent()
    {
        var ready = await CollectAsync();
        _bed.Email.Rejecting.Add("b@example.com");

        var error = await Assert.ThrowsAsync<EmailRejectedException>(async () => await Notifier().Handle(new SendReportEmail(ready, "c", "w1"), CancellationToken.None));

        Assert.Contains("b@example.com", error.Message, StringComparison.Ordinal);
        Assert.Equal(["a@example.com"], _bed.Email.Sent.Select(e => e.To));
        var state = await _bed.Events.LoadAsync(Stream, CancellationToken.None);
        Assert.True(state.WasSent(ready.RequestId, "a@example.com"));
        Assert.True(state.Failed.ContainsKey((ready.RequestId.Value, "b@example.com")));
    }

    [Fact]
    public async Task Notify_WhenTheRecordFailsAfterSending_KeepsTheClaimSoARetryCannotResendUntilItExpires()
    {
        var ready = await CollectAsync();
        var failingStore = new FailingAppendStore(_bed.Events) { FailNotificationRecords = true };
        var clock = new ObservedClock(_bed.Time);
        var notifier = Notifier(failingStore, clock);

        await Assert.ThrowsAnyAsync<TimeoutException>(() => clock.AdvanceWhileWaitingAsync(notifier.Handle(new SendReportEmail(ready, "c", "w1"), CancellationToken.None).AsTask()));
        failingStore.FailNotificationRecords = false;
        await Assert.ThrowsAsync<ClaimHeldException>(async () => await notifier.Handle(new SendReportEmail(ready, "c", "w2"), CancellationToken.None));

        // The retry sent the recipient nobody had claimed, and left the claimed one alone.
        Assert.Equal(["a@example.com", "b@example.com"], _bed.Email.Sent.Select(e => e.To));
        _bed.Time.Advance(TimeSpan.FromMinutes(3));
        await notifier.Handle(new SendReportEmail(ready, "c", "w3"), CancellationToken.None);

        // The documented window: the provider accepted the first email but it was never recorded.
        Assert.Equal(3, _bed.Email.Sent.Count);
        Assert.Equal(2, _bed.Email.Sent.Count(e => e.To == "a@example.com"));
    }

    [Fact]
    public async Task Notify_WhenSesReportedAcceptingAnUnrecordedEmail_RecordsItInsteadOfSendingAgain()
    {
        var ready = await CollectAsync();
        var failingStore = new FailingAppendStore(_bed.Events) { FailNotificationRecords = true };
        var clock = new ObservedClock(_bed.Time);
        await Assert.ThrowsAnyAsync<TimeoutException>(() => clock.AdvanceWhileWaitingAsync(Notifier(failingStore, clock).Handle(new SendReportEmail(ready, "c", "w1"), CancellationToken.None).AsTask()));
        var accepted = new NotificationAccepted
        {
            ReportId = ready.ReportId.Value,
            Date = ready.Period.ToString(),
            RequestId = ready.RequestId.Value,
            Recipient = "a@example.com",
            ProviderMessageId = "ses-1",
            OccurredAt = _bed.Time.GetUtcNow(),
        };
        var before = await _bed.Events.LoadAsync(Stream, CancellationToken.None);
        await _bed.Events.AppendAsync(Stream, before, accepted, _bed.Time.GetUtcNow(), CancellationToken.None);

        // Once the dead sender's claim has expired, the retry finds SES's Send report and records instead of sending.
        _bed.Time.Advance(TimeSpan.FromMinutes(3));
        var result = await Notifier().Handle(new SendReportEmail(ready, "c", "w2"), CancellationToken.None);

        // a@ once (by the dead sender), b@ once (by the retry): no second email to a@.
        Assert.Equal(["a@example.com", "b@example.com"], _bed.Email.Sent.Select(e => e.To));
        Assert.Contains("a@example.com", result.AlreadySent);
        var state = await _bed.Events.LoadAsync(Stream, CancellationToken.None);
        Assert.Equal("ses-1", state.Sent[(ready.RequestId.Value, "a@example.com")].ProviderMessageId);
        Assert.True(state.WasSent(ready.RequestId, "b@example.com"));
    }

    [Fact]
    public async Task Notify_ChatDestinations_ArePostedOncePerRequest_AndARedeliveryPostsNone()
    {
        var ready = await CollectAsync();
        var notifier = Notifier(catalog: WithChannels);

        var first = await notifier.Handle(new SendReportEmail(ready, "c", "w1"), CancellationToken.None);
        var again = await notifier.Handle(new SendReportEmail(ready, "c", "w2"), CancellationToken.None);

        Assert.Equal(["a@example.com", "b@example.com", "slack:ops", "teams:finops"], first.Sent);
        Assert.Empty(again.Sent);
        Assert.Equal(4, again.AlreadySent.Count);
        Assert.Equal(["slack:ops", "teams:finops"], _bed.Chat.Sent.Select(m => m.Channel.Key));
        Assert.Contains("\"blocks\"", _bed.Chat.Sent[0].Payload, StringComparison.Ordinal);
        Assert.Contains("AdaptiveCard", _bed.Chat.Sent[1].Payload, StringComparison.Ordinal);
        Assert.All(_bed.Chat.Sent, m => Assert.Equal(ready.RequestId.Value, m.Tags["request"]));
        var state = await _bed.Events.LoadAsync(Stream, CancellationToken.None);
        Assert.Equal("chat-000001", state.Sent[(ready.RequestId.Value, "slack:ops")].ProviderMessageId);
    }

    [Fact]
    public async Task Notify_ARevokedChatDestination_IsRecordedAndFailsPermanently_WhileTheOthersAreSent()
    {
        var ready = await CollectAsync();
        _bed.Chat.Rejecting.Add("slack:ops");

        var error = await Assert.ThrowsAsync<ChatRejectedException>(async () =>
            await Notifier(catalog: WithChannels).Handle(new SendReportEmail(ready, "c", "w1"), CancellationToken.None));

        Assert.Contains("slack:ops", error.Message, StringComparison.Ordinal);
        Assert.Equal("Rejected: " + error.Message, SqsBatchProcessor.PermanentFailure(error));
        Assert.Equal(["teams:finops"], _bed.Chat.Sent.Select(m => m.Channel.Key));
        Assert.Equal(2, _bed.Email.Sent.Count);
        var state = await _bed.Events.LoadAsync(Stream, CancellationToken.None);
        Assert.True(state.Failed.ContainsKey((ready.RequestId.Value, "slack:ops")));
        Assert.False(state.WasSent(ready.RequestId, "slack:ops"));
    }

    [Fact]
    public async Task Notify_ADestinationThatIsDown_DoesNotHoldBackTheOthers_AndTheRetrySendsOnlyIt()
    {
        var ready = await CollectAsync();
        _bed.Chat.Unavailable.Add("slack:ops");

        await Assert.ThrowsAsync<HttpRequestException>(async () =>
            await Notifier(catalog: WithChannels).Handle(new SendReportEmail(ready, "c", "w1"), CancellationToken.None));

        Assert.Equal(["teams:finops"], _bed.Chat.Sent.Select(m => m.Channel.Key));
        Assert.Equal(2, _bed.Email.Sent.Count);
        _bed.Chat.Unavailable.Clear();
        _bed.Time.Advance(TimeSpan.FromMinutes(3));
        var retry = await Notifier(catalog: WithChannels).Handle(new SendReportEmail(ready, "c", "w2"), CancellationToken.None);

        Assert.Equal(["slack:ops"], retry.Sent);
        Assert.Equal(["teams:finops", "slack:ops"], _bed.Chat.Sent.Select(m => m.Channel.Key));
        Assert.Equal(2, _bed.Email.Sent.Count);
    }

    [Fact]
    public async Task Notify_ASnapshotVersionThatDoesNotExist_IsPoison()
    {
        var ready = await CollectAsync();

        await Assert.ThrowsAsync<PoisonMessageException>(async () =>
            await Notifier().Handle(new SendReportEmail(ready with { SnapshotVersion = 9 }, "c", "w"), CancellationToken.None));
    }

    private static ReportRequested Request(Trigger trigger, string requestId, ReportDate? date = null) =>
        new(Daily, date ?? ReportDate.Parse("2026-11-24"), trigger, RequestId.Parse(requestId));

    /// <summary>
    /// Cost Explorer's answer for every day asked: $100 of EC2 a day, final; Sunday as given (EC2 plus $10.20 of S3);
    /// Monday $290, estimated.
    /// </summary>
    private void AnswerWith(decimal sunday, bool sundayEstimated) =>
        _bed.Costs.Transform = (query, result) => new CostQueryResult(
            query.Period.EachDay().Select(day =>
                day == Sunday ? new DailyCost(day, sundayEstimated, [new GroupCost("EC2", sunday - 10.20m, "USD"), new GroupCost("S3", 10.20m, "USD")])
                : day == Monday ? new DailyCost(day, true, [new GroupCost("EC2", 290m, "USD")])
                : new DailyCost(day, false, [new GroupCost("EC2", 100m, "USD")])).ToList(),
            result.Requests);

    private async Task<CostSnapshotReady> CollectAsync()
    {
        var request = Request(Trigger.Scheduled, "scheduled-2026-11-24");
        var result = await Collector().Handle(new CollectCostSnapshot(request, "c", "w"), CancellationToken.None);
        return new CostSnapshotReady(request.ReportId, request.Period, result.SnapshotVersion, request.RequestId, request.Trigger);
    }

    private CollectCostSnapshotHandler Collector(IEventStore? store = null)
    {
        store ??= _bed.Events;
        return new(
            store, _bed.Claims, _bed.Costs, _bed.Publisher, HandlerTestBed.Catalog, new CollectorOptions(), new Restatements(store, NullLogger<Restatements>.Instance),
            new MonthForecastLookup(store, HandlerTestBed.Catalog),
            _bed.Time, PipelineMetrics.None, NullLogger<CollectCostSnapshotHandler>.Instance);
    }

    // The notifier backs off between record attempts on its clock: a test that makes it retry gives it an ObservedClock.
    private SendReportEmailHandler Notifier(IEventStore? store = null, TimeProvider? time = null, ReportCatalog? catalog = null) =>
        new(store ?? _bed.Events, _bed.Claims, _bed.Email, _bed.Chat, new ReportEmailRenderer(), new ReportChatRenderer(), catalog ?? HandlerTestBed.Catalog, new NotifierOptions("costs@example.com"), time ?? _bed.Time, PipelineMetrics.None, NullLogger<SendReportEmailHandler>.Instance);

    private sealed class FailingAppendStore(IEventStore inner) : IEventStore
    {
        public bool FailNotificationRecords { get; set; }

        public StreamId? FailAppendsTo { get; init; }

        public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(StreamId stream, CancellationToken cancellationToken) => inner.ReadStreamAsync(stream, cancellationToken);

        public Task<long> AppendAsync(StreamId stream, ExpectedVersion expected, NewEvent @event, CancellationToken cancellationToken) =>
            (FailNotificationRecords && @event.Type == EventTypes.NameOf<NotificationSent>()) || stream == FailAppendsTo
                ? throw new TimeoutException("store unavailable (injected)")
                : inner.AppendAsync(stream, expected, @event, cancellationToken);
    }

    /// <summary>Lets another writer append to <paramref name="contested"/> just before this one's first append there.</summary>
    private sealed class RacingStore(IEventStore inner, StreamId contested) : IEventStore
    {
        private bool _raced;

        public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(StreamId stream, CancellationToken cancellationToken) => inner.ReadStreamAsync(stream, cancellationToken);

        public async Task<long> AppendAsync(StreamId stream, ExpectedVersion expected, NewEvent @event, CancellationToken cancellationToken)
        {
            if (stream == contested && !_raced)
            {
                _raced = true;
                var other = new NotificationSent(contested.Report.Value, contested.Period.ToString(), "scheduled-2026-11-22", "a@example.com", 1, "ses-1", "Daily", DateTimeOffset.UnixEpoch);
                await inner.AppendAsync(stream, expected, EventTypes.ToNewEvent(other, DateTimeOffset.UnixEpoch), cancellationToken);
            }

            return await inner.AppendAsync(stream, expected, @event, cancellationToken);
        }
    }
}
