using CostNotifier.BatchProcessing;
using CostNotifier.Messaging;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Collector;

/// <summary>
/// Turns one SQS message from the collector queue — a <see cref="ReportRequested"/> or a
/// <see cref="ReportsRequested"/> — into a <see cref="CollectCostSnapshots"/> command.
/// </summary>
public sealed class CollectorRecordHandler(ISender mediator, ILogger<CollectorRecordHandler> logger) : IRecordHandler
{
    /// <inheritdoc />
    public PipelineQueue Queue => PipelineQueue.Collector;

    /// <inheritdoc />
    public async ValueTask HandleAsync(SqsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var decoded = MessageCodec.DecodeCollectorMessage(message.Body);
        var requests = decoded.Payload;
        var first = requests[0];
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["correlationId"] = decoded.Envelope.CorrelationId,
            ["reportId"] = first.ReportId,
            ["period"] = requests.Count == 1 ? first.Period.ToString() : $"{first.Period}..{requests[^1].Period} ({requests.Count} periods)",
            ["requestId"] = first.RequestId,
        });
        var worker = $"{message.MessageId}:{Guid.NewGuid():N}";
        await mediator.Send(new CollectCostSnapshots(requests, decoded.Envelope.CorrelationId, worker), cancellationToken).ConfigureAwait(false);
    }
}
