using CostNotifier.Aws.Hosting;
using CostNotifier.BatchProcessing;
using Microsoft.Extensions.DependencyInjection;

namespace CostNotifier.Collector;

/// <summary>
/// The collector Lambda: an SQS batch in, a partial batch response out. <see cref="Program"/> runs it under
/// the Runtime API loop.
/// </summary>
public sealed class CollectorFunction
{
    private readonly SqsBatchProcessor _processor;

    /// <summary>Builds the container once per instance from the environment.</summary>
    public CollectorFunction()
        : this(CollectorComposition.FromEnvironment()) { }

    /// <summary>Creates the function over a ready container (tests).</summary>
    public CollectorFunction(IServiceProvider services) => _processor = services.GetRequiredService<SqsBatchProcessor>();

    /// <summary>
    /// Handles one SQS batch. Records not finished when <paramref name="cancellationToken"/> fires (shortly before
    /// the invocation's deadline) are answered as batch item failures and delivered again.
    /// </summary>
    public Task<Stream> HandleAsync(Stream input, CancellationToken cancellationToken) =>
        LambdaSqsHandler.HandleAsync(input, _processor, cancellationToken);
}
