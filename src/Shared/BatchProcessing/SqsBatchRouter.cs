namespace CostNotifier.BatchProcessing;

/// <summary>
/// Lets one function consume several queues: each record goes to the processor of the queue it came from (the last
/// part of its <c>eventSourceARN</c>), and records from any other queue to the default processor. Lambda's event
/// source mappings deliver one queue per batch; records are grouped all the same, so a mixed batch is handled right.
/// </summary>
public sealed class SqsBatchRouter(SqsBatchProcessor defaultProcessor, IReadOnlyDictionary<string, SqsBatchProcessor> byQueueName)
{
    /// <summary>Processes each record with its queue's processor and answers the failures of all of them.</summary>
    public async Task<SqsBatchResponse> ProcessAsync(SqsEvent batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var records = batch.Records ?? [];
        if (records.Count == 0 || byQueueName.Count == 0)
        {
            return await defaultProcessor.ProcessAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        var failures = new List<BatchItemFailure>();
        foreach (var group in records.GroupBy(ProcessorOf))
        {
            var response = await group.Key.ProcessAsync(new SqsEvent { Records = group.ToList() }, cancellationToken).ConfigureAwait(false);
            failures.AddRange(response.BatchItemFailures);
        }

        return new SqsBatchResponse { BatchItemFailures = failures };
    }

    /// <summary>The queue name of an SQS queue URL (its last path segment), or null for anything else.</summary>
    public static string? QueueNameOf(string? queueUrl) =>
        Uri.TryCreate(queueUrl, UriKind.Absolute, out var uri) && uri.Segments.Length > 1 ? uri.Segments[^1].TrimEnd('/') : null;

    private SqsBatchProcessor ProcessorOf(SqsMessage record)
    {
        var arn = record.EventSourceArn;
        var name = arn is null ? null : arn[(arn.LastIndexOf(':') + 1)..];
        return name is not null && byQueueName.TryGetValue(name, out var processor) ? processor : defaultProcessor;
    }
}
