using CostNotifier.Aws;
using CostNotifier.Aws.Hosting;

namespace CostNotifier.Scheduler;

/// <summary>Builds the scheduler function's container: the composition root in AWS.</summary>
public static class SchedulerComposition
{
    /// <summary>From the Lambda environment.</summary>
    public static IServiceProvider FromEnvironment() =>
        Build(FunctionSettings.FromEnvironment(), new AwsConnection(), TimeProvider.System, Console.Out);

    /// <summary>From explicit settings (tests point it at emulators).</summary>
    public static IServiceProvider Build(FunctionSettings settings, AwsConnection connection, TimeProvider time, TextWriter output) =>
        FunctionContainer.Build(settings, connection, time, output, services => services
            .AddSqsQueues(connection, settings)
            .AddSchedulerCommands()
            .AddSchedulerMediator());
}
