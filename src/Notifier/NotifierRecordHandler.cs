using CostNotifier.BatchProcessing;
using CostNotifier.Messaging;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Notifier;

/// <summary>Turns one SQS message from the notifier queue into a <see cref="SendReportEmail"/> command.</summary>
public sealed class NotifierRecordHandler(ISender mediator, ILogger<NotifierRecordHandler> logger)
    : EnvelopeRecordHandler<CostSnapshotReady>(logger)
{
    /// <inheritdoc />
    public override PipelineQueue Queue => PipelineQueue.Notifier;

    /// <inheritdoc />
    protected override DecodedMessage<CostSnapshotReady> Decode(string? body) => MessageCodec.DecodeCostSnapshotReady(body);

    /// <inheritdoc />
    protected override async ValueTask SendAsync(CostSnapshotReady payload, string correlationId, string worker, CancellationToken cancellationToken) =>
        await mediator.Send(new SendReportEmail(payload, correlationId, worker), cancellationToken).ConfigureAwait(false);
}
