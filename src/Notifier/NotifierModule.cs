using CostNotifier.Notifier.Chat;
using CostNotifier.Notifier.Email;
using CostNotifier.Validation;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CostNotifier.Notifier;

/// <summary>Registers the notifier's command handling and renderer; adapters come from the host.</summary>
public static class NotifierModule
{
    /// <summary>Adds the notifier's validators, the email renderer and the chat renderer.</summary>
    public static IServiceCollection AddNotifierCommands(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<SendReportEmail>, SendReportEmailValidator>();
        services.AddSingleton<ReportEmailRenderer>();
        services.AddSingleton<ReportChatRenderer>();
        return services;
    }

    /// <summary>Adds the mediator for a process that hosts only the notifier.</summary>
    public static IServiceCollection AddNotifierMediator(this IServiceCollection services) =>
        services.AddMediator(options =>
        {
            options.Namespace = "CostNotifier.Notifier.Mediation";
            options.GenerateTypesAsInternal = true;
            options.ServiceLifetime = ServiceLifetime.Singleton;
            options.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
        });
}
