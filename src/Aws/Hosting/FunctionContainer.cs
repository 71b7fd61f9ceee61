using CostNotifier.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CostNotifier.Aws.Hosting;

/// <summary>The container every function builds once per Lambda instance.</summary>
public static class FunctionContainer
{
    /// <summary>
    /// Registers what every function shares (clock, reports, JSON logs and EMF metrics to
    /// <paramref name="output"/>), lets <paramref name="configure"/> add the function's own services, and builds
    /// the provider, checking every registration can be resolved.
    /// </summary>
    public static IServiceProvider Build(
        FunctionSettings settings, TimeProvider time, TextWriter output, Func<IServiceCollection, IServiceCollection> configure)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(configure);
        var services = new ServiceCollection()
            .AddPipelineBasics(settings.Reports(), time, settings.Stack, output, output, settings.LogLevel);
        return configure(services).BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
