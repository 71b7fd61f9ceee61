using Amazon.DynamoDBv2;
using Amazon.SQS;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Aws.Sqs;
using CostNotifier.Claims;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Aws.Hosting;

/// <summary>
/// Registers the AWS adapters a function uses. Clients are singletons: created once per Lambda instance and
/// reused by every invocation.
/// </summary>
public static class AwsPipelineServices
{
    /// <summary>The DynamoDB event store and claim store over the table named in the settings.</summary>
    public static IServiceCollection AddDynamoDbStores(this IServiceCollection services, AwsConnection connection, FunctionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(settings);
        var table = settings.EventsTable;
        services.AddSingleton<IAmazonDynamoDB>(_ => CreateDynamoDbClient(connection));
        services.AddSingleton<IEventStore>(sp => new DynamoDbEventStore(sp.GetRequiredService<IAmazonDynamoDB>(), table));
        services.AddSingleton<IClaimStore>(sp => new DynamoDbClaimStore(sp.GetRequiredService<IAmazonDynamoDB>(), table, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>The SQS publisher and dead-letter sink over the queue URLs in the settings.</summary>
    public static IServiceCollection AddSqsQueues(this IServiceCollection services, AwsConnection connection, FunctionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(settings);
        var urls = new SqsQueueUrls(
            settings.CollectorQueueUrl,
            settings.CollectorDeadLetterQueueUrl,
            settings.NotifierQueueUrl,
            settings.NotifierDeadLetterQueueUrl)
        {
            Delivery = settings.Optional(SqsQueueUrls.DeliveryVariable),
            DeliveryDeadLetter = settings.Optional(SqsQueueUrls.DeliveryDeadLetterVariable),
        };
        services.AddSingleton<IAmazonSQS>(_ => CreateSqsClient(connection));
        services.AddSingleton<IMessagePublisher>(sp => new SqsMessagePublisher(
            sp.GetRequiredService<IAmazonSQS>(), urls, sp.GetRequiredService<ILogger<SqsMessagePublisher>>()));
        services.AddSingleton<IDeadLetterSink>(sp => new SqsDeadLetterSink(
            sp.GetRequiredService<IAmazonSQS>(), urls, sp.GetRequiredService<ILogger<SqsDeadLetterSink>>(), settings.MaxReceiveCount));
        return services;
    }

    /// <summary>A DynamoDB client honouring the connection's region, profile, endpoint and credentials.</summary>
    public static AmazonDynamoDBClient CreateDynamoDbClient(AwsConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var config = new AmazonDynamoDBConfig();
        connection.Apply(config, AwsConnection.Services.DynamoDb);
        return connection.Credentials is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(connection.Credentials, config);
    }

    /// <summary>An SQS client honouring the connection's region, profile, endpoint and credentials.</summary>
    public static AmazonSQSClient CreateSqsClient(AwsConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var config = new AmazonSQSConfig();
        connection.Apply(config, AwsConnection.Services.Sqs);
        return connection.Credentials is null ? new AmazonSQSClient(config) : new AmazonSQSClient(connection.Credentials, config);
    }
}
