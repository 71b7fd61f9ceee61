using CostNotifier.Aws;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Cli.Output;

namespace CostNotifier.Cli.Targets.Aws;

/// <summary>
/// What <c>stack</c> shows for a deployed stack: each queue, the event table and the functions, whether each exists,
/// and every problem found (a resource missing or not named, a work queue that dead-letters elsewhere). Reads only.
/// </summary>
public sealed class StackInspection(AwsTargetSettings settings, StackLookup lookup)
{
    /// <summary>The functions Terraform names <c>&lt;stack&gt;-&lt;role&gt;</c>.</summary>
    public static IReadOnlyList<string> FunctionRoles { get; } = ["scheduler", "collector", "notifier"];

    /// <summary>Looks every resource up and says what is missing or miswired.</summary>
    public async Task<StackView> InspectAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var queues = new List<InspectedQueue>();
        foreach (var role in StackRoles.Queues)
        {
            if (settings.Resource(role) is { } resource)
            {
                queues.Add(await InspectQueueAsync(resource, problems, cancellationToken).ConfigureAwait(false));
            }
            else if (role.Option() is { } option)
            {
                problems.Add($"{role.Description()} is not named: pass --stack NAME or {option}");
            }

            // Otherwise a scheduler queue: only the stack's naming convention knows those, and nothing uses them but this overview.
        }

        problems.AddRange(MiswiredDeadLetters(queues));
        var table = await InspectTableAsync(problems, cancellationToken).ConfigureAwait(false);
        var functions = await InspectFunctionsAsync(problems, cancellationToken).ConfigureAwait(false);
        return new StackView(
            TargetOptions.Aws,
            settings.StackName,
            settings.Region,
            settings.EndpointFor(AwsConnection.Services.Sqs),
            DataDirectory: null,
            queues.Select(q => q.View).ToList(),
            table,
            functions,
            new ReportsView(settings.ReportsSource, settings.Reports?.Reports.Select(r => r.Id.Value).ToList() ?? []),
            problems);
    }

    private async Task<InspectedQueue> InspectQueueAsync(ResourceRef resource, List<string> problems, CancellationToken cancellationToken)
    {
        var url = await lookup.QueueUrlAsync(resource, cancellationToken).ConfigureAwait(false);
        var attributes = url is null
            ? null
            : await lookup.QueueAttributesAsync(
                url, [StackLookup.QueueArn, StackLookup.RedrivePolicy, StackLookup.Visible, StackLookup.InFlight], cancellationToken).ConfigureAwait(false);
        if (attributes is null)
        {
            problems.Add($"queue '{resource.Name}' (from {resource.Origin}) does not exist");
            return new InspectedQueue(resource.Role, new QueueView(resource.Role.Name(), resource.Name, url, Exists: false, null, null, null), Arn: null, DeadLetterTarget: null);
        }

        var deadLetterTarget = StackLookup.DeadLetterTargetArn(attributes);
        var view = new QueueView(
            resource.Role.Name(),
            AwsTargetSettings.NameOf(url!),
            url,
            Exists: true,
            StackLookup.Count(attributes, StackLookup.Visible),
            StackLookup.Count(attributes, StackLookup.InFlight),
            deadLetterTarget is null ? null : QueueNameOf(deadLetterTarget));
        return new InspectedQueue(resource.Role, view, attributes.GetValueOrDefault(StackLookup.QueueArn) ?? string.Empty, deadLetterTarget);
    }

    /// <summary>Work queues whose redrive policy does not point at their own dead-letter queue, where both exist.</summary>
    private static IEnumerable<string> MiswiredDeadLetters(List<InspectedQueue> queues)
    {
        var arns = queues.Where(q => q.Arn is not null).ToDictionary(q => q.Role, q => q.Arn!);
        foreach (var work in queues.Where(q => q.Arn is not null))
        {
            if (work.Role.DeadLetterOf() is { } deadLetter && arns.TryGetValue(deadLetter, out var deadLetterArn) && work.DeadLetterTarget != deadLetterArn)
            {
                yield return $"queue {work.Role.Name()} does not dead-letter to {QueueNameOf(deadLetterArn)} (its redrive policy points at {work.DeadLetterTarget ?? "nothing"})";
            }
        }
    }

    private async Task<TableView> InspectTableAsync(List<string> problems, CancellationToken cancellationToken)
    {
        if (settings.Resource(StackRole.Events) is not { } table)
        {
            problems.Add($"{StackRole.Events.Description()} is not named: pass --stack NAME or {StackRole.Events.Option()}");
            return new TableView("(not named)", Exists: false, null, null, null);
        }

        var description = await lookup.DescribeTableAsync(table.Name, cancellationToken).ConfigureAwait(false);
        var hasIndex = description?.GlobalSecondaryIndexes?.Any(i => i.IndexName == EventTableSchema.ReportDateIndex);
        if (description is null)
        {
            problems.Add($"table '{table.Name}' (from {table.Origin}) does not exist");
        }
        else if (hasIndex != true)
        {
            problems.Add($"table '{table.Name}' has no {EventTableSchema.ReportDateIndex} index, so snapshot queries cannot run");
        }

        return new TableView(table.Name, description is not null, description?.TableStatus?.Value, description?.ItemCount, hasIndex);
    }

    private async Task<List<FunctionView>> InspectFunctionsAsync(List<string> problems, CancellationToken cancellationToken)
    {
        var functions = new List<FunctionView>();
        if (settings.StackName is not { } stack)
        {
            return functions;
        }

        using var lambda = new LambdaFunctions(settings.Connection);
        foreach (var role in FunctionRoles)
        {
            var function = await lambda.ProbeAsync(role, $"{stack}-{role}", cancellationToken).ConfigureAwait(false);
            functions.Add(function);
            if (function.Exists == false)
            {
                problems.Add($"function '{function.Name}' does not exist");
            }
        }

        return functions;
    }

    private static string QueueNameOf(string arn) => arn.Split(':')[^1];

    /// <summary>One queue as found; <paramref name="Arn"/> is null when it does not exist.</summary>
    private sealed record InspectedQueue(StackRole Role, QueueView View, string? Arn, string? DeadLetterTarget);
}
