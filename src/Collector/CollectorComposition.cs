using CostNotifier.Aws;
using CostNotifier.Aws.Hosting;
using CostNotifier.BatchProcessing;
using CostNotifier.Collector.CostExplorer;
using CostNotifier.CostData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Collector;

/// <summary>Builds the collector function's container: the composition root in AWS.</summary>
public static class CollectorComposition
{
    /// <summary>From the Lambda environment.</summary>
    public static IServiceProvider FromEnvironment() =>
        Build(FunctionSettings.FromEnvironment(), new AwsConnection(), TimeProvider.System, Console.Out);

    /// <summary>From explicit settings (tests point it at emulators).</summary>
    public static IServiceProvider Build(FunctionSettings settings, AwsConnection connection, TimeProvider time, TextWriter output) =>
        FunctionContainer.Build(settings, connection, time, output, services => services
            .AddDynamoDbStores(connection, settings)
            .AddSqsQueues(connection, settings)
            .AddSingleton(new CollectorOptions(settings.CostMetric, settings.ClaimDuration))
            .AddSingleton<ICostSource>(sp => new CostExplorerClient(connection, sp.GetRequiredService<ILogger<CostExplorerClient>>()))
            .AddCollectorCommands()
            .AddCollectorMediator()
            .AddBatchProcessor<CollectorRecordHandler>());
}
