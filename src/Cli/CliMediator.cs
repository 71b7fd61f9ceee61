using CostNotifier.Collector;
using CostNotifier.Notifier;
using CostNotifier.Notifier.Delivery;
using CostNotifier.Scheduler;
using CostNotifier.Validation;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CostNotifier.Cli;

/// <summary>
/// The CLI's mediator: the scheduler's, collector's and notifier's commands behind the validation pipeline. The
/// source generator writes one mediator per project, from the one <c>AddMediator</c> call below, so every target
/// registers it here.
/// </summary>
public static class CliMediator
{
    /// <summary>Adds the mediator with every command's handler; the host registers the adapters they use.</summary>
    public static IServiceCollection AddCliMediator(this IServiceCollection services)
    {
        services.AddMediator(options =>
        {
            options.Namespace = "CostNotifier.Cli.Mediation";
            options.GenerateTypesAsInternal = true;
            options.ServiceLifetime = ServiceLifetime.Singleton;
            options.Assemblies = [typeof(ScheduleReports), typeof(CollectCostSnapshot), typeof(SendReportEmail)];
            options.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
        });
        return services;
    }

    /// <summary>
    /// Adds the mediator for a process that only schedules: on a deployed stack the collector and notifier run as
    /// functions, so their commands are refused here and none of their adapters need registering.
    /// </summary>
    public static IServiceCollection AddSchedulingMediator(this IServiceCollection services)
    {
        services.AddCliMediator();
        RunsElsewhere<CollectCostSnapshot, CollectResult, CollectCostSnapshotHandler>(services);
        RunsElsewhere<CollectCostSnapshots, CollectBatchResult, CollectCostSnapshotsHandler>(services);
        RunsElsewhere<SendReportEmail, NotifyResult, SendReportEmailHandler>(services);
        RunsElsewhere<RecordDeliveryEvent, DeliveryRecordResult, RecordDeliveryEventHandler>(services);
        return services;
    }

    private static void RunsElsewhere<TCommand, TResult, THandler>(IServiceCollection services)
        where TCommand : ICommand<TResult>
    {
        services.RemoveAll<THandler>();
        services.Replace(ServiceDescriptor.Singleton<ICommandHandler<TCommand, TResult>>(new DeployedFunctionHandler<TCommand, TResult>()));
    }

    /// <summary>Stands in for a handler that runs in a deployed function, not in the CLI.</summary>
    private sealed class DeployedFunctionHandler<TCommand, TResult> : ICommandHandler<TCommand, TResult>
        where TCommand : ICommand<TResult>
    {
        public ValueTask<TResult> Handle(TCommand command, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"{typeof(TCommand).Name} is handled by the deployed function, not by the CLI.");
    }
}
