using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using CostNotifier.Aws;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Aws.Hosting;
using CostNotifier.Aws.Sqs;
using CostNotifier.Cli.Output;
using CostNotifier.Domain;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Scheduler;
using FluentValidation;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Cli.Targets.Aws;

/// <summary>
/// A deployed stack: its SQS queues, DynamoDB event table and Lambda functions, found from the settings. Clients
/// are created on first use, and every resource is looked up once and checked before anything is changed.
/// </summary>
public sealed class AwsTarget : IOperatorTarget
{
    private readonly AwsTargetSettings _settings;
    private readonly TimeProvider _time;
    private readonly CliEnvironment _environment;
    private readonly ILoggerFactory _loggers;
    private readonly Dictionary<string, string> _queueUrls = new(StringComparer.Ordinal);
    private AmazonSQSClient? _sqs;
    private AmazonDynamoDBClient? _dynamoDb;
    private DynamoDbEventStore? _events;

    /// <summary>Operates the stack described by <paramref name="settings"/>.</summary>
    public AwsTarget(AwsTargetSettings settings, TimeProvider time, CliEnvironment environment, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(loggers);
        _settings = settings;
        _time = time;
        _environment = environment;
        _loggers = loggers;
    }

    /// <inheritdoc />
    public string Kind => TargetOptions.Aws;

    /// <inheritdoc />
    public string Description =>
        (_settings.StackName is { } stack ? $"stack '{stack}'" : "the given resources") + $" in {_settings.Region}"
        + (_settings.EndpointFor(AwsConnection.Services.Sqs) is { } endpoint ? $" at {endpoint}" : string.Empty);

    /// <inheritdoc />
    public ReportCatalog? Reports => _settings.Reports;

    /// <inheritdoc />
    public string HowToGiveReports =>
        "pass --reports-file PATH (the JSON array the functions read from COSTNOTIFIER_REPORTS), set COSTNOTIFIER_REPORTS, or name one report with --report ID"
        + (_settings.StackName is { } stack
            ? $"; to save the deployed list: aws lambda get-function-configuration --function-name {stack}-scheduler --query Environment.Variables.COSTNOTIFIER_REPORTS --output text > reports.json"
            : string.Empty);

    private AmazonSQSClient Sqs => _sqs ??= AwsPipelineServices.CreateSqsClient(_settings.Connection);

    private AmazonDynamoDBClient DynamoDb => _dynamoDb ??= AwsPipelineServices.CreateDynamoDbClient(_settings.Connection);

    /// <inheritdoc />
    public async Task<IEventStore> OpenEventStoreAsync(CancellationToken cancellationToken)
    {
        if (_events is not null)
        {
            return _events;
        }

        var table = Require("events", "the event table", "--table NAME");
        var description = await DescribeTableAsync(table.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new StackResourceException($"DynamoDB table '{table.Name}' (from {table.Origin}) does not exist in {_settings.Region}: {Check(table)}");
        if (description.TableStatus != TableStatus.ACTIVE && description.TableStatus != TableStatus.UPDATING)
        {
            throw new StackResourceException($"DynamoDB table '{table.Name}' is {description.TableStatus}, not ACTIVE; wait for it (or restore it) and try again.");
        }

        return _events = new DynamoDbEventStore(DynamoDb, table.Name);
    }

    /// <inheritdoc />
    public async Task<string> DescribeCollectorQueueAsync(CancellationToken cancellationToken)
    {
        var url = await QueueUrlAsync("collector", cancellationToken).ConfigureAwait(false);
        await QueueAttributesAsync("collector", url, ["QueueArn"], cancellationToken).ConfigureAwait(false);
        return AwsTargetSettings.NameOf(url);
    }

    /// <inheritdoc />
    public async Task<ScheduleResult> EnqueueAsync(ScheduleReports command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);

        // Without the report list the ids cannot be checked here; everything else (dates, range, trigger) can.
        var catalog = _settings.Reports ?? new ReportCatalog([]);
        var toValidate = _settings.Reports is null ? command with { Reports = [] } : command;
        var validation = await new ScheduleReportsValidator(catalog, _time).ValidateAsync(toValidate, cancellationToken).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            throw new ValidationException(validation.Errors);
        }

