using CostNotifier.BatchProcessing;
using CostNotifier.Messaging;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Collector;

/// <summary>Turns one SQS message from the collector queue into a <see cref="CollectCostSnapshot"/> command.</summary>
public sealed class CollectorRecordHandler(ISender mediator, ILogger<CollectorRecordHandler> logger)
    : EnvelopeRecordHandler<ReportRequested>(logger)
{
    /// <inheritdoc />
    public override PipelineQueue Queue => PipelineQueue.Collector;

    /// <inheritdoc />
    protected override DecodedMessage<ReportRequested> Decode(string? body) => MessageCodec.DecodeReportRequested(body);

    /// <inheritdoc />
    protected override async ValueTask SendAsync(ReportRequested payload, string correlationId, string worker, CancellationToken cancellationToken) =>
        await mediator.Send(new CollectCostSnapshot(payload, correlationId, worker), cancellationToken).ConfigureAwait(false);
}
