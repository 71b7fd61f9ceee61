using System.Globalization;
using System.Text.Json;
using Amazon.SQS.Model;
using CostNotifier.Aws;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Cli;
using CostNotifier.IntegrationTests.Emulators;

namespace CostNotifier.IntegrationTests.Cli;

/// <summary>
/// A stack laid out on the emulators exactly as Terraform names it: queues <c>P-collector</c>, <c>P-collector-dlq</c>,
/// <c>P-notifier</c>, <c>P-notifier-dlq</c>, <c>P-scheduler-dlq</c>, <c>P-scheduler-failures</c>, <c>P-delivery</c>,
/// <c>P-delivery-dlq</c> (work queues dead-lettering to their DLQs) and the table <c>P-events</c>, under a stack name no other test uses.
/// </summary>
internal sealed record EmulatorStack(
    string Name,
    string Collector,
    string CollectorDeadLetter,
    string Notifier,
    string NotifierDeadLetter,
    string SchedulerDeadLetter,
    string SchedulerFailures,
    string Delivery,
    string DeliveryDeadLetter,
    string Table)
{
    public static async Task<EmulatorStack> CreateAsync(EmulatorFixture emulators, int maxReceiveCount = 3, int visibilityTimeoutSeconds = 30)
    {
        var name = "cli-" + Guid.NewGuid().ToString("N")[..12];
        var collectorDeadLetter = await CreateQueueAsync(emulators, name + "-collector-dlq", null);
        var collector = await CreateQueueAsync(emulators, name + "-collector", await RedriveToAsync(emulators, collectorDeadLetter, maxReceiveCount), visibilityTimeoutSeconds);
        var notifierDeadLetter = await CreateQueueAsync(emulators, name + "-notifier-dlq", null);
        var notifier = await CreateQueueAsync(emulators, name + "-notifier", await RedriveToAsync(emulators, notifierDeadLetter, maxReceiveCount), visibilityTimeoutSeconds);
        var schedulerDeadLetter = await CreateQueueAsync(emulators, name + "-scheduler-dlq", null);
        var schedulerFailures = await CreateQueueAsync(emulators, name + "-scheduler-failures", null);
        var deliveryDeadLetter = await CreateQueueAsync(emulators, name + "-delivery-dlq", null);
        var delivery = await CreateQueueAsync(emulators, name + "-delivery", await RedriveToAsync(emulators, deliveryDeadLetter, maxReceiveCount), visibilityTimeoutSeconds);
        await EventTableSchema.EnsureCreatedAsync(emulators.DynamoDb, name + "-events", CancellationToken.None);
        return new EmulatorStack(
            name, collector, collectorDeadLetter, notifier, notifierDeadLetter, schedulerDeadLetter, schedulerFailures, delivery, deliveryDeadLetter, name + "-events");
    }

    /// <summary>Dummy credentials and the emulators' endpoints, as this run's environment (not the process's).</summary>
    public static CliEnvironment Environment(EmulatorFixture emulators, string? lambdaUrl = null, string? reportsJson = null)
    {
        var variables = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["AWS_ENDPOINT_URL_" + AwsConnection.Services.Sqs] = emulators.SqsUrl,
            ["AWS_ENDPOINT_URL_" + AwsConnection.Services.DynamoDb] = emulators.DynamoDbUrl,
        };
        if (lambdaUrl is not null)
        {
            variables["AWS_ENDPOINT_URL_" + AwsConnection.Services.Lambda] = lambdaUrl;
        }

        if (reportsJson is not null)
        {
            variables["COSTNOTIFIER_REPORTS"] = reportsJson;
        }

        return CliEnvironment.From(variables);
    }

    /// <summary><c>--target aws --stack P --region us-east-1</c>.</summary>
    public string[] Args => ["--target", "aws", "--stack", Name, "--region", EmulatorFixture.Region];

    private static async Task<string> CreateQueueAsync(EmulatorFixture emulators, string name, string? redrivePolicy, int visibilityTimeoutSeconds = 30)
    {
        var attributes = new Dictionary<string, string> { ["VisibilityTimeout"] = visibilityTimeoutSeconds.ToString(CultureInfo.InvariantCulture) };
        if (redrivePolicy is not null)
        {
            attributes["RedrivePolicy"] = redrivePolicy;
        }

        return (await emulators.Sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = attributes })).QueueUrl;
    }

    private static async Task<string> RedriveToAsync(EmulatorFixture emulators, string deadLetterUrl, int maxReceiveCount)
    {
        var arn = (await emulators.Sqs.GetQueueAttributesAsync(deadLetterUrl, ["QueueArn"])).Attributes["QueueArn"];
        return JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["deadLetterTargetArn"] = arn,
            ["maxReceiveCount"] = maxReceiveCount.ToString(CultureInfo.InvariantCulture),
        });
    }
}
