using CostNotifier.Hosting;
using CostNotifier.Messaging;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Notifier;

/// <summary>Turns one SQS message from the notifier queue into a <see cref="SendReportEmail"/> command.</summary>
public sealed class NotifierRecordHandler(ISender mediator, ILogger<NotifierRecordHandler> logger) : IRecordHandler
{
    /// <inheritdoc />
    public PipelineQueue Queue => PipelineQueue.Notifier;

    /// <inheritdoc />
    public async ValueTask HandleAsync(SqsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var decoded = MessageCodec.DecodeCostSnapshotReady(message.Body);
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["correlationId"] = decoded.Envelope.CorrelationId,
            ["reportId"] = decoded.Payload.ReportId,
            ["date"] = decoded.Payload.Date,
            ["requestId"] = decoded.Payload.RequestId,
        });
        var worker = $"{message.MessageId}:{Guid.NewGuid():N}";
        await mediator.Send(new SendReportEmail(decoded.Payload, decoded.Envelope.CorrelationId, worker), cancellationToken).ConfigureAwait(false);
    }
}
