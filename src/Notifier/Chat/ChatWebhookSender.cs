using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CostNotifier.Domain;
using CostNotifier.Notifications;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Notifier.Chat;

/// <summary>
/// Posts report messages over HTTPS: to a Slack incoming webhook, to Slack's <c>chat.postMessage</c> with a bot
/// token, or to a Teams Workflows webhook. The webhook URL or token is read from <see cref="ISecretSource"/> and
/// is never logged or put in an exception message: errors name the destination key (<c>slack:alerts</c>) and the
/// service's HTTP status or error code only.
/// </summary>
/// <remarks>
/// <para>
/// Refusals no retry can fix (a revoked or unknown webhook, an archived channel, a bot not in the channel, an invalid
/// token, a refused payload) throw <see cref="ChatRejectedException"/>; when the refusal says the secret itself is
/// revoked, the kept value is forgotten so a rotated one is read before the next post. Server errors, timeouts and
/// dropped connections throw <see cref="ChatDeliveryException"/>; the SQS message is delivered again.
/// </para>
/// <para>
/// Posts to one destination are spaced by <see cref="ChatWebhookOptions.MinimumInterval"/>. A 429 whose
/// <c>Retry-After</c> is at most <see cref="ChatWebhookOptions.LongestInlineWait"/> is waited out and the post tried
/// once more; a longer one, or a second 429, throws <see cref="ChatThrottledException"/>.
/// </para>
/// <para>Create one per process: it owns its HTTP connections and the per-destination spacing.</para>
/// </remarks>
public sealed partial class ChatWebhookSender : IChatSender, IDisposable
{
    /// <summary><c>chat.postMessage</c> errors worth retrying: Slack's own trouble, or a rate limit.</summary>
    public static readonly IReadOnlySet<string> TransientSlackApiErrors = new HashSet<string>(StringComparer.Ordinal)
    {
        "ratelimited",
        "fatal",
        "internal_error",
        "service_unavailable",
        "request_timeout",
    };

