using System.Collections.Concurrent;
using System.Text.Json;
using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.Chat;

/// <summary>Which chat endpoint a <see cref="ChatServiceStub"/> stands in for.</summary>
internal enum ChatService
{
    /// <summary>A Slack incoming webhook: answers <c>ok</c> or a bare error code.</summary>
    SlackWebhook,

    /// <summary>Slack's <c>chat.postMessage</c>: answers <c>{"ok":true,...}</c> or <c>{"ok":false,"error":...}</c>.</summary>
    SlackApi,

    /// <summary>A Teams Workflows webhook: answers 202 with a run id, or an error.</summary>
    TeamsWorkflow,
}

/// <summary>
/// A chat service on a loopback port. It checks every request as the real service would read it (method, content
/// type, a JSON object; Slack: at most 50 blocks; the bot API: channel and bearer token; Teams: an Adaptive Card) and
/// answers with the next scripted response, or with success when the script is empty. A request that fails a check
/// is answered 400 and its problem kept in <see cref="Problems"/>.
/// </summary>
internal sealed class ChatServiceStub : IAsyncDisposable
{
    public const string SlackChannelId = "C0123ABCD";
    public const string SlackTs = "1764547200.000100";
    public const string TeamsRunId = "08584637391249023516741951712CU00";

    private readonly ChatService _service;
    private readonly TimeProvider _clock;
    private readonly string? _botToken;
    private readonly ConcurrentQueue<LoopbackResponse> _script = new();
    private readonly ConcurrentQueue<ReceivedChatRequest> _received = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly LoopbackHttpServer _server;

