using System.Collections.Concurrent;
using System.Globalization;
using Amazon.Runtime;
using CostNotifier.Aws;
using CostNotifier.Aws.Hosting;
using CostNotifier.Aws.Ssm;
using CostNotifier.Domain;
using CostNotifier.IntegrationTests.CostExplorer;
using CostNotifier.Notifications;
using CostNotifier.Notifier.Chat;
using CostNotifier.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.IntegrationTests.Chat;

/// <summary>
/// The production chat sender over real HTTP against stand-ins for a Slack incoming webhook, Slack's
/// <c>chat.postMessage</c> and a Teams Workflows webhook: what is sent, which answers are final and which are
/// retried, the per-destination pace on a fake clock, and that no URL or token ever reaches a log line or exception.
/// </summary>
public sealed class ChatWebhookSenderTests : IAsyncLifetime
{
    private const string SlackPayload =
        """{"text":"AWS cost 2026-11-24: $1,234.56","blocks":[{"type":"header","text":{"type":"plain_text","text":"AWS cost 2026-11-24"}},{"type":"section","text":{"type":"mrkdwn","text":"*Total* $1,234.56 (+3.2%)"}}]}""";

    private const string TeamsPayload =
        """{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,"content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.4","body":[{"type":"TextBlock","text":"AWS cost 2026-11-24: $1,234.56"}]}}]}""";

    private static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly ChatChannel Webhook = new("platform-alerts", ChatChannelKind.SlackWebhook, "/costnotifier/chat/platform-alerts");
    private static readonly ChatChannel OtherWebhook = new("finops", ChatChannelKind.SlackWebhook, "/costnotifier/chat/finops");
    private static readonly ChatChannel Bot = new("finops-bot", ChatChannelKind.SlackBot, "/costnotifier/chat/finops-bot", ChatServiceStub.SlackChannelId);
    private static readonly ChatChannel Teams = new("finance", ChatChannelKind.TeamsWorkflow, "/costnotifier/chat/finance");

    private readonly FakeTimeProvider _time = new(Start);
    private readonly RecordingLogger<ChatWebhookSender> _logger = new();
    private readonly InMemorySecrets _secrets = new();
    private readonly string _webhookKey = Guid.NewGuid().ToString("N")[..24];
    private readonly string _teamsSignature = Guid.NewGuid().ToString("N");
    private readonly string _botToken = "xoxb-2001-7002-" + Guid.NewGuid().ToString("N");
    private readonly List<IAsyncDisposable> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task SlackWebhook_WhenSlackSaysOk_PostsThePayloadAsItIs_AndReturnsAMadeUpId()
    {
        var slack = Serve(ChatServiceStub.SlackWebhook(_time));
        using var sender = CreateSender(slack);

        var id = await sender.SendAsync(Message(Webhook, SlackPayload), CancellationToken.None);

        Assert.Matches("^slack-webhook:[0-9a-f]{32}$", id);
        Assert.Empty(slack.Problems);
        var request = Assert.Single(slack.Requests).Request;
        Assert.Equal($"/services/T0001/B0002/{_webhookKey}", request.PathAndQuery);
        Assert.Equal(SlackPayload, System.Text.Encoding.UTF8.GetString(request.Body));
        Assert.Null(request.Header("Authorization"));
        Assert.Contains(_logger.Entries, e => e.Message == "Posted a report message to slack:platform-alerts (HTTP 200)");
    }

    [Theory]
    [InlineData(400, "invalid_payload", false)]
    [InlineData(400, "no_text", false)]
    [InlineData(400, "too_many_attachments", false)]
    [InlineData(403, "action_prohibited", true)]
    [InlineData(403, "invalid_token", true)]
    [InlineData(404, "no_service", true)]
    [InlineData(404, "channel_not_found", true)]
    [InlineData(410, "channel_is_archived", true)]
    [InlineData(410, "no_service", true)]
    public async Task SlackWebhook_WhenSlackRefuses_IsRejectedWithTheCode_AndForgetsARevokedUrl(int status, string code, bool revoked)
    {
        var slack = Serve(ChatServiceStub.SlackWebhook(_time)).Then(ChatServiceStub.SlackWebhookAnswer(status, code));
        using var sender = CreateSender(slack);

        var error = await Assert.ThrowsAsync<ChatRejectedException>(() => sender.SendAsync(Message(Webhook, SlackPayload), CancellationToken.None));

        Assert.StartsWith($"slack:platform-alerts refused the message ({code}, HTTP {status.ToString(CultureInfo.InvariantCulture)})", error.Message, StringComparison.Ordinal);
        Assert.Single(slack.Requests);
        Assert.Equal(revoked, _secrets.Forgotten.Contains(Webhook.SecretParameter));
        AssertNothingSecretShown(error);
    }

