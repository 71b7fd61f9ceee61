using System.Globalization;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.EmailSending;
using CostNotifier.Messaging;
using CostNotifier.Observability;
using FluentValidation;
using Microsoft.Extensions.Logging;

namespace CostNotifier.BatchProcessing;

/// <summary>Handles one SQS message. Throwing marks the message failed; see <see cref="SqsBatchProcessor"/>.</summary>
public interface IRecordHandler
{
    /// <summary>The queue this handler consumes.</summary>
    PipelineQueue Queue { get; }

    /// <summary>Processes one message.</summary>
    ValueTask HandleAsync(SqsMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// Processes an SQS batch record by record and answers with a partial batch response, so one bad message
/// never fails its neighbours. A message that can never succeed is moved to the dead-letter queue at once with
/// its reason and counted as done; any other failure is returned for redelivery, except that a cost day still
/// not published on the message's last receive is moved with that reason (see <see cref="ReasonOnLastReceive"/>).
/// </summary>
public sealed class SqsBatchProcessor(
    IRecordHandler handler,
    IDeadLetterSink deadLetters,
    PipelineMetrics metrics,
    ILogger<SqsBatchProcessor> logger)
{
    /// <summary>
    /// Processes the batch record by record. Once <paramref name="cancellationToken"/> fires (shortly before the
    /// invocation's deadline) the record in hand is abandoned and it and every record not yet started are answered
    /// as failures, so SQS delivers them again; none is lost and none waits for the visibility timeout of a killed
    /// invocation.
    /// </summary>
    public async Task<SqsBatchResponse> ProcessAsync(SqsEvent batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var records = batch.Records ?? [];
        var failures = new List<BatchItemFailure>();
        for (var i = 0; i < records.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(
                    "Out of time: {Unstarted} of {Total} messages were not started and will be delivered again", records.Count - i, records.Count);
                failures.AddRange(records.Skip(i).Select(Failure));
                break;
            }

            if (!await ProcessRecordAsync(records[i], cancellationToken).ConfigureAwait(false))
            {
                failures.Add(Failure(records[i]));
            }
        }

        return new SqsBatchResponse { BatchItemFailures = failures };
    }

    // A record without a message id cannot be named; an empty identifier makes Lambda retry the whole batch, which is
    // safe because every handler is idempotent.
    private static BatchItemFailure Failure(SqsMessage record) => new() { ItemIdentifier = record.MessageId ?? string.Empty };

    private async Task<bool> ProcessRecordAsync(SqsMessage record, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["messageId"] = record.MessageId,
            ["queue"] = handler.Queue.ToString(),
            ["receiveCount"] = record.ReceiveCount,
        });

        try
        {
            // WaitAsync: a handler that does not observe the token still cannot hold the answer past the deadline.
            // Its work may finish in the background; the claims make a redelivered copy safe.
            await handler.HandleAsync(record, cancellationToken).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested)
        {
            // Whatever the failure, it may be the deadline's doing: never dead-letter on it, deliver again.
            logger.LogWarning(ex, "Message {MessageId} was stopped at the invocation's deadline and will be delivered again", record.MessageId);
            return false;
        }
        catch (Exception ex) when (PermanentFailure(ex) is { } reason)
        {
            return await DeadLetterAsync(record, reason, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ReasonOnLastReceive(record, ex) is { } reason)
        {
            return await DeadLetterAsync(record, reason, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Message {MessageId} failed and will be delivered again: {Reason}", record.MessageId, ex.Message);
            return false;
        }
    }

    private async Task<bool> DeadLetterAsync(SqsMessage record, string reason, Exception error, CancellationToken cancellationToken)
    {
        logger.LogError(error, "Message {MessageId} can never succeed and goes to the dead-letter queue: {Reason}", record.MessageId, reason);
        try
        {
            await deadLetters
                .SendAsync(handler.Queue, record.MessageId ?? string.Empty, record.Body ?? string.Empty, reason, cancellationToken)
                .ConfigureAwait(false);
            metrics.MessageDeadLettered(handler.Queue);
            return true;
        }
        catch (Exception ex)
        {
            // Not moved (an HTTP timeout, the deadline): report it failed so the queue's own redrive policy takes it to
            // the DLQ instead, and leave its neighbours alone.
            logger.LogError(ex, "Could not move message {MessageId} to the dead-letter queue; leaving it to the redrive policy", record.MessageId);
            return false;
        }
    }

    /// <summary>
    /// The reason to dead-letter a transient failure with when this was the message's last receive, or null to leave
    /// it to the queue's redrive policy, which moves it without a reason. A day Cost Explorer has not published yet
    /// is the one such failure: an expected state rather than a fault, which the dead-letter queue has to name. It
    /// applies only where the sink knows the redrive policy's <see cref="IDeadLetterSink.MaxReceiveCount"/>.
    /// </summary>
    private string? ReasonOnLastReceive(SqsMessage record, Exception error) =>
        error is CostSourceException { IsDataPending: true } pending
        && deadLetters.MaxReceiveCount is { } max
        && record.ReceiveCount >= max
            ? string.Create(CultureInfo.InvariantCulture, $"Still failing after {record.ReceiveCount} receives: {pending.Message}")
            : null;

    /// <summary>The reason a failure is permanent, or null when a retry may succeed.</summary>
    public static string? PermanentFailure(Exception error) => error switch
    {
        PoisonMessageException e => e.Message,
        ValidationException e => "Invalid message: " + string.Join("; ", e.Errors.Select(x => x.ErrorMessage)),
        UnknownReportException e => e.Message,
        EmailRejectedException e => "Email rejected: " + e.Message,
        NotificationRejectedException e => "Rejected: " + e.Message,
        CostSourceException { IsTransient: false } e => "Cost source refused the request: " + e.Message,

        // Bad arguments to an adapter (an address with a line break, a malformed tag) fail the same way every time.
        ArgumentException e => "Invalid input: " + e.Message,
        _ => null,
    };
}
