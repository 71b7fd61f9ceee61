namespace CostNotifier.Notifier.Chat;

/// <summary>How <see cref="ChatWebhookSender"/> reaches the chat services.</summary>
public sealed record ChatWebhookOptions
{
    /// <summary>Slack's Web API.</summary>
    public static readonly Uri SlackWebApi = new("https://slack.com/api/");

    /// <summary>The base of Slack's Web API, where <c>chat.postMessage</c> is called; a stand-in in tests.</summary>
    public Uri SlackApiUrl { get; init; } = SlackWebApi;

    /// <summary>How long one HTTP request may take, connection included, before it counts as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The least time between two posts to one destination (Slack's one message per second).</summary>
    public TimeSpan MinimumInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest <c>Retry-After</c> waited for inside the invocation before posting once more; a longer one hands
    /// the message back to the queue.
    /// </summary>
    public TimeSpan LongestInlineWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether a webhook URL may be plain http when it points at a loopback address (tests). Anything else must be https.
    /// </summary>
    public bool AllowHttpToLoopback { get; init; }
}
