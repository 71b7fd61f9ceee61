using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using CostNotifier.Aws;
using CostNotifier.Aws.Hosting;

namespace CostNotifier.Cli.Targets.Aws;

/// <summary>
/// Reads a deployed stack's queues and table without changing anything; a resource that does not exist comes back
/// as null, not as an exception. Owns the SQS and DynamoDB clients, created on first use.
/// </summary>
public sealed class StackLookup(AwsConnection connection) : IDisposable
{
    /// <summary>A queue's ARN.</summary>
    public const string QueueArn = "QueueArn";

    /// <summary>A work queue's redrive policy (JSON naming its dead-letter queue).</summary>
    public const string RedrivePolicy = "RedrivePolicy";

    /// <summary>Messages waiting (approximate).</summary>
    public const string Visible = "ApproximateNumberOfMessages";

    /// <summary>Messages received and not yet deleted (approximate).</summary>
    public const string InFlight = "ApproximateNumberOfMessagesNotVisible";

    private AmazonSQSClient? _sqs;
    private AmazonDynamoDBClient? _dynamoDb;

    /// <summary>The SQS client.</summary>
    public AmazonSQSClient Sqs => _sqs ??= AwsPipelineServices.CreateSqsClient(connection);

    /// <summary>The DynamoDB client.</summary>
    public AmazonDynamoDBClient DynamoDb => _dynamoDb ??= AwsPipelineServices.CreateDynamoDbClient(connection);

    /// <summary>The queue's URL: the one given, or SQS's answer for its name; null when no such queue exists.</summary>
    public async Task<string?> QueueUrlAsync(ResourceRef resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.Url is not null)
        {
            return resource.Url;
        }

        try
        {
            return (await Sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = resource.Name }, cancellationToken).ConfigureAwait(false)).QueueUrl;
        }
        catch (AmazonSQSException ex) when (IsMissingQueue(ex))
        {
            return null;
        }
    }

    /// <summary>The attributes <paramref name="names"/> of the queue at <paramref name="url"/>; null when no such queue exists.</summary>
    public async Task<Dictionary<string, string>?> QueueAttributesAsync(string url, List<string> names, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = names }, cancellationToken).ConfigureAwait(false);
            return response.Attributes ?? [];
        }
        catch (AmazonSQSException ex) when (IsMissingQueue(ex))
        {
            return null;
        }
    }

    /// <summary>The table's description; null when no such table exists.</summary>
    public async Task<TableDescription?> DescribeTableAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await DynamoDb.DescribeTableAsync(new DescribeTableRequest { TableName = name }, cancellationToken).ConfigureAwait(false)).Table;
        }
        catch (Amazon.DynamoDBv2.Model.ResourceNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A message count among <paramref name="attributes"/>, or null when SQS did not give it.</summary>
    public static int? Count(Dictionary<string, string> attributes, string name)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return attributes.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : null;
    }

    /// <summary>The ARN a work queue's redrive policy dead-letters to, or null when it has no (readable) policy.</summary>
    public static string? DeadLetterTargetArn(Dictionary<string, string> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (!attributes.TryGetValue(RedrivePolicy, out var policy) || string.IsNullOrWhiteSpace(policy))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(policy);
            return document.RootElement.TryGetProperty("deadLetterTargetArn", out var arn) && arn.ValueKind == JsonValueKind.String ? arn.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _sqs?.Dispose();
        _dynamoDb?.Dispose();
    }

    private static bool IsMissingQueue(AmazonSQSException error) =>
        error is QueueDoesNotExistException
        || error.ErrorCode is "QueueDoesNotExist" or "AWS.SimpleQueueService.NonExistentQueue" or "NonExistentQueue";
}
