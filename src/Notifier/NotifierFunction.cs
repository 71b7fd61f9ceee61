using CostNotifier.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CostNotifier.Notifier;

/// <summary>
/// The notifier Lambda (<c>CostNotifier.Notifier::CostNotifier.Notifier.NotifierFunction::HandleAsync</c>):
/// an SQS batch in, a partial batch response out.
/// </summary>
public sealed class NotifierFunction
{
    private readonly SqsBatchProcessor _processor;

    /// <summary>Lambda's constructor: builds the container once per instance from the environment.</summary>
    public NotifierFunction()
        : this(NotifierComposition.FromEnvironment()) { }

    /// <summary>Creates the function over a ready container (tests).</summary>
    public NotifierFunction(IServiceProvider services) => _processor = services.GetRequiredService<SqsBatchProcessor>();

    /// <summary>Handles one SQS batch.</summary>
    public Task<Stream> HandleAsync(Stream input) => LambdaSqsHandler.HandleAsync(input, _processor, CancellationToken.None);
}