    [Theory]
    [InlineData(500, "rollup_error")]
    [InlineData(502, "")]
    [InlineData(503, "")]
    public async Task SlackWebhook_OnAServerError_FailsAsTransient(int status, string body)
    {
        var slack = Serve(ChatServiceStub.SlackWebhook(_time)).Then(ChatServiceStub.SlackWebhookAnswer(status, body));
        using var sender = CreateSender(slack);

        var error = await Assert.ThrowsAsync<ChatDeliveryException>(() => sender.SendAsync(Message(Webhook, SlackPayload), CancellationToken.None));

        Assert.Contains("slack:platform-alerts", error.Message, StringComparison.Ordinal);
        Assert.Contains($"HTTP {status.ToString(CultureInfo.InvariantCulture)}", error.Message, StringComparison.Ordinal);
        Assert.IsNotType<ChatThrottledException>(error);
        AssertNothingSecretShown(error);
    }

    [Fact]
    public async Task SlackWebhook_WhenRateLimitedBriefly_WaitsRetryAfterOnTheClock_AndPostsOnceMore()
    {
        var slack = Serve(ChatServiceStub.SlackWebhook(_time))
            .Then(ChatServiceStub.SlackWebhookAnswer(429, "rate_limited").WithHeader("Retry-After", "3"));
        using var sender = CreateSender(slack);

        var id = await AdvancingClock(sender.SendAsync(Message(Webhook, SlackPayload), CancellationToken.None));

        Assert.StartsWith("slack-webhook:", id, StringComparison.Ordinal);
        Assert.Equal(2, slack.Requests.Count);
        Assert.True(slack.Requests[1].ReceivedAt - slack.Requests[0].ReceivedAt >= TimeSpan.FromSeconds(3));
        Assert.Empty(slack.Problems);
    }

    [Fact]
    public async Task SlackWebhook_WhenStillRateLimitedAfterTheWait_ThrowsThrottled()
    {
        var slack = Serve(ChatServiceStub.SlackWebhook(_time)).Then(
            ChatServiceStub.SlackWebhookAnswer(429, "rate_limited").WithHeader("Retry-After", "2"),
            ChatServiceStub.SlackWebhookAnswer(429, "rate_limited").WithHeader("Retry-After", "2"));
        using var sender = CreateSender(slack);

        var error = await Assert.ThrowsAsync<ChatThrottledException>(
            () => AdvancingClock(sender.SendAsync(Message(Webhook, SlackPayload), CancellationToken.None)));

        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
        Assert.Equal(2, slack.Requests.Count);
    }

