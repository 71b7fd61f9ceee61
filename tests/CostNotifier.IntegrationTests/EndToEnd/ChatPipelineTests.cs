using System.Text.Json;
using System.Text.RegularExpressions;
using CostNotifier.Events;
using CostNotifier.IntegrationTests.Chat;
using CostNotifier.IntegrationTests.Emulators;
using Xunit.Sdk;

namespace CostNotifier.IntegrationTests.EndToEnd;

/// <summary>
/// A report with email recipients and Slack and Teams destinations, through the real scheduler, collector and
/// notifier on the emulators: the webhook URLs and the bot token come from SSM (<see cref="SsmParameterServer"/>), the
/// posts go to stubs that check them as Slack and Teams would (<see cref="ChatServiceStub"/>).
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ChatPipelineTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private const string Day = "2026-11-24";
    private const string Request = "scheduled-2026-11-24";
    private static readonly DateTimeOffset ScheduledTime = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private EmulatedPipeline _pipeline = null!;
    private ChatDestinationStubs _chat = null!;

    private string Report => $"chat-{_suffix}";

    private string Finops => $"finops-{_suffix}@example.com";

    private string Platform => $"platform-{_suffix}@example.com";

    private string ReportsJson =>
        $$"""[{"id":"{{Report}}","name":"By service","recipients":["{{Finops}}","{{Platform}}"],"groupBy":"SERVICE","channels":{{_chat.ChannelsJson}}}]""";

    public async Task InitializeAsync()
    {
        _pipeline = await EmulatedPipeline.CreateAsync(emulators, ScheduledTime);
        _chat = ChatDestinationStubs.Start(_pipeline.Time);
    }

    public async Task DisposeAsync()
    {
        await _chat.DisposeAsync();
        await _pipeline.DisposeAsync();
    }

    [Fact]
    public async Task ChatDestinations_RunThroughTheFunctions_OncePerRequestAndDestination()
    {
        // Arrange: one container per function for two days; each day the schedule fires twice, and every batch of the
        // notifier queue is delivered twice.
        var functions = _pipeline.Functions(ReportsJson, _chat.Settings, _chat.Endpoints, deliverNotifierMessagesTwice: true);
        var nextDay = ScheduledTime.AddDays(1);

        // Act
        await RunScheduleFiringTwiceAsync(functions, ScheduledTime);
        var firstDayPosts = (_chat.SlackWebhook.Requests.Count, _chat.SlackApi.Requests.Count, _chat.Teams.Requests.Count);
        _pipeline.Time.SetUtcNow(nextDay);
        await RunScheduleFiringTwiceAsync(functions, nextDay);

        // Assert: one well-formed post per day and destination, at the address SSM holds for it.
        Assert.Equal((1, 1, 1), firstDayPosts);
        Assert.Empty(_chat.SlackWebhook.Problems.Concat(_chat.SlackApi.Problems).Concat(_chat.Teams.Problems));
        Assert.Equal(2, _chat.SlackWebhook.Requests.Count);
        Assert.Equal(2, _chat.SlackApi.Requests.Count);
        Assert.Equal(2, _chat.Teams.Requests.Count);
        Assert.All(_chat.SlackWebhook.Requests, p => Assert.Equal(new Uri(_chat.SlackWebhookUrl).PathAndQuery, p.Request.PathAndQuery));
        Assert.All(_chat.Teams.Requests, p => Assert.Equal(new Uri(_chat.TeamsWebhookUrl).PathAndQuery, p.Request.PathAndQuery));

        foreach (var (day, request, post) in new[] { (Day, Request, 0), ("2026-11-25", "scheduled-2026-11-25", 1) })
        {
            var events = await _pipeline.EventsOfAsync(Report, day);
            var sent = events.OfType<NotificationSent>().ToList();
            var subject = sent.First(s => s.Recipient == Finops).Subject;
            AssertSlackMessage(_chat.SlackWebhook.Requests[post], subject);
            AssertSlackMessage(_chat.SlackApi.Requests[post], subject);
            AssertTeamsCard(_chat.Teams.Requests[post], subject);

            // The day's emails reached SES, and its stream holds one NotificationSent per destination for its request.
            var emails = (await _pipeline.EmailsToAsync(Finops, Platform)).Where(e => e.GetProperty("subject").GetString() == subject).ToList();
            Assert.Equal(2, emails.Count);
            Assert.Equal(
                new[] { Finops, Platform }.Concat(ChatDestinationStubs.Keys).Order(StringComparer.Ordinal),
                sent.Select(s => s.Recipient).Order(StringComparer.Ordinal));
            Assert.All(sent, s => Assert.Equal(request, s.RequestId));
            Assert.Empty(events.OfType<NotificationFailed>());
        }

        // The duplicates did reach the notifier; the one container asked SSM once per parameter over both days.
        Assert.True(functions.Notifier.Deliveries >= 4, $"the notifier saw {functions.Notifier.Deliveries} deliveries");
        Assert.Equal(0, functions.Notifier.Deliveries % 2);
        Assert.Equal(1, _chat.SsmReadsOf(_chat.SlackParameter));
        Assert.Equal(1, _chat.SsmReadsOf(_chat.BotParameter));
        Assert.Equal(1, _chat.SsmReadsOf(_chat.TeamsParameter));
        Assert.Equal(3, _chat.Ssm.Requests.Count);
        Assert.Equal(0, await _pipeline.DepthAsync(_pipeline.Queues.CollectorDeadLetter) + await _pipeline.DepthAsync(_pipeline.Queues.NotifierDeadLetter));
    }

    [Fact]
    public async Task ChatDestinationRevoked_GoesToTheNotifierDlqWithAReasonNamingItNotTheSecret()
    {
        // Arrange: the Slack webhook has been removed; Slack answers its URL with 404 no_service.
        _chat.SlackWebhook.Then(ChatServiceStub.SlackWebhookAnswer(404, "no_service"));
        var functions = _pipeline.Functions(ReportsJson, _chat.Settings, _chat.Endpoints);

        // Act
        await functions.RunScheduleAsync(ScheduledTime);

        // Assert: the function moved the message at once, with a reason naming the destination and Slack's code.
        var slackKey = "slack:" + ChatDestinationStubs.SlackName;
        var dead = Assert.Single(await _pipeline.DeadLettersAsync(_pipeline.Queues.NotifierDeadLetter, expected: 1));
        Assert.NotNull(dead.Reason);
        Assert.Contains(slackKey, dead.Reason, StringComparison.Ordinal);
        Assert.Contains("no_service", dead.Reason, StringComparison.Ordinal);
        Assert.Contains(_chat.SlackParameter, dead.Reason, StringComparison.Ordinal);
        Assert.Equal(1, functions.Notifier.Deliveries);

        var events = await _pipeline.EventsOfAsync(Report, Day);
        var failed = Assert.Single(events.OfType<NotificationFailed>());
        Assert.Equal(slackKey, failed.Recipient);
        Assert.Contains("no_service", failed.Reason, StringComparison.Ordinal);

        // Every other destination was still sent to, once.
        Assert.Equal(
            new[] { Finops, Platform, "slack:" + ChatDestinationStubs.BotName, "teams:" + ChatDestinationStubs.TeamsName }.Order(StringComparer.Ordinal),
            events.OfType<NotificationSent>().Select(s => s.Recipient).Order(StringComparer.Ordinal));
        Assert.Single(_chat.SlackWebhook.Requests);
        Assert.Single(_chat.SlackApi.Requests);
        Assert.Single(_chat.Teams.Requests);
        Assert.Equal(2, (await _pipeline.EmailsToAsync(Finops, Platform)).Count);

        // The secrets are nowhere: not in a log line, the dead letter's body or attributes, or a stored event.
        Assert.Contains(slackKey, _pipeline.Written, StringComparison.Ordinal);
        var everywhere = string.Join('\n', dead.Body, string.Join('\n', dead.Attributes.Values), await _pipeline.EverythingLeftBehindAsync());
        Assert.All(_chat.SecretsAndTheirParts(), secret => Assert.DoesNotContain(secret, everywhere, StringComparison.Ordinal));
    }

    // Slack's one post per second and destination is kept on the test clock, which stands still within a day: a
    // second post to one destination that day waits for ever, so a duplicate shows up as the queues never emptying.
    private async Task RunScheduleFiringTwiceAsync(PipelineFunctions functions, DateTimeOffset time)
    {
        await EmulatedPipeline.InvokeAsync(functions.Scheduler.HandleAsync, EmulatedPipeline.ScheduledEvent(time));
        try
        {
            await functions.RunScheduleAsync(time);
        }
        catch (TimeoutException ex)
        {
            throw new XunitException(
                $"{ex.Message} Posts so far: Slack webhook {_chat.SlackWebhook.Requests.Count}, Slack API {_chat.SlackApi.Requests.Count}, "
                + $"Teams {_chat.Teams.Requests.Count}; a post waiting for an earlier one to the same destination never ends.");
        }
    }

    private static void AssertSlackMessage(ReceivedChatRequest post, string subject)
    {
        using var json = post.Json();
        var root = json.RootElement;
        Assert.StartsWith(subject, root.GetProperty("text").GetString(), StringComparison.Ordinal);
        var blocks = root.GetProperty("blocks");
        Assert.InRange(blocks.GetArrayLength(), 1, 50);
        Assert.All(blocks.EnumerateArray(), b => Assert.Equal(JsonValueKind.String, b.GetProperty("type").ValueKind));
    }

    private static void AssertTeamsCard(ReceivedChatRequest post, string subject)
    {
        using var json = post.Json();
        var attachment = Assert.Single(json.RootElement.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.NotEqual(0, card.GetProperty("body").GetArrayLength());

        // The card states the day's total, as the subject does.
        var total = Regex.Match(subject, @"\$[0-9,]+\.[0-9]{2}").Value;
        Assert.NotEmpty(total);
        Assert.Contains(Texts(card), t => t.Contains(total, StringComparison.Ordinal));
    }

    private static IEnumerable<string> Texts(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Texts(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Texts),
        _ => [],
    };
}
