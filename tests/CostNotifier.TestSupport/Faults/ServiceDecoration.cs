using Microsoft.Extensions.DependencyInjection;

namespace CostNotifier.Testing.Faults;

/// <summary>Wraps a registered service with a decorator, keeping its lifetime.</summary>
public static class ServiceDecoration
{
    /// <summary>Replaces the last registration of <typeparamref name="TService"/> by <paramref name="decorate"/> around it.</summary>
    public static IServiceCollection Decorate<TService>(this IServiceCollection services, Func<TService, IServiceProvider, TService> decorate)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(decorate);
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(TService) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            throw new InvalidOperationException($"{typeof(TService).Name} is not registered, so it cannot be decorated.");
        }

        var original = services[index];
        services[index] = ServiceDescriptor.Describe(
            typeof(TService),
            provider => decorate(Create<TService>(original, provider), provider),
            original.Lifetime);
        return services;
    }

    private static TService Create<TService>(ServiceDescriptor descriptor, IServiceProvider provider)
        where TService : class =>
        descriptor switch
        {
            { ImplementationInstance: TService instance } => instance,
            { ImplementationFactory: { } factory } => (TService)factory(provider),
            { ImplementationType: { } type } => (TService)ActivatorUtilities.CreateInstance(provider, type),
            _ => throw new InvalidOperationException($"Cannot create the {typeof(TService).Name} being decorated."),
        };
}