    /// <summary><c>chat.postMessage</c> errors that say the token itself is no longer any good.</summary>
    public static readonly IReadOnlySet<string> RevokedTokenErrors = new HashSet<string>(StringComparer.Ordinal)
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
    };

    private const int MaxResponseBytes = 1 << 20;

    private readonly ISecretSource _secrets;
    private readonly ChatWebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ChatWebhookSender> _logger;
    private readonly ChatRateLimiter _rateLimiter;
    private readonly Uri _postMessageUrl;
    private readonly HttpClient _http;

    /// <summary>Creates the sender.</summary>
    /// <param name="secrets">Where webhook URLs and bot tokens are read.</param>
    /// <param name="options">Slack's API address, timeouts and spacing.</param>
    /// <param name="time">The clock the spacing and <c>Retry-After</c> waits run on.</param>
    /// <param name="logger">Where outcomes are reported, by destination and HTTP status.</param>
    /// <exception cref="ArgumentException">The Slack API URL is not https (or http to a loopback address).</exception>
    public ChatWebhookSender(ISecretSource secrets, ChatWebhookOptions options, TimeProvider time, ILogger<ChatWebhookSender> logger)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (!options.SlackApiUrl.IsAbsoluteUri || !IsSecureEnough(options.SlackApiUrl, allowHttpToLoopback: true))
        {
            throw new ArgumentException("The Slack API URL must be an absolute https URL (http only to a loopback address).", nameof(options));
        }

        _secrets = secrets;
        _options = options;
        _time = time;
        _logger = logger;
        _rateLimiter = new ChatRateLimiter(time, options.MinimumInterval);
        var apiBase = options.SlackApiUrl.AbsoluteUri.EndsWith('/') ? options.SlackApiUrl : new Uri(options.SlackApiUrl.AbsoluteUri + "/");
        _postMessageUrl = new Uri(apiBase, "chat.postMessage");
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(5, options.RequestTimeout.TotalSeconds)),
            // Fresh connections now and then pick up DNS changes of the services' front ends.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            // A webhook is never redirected; following one would send the payload somewhere nobody configured.
            AllowAutoRedirect = false,
            UseCookies = false,
        })
        {
            Timeout = options.RequestTimeout,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("CostNotifier", "1.0"));
    }

    /// <inheritdoc />
    /// <exception cref="ChatRejectedException">The service refused the message, or the secret cannot be used.</exception>
    /// <exception cref="ChatThrottledException">The destination stays rate limited; retry after its wait.</exception>
    /// <exception cref="ChatDeliveryException">A server error, timeout or network failure; retrying can succeed.</exception>
    public async Task<string> SendAsync(OutgoingChatMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var channel = message.Channel;
        var secret = await ReadSecretAsync(channel, cancellationToken).ConfigureAwait(false);
        var post = channel.Kind switch
        {
            ChatChannelKind.SlackWebhook => new Post(WebhookUrl(channel, secret), JsonObjectBytes(channel, message.Payload), null, InterpretSlackWebhook),
            ChatChannelKind.SlackBot => new Post(_postMessageUrl, SlackBotBody(channel, message.Payload), BotToken(channel, secret), InterpretSlackApi),
            ChatChannelKind.TeamsWorkflow => new Post(WebhookUrl(channel, secret), JsonObjectBytes(channel, message.Payload), null, InterpretTeamsWorkflow),
            _ => throw new ArgumentOutOfRangeException(nameof(message), channel.Kind, "Unknown chat destination kind."),
        };
        // Slack's limit is per webhook, and per channel for a bot: two destinations sharing a secret share the pace.
        var rateKey = channel.Kind == ChatChannelKind.SlackBot ? channel.SecretParameter + "#" + channel.SlackChannel : channel.SecretParameter;

        for (var attempt = 1; ; attempt++)
        {
            await _rateLimiter.WaitTurnAsync(rateKey, cancellationToken).ConfigureAwait(false);
            var outcome = await PostOnceAsync(channel, post, cancellationToken).ConfigureAwait(false);
            switch (outcome.Kind)
            {
                case OutcomeKind.Delivered:
                    _logger.LogInformation("Posted a report message to {Destination} (HTTP {Status})", channel.Key, outcome.Status);
                    return outcome.Detail!;

                case OutcomeKind.Refused:
                    if (outcome.SecretRevoked)
                    {
                        _secrets.Forget(channel.SecretParameter);
                    }

                    _logger.LogWarning("{Destination} refused a report message (HTTP {Status}); it will not be retried", channel.Key, outcome.Status);
                    throw new ChatRejectedException(RefusalReason(channel, outcome));

                case OutcomeKind.Throttled when attempt == 1 && outcome.RetryAfter <= _options.LongestInlineWait:
                    _rateLimiter.Defer(rateKey, outcome.RetryAfter);
                    _logger.LogWarning(
                        "{Destination} is rate limited (HTTP {Status}); posting again in {RetryAfterSeconds} s",
                        channel.Key, outcome.Status, Seconds(outcome.RetryAfter));
                    continue;

                case OutcomeKind.Throttled:
                    _rateLimiter.Defer(rateKey, outcome.RetryAfter);
                    _logger.LogWarning(
                        "{Destination} is rate limited (HTTP {Status}); the message will be retried later", channel.Key, outcome.Status);
                    throw new ChatThrottledException(
                        string.Create(CultureInfo.InvariantCulture, $"{channel.Key} is rate limited ({Described(outcome)}): retry after {Seconds(outcome.RetryAfter)} s."),
                        outcome.RetryAfter);

                default:
                    _logger.LogWarning("{Destination} did not take a report message (HTTP {Status}); it will be retried", channel.Key, outcome.Status);
                    throw new ChatDeliveryException($"{channel.Key} did not take the message ({Described(outcome)}); it will be retried.");
            }
        }
    }

    /// <summary>Closes the HTTP connections.</summary>
    public void Dispose() => _http.Dispose();

    private async Task<string> ReadSecretAsync(ChatChannel channel, CancellationToken cancellationToken)
    {
        try
        {
            return await _secrets.GetAsync(channel.SecretParameter, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatRejectedException ex)
        {
            throw new ChatRejectedException($"{channel.Key}: {ex.Message}", ex);
        }
        catch (SecretUnavailableException ex)
        {
            throw new ChatDeliveryException($"{channel.Key}: {ex.Message}", ex);
        }
    }

    private async Task<Outcome> PostOnceAsync(ChatChannel channel, Post post, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, post.Url) { Content = new ByteArrayContent(post.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (post.BearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", post.BearerToken);
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return post.Interpret(channel, response, body);
        }
        catch (HttpRequestException ex)
        {
            _logger.LogWarning("Posting to {Destination} failed before an answer ({Error}); it will be retried", channel.Key, ex.HttpRequestError);
            throw new ChatDeliveryException($"{channel.Key} could not be reached ({ex.HttpRequestError}); it will be retried.", ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var seconds = Seconds(_options.RequestTimeout);
            _logger.LogWarning("{Destination} did not answer within {TimeoutSeconds} s; it will be retried", channel.Key, seconds);
            throw new ChatDeliveryException(string.Create(CultureInfo.InvariantCulture, $"{channel.Key} did not answer within {seconds} s; it will be retried."));
        }
    }

    private Outcome InterpretSlackWebhook(ChatChannel channel, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return Outcome.Delivered(status, "slack-webhook:" + Guid.NewGuid().ToString("N"));
        }

        // Slack answers a webhook's errors as a bare code in the body: invalid_payload, no_service, channel_is_archived...
        var code = ErrorCode(body.Trim());
        return FromStatus(response, code, revoked: status is 403 or 404 or 410);
    }

    private Outcome InterpretSlackApi(ChatChannel channel, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            return FromStatus(response, SlackApiError(body), revoked: status is 401 or 403);
        }

        string? error;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
            {
                var ts = Text(root, "ts");
                return Outcome.Delivered(status, ts is null ? "slack-bot:" + Guid.NewGuid().ToString("N") : $"{Text(root, "channel") ?? channel.SlackChannel}/{ts}");
            }

            error = ErrorCode(Text(root, "error"));
        }
        catch (JsonException)
        {
            // Slack said 200 but not what: the post may not have happened, so try again rather than give up on it.
            return Outcome.Failed(status, "an answer that is not JSON");
        }

        error ??= "no error code";
        return error switch
        {
            "ratelimited" => Outcome.Throttled(status, error, RetryAfter(response)),
            _ when TransientSlackApiErrors.Contains(error) => Outcome.Failed(status, error),
            _ => Outcome.Refused(status, error, RevokedTokenErrors.Contains(error)),
        };
    }

    private Outcome InterpretTeamsWorkflow(ChatChannel channel, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var runId = response.Headers.TryGetValues("x-ms-workflow-run-id", out var values) ? ErrorCode(values.FirstOrDefault()) : null;
            return Outcome.Delivered(status, runId ?? "teams:" + Guid.NewGuid().ToString("N"));
        }

        // Power Automate answers errors as {"error":{"code":"...","message":"..."}}; only the code is kept.
        return FromStatus(response, TeamsError(body), revoked: status is 401 or 403 or 404);
    }

    private Outcome FromStatus(HttpResponseMessage response, string? code, bool revoked)
    {
        var status = (int)response.StatusCode;
        return status switch
        {
            429 => Outcome.Throttled(status, code, RetryAfter(response)),
            408 or >= 500 => Outcome.Failed(status, code),
            _ => Outcome.Refused(status, code, revoked),
        };
    }

    private TimeSpan RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta
            ?? (header?.Date is { } date ? date - _time.GetUtcNow() : (TimeSpan?)null)
            ?? TimeSpan.FromSeconds(1);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private Uri WebhookUrl(ChatChannel channel, string secret) =>
        Uri.TryCreate(secret, UriKind.Absolute, out var url) && IsSecureEnough(url, _options.AllowHttpToLoopback)
            ? url
            : throw new ChatRejectedException(
                $"{channel.Key}: SSM parameter {channel.SecretParameter} does not hold an https webhook URL, so nothing was posted. Store the webhook's https URL in it.");

    private static string BotToken(ChatChannel channel, string secret)
    {
        if (secret.Contains("://", StringComparison.Ordinal))
        {
            throw new ChatRejectedException(
                $"{channel.Key}: SSM parameter {channel.SecretParameter} holds a URL, but a slack-bot destination needs a bot token (xoxb-...). Use kind 'slack' for a webhook.");
        }

        // Only visible ASCII can go in an Authorization header; anything else would be refused by HttpClient with the
        // value in its message.
        return secret.All(c => c is > ' ' and <= '~')
            ? secret
            : throw new ChatRejectedException($"{channel.Key}: SSM parameter {channel.SecretParameter} does not hold a Slack bot token (xoxb-...).");
    }

    private static byte[] SlackBotBody(ChatChannel channel, string payload)
    {
        if (string.IsNullOrWhiteSpace(channel.SlackChannel))
        {
            throw new ChatRejectedException($"{channel.Key} is a slack-bot destination without a Slack channel id, so nothing was posted.");
        }

        JsonObject body;
        try
        {
            body = JsonNode.Parse(payload) as JsonObject ?? throw NotAnObject(channel);
        }
        catch (JsonException ex)
        {
            throw NotAnObject(channel, ex);
        }

        body["channel"] = channel.SlackChannel;
        // Names in the report (a service, a tag value) are never turned into @-mentions or #channel links.
        body["link_names"] = false;
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    private static byte[] JsonObjectBytes(ChatChannel channel, string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object ? Encoding.UTF8.GetBytes(payload) : throw NotAnObject(channel);
        }
        catch (JsonException ex)
        {
            throw NotAnObject(channel, ex);
        }
    }

    private static ChatRejectedException NotAnObject(ChatChannel channel, Exception? inner = null) =>
        new($"{channel.Key}: the rendered message is not a JSON object, so nothing was posted.", inner);

    private static string RefusalReason(ChatChannel channel, Outcome outcome)
    {
        var reason = $"{channel.Key} refused the message ({Described(outcome)}); retrying cannot help.";
        return outcome.SecretRevoked
            ? $"{reason} The webhook or token in SSM parameter {channel.SecretParameter} looks revoked or invalid: store a working one, then redrive the message."
            : reason;
    }

    private static string Described(Outcome outcome) =>
        outcome.Detail is null
            ? string.Create(CultureInfo.InvariantCulture, $"HTTP {outcome.Status}")
            : string.Create(CultureInfo.InvariantCulture, $"{outcome.Detail}, HTTP {outcome.Status}");

    private static string? SlackApiError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? ErrorCode(Text(document.RootElement, "error")) : null;
        }
        catch (JsonException)
        {
            return ErrorCode(body.Trim());
        }
    }

    private static string? TeamsError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                    ? ErrorCode(Text(error, "code"))
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>An error code as a service sent it, or null when it is not a plain code (free text could echo anything).</summary>
    private static string? ErrorCode(string? text) => text is not null && ErrorCodePattern().IsMatch(text) ? text : null;

    private static bool IsSecureEnough(Uri url, bool allowHttpToLoopback) =>
        url.Scheme == Uri.UriSchemeHttps || (allowHttpToLoopback && url.Scheme == Uri.UriSchemeHttp && url.IsLoopback);

    private static string Seconds(TimeSpan wait) => Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,80}$")]
    private static partial Regex ErrorCodePattern();

    private enum OutcomeKind
    {
        Delivered,
        Refused,
        Failed,
        Throttled,
    }

    /// <summary>What one post came to: the message id when delivered, the service's error code otherwise.</summary>
    private readonly record struct Outcome(OutcomeKind Kind, int Status, string? Detail, TimeSpan RetryAfter = default, bool SecretRevoked = false)
    {
        public static Outcome Delivered(int status, string id) => new(OutcomeKind.Delivered, status, id);

        public static Outcome Refused(int status, string? code, bool secretRevoked) => new(OutcomeKind.Refused, status, code, SecretRevoked: secretRevoked);

        public static Outcome Failed(int status, string? code) => new(OutcomeKind.Failed, status, code);

        public static Outcome Throttled(int status, string? code, TimeSpan retryAfter) => new(OutcomeKind.Throttled, status, code, retryAfter);
    }

    /// <summary>
    /// One destination's request: where, what, the bot token if any, and how its answers read. A class, not a record:
    /// a record's generated ToString would print the URL and the token.
    /// </summary>
    private sealed class Post(Uri url, byte[] body, string? bearerToken, Func<ChatChannel, HttpResponseMessage, string, Outcome> interpret)
    {
        public Uri Url { get; } = url;

        public byte[] Body { get; } = body;

        public string? BearerToken { get; } = bearerToken;

        public Func<ChatChannel, HttpResponseMessage, string, Outcome> Interpret { get; } = interpret;
    }
}
