using System.Globalization;
using CostNotifier.BatchProcessing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Aws.Hosting;

/// <summary>The container every function builds once per Lambda instance.</summary>
public static class FunctionContainer
{
    /// <summary>
    /// Registers what every function shares (clock, reports, JSON logs and EMF metrics to
    /// <paramref name="output"/>), lets <paramref name="configure"/> add the function's own services, builds
    /// the provider and creates every singleton, which also proves every registration can be resolved. The reports
    /// are read once, here (<see cref="FunctionReports"/>), through <paramref name="connection"/> when they come
    /// from the event table.
    /// </summary>
    public static IServiceProvider Build(
        FunctionSettings settings, AwsConnection connection, TimeProvider time, TextWriter output, Func<IServiceCollection, IServiceCollection> configure)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(configure);
        var basics = new ServiceCollection();
        var reports = FunctionReports.Load(settings, connection, time, basics);
        var services = configure(basics
            .AddPipelineBasics(reports.Catalog, time, settings.Stack, output, output, settings.LogLevel));
        // No ValidateOnBuild: every service is a singleton and is created below, which fails on anything
        // unresolvable just as early, without walking every registration a second time at cold start.
        var provider = services.BuildServiceProvider();

        // Create every singleton (SDK clients, stores, handlers) now, during Lambda's init phase, rather than
        // inside the first invocation's time budget.
        foreach (var descriptor in services.Where(d => d.Lifetime == ServiceLifetime.Singleton && !d.ServiceType.IsGenericTypeDefinition))
        {
            provider.GetService(descriptor.ServiceType);
        }

        if (reports.Published is { } published)
        {
            provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FunctionReports)).LogInformation(
                "Reports: version {ConfigurationVersion} from table {Table} ({Reports} reports, {Accounts} accounts, sha256 {Sha256}, published {PublishedAt})",
                published.Version,
                reports.TableName,
                published.Reports,
                published.Accounts,
                published.Sha256,
                published.PublishedAt.ToString("O", CultureInfo.InvariantCulture));
        }

        return provider;
    }
}