        if (command.Reports.Count == 0 && _settings.Reports is null)
        {
            throw new ReportsUnknownException($"the report list of {Description} is not known: {HowToGiveReports}.");
        }

        var url = await QueueUrlAsync("collector", cancellationToken).ConfigureAwait(false);
        await QueueAttributesAsync("collector", url, ["QueueArn"], cancellationToken).ConfigureAwait(false);
        var publisher = new RecordingPublisher(new SqsMessagePublisher(Sqs, new SqsQueueUrls(url, null, null, null), _loggers.CreateLogger<SqsMessagePublisher>()));
        var handler = new ScheduleReportsHandler(catalog, publisher, _time, _loggers.CreateLogger<ScheduleReportsHandler>());
        try
        {
            return await handler.Handle(command, cancellationToken).ConfigureAwait(false);
        }
        catch (PublishException ex)
        {
            var planned = publisher.Planned;
            var sent = ex.SentEnvelopeIds.ToHashSet(StringComparer.Ordinal);
            throw new PartialEnqueueException(
                ex.Message,
                planned.Where(p => sent.Contains(p.EnvelopeId)).ToList(),
                planned.Where(p => !sent.Contains(p.EnvelopeId)).ToList(),
                ex);
        }
    }

    /// <inheritdoc />
    public Task<RunSummary?> DeliverAsync(string trigger, IReadOnlyList<ScheduledReportDay> enqueued, CancellationToken cancellationToken) =>
        Task.FromResult<RunSummary?>(null);

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeadLetterView>> ListDeadLettersAsync(PipelineQueue queue, int max, CancellationToken cancellationToken)
    {
        var role = Role(queue) + "-dlq";
        var url = await QueueUrlAsync(role, cancellationToken).ConfigureAwait(false);
        await QueueAttributesAsync(role, url, ["QueueArn"], cancellationToken).ConfigureAwait(false);
        return await new SqsDeadLetterQueue(Sqs, url).PeekAsync(Math.Max(1, max), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RedriveSummary> RedriveAsync(PipelineQueue queue, RedriveRequest request, ProgressReporter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var role = Role(queue);
        var sourceUrl = await QueueUrlAsync(role, cancellationToken).ConfigureAwait(false);
        var deadLetterUrl = await QueueUrlAsync(role + "-dlq", cancellationToken).ConfigureAwait(false);
        var source = await QueueAttributesAsync(role, sourceUrl, ["QueueArn", "RedrivePolicy"], cancellationToken).ConfigureAwait(false);
        var deadLetter = await QueueAttributesAsync(
            role + "-dlq", deadLetterUrl, ["QueueArn", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"], cancellationToken).ConfigureAwait(false);
        var sourceName = AwsTargetSettings.NameOf(sourceUrl);
        var deadLetterName = AwsTargetSettings.NameOf(deadLetterUrl);

        // Moving messages into a queue that would not dead-letter them back here means the wrong pair was given.
        var target = DeadLetterTargetArn(source);
        if (!string.Equals(target, deadLetter["QueueArn"], StringComparison.Ordinal))
        {
            throw new StackResourceException(
                $"{deadLetterName} is not the dead-letter queue of {sourceName}: "
                + (target is null ? $"{sourceName} has no redrive policy" : $"its redrive policy points at {target}")
                + $"; check {Require(role + "-dlq", "dead-letter queue", "--" + role + "-dlq-url URL").Origin} and {Require(role, "queue", "--" + role + "-queue-url URL").Origin}. Nothing was moved.");
        }

        var waiting = Count(deadLetter, "ApproximateNumberOfMessages") + Count(deadLetter, "ApproximateNumberOfMessagesNotVisible");
        var redrive = new SqsRedrive(Sqs, sourceUrl, source["QueueArn"], deadLetterUrl, deadLetter["QueueArn"], _environment, progress);
        return await redrive.RunAsync(sourceName, deadLetterName, waiting, request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StackView> DescribeAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var queues = new List<QueueView>();
        var arns = new Dictionary<string, string>(StringComparer.Ordinal);
        var policies = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var role in new[] { "collector", "collector-dlq", "notifier", "notifier-dlq", "scheduler-dlq", "scheduler-failures" })
        {
            if (_settings.Resource(role) is not { } resource)
            {
                if (role.StartsWith("scheduler-", StringComparison.Ordinal))
                {
                    // Only the stack's naming convention knows these; nothing uses them but this overview.
                    continue;
                }

                problems.Add($"the {role} queue is not named: pass --stack NAME or --{role}{(role.EndsWith("-dlq", StringComparison.Ordinal) ? "-url" : "-queue-url")} URL");
                continue;
            }

            var url = await TryQueueUrlAsync(resource, cancellationToken).ConfigureAwait(false);
            var attributes = url is null
                ? null
                : await TryQueueAttributesAsync(
                    url, ["QueueArn", "RedrivePolicy", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"], cancellationToken).ConfigureAwait(false);
            if (attributes is null)
            {
                problems.Add($"queue '{resource.Name}' (from {resource.Origin}) does not exist");
                queues.Add(new QueueView(role, resource.Name, url, Exists: false, null, null, null));
                continue;
            }

            arns[role] = attributes.GetValueOrDefault("QueueArn") ?? string.Empty;
            policies[role] = DeadLetterTargetArn(attributes);
            queues.Add(new QueueView(
                role,
                AwsTargetSettings.NameOf(url!),
                url,
                Exists: true,
                Count(attributes, "ApproximateNumberOfMessages"),
                Count(attributes, "ApproximateNumberOfMessagesNotVisible"),
                policies[role] is { } policyTarget ? policyTarget.Split(':')[^1] : null));
        }

        foreach (var role in new[] { "collector", "notifier" })
        {
            if (arns.ContainsKey(role) && arns.TryGetValue(role + "-dlq", out var deadLetterArn) && policies[role] != deadLetterArn)
            {
                problems.Add($"queue {role} does not dead-letter to {deadLetterArn.Split(':')[^1]} (its redrive policy points at {policies[role] ?? "nothing"})");
            }
        }

        TableView table;
        if (_settings.Resource("events") is { } tableRef)
        {
            var description = await DescribeTableAsync(tableRef.Name, cancellationToken).ConfigureAwait(false);
            var hasIndex = description?.GlobalSecondaryIndexes?.Any(i => i.IndexName == EventTableSchema.ReportDateIndex);
            table = new TableView(tableRef.Name, description is not null, description?.TableStatus?.Value, description?.ItemCount, hasIndex);
            if (description is null)
            {
                problems.Add($"table '{tableRef.Name}' (from {tableRef.Origin}) does not exist");
            }
            else if (hasIndex != true)
            {
                problems.Add($"table '{tableRef.Name}' has no {EventTableSchema.ReportDateIndex} index, so snapshot queries cannot run");
            }
        }
        else
        {
            table = new TableView("(not named)", Exists: false, null, null, null);
            problems.Add("the event table is not named: pass --stack NAME or --table NAME");
        }

        var functions = new List<FunctionView>();
        if (_settings.StackName is { } stack)
        {
            using var lambda = new LambdaFunctions(_settings.Connection);
            foreach (var role in new[] { "scheduler", "collector", "notifier" })
            {
                var function = await lambda.ProbeAsync(role, $"{stack}-{role}", cancellationToken).ConfigureAwait(false);
                functions.Add(function);
                if (function.Exists == false)
                {
                    problems.Add($"function '{function.Name}' does not exist");
                }
            }
        }

        return new StackView(
            Kind,
            _settings.StackName,
            _settings.Region,
            _settings.EndpointFor(AwsConnection.Services.Sqs),
            DataDirectory: null,
            queues,
            table,
            functions,
            new ReportsView(_settings.ReportsSource, _settings.Reports?.Reports.Select(r => r.Id.Value).ToList() ?? []),
            problems);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _sqs?.Dispose();
        _dynamoDb?.Dispose();
        _loggers.Dispose();
    }

    internal static string Role(PipelineQueue queue) => SqsDeadLetterSink.SourceQueueName(queue);

    private static int? Count(Dictionary<string, string> attributes, string name) =>
        attributes.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : null;

    private static string? DeadLetterTargetArn(Dictionary<string, string> attributes)
    {
        if (!attributes.TryGetValue("RedrivePolicy", out var policy) || string.IsNullOrWhiteSpace(policy))
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

    private ResourceRef Require(string role, string what, string option) =>
        _settings.Resource(role)
        ?? throw new StackResourceException($"{what} ({role}) is not named: pass --stack NAME (Terraform's name_prefix) or {option}.");

    private string Check(ResourceRef resource) =>
        resource.ByConvention
            ? $"check the stack name ({resource.Origin}; Terraform's name_prefix), --region and --profile"
            : $"check {resource.Origin}, --region and --profile";

    private async Task<string> QueueUrlAsync(string role, CancellationToken cancellationToken)
    {
        if (_queueUrls.TryGetValue(role, out var known))
        {
            return known;
        }

        var resource = Require(role, $"the {role} queue", role.EndsWith("-dlq", StringComparison.Ordinal) ? $"--{role}-url URL" : $"--{role}-queue-url URL");
        var url = await TryQueueUrlAsync(resource, cancellationToken).ConfigureAwait(false)
            ?? throw new StackResourceException($"SQS queue '{resource.Name}' does not exist in {_settings.Region}: {Check(resource)}.");
        _queueUrls[role] = url;
        return url;
    }

    private async Task<string?> TryQueueUrlAsync(ResourceRef resource, CancellationToken cancellationToken)
    {
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

    private async Task<Dictionary<string, string>> QueueAttributesAsync(string role, string url, List<string> names, CancellationToken cancellationToken) =>
        await TryQueueAttributesAsync(url, names, cancellationToken).ConfigureAwait(false)
        ?? throw new StackResourceException($"SQS queue {url} does not exist: {Check(Require(role, role, role))}.");

    private async Task<Dictionary<string, string>?> TryQueueAttributesAsync(string url, List<string> names, CancellationToken cancellationToken)
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

    private async Task<TableDescription?> DescribeTableAsync(string name, CancellationToken cancellationToken)
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

    internal static bool IsMissingQueue(AmazonSQSException error) =>
        error is QueueDoesNotExistException
        || error.ErrorCode is "QueueDoesNotExist" or "AWS.SimpleQueueService.NonExistentQueue" or "NonExistentQueue";

    /// <summary>Keeps what the scheduler asked to publish, so a partial failure can name report-days, not envelope ids.</summary>
    private sealed class RecordingPublisher(IMessagePublisher inner) : IMessagePublisher
    {
        public List<PlannedReportDay> Planned { get; } = [];

        public Task<IReadOnlyList<string>> PublishAsync(PipelineQueue queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
        {
            foreach (var message in messages)
            {
                var payload = MessageCodec.DecodeReportRequested(message.Body).Payload;
                Planned.Add(new PlannedReportDay(ReportId.Parse(payload.ReportId), ReportDate.Parse(payload.Date), message.EnvelopeId));
            }

            return inner.PublishAsync(queue, messages, cancellationToken);
        }
    }
}
