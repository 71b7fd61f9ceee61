namespace CostNotifier.Domain;

/// <summary>How a chat destination is reached.</summary>
public enum ChatChannelKind
{
    /// <summary>A Slack incoming webhook: its URL is the secret and names the channel.</summary>
    SlackWebhook,

    /// <summary>A Slack app's bot token posting with <c>chat.postMessage</c> to <see cref="ChatChannel.SlackChannel"/>.</summary>
    SlackBot,

    /// <summary>A Microsoft Teams Workflows webhook taking an Adaptive Card: its URL is the secret.</summary>
    TeamsWorkflow,
}

/// <summary>
/// A chat destination of a report. The webhook URL or bot token is a secret: the configuration names only the SSM
/// parameter (a SecureString) that holds it, so it never appears in configuration, events, logs or Terraform state.
/// </summary>
/// <param name="Name">The destination's name within the report: 1-63 lowercase letters, digits or '-'.</param>
/// <param name="Kind">Slack webhook, Slack bot or Teams workflow.</param>
/// <param name="SecretParameter">The SSM parameter holding the webhook URL or bot token.</param>
/// <param name="SlackChannel">The Slack channel id a bot posts to (e.g. C0123ABCD); null for a webhook.</param>
public sealed record ChatChannel(string Name, ChatChannelKind Kind, string SecretParameter, string? SlackChannel = null)
{
    /// <summary>
    /// The destination as events, claims and logs name it: <c>slack:&lt;name&gt;</c> or <c>teams:&lt;name&gt;</c>. It
    /// cannot be mistaken for an email address (an address has no ':').
    /// </summary>
    public string Key => (IsSlack ? "slack:" : "teams:") + Name;

    /// <summary>Whether a destination key names a chat channel (<see cref="Key"/>) rather than an email address.</summary>
    public static bool IsChannelKey(string destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return destination.Contains(':', StringComparison.Ordinal);
    }

    /// <summary>Whether the destination is in Slack (and takes a Block Kit payload).</summary>
    public bool IsSlack => Kind is ChatChannelKind.SlackWebhook or ChatChannelKind.SlackBot;
}

/// <summary>The configuration names of <see cref="ChatChannelKind"/>.</summary>
public static class ChatChannelKinds
{
    /// <summary>The names, as configuration spells them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["slack", "slack-bot", "teams"];

    /// <summary>Parses a configuration name; false for anything else.</summary>
    public static bool TryParse(string? text, out ChatChannelKind kind)
    {
        kind = text switch
        {
            "slack" => ChatChannelKind.SlackWebhook,
            "slack-bot" => ChatChannelKind.SlackBot,
            "teams" => ChatChannelKind.TeamsWorkflow,
            _ => (ChatChannelKind)(-1),
        };
        return Enum.IsDefined(kind);
    }

    /// <summary>The configuration name of <paramref name="kind"/>.</summary>
    public static string ToWireName(this ChatChannelKind kind) => kind switch
    {
        ChatChannelKind.SlackWebhook => "slack",
        ChatChannelKind.SlackBot => "slack-bot",
        ChatChannelKind.TeamsWorkflow => "teams",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
