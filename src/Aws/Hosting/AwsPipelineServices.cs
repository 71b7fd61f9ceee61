using Amazon.DynamoDBv2;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Aws.Sqs;
using CostNotifier.Aws.Ssm;
using CostNotifier.Claims;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        // The container may already hold the client that read the reports from the table (FunctionReports).
        services.TryAddSingleton<IAmazonDynamoDB>(_ => CreateDynamoDbClient(connection));
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

    /// <summary>The secrets of chat destinations, read from SSM Parameter Store once per container.</summary>
    public static IServiceCollection AddSsmSecrets(this IServiceCollection services, AwsConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // The client is made on the first read: the container creates every singleton at start, and a stack without
        // chat destinations should not pay for the SSM SDK in its cold start.
        services.AddSingleton<ISecretSource>(sp => new SsmSecretSource(
            new Lazy<IAmazonSimpleSystemsManagement>(() => CreateSsmClient(connection)), sp.GetRequiredService<ILogger<SsmSecretSource>>()));
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

    /// <summary>
    /// An SSM client honouring the connection's region, profile, endpoint and credentials. A read that hangs gives up
    /// after 10 s (and is retried by the SDK), well inside the notifier's time budget.
    /// </summary>
    public static AmazonSimpleSystemsManagementClient CreateSsmClient(AwsConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var config = new AmazonSimpleSystemsManagementConfig { Timeout = TimeSpan.FromSeconds(10) };
        connection.Apply(config, AwsConnection.Services.Ssm);
        return connection.Credentials is null
            ? new AmazonSimpleSystemsManagementClient(config)
            : new AmazonSimpleSystemsManagementClient(connection.Credentials, config);
    }
}