    private ChatServiceStub(ChatService service, TimeProvider clock, string? botToken)
    {
        _service = service;
        _clock = clock;
        _botToken = botToken;
        _server = LoopbackHttpServer.Start(Answer);
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:43121</c>.</summary>
    public string Url => _server.Url;

    /// <summary>Every request, with the time on the test's clock when it arrived.</summary>
    public IReadOnlyList<ReceivedChatRequest> Requests => [.. _received];

    /// <summary>What was wrong with requests that failed a check; empty when every request was well formed.</summary>
    public IReadOnlyList<string> Problems => [.. _problems];

    public static ChatServiceStub SlackWebhook(TimeProvider clock) => new(ChatService.SlackWebhook, clock, null);

    public static ChatServiceStub SlackApi(TimeProvider clock, string botToken) => new(ChatService.SlackApi, clock, botToken);

    public static ChatServiceStub TeamsWorkflow(TimeProvider clock) => new(ChatService.TeamsWorkflow, clock, null);

    /// <summary>Queues the answers to give, in order, to the next requests.</summary>
    public ChatServiceStub Then(params LoopbackResponse[] responses)
    {
        foreach (var response in responses)
        {
            _script.Enqueue(response);
        }

        return this;
    }

    /// <summary>A Slack webhook's answer: the status and a bare code (<c>ok</c>, <c>channel_not_found</c>...).</summary>
    public static LoopbackResponse SlackWebhookAnswer(int status, string code) => LoopbackResponse.Text(status, "text/plain", code);

    /// <summary><c>chat.postMessage</c>'s refusal: HTTP 200 unless told otherwise, <c>{"ok":false,"error":code}</c>.</summary>
    public static LoopbackResponse SlackApiError(string code, int status = 200) =>
        LoopbackResponse.Text(status, "application/json; charset=utf-8", JsonSerializer.Serialize(new { ok = false, error = code }));

    /// <summary>A Power Automate error: <c>{"error":{"code","message"}}</c>.</summary>
    public static LoopbackResponse TeamsError(int status, string code) =>
        LoopbackResponse.Text(status, "application/json; charset=utf-8", JsonSerializer.Serialize(new { error = new { code, message = "The request was refused." } }));

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private LoopbackResponse Answer(LoopbackRequest request)
    {
        _received.Enqueue(new ReceivedChatRequest(request, _clock.GetUtcNow()));
        if (Check(request) is { } problem)
        {
            _problems.Enqueue(problem);
            return LoopbackResponse.Text(400, "text/plain", "stub_check_failed");
        }

        return _script.TryDequeue(out var scripted) ? scripted : Success();
    }

    private LoopbackResponse Success() => _service switch
    {
        ChatService.SlackWebhook => SlackWebhookAnswer(200, "ok"),
        ChatService.SlackApi => LoopbackResponse.Text(
            200,
            "application/json; charset=utf-8",
            JsonSerializer.Serialize(new { ok = true, channel = SlackChannelId, ts = SlackTs, message = new { type = "message", text = "..." } })),
        _ => LoopbackResponse.Text(202, "text/plain", string.Empty).WithHeader("x-ms-workflow-run-id", TeamsRunId),
    };

    private string? Check(LoopbackRequest request)
    {
        if (request.Method != "POST")
        {
            return $"method {request.Method}";
        }

        if (request.Header("Content-Type") is not { } type || !type.StartsWith("application/json", StringComparison.Ordinal))
        {
            return $"content type {request.Header("Content-Type")}";
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request.Body);
        }
        catch (JsonException ex)
        {
            return $"body is not JSON: {ex.Message}";
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "body is not a JSON object";
            }

            return _service switch
            {
                ChatService.SlackWebhook => CheckSlackMessage(root),
                ChatService.SlackApi => CheckSlackApi(request, root),
                _ => CheckTeams(root),
            };
        }
    }

    private static string? CheckSlackMessage(JsonElement root)
    {
        if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String || text.GetString()!.Length == 0)
        {
            return "no fallback text";
        }

        if (root.TryGetProperty("blocks", out var blocks) && (blocks.ValueKind != JsonValueKind.Array || blocks.GetArrayLength() > 50))
        {
            return "blocks is not an array of at most 50";
        }

        return null;
    }

    private string? CheckSlackApi(LoopbackRequest request, JsonElement root)
    {
        if (!request.PathAndQuery.EndsWith("/chat.postMessage", StringComparison.Ordinal))
        {
            return $"path {request.PathAndQuery}";
        }

        if (request.Header("Content-Type") != "application/json; charset=utf-8")
        {
            return $"content type {request.Header("Content-Type")}";
        }

        if (request.Header("Authorization") != "Bearer " + _botToken)
        {
            return "no bearer token, or the wrong one";
        }

        if (!root.TryGetProperty("channel", out var channel) || channel.GetString() != SlackChannelId)
        {
            return "no channel, or the wrong one";
        }

        if (!root.TryGetProperty("link_names", out var linkNames) || linkNames.ValueKind != JsonValueKind.False)
        {
            return "link_names is not false";
        }

        return CheckSlackMessage(root);
    }

    private static string? CheckTeams(JsonElement root)
    {
        if (!root.TryGetProperty("type", out var type) || type.GetString() != "message")
        {
            return "type is not message";
        }

        if (!root.TryGetProperty("attachments", out var attachments) || attachments.ValueKind != JsonValueKind.Array || attachments.GetArrayLength() == 0)
        {
            return "no attachments";
        }

        var card = attachments[0];
        if (!card.TryGetProperty("contentType", out var contentType) || contentType.GetString() != "application/vnd.microsoft.card.adaptive")
        {
            return "attachments[0] is not an Adaptive Card";
        }

        return card.TryGetProperty("content", out var content) && content.TryGetProperty("type", out var cardType) && cardType.GetString() == "AdaptiveCard"
            ? null
            : "attachments[0].content is not an AdaptiveCard";
    }
}

/// <summary>A request as a chat stub received it, and when on the test's clock.</summary>
internal sealed record ReceivedChatRequest(LoopbackRequest Request, DateTimeOffset ReceivedAt)
{
    public JsonDocument Json() => JsonDocument.Parse(Request.Body);
}
