using System.Text.Json;
using CostNotifier.Aws;
using CostNotifier.IntegrationTests.Chat;

namespace CostNotifier.IntegrationTests.EndToEnd;

/// <summary>
/// A report's three kinds of chat destination on loopback ports, as an operator would set them up: a Slack incoming
/// webhook, a Slack bot posting with <c>chat.postMessage</c> and a Teams Workflows webhook, each a
/// <see cref="ChatServiceStub"/>, with the webhook URLs and the bot token stored as SecureStrings in an
/// <see cref="SsmParameterServer"/>. The secrets are random per instance and shaped like the real ones.
/// </summary>
internal sealed class ChatDestinationStubs : IAsyncDisposable
{
    public const string SlackName = "alerts";
    public const string BotName = "finops-bot";
    public const string TeamsName = "platform";

    private ChatDestinationStubs(TimeProvider clock)
    {
        var id = Guid.NewGuid().ToString("N");
        SlackWebhook = ChatServiceStub.SlackWebhook(clock);
        Teams = ChatServiceStub.TeamsWorkflow(clock);
        SlackWebhookToken = Upper(Guid.NewGuid())[..24];
        SlackWebhookUrl = $"{SlackWebhook.Url}/services/T{Upper(Guid.NewGuid())[..10]}/B{Upper(Guid.NewGuid())[..10]}/{SlackWebhookToken}";
        TeamsSignature = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")[..11];
        TeamsWebhookUrl = $"{Teams.Url}/workflows/{Guid.NewGuid():N}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={TeamsSignature}";
        BotToken = $"xoxb-7301-{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}-{Guid.NewGuid():N}";
        SlackApi = ChatServiceStub.SlackApi(clock, BotToken);
        SlackParameter = $"/costnotifier/{id[..8]}/slack/{SlackName}";
        BotParameter = $"/costnotifier/{id[..8]}/slack/{BotName}";
        TeamsParameter = $"/costnotifier/{id[..8]}/teams/{TeamsName}";
        Ssm = SsmParameterServer.Start()
            .With(SlackParameter, SlackWebhookUrl)
            .With(BotParameter, BotToken)
            .With(TeamsParameter, TeamsWebhookUrl);
    }

    public SsmParameterServer Ssm { get; }

    public ChatServiceStub SlackWebhook { get; }

    public ChatServiceStub SlackApi { get; }

    public ChatServiceStub Teams { get; }

    public string SlackParameter { get; }

    public string BotParameter { get; }

    public string TeamsParameter { get; }

    public string SlackWebhookUrl { get; }

    /// <summary>The last, secret part of the Slack webhook's path.</summary>
    public string SlackWebhookToken { get; }

    public string BotToken { get; }

    public string TeamsWebhookUrl { get; }

    /// <summary>The <c>sig</c> of the Teams webhook URL, which is what authorises a post.</summary>
    public string TeamsSignature { get; }

    /// <summary>The destinations' keys, as events, claims and logs name them.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["slack:" + SlackName, "slack:" + BotName, "teams:" + TeamsName];

    /// <summary>The report configuration's <c>channels</c> array naming all three.</summary>
    public string ChannelsJson =>
        $$"""
        [{"name":"{{SlackName}}","type":"slack","parameter":"{{SlackParameter}}"},
         {"name":"{{BotName}}","type":"slack-bot","parameter":"{{BotParameter}}","channel":"{{ChatServiceStub.SlackChannelId}}"},
         {"name":"{{TeamsName}}","type":"teams","parameter":"{{TeamsParameter}}"}]
        """;

    /// <summary>
    /// The notifier's environment for these stubs: Slack's API at the bot stub, and webhooks allowed to be plain
    /// http because they point at loopback.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["COSTNOTIFIER_SLACK_API_URL"] = SlackApi.Url + "/api/",
        ["COSTNOTIFIER_CHAT_HTTP_TO_LOOPBACK"] = "true",
    };

    /// <summary>SSM at the parameter server.</summary>
    public IReadOnlyDictionary<string, string> Endpoints => new Dictionary<string, string> { [AwsConnection.Services.Ssm] = Ssm.Url };

    /// <summary>
    /// Every secret and every recognisable piece of one: the webhook URLs, each part of the Slack webhook's path,
    /// the Teams signature and the bot token with its last, random part.
    /// </summary>
    public IEnumerable<string> SecretsAndTheirParts()
    {
        yield return SlackWebhookUrl;
        foreach (var segment in new Uri(SlackWebhookUrl).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            yield return segment;
        }

        yield return SlackWebhookToken[..12];
        yield return TeamsWebhookUrl;
        yield return TeamsSignature;
        yield return TeamsSignature[..16];
        yield return BotToken;
        yield return BotToken[BotToken.LastIndexOf('-')..];
    }

    /// <summary>How many times SSM was asked for <paramref name="parameter"/>.</summary>
    public int SsmReadsOf(string parameter) =>
        Ssm.Requests.Count(r =>
        {
            using var body = JsonDocument.Parse(r.Body);
            return body.RootElement.GetProperty("Name").GetString() == parameter;
        });

    public static ChatDestinationStubs Start(TimeProvider clock) => new(clock);

    public async ValueTask DisposeAsync()
    {
        await SlackWebhook.DisposeAsync();
        await SlackApi.DisposeAsync();
        await Teams.DisposeAsync();
        await Ssm.DisposeAsync();
    }

    private static string Upper(Guid guid) => guid.ToString("N").ToUpperInvariant();
}
