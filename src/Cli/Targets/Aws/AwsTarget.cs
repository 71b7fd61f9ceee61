using Amazon.DynamoDBv2;
using CostNotifier.Aws;
using CostNotifier.Aws.Configuration;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Aws.Sqs;
using CostNotifier.Cli.Output;
using CostNotifier.Domain;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Observability;
using CostNotifier.Scheduler;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
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
    private readonly StackLookup _lookup;
    private readonly Dictionary<StackRole, string> _queueUrls = [];
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
        _lookup = new StackLookup(settings.Connection);
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

    /// <inheritdoc />
    public async Task<IEventStore> OpenEventStoreAsync(CancellationToken cancellationToken) =>
        await OpenDynamoDbEventStoreAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReportHistory> OpenReportHistoryAsync(CancellationToken cancellationToken) =>
        await OpenDynamoDbEventStoreAsync(cancellationToken).ConfigureAwait(false);

    private async Task<DynamoDbEventStore> OpenDynamoDbEventStoreAsync(CancellationToken cancellationToken)
    {
        if (_events is not null)
        {
            return _events;
        }

        return _events = new DynamoDbEventStore(_lookup.DynamoDb, await ExistingTableNameAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The report configuration published to the stack's event table, checked to exist.</summary>
    public async Task<DynamoDbReportConfigurationStore> OpenReportConfigurationStoreAsync(CancellationToken cancellationToken) =>
        new(_lookup.DynamoDb, await ExistingTableNameAsync(cancellationToken).ConfigureAwait(false), _time);

    private async Task<string> ExistingTableNameAsync(CancellationToken cancellationToken)
    {
        var table = Require(StackRole.Events);
        var description = await _lookup.DescribeTableAsync(table.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new StackResourceException($"DynamoDB table '{table.Name}' (from {table.Origin}) does not exist in {_settings.Region}: {Check(table)}");
        if (description.TableStatus != TableStatus.ACTIVE && description.TableStatus != TableStatus.UPDATING)
        {
            throw new StackResourceException($"DynamoDB table '{table.Name}' is {description.TableStatus}, not ACTIVE; wait for it (or restore it) and try again.");
        }

        return table.Name;
    }

    /// <inheritdoc />
    public async Task<string> DescribeCollectorQueueAsync(CancellationToken cancellationToken) =>
        AwsTargetSettings.NameOf(await ExistingQueueUrlAsync(StackRole.Collector, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public async Task<ScheduleResult> EnqueueAsync(ScheduleReports command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);

        if (command.Reports.Count == 0 && _settings.Reports is null)
        {
            throw new ReportsUnknownException($"the report list of {Description} is not known: {HowToGiveReports}.");
        }

        var url = await ExistingQueueUrlAsync(StackRole.Collector, cancellationToken).ConfigureAwait(false);
        var publisher = new RecordingPublisher(new SqsMessagePublisher(_lookup.Sqs, new SqsQueueUrls(url, null, null, null), _loggers.CreateLogger<SqsMessagePublisher>()));
        using var services = SchedulingServices(publisher);
        try
        {
            return await services.GetRequiredService<ISender>().Send(command, cancellationToken).ConfigureAwait(false);
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
    public Task<RunSummary?> DeliverAsync(Trigger trigger, IReadOnlyList<ScheduledReportPeriod> enqueued, CancellationToken cancellationToken) =>
        Task.FromResult<RunSummary?>(null);

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeadLetterView>> ListDeadLettersAsync(PipelineQueue queue, int max, CancellationToken cancellationToken)
    {
        var url = await ExistingQueueUrlAsync(StackRoles.DeadLetterQueue(queue), cancellationToken).ConfigureAwait(false);
        return await new SqsDeadLetterQueue(_lookup.Sqs, url).PeekAsync(Math.Max(1, max), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RedriveSummary> RedriveAsync(PipelineQueue queue, RedriveRequest request, ProgressReporter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var work = StackRoles.WorkQueue(queue);
        var dlq = StackRoles.DeadLetterQueue(queue);
        var sourceUrl = await QueueUrlAsync(work, cancellationToken).ConfigureAwait(false);
        var deadLetterUrl = await QueueUrlAsync(dlq, cancellationToken).ConfigureAwait(false);
        var source = await QueueAttributesAsync(work, sourceUrl, [StackLookup.QueueArn, StackLookup.RedrivePolicy], cancellationToken).ConfigureAwait(false);
        var deadLetter = await QueueAttributesAsync(
            dlq, deadLetterUrl, [StackLookup.QueueArn, StackLookup.Visible, StackLookup.InFlight], cancellationToken).ConfigureAwait(false);
        var sourceName = AwsTargetSettings.NameOf(sourceUrl);
        var deadLetterName = AwsTargetSettings.NameOf(deadLetterUrl);

        // Moving messages into a queue that would not dead-letter them back here means the wrong pair was given.
        var target = StackLookup.DeadLetterTargetArn(source);
        if (!string.Equals(target, deadLetter[StackLookup.QueueArn], StringComparison.Ordinal))
        {
            throw new StackResourceException(
                $"{deadLetterName} is not the dead-letter queue of {sourceName}: "
                + (target is null ? $"{sourceName} has no redrive policy" : $"its redrive policy points at {target}")
                + $"; check {Require(dlq).Origin} and {Require(work).Origin}. Nothing was moved.");
        }

        var waiting = StackLookup.Count(deadLetter, StackLookup.Visible) + StackLookup.Count(deadLetter, StackLookup.InFlight);
        var redrive = new SqsRedrive(_lookup.Sqs, sourceUrl, source[StackLookup.QueueArn], deadLetterUrl, deadLetter[StackLookup.QueueArn], _environment, progress);
        return await redrive.RunAsync(sourceName, deadLetterName, waiting, request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<StackView> DescribeAsync(CancellationToken cancellationToken) =>
        new StackInspection(_settings, _lookup).InspectAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _lookup.Dispose();
        _loggers.Dispose();
    }

    /// <summary>
    /// The scheduler's command handling as the scheduler function composes it (validation, then
    /// <see cref="ScheduleReportsHandler"/>), publishing through <paramref name="publisher"/>.
    /// </summary>
    private ServiceProvider SchedulingServices(IMessagePublisher publisher)
    {
        var services = new ServiceCollection()
            .AddSingleton(_time)
            .AddSingleton(_loggers)
            .AddLogging()
            .AddSingleton(publisher)
            .AddSingleton(PipelineMetrics.None)
            .AddSchedulingMediator();

        // Without the report list the ids cannot be checked here; everything else (dates, range, trigger) can.
        if (_settings.Reports is { } reports)
        {
            services.AddSingleton(reports).AddSchedulerCommands();
        }
        else
        {
            services.AddSingleton(new ReportCatalog([])).AddSingleton<IValidator<ScheduleReports>>(new UnlistedReportsValidator(_time));
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    private ResourceRef Require(StackRole role) =>
        _settings.Resource(role)
        ?? throw new StackResourceException($"{role.Description()} ({role.Name()}) is not named: pass --stack NAME (Terraform's name_prefix) or {role.Option()}.");

    private string Check(ResourceRef resource) =>
        resource.ByConvention
            ? $"check the stack name ({resource.Origin}; Terraform's name_prefix), --region and --profile"
            : $"check {resource.Origin}, --region and --profile";

    private async Task<string> QueueUrlAsync(StackRole role, CancellationToken cancellationToken)
    {
        if (_queueUrls.TryGetValue(role, out var known))
        {
            return known;
        }

        var resource = Require(role);
        var url = await _lookup.QueueUrlAsync(resource, cancellationToken).ConfigureAwait(false)
            ?? throw new StackResourceException($"SQS queue '{resource.Name}' does not exist in {_settings.Region}: {Check(resource)}.");
        _queueUrls[role] = url;
        return url;
    }

    private async Task<Dictionary<string, string>> QueueAttributesAsync(StackRole role, string url, List<string> names, CancellationToken cancellationToken) =>
        await _lookup.QueueAttributesAsync(url, names, cancellationToken).ConfigureAwait(false)
        ?? throw new StackResourceException($"SQS queue {url} does not exist: {Check(Require(role))}.");

    /// <summary>The URL of the queue of <paramref name="role"/>, checked to exist (a URL given explicitly may not).</summary>
    private async Task<string> ExistingQueueUrlAsync(StackRole role, CancellationToken cancellationToken)
    {
        var url = await QueueUrlAsync(role, cancellationToken).ConfigureAwait(false);
        await QueueAttributesAsync(role, url, [StackLookup.QueueArn], cancellationToken).ConfigureAwait(false);
        return url;
    }

    /// <summary>Keeps what the scheduler asked to publish, so a partial failure can name report-days, not envelope ids.</summary>
    private sealed class RecordingPublisher(IMessagePublisher inner) : IMessagePublisher
    {
        public List<PlannedReportPeriod> Planned { get; } = [];

        public Task<IReadOnlyList<string>> PublishAsync(PipelineQueue queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
        {
            foreach (var message in messages)
            {
                foreach (var payload in MessageCodec.DecodeCollectorMessage(message.Body).Payload)
                {
                    Planned.Add(new PlannedReportPeriod(payload.ReportId, payload.Period, message.EnvelopeId));
                }
            }

            return inner.PublishAsync(queue, messages, cancellationToken);
        }
    }
}
