using CostNotifier.Hosting;
using CostNotifier.Messaging;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Collector;

/// <summary>Turns one SQS message from the collector queue into a <see cref="CollectCostSnapshot"/> command.</summary>
public sealed class CollectorRecordHandler(ISender mediator, ILogger<CollectorRecordHandler> logger) : IRecordHandler
{
    /// <inheritdoc />
    public PipelineQueue Queue => PipelineQueue.Collector;

    /// <inheritdoc />
    public async ValueTask HandleAsync(SqsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var decoded = MessageCodec.DecodeReportRequested(message.Body);
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["correlationId"] = decoded.Envelope.CorrelationId,
            ["reportId"] = decoded.Payload.ReportId,
            ["date"] = decoded.Payload.Date,
            ["requestId"] = decoded.Payload.RequestId,
        });
        var worker = $"{message.MessageId}:{Guid.NewGuid():N}";
        await mediator.Send(new CollectCostSnapshot(decoded.Payload, decoded.Envelope.CorrelationId, worker), cancellationToken).ConfigureAwait(false);
    }
}
