namespace CostNotifier.Notifier.Chat;

/// <summary>
/// Posting a report message failed this time (a server error, a timeout, the connection dropped): the SQS message is
/// delivered again later. The message names the destination and the HTTP status or error code, never its URL or token.
/// </summary>
public class ChatDeliveryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The chat service asked us to slow down for longer than is worth waiting inside an invocation: the SQS message is
/// delivered again later, after at least <see cref="RetryAfter"/>.
/// </summary>
public sealed class ChatThrottledException(string message, TimeSpan retryAfter) : ChatDeliveryException(message)
{
    /// <summary>How long the service asked us to wait.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
