using CostNotifier.Messaging;
using Microsoft.Extensions.Logging;

namespace CostNotifier.BatchProcessing;

/// <summary>
/// What every queue consumer does before its command runs: decode the envelope (unreadable → poison), open a log
/// scope with the correlation id and the report-day, and name this attempt for claims.
/// </summary>
public abstract class EnvelopeRecordHandler<TPayload>(ILogger logger) : IRecordHandler
    where TPayload : IReportPeriodMessage
{
    /// <inheritdoc />
    public abstract PipelineQueue Queue { get; }

    /// <inheritdoc />
    public async ValueTask HandleAsync(SqsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var decoded = Decode(message.Body);
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["correlationId"] = decoded.Envelope.CorrelationId,
            ["reportId"] = decoded.Payload.ReportId,
            ["period"] = decoded.Payload.Period,
            ["requestId"] = decoded.Payload.RequestId,
        });
        var worker = $"{message.MessageId}:{Guid.NewGuid():N}";
        await SendAsync(decoded.Payload, decoded.Envelope.CorrelationId, worker, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the body; throws <see cref="PoisonMessageException"/> when it cannot.</summary>
    protected abstract DecodedMessage<TPayload> Decode(string? body);

    /// <summary>Runs the command for the payload.</summary>
    protected abstract ValueTask SendAsync(TPayload payload, string correlationId, string worker, CancellationToken cancellationToken);
}
