using Amazon.Runtime;
using CostNotifier.Aws;
using CostNotifier.Aws.Hosting;
using CostNotifier.Aws.Ssm;
using CostNotifier.Domain;
using CostNotifier.Notifications;
using CostNotifier.Notifier;
using CostNotifier.Notifier.Chat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.IntegrationTests.Chat;

/// <summary>The notifier's container posts to chat the way it is deployed: token from SSM, Slack API from the settings.</summary>
public sealed class NotifierChatCompositionTests : IAsyncLifetime
{
    private const string Parameter = "/costnotifier/chat/finops-bot";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
    private readonly string _botToken = "xoxb-2001-7002-" + Guid.NewGuid().ToString("N");
    private readonly SsmParameterServer _ssm = SsmParameterServer.Start();
    private ChatServiceStub _slackApi = null!;

    public Task InitializeAsync()
    {
        _slackApi = ChatServiceStub.SlackApi(_time, _botToken);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _slackApi.DisposeAsync();
        await _ssm.DisposeAsync();
    }

    [Fact]
    public async Task TheNotifierContainer_PostsWithATokenFromSsm_ToTheConfiguredSlackApi()
    {
        _ssm.With(Parameter, _botToken);
        var logs = new StringWriter();
        var settings = FunctionSettings.From(new Dictionary<string, string?>
        {
            ["COSTNOTIFIER_REPORTS"] = """[{"id":"platform","name":"Platform","recipients":["sre@example.com"],"groupBy":"SERVICE"}]""",
            ["COSTNOTIFIER_EVENTS_TABLE"] = "costnotifier-events",
            ["COSTNOTIFIER_SENDER_ADDRESS"] = "costs@example.com",
            ["COSTNOTIFIER_SLACK_API_URL"] = _slackApi.Url + "/api/",
            ["COSTNOTIFIER_LOG_LEVEL"] = "Trace",
        });
        var connection = new AwsConnection(
            Region: "us-east-1",
            Credentials: new BasicAWSCredentials("AKID", "SECRET"),
            ServiceEndpoints: new Dictionary<string, string> { [AwsConnection.Services.Ssm] = _ssm.Url });
        var services = NotifierComposition.Build(settings, connection, _time, logs);

        Assert.IsType<SsmSecretSource>(services.GetRequiredService<ISecretSource>());
        var sender = Assert.IsType<ChatWebhookSender>(services.GetRequiredService<IChatSender>());
        var channel = new ChatChannel("finops", ChatChannelKind.SlackBot, Parameter, ChatServiceStub.SlackChannelId);
        var id = await sender.SendAsync(
            new OutgoingChatMessage(channel, """{"text":"AWS cost 2026-11-24: $12.00","blocks":[]}""", "AWS cost 2026-11-24: $12.00", new Dictionary<string, string>()),
            CancellationToken.None);

        Assert.Equal($"{ChatServiceStub.SlackChannelId}/{ChatServiceStub.SlackTs}", id);
        Assert.Empty(_slackApi.Problems);
        Assert.Single(_ssm.Requests);
        Assert.Contains("slack:finops", logs.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_botToken, logs.ToString(), StringComparison.Ordinal);
    }
}
