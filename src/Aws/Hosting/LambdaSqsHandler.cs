using System.Text.Json;
using CostNotifier.BatchProcessing;

namespace CostNotifier.Aws.Hosting;

/// <summary>The stream-in/stream-out step every SQS-triggered function shares: parse, process, answer.</summary>
public static class LambdaSqsHandler
{
    /// <summary>
    /// Reads a Lambda SQS event from <paramref name="input"/>, processes it and returns the partial batch response.
    /// An unreadable event throws: Lambda then retries the whole batch, and the redrive policy catches it.
    /// </summary>
    public static Task<Stream> HandleAsync(Stream input, SqsBatchProcessor processor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(processor);
        return HandleAsync(input, processor.ProcessAsync, cancellationToken);
    }

    /// <summary>As <see cref="HandleAsync(Stream, SqsBatchProcessor, CancellationToken)"/>, for a function that routes records itself.</summary>
    public static async Task<Stream> HandleAsync(
        Stream input, Func<SqsEvent, CancellationToken, Task<SqsBatchResponse>> process, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(process);
        SqsEvent batch;
        try
        {
            batch = await JsonSerializer.DeserializeAsync(input, LambdaJsonContext.Default.SqsEvent, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException("The invocation payload is JSON null, not an SQS event.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The invocation payload is not an SQS event: {ex.Message}", ex);
        }

        var response = await process(batch, cancellationToken).ConfigureAwait(false);

        // Not cancellable: at the deadline the answer (which records were not finished) is the one thing left to do.
        var output = new MemoryStream();
        await JsonSerializer.SerializeAsync(output, response, LambdaJsonContext.Default.SqsBatchResponse, CancellationToken.None).ConfigureAwait(false);
        output.Position = 0;
        return output;
    }
}
