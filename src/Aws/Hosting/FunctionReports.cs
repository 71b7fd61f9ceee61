using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using CostNotifier.Aws.Configuration;
using CostNotifier.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace CostNotifier.Aws.Hosting;

/// <summary>
/// The reports a function runs with, read once per container at start from where <c>COSTNOTIFIER_REPORTS_SOURCE</c>
/// says: the environment, or the version published to the event table.
/// </summary>
/// <param name="Catalog">The reports.</param>
/// <param name="Published">What was recorded about the table's version; null when the reports came from the environment.</param>
/// <param name="TableName">The table they were read from; null when they came from the environment.</param>
public sealed record FunctionReports(ReportCatalog Catalog, ReportConfigurationVersion? Published, string? TableName)
{
    /// <summary>
    /// Reads the reports. From the table, the DynamoDB client made for the read is registered in
    /// <paramref name="services"/>, so the function's stores use the same one.
    /// </summary>
    public static FunctionReports Load(FunctionSettings settings, AwsConnection connection, TimeProvider time, IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.ReportsSource == ReportsSource.Table
            ? LoadFromTable(settings, connection, time, services)
            : new FunctionReports(settings.Reports(), null, null);
    }

    // Kept out of Load so that a function reading its reports from the environment never loads the DynamoDB SDK
    // on their account (the scheduler has no other use for it).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static FunctionReports LoadFromTable(FunctionSettings settings, AwsConnection connection, TimeProvider time, IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var table = settings.Optional("COSTNOTIFIER_EVENTS_TABLE")
            ?? throw new InvalidOperationException(
                $"Environment variable COSTNOTIFIER_EVENTS_TABLE is not set: {FunctionSettings.ReportsSourceVariable}=table reads the reports from that table.");
        var client = AwsPipelineServices.CreateDynamoDbClient(connection);
        services.AddSingleton<IAmazonDynamoDB>(client);
        var store = new DynamoDbReportConfigurationStore(client, table, time);

        // Lambda's init phase runs no synchronization context, so waiting here cannot deadlock.
        var published = store.LoadCurrentAsync(CancellationToken.None).GetAwaiter().GetResult();
        return new FunctionReports(published.Catalog, published.Metadata, table);
    }
}
