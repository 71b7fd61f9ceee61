using CostNotifier.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CostNotifier.Collector;

/// <summary>
/// The collector Lambda (<c>CostNotifier.Collector::CostNotifier.Collector.CollectorFunction::HandleAsync</c>):
/// an SQS batch in, a partial batch response out.
/// </summary>
public sealed class CollectorFunction
{
    private readonly SqsBatchProcessor _processor;

    /// <summary>Lambda's constructor: builds the container once per instance from the environment.</summary>
    public CollectorFunction()
        : this(CollectorComposition.FromEnvironment()) { }

    /// <summary>Creates the function over a ready container (tests).</summary>
    public CollectorFunction(IServiceProvider services) => _processor = services.GetRequiredService<SqsBatchProcessor>();

    /// <summary>Handles one SQS batch.</summary>
    public Task<Stream> HandleAsync(Stream input) => LambdaSqsHandler.HandleAsync(input, _processor, CancellationToken.None);
}
