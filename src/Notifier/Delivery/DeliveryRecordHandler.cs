using CostNotifier.BatchProcessing;
using CostNotifier.Messaging;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Notifier.Delivery;

/// <summary>
/// Turns one message of the delivery queue (an SES sending event, with or without its SNS envelope) into a
/// <see cref="RecordDeliveryEvent"/> command. A body that is not one of our report emails' events throws
/// <see cref="PoisonMessageException"/>, which moves it to the delivery dead-letter queue with the reason.
/// </summary>
public sealed class DeliveryRecordHandler(ISender mediator, ILogger<DeliveryRecordHandler> logger) : IRecordHandler
{
    /// <inheritdoc />
    public PipelineQueue Queue => PipelineQueue.Delivery;

    /// <inheritdoc />
    public async ValueTask HandleAsync(SqsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var ses = SesEventParser.Parse(message.Body);

        // SES's message id is what every log line about this email can be found by, from sending to bouncing.
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["correlationId"] = ses.ProviderMessageId,
            ["reportId"] = ses.Email.ReportId,
            ["period"] = ses.Email.Period,
            ["requestId"] = ses.Email.RequestId,
        });
        await mediator.Send(new RecordDeliveryEvent(ses), cancellationToken).ConfigureAwait(false);
    }
}
