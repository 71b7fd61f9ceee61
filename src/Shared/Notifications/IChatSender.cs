using CostNotifier.Domain;
using CostNotifier.EmailSending;

namespace CostNotifier.Notifications;

/// <summary>Posts one report message to a chat destination. Webhooks and the Slack API in AWS, the outbox on the embedded default.</summary>
public interface IChatSender
{
    /// <summary>
    /// Posts the message and returns an id for it (Slack's message timestamp, a Teams run id, or one the sender made
    /// up when the service returns none). Throws <see cref="ChatRejectedException"/> when retrying cannot help; any
    /// other exception is transient.
    /// </summary>
    Task<string> SendAsync(OutgoingChatMessage message, CancellationToken cancellationToken);
}

/// <summary>A rendered report message for one chat destination.</summary>
/// <param name="Channel">Where it goes.</param>
/// <param name="Payload">
/// The JSON body in the destination's own form: a Slack message (<c>text</c> + <c>blocks</c>; a bot sender adds the
/// channel), or a Teams message carrying one Adaptive Card.
/// </param>
/// <param name="FallbackText">The plain text shown in notifications and by clients that cannot show the rich form.</param>
/// <param name="Tags">What the message is about: report, period, request, trigger.</param>
public sealed record OutgoingChatMessage(ChatChannel Channel, string Payload, string FallbackText, IReadOnlyDictionary<string, string> Tags);

/// <summary>
/// The chat service refused the message and retrying will not help: the webhook was revoked or never existed, the
/// channel is gone or the bot is not in it, the token is invalid, or the payload was refused. The reason names the
/// destination and the service's error, never the secret.
/// </summary>
public sealed class ChatRejectedException(string reason, Exception? inner = null) : NotificationRejectedException(reason, inner);
