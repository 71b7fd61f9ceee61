namespace CostNotifier.EmailSending;

/// <summary>Sends one email. SES v2 in AWS, an outbox directory on the embedded default.</summary>
public interface IEmailSender
{
    /// <summary>Sends the email and returns the provider's message id.</summary>
    Task<string> SendAsync(OutgoingEmail email, CancellationToken cancellationToken);
}

/// <summary>A rendered email for one recipient.</summary>
/// <param name="From">The sender address.</param>
/// <param name="To">The single recipient.</param>
/// <param name="Subject">The subject line; never contains CR or LF.</param>
/// <param name="Html">The HTML part.</param>
/// <param name="Text">The plain-text part.</param>
/// <param name="Tags">Provider tags (SES message tags), e.g. report id and date.</param>
public sealed record OutgoingEmail(
    string From,
    string To,
    string Subject,
    string Html,
    string Text,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>A destination refused a report message and retrying will not help; the message goes to the dead-letter queue with the reason.</summary>
public class NotificationRejectedException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>The email provider refused the message and retrying will not help (rejected, paused, unverified).</summary>
public sealed class EmailRejectedException(string reason, Exception? inner = null) : NotificationRejectedException(reason, inner);
