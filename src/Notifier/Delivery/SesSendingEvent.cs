using CostNotifier.Domain;
using CostNotifier.Events;

namespace CostNotifier.Notifier.Delivery;

/// <summary>
/// The report email an SES event is about, read from the message tags the notifier puts on every email it sends.
/// </summary>
/// <param name="ReportId">The <c>report</c> tag.</param>
/// <param name="Period">The <c>period</c> tag: a day, an ISO week or a month.</param>
/// <param name="RequestId">The <c>request</c> tag.</param>
public sealed record ReportEmailTags(ReportId ReportId, ReportPeriod Period, RequestId RequestId);

/// <summary>
/// One SES sending event about a report email, read and translated into the delivery reports it means for the
/// report period's stream: one per recipient it concerns.
/// </summary>
/// <param name="EventType">The event type as SES names it (<c>Bounce</c>, <c>Rendering Failure</c>…), for logs.</param>
/// <param name="ProviderMessageId">SES's message id (<c>mail.messageId</c>).</param>
/// <param name="Email">Which report email it is about.</param>
/// <param name="Reports">What it reports, one per recipient, in the order SES lists them; never empty.</param>
public sealed record SesSendingEvent(string EventType, string ProviderMessageId, ReportEmailTags Email, IReadOnlyList<DeliveryReport> Reports)
{
    /// <summary>Two events are equal when their fields are and their reports are, one by one.</summary>
    public bool Equals(SesSendingEvent? other) =>
        other is not null
        && EventType == other.EventType
        && ProviderMessageId == other.ProviderMessageId
        && Email == other.Email
        && Reports.SequenceEqual(other.Reports);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(EventType, ProviderMessageId, Email, Reports.Count);
}
