using System.Diagnostics.CodeAnalysis;
using CostNotifier.Domain;
using CostNotifier.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CostNotifier.BatchProcessing;

/// <summary>Registrations every host of the pipeline shares: time, reports, metrics, logging and the batch processor.</summary>
public static class PipelineServices
{
    /// <summary>
    /// Adds the clock, the report catalog, EMF metrics to <paramref name="metricsOutput"/> and JSON-line logs to
    /// <paramref name="logOutput"/>.
    /// </summary>
    public static IServiceCollection AddPipelineBasics(
        this IServiceCollection services,
        ReportCatalog catalog,
        TimeProvider time,
        string stack,
        TextWriter logOutput,
        TextWriter metricsOutput,
        LogLevel minimumLevel)
    {
        services.AddSingleton(time);
        services.AddSingleton(catalog);
        services.AddSingleton(new PipelineMetrics(metricsOutput, stack, time));
        services.AddLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(minimumLevel);
            logging.AddProvider(new JsonLineLoggerProvider(logOutput, minimumLevel, time));
        });
        return services;
    }

    /// <summary>Adds the SQS batch processor around the host's <see cref="IRecordHandler"/>.</summary>
    public static IServiceCollection AddBatchProcessor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(
        this IServiceCollection services)
        where THandler : class, IRecordHandler
    {
        services.AddSingleton<THandler>();
        services.AddSingleton<IRecordHandler>(sp => sp.GetRequiredService<THandler>());
        services.AddSingleton<SqsBatchProcessor>();
        return services;
    }
}
