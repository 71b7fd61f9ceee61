using CostNotifier.Collector.Snapshots;
using CostNotifier.Validation;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CostNotifier.Collector;

/// <summary>Registers the collector's command handling; adapters come from the host.</summary>
public static class CollectorModule
{
    /// <summary>Adds the collector's validators and what its handler uses besides the host's adapters.</summary>
    public static IServiceCollection AddCollectorCommands(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<CollectCostSnapshot>, CollectCostSnapshotValidator>();
        services.AddSingleton<Restatements>();
        services.AddSingleton<MonthForecastLookup>();
        return services;
    }

    /// <summary>Adds the mediator for a process that hosts only the collector.</summary>
    public static IServiceCollection AddCollectorMediator(this IServiceCollection services) =>
        services.AddMediator(options =>
        {
            options.Namespace = "CostNotifier.Collector.Mediation";
            options.GenerateTypesAsInternal = true;
            options.ServiceLifetime = ServiceLifetime.Singleton;
            options.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
        });
}