    [Fact]
    public async Task SlackWebhook_WhenRateLimitedForLong_ThrowsThrottledAtOnce_SoTheQueueRetriesLater()
    {
        var slack = Serve(ChatServiceStub.SlackWebhook(_time))
            .Then(ChatServiceStub.SlackWebhookAnswer(429, "rate_limited").WithHeader("Retry-After", "30"));
        using var sender = CreateSender(slack);

        var error = await Assert.ThrowsAsync<ChatThrottledException>(() => sender.SendAsync(Message(Webhook, SlackPayload), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Equal("slack:platform-alerts is rate limited (rate_limited, HTTP 429): retry after 30 s.", error.Message);
        Assert.Single(slack.Requests);
        Assert.IsAssignableFrom<ChatDeliveryException>(error);
    }

    [Theory]
    [InlineData("http://hooks.slack.com/services/T0001/B0002/abcdefabcdefabcdefabcdef")]
    [InlineData("hooks.slack.com/services/T0001/B0002/abcdefabcdefabcdefabcdef")]
    [InlineData("ftp://hooks.slack.com/services/T0001/B0002/abcdefabcdefabcdefabcdef")]
    public async Task SlackWebhook_ToAUrlThatIsNotHttps_IsRefusedWithoutPosting(string url)
    {
        _secrets.Set(Webhook.SecretParameter, url);
        using var sender = new ChatWebhookSender(_secrets, new ChatWebhookOptions { AllowHttpToLoopback = true }, _time, _logger);

        var error = await Assert.ThrowsAsync<ChatRejectedException>(() => sender.SendAsync(Message(Webhook, SlackPayload), CancellationToken.None));

        Assert.Contains("slack:platform-alerts", error.Message, StringComparison.Ordinal);
        Assert.Contains(Webhook.SecretParameter, error.Message, StringComparison.Ordinal);
        Assert.Contains("https", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdefabcdef", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlackWebhook_ToAPlainHttpLoopbackUrl_IsRefusedUnlessTestsAllowIt()
    {
        var slack = Serve(ChatServiceStub.SlackWebhook(_time));
        SetSecrets(slack);
        using var sender = new ChatWebhookSender(_secrets, new ChatWebhookOptions(), _time, _logger);

        await Assert.ThrowsAsync<ChatRejectedException>(() => sender.SendAsync(Message(Webhook, SlackPayload), CancellationToken.None));

        Assert.Empty(slack.Requests);
    }

    [Fact]
    public async Task SlackWebhook_WhenNothingListens_FailsAsTransient_WithoutTheUrl()
    {
        _secrets.Set(Webhook.SecretParameter, $"http://127.0.0.1:{LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture)}/services/T0001/B0002/{_webhookKey}");
        using var sender = new ChatWebhookSender(_secrets, new ChatWebhookOptions { AllowHttpToLoopback = true }, _time, _logger);

        var error = await Assert.ThrowsAsync<ChatDeliveryException>(() => sender.SendAsync(Message(Webhook, SlackPayload), CancellationToken.None));

        Assert.StartsWith("slack:platform-alerts could not be reached", error.Message, StringComparison.Ordinal);
        AssertNothingSecretShown(error);
    }

    [Fact]
    public async Task TeamsWorkflow_ThatNeverAnswers_TimesOutAsTransient()
    {
        var hanging = ConcurrentHttpListener.Start((_, stopping) => Task.Delay(Timeout.Infinite, stopping));
        _servers.Add(hanging);
        _secrets.Set(Teams.SecretParameter, $"{hanging.Url}/workflows/5f1c/triggers/manual/paths/invoke?api-version=1&sig={_teamsSignature}");
        var options = new ChatWebhookOptions { AllowHttpToLoopback = true, RequestTimeout = TimeSpan.FromSeconds(1) };
        using var sender = new ChatWebhookSender(_secrets, options, _time, _logger);

        var error = await Assert.ThrowsAsync<ChatDeliveryException>(() => sender.SendAsync(Message(Teams, TeamsPayload), CancellationToken.None));

        Assert.Equal("teams:finance did not answer within 1 s; it will be retried.", error.Message);
    }

    [Fact]
    public async Task SlackBot_PostsToChatPostMessage_WithTheChannelAndToken_AndReturnsChannelAndTs()
    {
        var api = Serve(ChatServiceStub.SlackApi(_time, _botToken));
        using var sender = CreateSender(slackApi: api);

        var id = await sender.SendAsync(Message(Bot, SlackPayload), CancellationToken.None);

        Assert.Equal($"{ChatServiceStub.SlackChannelId}/{ChatServiceStub.SlackTs}", id);
        Assert.Empty(api.Problems);
        var request = Assert.Single(api.Requests);
        Assert.Equal("/api/chat.postMessage", request.Request.PathAndQuery);
        using var body = request.Json();
        Assert.Equal(ChatServiceStub.SlackChannelId, body.RootElement.GetProperty("channel").GetString());
        Assert.Equal(2, body.RootElement.GetProperty("blocks").GetArrayLength());
        Assert.Equal("AWS cost 2026-11-24: $1,234.56", body.RootElement.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("channel_not_found", false)]
    [InlineData("not_in_channel", false)]
    [InlineData("is_archived", false)]
    [InlineData("invalid_auth", true)]
    [InlineData("not_authed", true)]
    [InlineData("account_inactive", true)]
    [InlineData("token_revoked", true)]
    [InlineData("token_expired", true)]
    [InlineData("no_permission", false)]
    [InlineData("missing_scope", false)]
    [InlineData("msg_too_long", false)]
    [InlineData("invalid_blocks", false)]
    [InlineData("too_many_attachments", false)]
    public async Task SlackBot_WhenSlackRefuses_IsRejectedWithTheErrorCode(string code, bool revoked)
    {
        var api = Serve(ChatServiceStub.SlackApi(_time, _botToken)).Then(ChatServiceStub.SlackApiError(code));
        using var sender = CreateSender(slackApi: api);

        var error = await Assert.ThrowsAsync<ChatRejectedException>(() => sender.SendAsync(Message(Bot, SlackPayload), CancellationToken.None));

        Assert.StartsWith($"slack:finops-bot refused the message ({code}, HTTP 200)", error.Message, StringComparison.Ordinal);
        Assert.Equal(revoked, _secrets.Forgotten.Contains(Bot.SecretParameter));
        Assert.Single(api.Requests);
        AssertNothingSecretShown(error);
    }

    [Theory]
    [InlineData("fatal", 200)]
    [InlineData("internal_error", 200)]
    [InlineData("service_unavailable", 200)]
    [InlineData("request_timeout", 200)]
    [InlineData("service_unavailable", 503)]
    public async Task SlackBot_OnSlacksOwnTrouble_FailsAsTransient(string code, int status)
    {
        var api = Serve(ChatServiceStub.SlackApi(_time, _botToken)).Then(ChatServiceStub.SlackApiError(code, status));
        using var sender = CreateSender(slackApi: api);

        var error = await Assert.ThrowsAsync<ChatDeliveryException>(() => sender.SendAsync(Message(Bot, SlackPayload), CancellationToken.None));

        Assert.Contains(code, error.Message, StringComparison.Ordinal);
        Assert.Contains("slack:finops-bot", error.Message, StringComparison.Ordinal);
        Assert.Empty(_secrets.Forgotten);
    }

    [Fact]
    public async Task SlackBot_WhenRateLimited_WaitsRetryAfter_AndPostsOnceMore()
    {
        var api = Serve(ChatServiceStub.SlackApi(_time, _botToken))
            .Then(ChatServiceStub.SlackApiError("ratelimited", 429).WithHeader("Retry-After", "1"));
        using var sender = CreateSender(slackApi: api);

        var id = await AdvancingClock(sender.SendAsync(Message(Bot, SlackPayload), CancellationToken.None));

        Assert.Equal($"{ChatServiceStub.SlackChannelId}/{ChatServiceStub.SlackTs}", id);
        Assert.Equal(2, api.Requests.Count);
        Assert.True(api.Requests[1].ReceivedAt - api.Requests[0].ReceivedAt >= TimeSpan.FromSeconds(1));
        Assert.Empty(api.Problems);
    }

    [Fact]
    public async Task SlackBot_WithAWebhookUrlWhereTheTokenShouldBe_IsRefusedWithoutPosting()
    {
        var api = Serve(ChatServiceStub.SlackApi(_time, _botToken));
        using var sender = CreateSender(slackApi: api);
        _secrets.Set(Bot.SecretParameter, $"https://hooks.slack.com/services/T0001/B0002/{_webhookKey}");

        var error = await Assert.ThrowsAsync<ChatRejectedException>(() => sender.SendAsync(Message(Bot, SlackPayload), CancellationToken.None));

        Assert.Contains("bot token", error.Message, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
        AssertNothingSecretShown(error);
    }

    [Fact]
    public async Task TeamsWorkflow_WhenAccepted_PostsTheCard_AndReturnsTheRunId()
    {
        var teams = Serve(ChatServiceStub.TeamsWorkflow(_time));
        using var sender = CreateSender(teams: teams);

        var id = await sender.SendAsync(Message(Teams, TeamsPayload), CancellationToken.None);

        Assert.Equal(ChatServiceStub.TeamsRunId, id);
        Assert.Empty(teams.Problems);
        var request = Assert.Single(teams.Requests).Request;
        Assert.EndsWith($"sig={_teamsSignature}", request.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(TeamsPayload, System.Text.Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task TeamsWorkflow_WhenAcceptedWithoutARunId_ReturnsAMadeUpId()
    {
        var teams = Serve(ChatServiceStub.TeamsWorkflow(_time)).Then(LoopbackResponse.Text(200, "text/plain", string.Empty));
        using var sender = CreateSender(teams: teams);

        var id = await sender.SendAsync(Message(Teams, TeamsPayload), CancellationToken.None);

        Assert.Matches("^teams:[0-9a-f]{32}$", id);
    }

    [Theory]
    [InlineData(400, "InvalidRequestContent")]
    [InlineData(401, "DirectApiAuthorizationRequired")]
    [InlineData(403, "AuthorizationFailed")]
    [InlineData(404, "WorkflowNotFound")]
    public async Task TeamsWorkflow_WhenRefused_IsRejectedWithTheStatusAndCode(int status, string code)
    {
        var teams = Serve(ChatServiceStub.TeamsWorkflow(_time)).Then(ChatServiceStub.TeamsError(status, code));
        using var sender = CreateSender(teams: teams);

        var error = await Assert.ThrowsAsync<ChatRejectedException>(() => sender.SendAsync(Message(Teams, TeamsPayload), CancellationToken.None));

        Assert.StartsWith($"teams:finance refused the message ({code}, HTTP {status.ToString(CultureInfo.InvariantCulture)})", error.Message, StringComparison.Ordinal);
        Assert.Equal(status != 400, _secrets.Forgotten.Contains(Teams.SecretParameter));
        AssertNothingSecretShown(error);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task TeamsWorkflow_OnAServerError_FailsAsTransient(int status)
    {
        var teams = Serve(ChatServiceStub.TeamsWorkflow(_time)).Then(ChatServiceStub.TeamsError(status, "ServiceUnavailable"));
        using var sender = CreateSender(teams: teams);

        var error = await Assert.ThrowsAsync<ChatDeliveryException>(() => sender.SendAsync(Message(Teams, TeamsPayload), CancellationToken.None));

        Assert.Contains($"HTTP {status.ToString(CultureInfo.InvariantCulture)}", error.Message, StringComparison.Ordinal);
        AssertNothingSecretShown(error);
    }

    [Fact]
    public async Task TeamsWorkflow_WhenThrottled_WaitsRetryAfter_AndPostsOnceMore()
    {
        var teams = Serve(ChatServiceStub.TeamsWorkflow(_time)).Then(ChatServiceStub.TeamsError(429, "WorkflowTriggerIsThrottled").WithHeader("Retry-After", "5"));
        using var sender = CreateSender(teams: teams);

        var id = await AdvancingClock(sender.SendAsync(Message(Teams, TeamsPayload), CancellationToken.None));

        Assert.Equal(ChatServiceStub.TeamsRunId, id);
        Assert.True(teams.Requests[1].ReceivedAt - teams.Requests[0].ReceivedAt >= TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Pace_MessagesToOneDestination_AreASecondApartOnTheClock()
    {
        var slack = Serve(ChatServiceStub.SlackWebhook(_time));
        using var sender = CreateSender(slack);

        await sender.SendAsync(Message(Webhook, SlackPayload), CancellationToken.None);
        var second = sender.SendAsync(Message(Webhook, SlackPayload), CancellationToken.None);
        var third = sender.SendAsync(Message(Webhook, SlackPayload), CancellationToken.None);
        await Task.Delay(200);

        Assert.False(second.IsCompleted, "the second message waits for its slot");
        Assert.Single(slack.Requests);
        await AdvancingClock(Task.WhenAll(second, third));
        var arrivals = slack.Requests.Select(r => r.ReceivedAt).Order().ToList();
        Assert.Equal(3, arrivals.Count);
        Assert.True(arrivals[1] - arrivals[0] >= TimeSpan.FromSeconds(1), $"{arrivals[0]:O} then {arrivals[1]:O}");
        Assert.True(arrivals[2] - arrivals[1] >= TimeSpan.FromSeconds(1), $"{arrivals[1]:O} then {arrivals[2]:O}");
        Assert.All(new[] { second, third }, t => Assert.True(t.IsCompletedSuccessfully));
    }

    [Fact]
    public async Task Pace_MessagesToDifferentDestinations_DoNotWaitForEachOther()
    {
        var slack = Serve(ChatServiceStub.SlackWebhook(_time));
        var teams = Serve(ChatServiceStub.TeamsWorkflow(_time));
        var api = Serve(ChatServiceStub.SlackApi(_time, _botToken));
        using var sender = CreateSender(slack, api, teams);

        // The clock never moves: a destination held back by another would never be posted to.
        await Task.WhenAll(
            sender.SendAsync(Message(Webhook, SlackPayload), CancellationToken.None),
            sender.SendAsync(Message(OtherWebhook, SlackPayload), CancellationToken.None),
            sender.SendAsync(Message(Bot, SlackPayload), CancellationToken.None),
            sender.SendAsync(Message(Teams, TeamsPayload), CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(2, slack.Requests.Count);
        Assert.All(slack.Requests.Concat(teams.Requests).Concat(api.Requests), r => Assert.Equal(Start, r.ReceivedAt));
    }

    [Fact]
    public async Task Secrets_NeverAppearInAnyExceptionOrLogLine_WhateverGoesWrong()
    {
        var slack = Serve(ChatServiceStub.SlackWebhook(_time)).Then(
            ChatServiceStub.SlackWebhookAnswer(404, "no_service"),
            ChatServiceStub.SlackWebhookAnswer(500, "rollup_error"),
            ChatServiceStub.SlackWebhookAnswer(429, "rate_limited").WithHeader("Retry-After", "60"));
        var api = Serve(ChatServiceStub.SlackApi(_time, _botToken)).Then(
            ChatServiceStub.SlackApiError("invalid_auth"),
            ChatServiceStub.SlackApiError("internal_error", 500),
            LoopbackResponse.Text(200, "application/json", "<html>not json</html>"));
        var teams = Serve(ChatServiceStub.TeamsWorkflow(_time)).Then(
            ChatServiceStub.TeamsError(401, "DirectApiAuthorizationRequired"),
            ChatServiceStub.TeamsError(502, "BadGateway"));
        using var sender = CreateSender(slack, api, teams);
        var errors = new List<Exception>();

        foreach (var (channel, payload) in new[]
        {
            (Webhook, SlackPayload), (Webhook, SlackPayload), (Webhook, SlackPayload),
            (Bot, SlackPayload), (Bot, SlackPayload), (Bot, SlackPayload),
            (Teams, TeamsPayload), (Teams, TeamsPayload),
        })
        {
            errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => AdvancingClock(sender.SendAsync(Message(channel, payload), CancellationToken.None))));
        }

        _secrets.Set(OtherWebhook.SecretParameter, $"http://127.0.0.1:{LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture)}/services/T0001/B0002/{_webhookKey}");
        errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(Message(OtherWebhook, SlackPayload), CancellationToken.None)));

        Assert.Equal(9, errors.Count);
        Assert.All(errors, AssertNothingSecretShown);
        Assert.NotEmpty(_logger.Entries);
        foreach (var entry in _logger.Entries)
        {
            foreach (var text in entry.Properties.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty).Append(entry.Message))
            {
                AssertNoSecretIn(text);
            }
        }

        Assert.DoesNotContain(_botToken, sender.ToString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithSecretsFromSsm_TheWebhookUrlIsReadOnce_AndNeverLogged()
    {
        var slack = Serve(ChatServiceStub.SlackWebhook(_time));
        var ssm = SsmParameterServer.Start();
        _servers.Add(ssm);
        var url = $"{slack.Url}/services/T0001/B0002/{_webhookKey}";
        ssm.With(Webhook.SecretParameter, url).With(OtherWebhook.SecretParameter, url);
        using var client = AwsPipelineServices.CreateSsmClient(new AwsConnection(
            Region: "us-east-1",
            Credentials: new BasicAWSCredentials("AKID", "SECRET"),
            ServiceEndpoints: new Dictionary<string, string> { [AwsConnection.Services.Ssm] = ssm.Url }));
        var ssmLogger = new RecordingLogger<SsmSecretSource>();
        using var sender = new ChatWebhookSender(
            new SsmSecretSource(client, ssmLogger), new ChatWebhookOptions { AllowHttpToLoopback = true }, _time, _logger);

        await sender.SendAsync(Message(Webhook, SlackPayload), CancellationToken.None);
        await AdvancingClock(sender.SendAsync(Message(Webhook, SlackPayload), CancellationToken.None));
        await sender.SendAsync(Message(OtherWebhook, SlackPayload), CancellationToken.None);

        Assert.Equal(3, slack.Requests.Count);
        Assert.Equal(2, ssm.Requests.Count);
        Assert.All(
            _logger.Entries.Select(e => e.Message).Concat(ssmLogger.Entries.Select(e => e.Message)),
            AssertNoSecretIn);
    }

    private static OutgoingChatMessage Message(ChatChannel channel, string payload) =>
        new(channel, payload, "AWS cost 2026-11-24: $1,234.56", new Dictionary<string, string> { ["report"] = "platform", ["date"] = "2026-11-24" });

    /// <summary>Moves the fake clock on in small steps until <paramref name="sending"/> ends, so waits on it elapse.</summary>
    private async Task<T> AdvancingClock<T>(Task<T> sending)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(20);
        while (!sending.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < giveUp, "the send never finished");
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.WhenAny(sending, Task.Delay(10));
        }

        return await sending;
    }

    private async Task AdvancingClock(Task sending)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(20);
        while (!sending.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < giveUp, "the sends never finished");
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.WhenAny(sending, Task.Delay(10));
        }

        await sending;
    }

    private ChatServiceStub Serve(ChatServiceStub stub)
    {
        _servers.Add(stub);
        return stub;
    }

    private void SetSecrets(ChatServiceStub? slack = null, ChatServiceStub? teams = null)
    {
        if (slack is not null)
        {
            _secrets.Set(Webhook.SecretParameter, $"{slack.Url}/services/T0001/B0002/{_webhookKey}");
            _secrets.Set(OtherWebhook.SecretParameter, $"{slack.Url}/services/T0001/B0003/{_webhookKey}");
        }

        if (teams is not null)
        {
            _secrets.Set(Teams.SecretParameter, $"{teams.Url}/workflows/5f1c/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={_teamsSignature}");
        }

        _secrets.Set(Bot.SecretParameter, _botToken);
    }

    private ChatWebhookSender CreateSender(ChatServiceStub? slack = null, ChatServiceStub? slackApi = null, ChatServiceStub? teams = null)
    {
        SetSecrets(slack, teams);
        var options = new ChatWebhookOptions
        {
            AllowHttpToLoopback = true,
            SlackApiUrl = slackApi is null ? ChatWebhookOptions.SlackWebApi : new Uri(slackApi.Url + "/api"),
        };
        return new ChatWebhookSender(_secrets, options, _time, _logger);
    }

    private void AssertNothingSecretShown(Exception error) => AssertNoSecretIn(error.ToString());

    private void AssertNoSecretIn(string text)
    {
        Assert.DoesNotContain(_webhookKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_teamsSignature, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_botToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain("/services/T0001", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/workflows/", text, StringComparison.Ordinal);
    }

    /// <summary>Secrets from a dictionary, remembering which were forgotten.</summary>
    private sealed class InMemorySecrets : ISecretSource
    {
        private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);

        public ConcurrentBag<string> Forgotten { get; } = [];

        public void Set(string parameterName, string value) => _values[parameterName] = value;

        public ValueTask<string> GetAsync(string parameterName, CancellationToken cancellationToken) =>
            _values.TryGetValue(parameterName, out var value)
                ? ValueTask.FromResult(value)
                : ValueTask.FromException<string>(new ChatRejectedException($"SSM parameter {parameterName} cannot be read: ParameterNotFound (HTTP 400)."));

        public void Forget(string parameterName) => Forgotten.Add(parameterName);
    }
}
