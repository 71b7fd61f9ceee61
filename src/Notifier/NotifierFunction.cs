using CostNotifier.Aws.Hosting;
using CostNotifier.BatchProcessing;
using Microsoft.Extensions.DependencyInjection;

namespace CostNotifier.Notifier;

/// <summary>
/// The notifier Lambda: an SQS batch in, a partial batch response out. <see cref="Program"/> runs it under
/// the Runtime API loop. It consumes two queues: report messages to send, and SES's sending events to record.
/// </summary>
public sealed class NotifierFunction
{
    private readonly SqsBatchRouter _processor;

    /// <summary>Builds the container once per instance from the environment.</summary>
    public NotifierFunction()
        : this(NotifierComposition.FromEnvironment()) { }

    /// <summary>Creates the function over a ready container (tests).</summary>
    public NotifierFunction(IServiceProvider services) => _processor = services.GetRequiredService<SqsBatchRouter>();

    /// <summary>
    /// Handles one SQS batch. Records not finished when <paramref name="cancellationToken"/> fires (shortly before
    /// the invocation's deadline) are answered as batch item failures and delivered again.
    /// </summary>
    public Task<Stream> HandleAsync(Stream input, CancellationToken cancellationToken) =>
        LambdaSqsHandler.HandleAsync(input, _processor.ProcessAsync, cancellationToken);
}
