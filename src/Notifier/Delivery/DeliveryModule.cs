using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CostNotifier.Notifier.Delivery;

/// <summary>Registers the recording of SES sending events; the store, catalog, metrics and mediator come from the host.</summary>
public static class DeliveryModule
{
    /// <summary>
    /// Adds the validator of <see cref="RecordDeliveryEvent"/> and the <see cref="DeliveryRecordHandler"/> for the
    /// delivery queue. Its command handler is found by the mediator's source generator, like the notifier's others.
    /// </summary>
    public static IServiceCollection AddDeliveryTracking(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidator<RecordDeliveryEvent>, RecordDeliveryEventValidator>());
        services.TryAddSingleton<DeliveryRecordHandler>();
        return services;
    }
}
