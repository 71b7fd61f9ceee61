using CostNotifier.Validation;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CostNotifier.Scheduler;

/// <summary>Registers the scheduler's command handling; adapters (queue, time, catalog) come from the host.</summary>
public static class SchedulerModule
{
    /// <summary>Adds the scheduler's validators.</summary>
    public static IServiceCollection AddSchedulerCommands(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<ScheduleReports>, ScheduleReportsValidator>();
        return services;
    }

    /// <summary>Adds the mediator for a process that hosts only the scheduler.</summary>
    public static IServiceCollection AddSchedulerMediator(this IServiceCollection services) =>
        services.AddMediator(options =>
        {
            options.Namespace = "CostNotifier.Scheduler.Mediation";
            options.GenerateTypesAsInternal = true;
            options.ServiceLifetime = ServiceLifetime.Singleton;
            options.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
        });
}
