using System.Text.RegularExpressions;
using CostNotifier.InfrastructureTests.Hcl;
using CostNotifier.InfrastructureTests.Terraform;

namespace CostNotifier.InfrastructureTests.Invariants;

/// <summary>
/// The rules the Terraform must keep. Each check returns the violations it finds, one readable line each,
/// so a test asserts an empty list and a negative test asserts the line it expects.
/// </summary>
public static partial class InfrastructureInvariants
{
    public const int MinimumMaxReceiveCount = 5;
    public const int VisibilityTimeoutFactor = 6;
    public const decimal DurationSloMilliseconds = 30_000;
    public const int ReportSilenceHours = 25;

    // SQS defaults when an attribute is not set.
    private const decimal DefaultRetentionSeconds = 345_600;
    private const decimal DefaultVisibilityTimeoutSeconds = 30;
    private const decimal DefaultLambdaTimeoutSeconds = 3;
    private const decimal DefaultBatchingWindowSeconds = 0;

    private static readonly HashSet<string> CostExplorerReads = new(StringComparer.Ordinal) { "ce:GetCostAndUsage" };

    /// <summary>
    /// Every action a policy may grant, with what calls it. An action nothing calls only widens what a leaked
    /// credential can do; when code starts calling a new action, add it here and to the policy in the same change.
    /// The operator CLI's actions (ChangeMessageVisibility, StartMessageMoveTask, ...) are not here: it runs with the
    /// operator's own credentials.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ActionsInUse = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["logs:CreateLogStream"] = "Lambda, writing a function's log group",
        ["logs:PutLogEvents"] = "Lambda, writing a function's log group",
        ["sqs:ReceiveMessage"] = "the SQS event source mappings, polling a work queue",
        ["sqs:DeleteMessage"] = "the SQS event source mappings, deleting what a batch processed",
        ["sqs:GetQueueAttributes"] = "the SQS event source mappings",
        ["sqs:SendMessage"] = "the functions (SendMessage/SendMessageBatch), Lambda's on-failure destination, EventBridge Scheduler's DLQ",
        ["dynamodb:Query"] = "the DynamoDB event store",
        ["dynamodb:GetItem"] = "the DynamoDB event store",
        ["dynamodb:PutItem"] = "the DynamoDB event store",
        ["dynamodb:DeleteItem"] = "the DynamoDB event store (releasing claims)",
        ["ce:GetCostAndUsage"] = "the collector's Cost Explorer client",
        ["ses:SendEmail"] = "the notifier's SES v2 client",
        ["lambda:InvokeFunction"] = "EventBridge Scheduler, invoking the scheduler function",
        ["kms:Decrypt"] = "DynamoDB, with the event table's customer managed key; SSM, decrypting a channel's SecureString parameter",
        ["kms:Encrypt"] = "DynamoDB, with the event table's customer managed key",
        ["kms:GenerateDataKey"] = "DynamoDB, with the event table's customer managed key",
        ["kms:DescribeKey"] = "DynamoDB, with the event table's customer managed key",
        ["ssm:GetParameter"] = "the notifier's chat senders, reading a channel's webhook URL or bot token",
    };

    /// <summary>Every sending event SES can report about an email the notifier sent (opens, clicks and subscriptions aside).</summary>
    public static readonly IReadOnlyList<string> SesSendingEventTypes =
        ["SEND", "DELIVERY", "BOUNCE", "COMPLAINT", "REJECT", "RENDERING_FAILURE", "DELIVERY_DELAY"];

    /// <summary>Where <c>./build.sh package [--aot] [--arch A]</c> writes a function: <c>&lt;artifacts&gt;/&lt;package kind&gt;/&lt;architecture&gt;/&lt;fn&gt;.zip</c>.</summary>
    [GeneratedRegex(@"/(?<kind>ready-to-run|native-aot)/(?<architecture>x86_64|arm64)/[a-z0-9-]+\.zip$", RegexOptions.CultureInvariant)]
    private static partial Regex PackagePath();

    /// <summary>Every KMS key of one account and region, <c>arn:&lt;partition&gt;:kms:&lt;region&gt;:&lt;account&gt;:key/*</c> (the parts may be references).</summary>
    [GeneratedRegex(@"^arn:[^:*]+:kms:[^:*]+:[^:*]+:key/\*$", RegexOptions.CultureInvariant)]
    private static partial Regex AnyKeyOfTheAccount();

    /// <summary>The log streams of a log group declared here: its arn followed by <c>:*</c>.</summary>
    [GeneratedRegex(@"^\$\{aws_cloudwatch_log_group\.[A-Za-z0-9_-]+\.arn\}:\*$", RegexOptions.CultureInvariant)]
    private static partial Regex LogStreamsOfALogGroup();

    /// <summary>An SSM parameter's ARN, <c>arn:&lt;partition&gt;:ssm:&lt;region&gt;:&lt;account&gt;:parameter/&lt;name without its leading '/'&gt;</c>.</summary>
    [GeneratedRegex(@"^arn:[^:*]+:ssm:[^:*]+:[^:*]+:parameter/(?<name>[^*]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SsmParameterArn();

    /// <summary>A service endpoint a KMS key may be used through, <c>&lt;service&gt;.&lt;region&gt;.amazonaws.com</c> (the region may be a reference).</summary>
    [GeneratedRegex(@"^(?<service>[a-z0-9-]+)\.[^*]+\.amazonaws\.com$", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceEndpoint();

    // --- queues ------------------------------------------------------------------------------------

    /// <summary>Queues a Lambda event source mapping consumes, with the function consuming them.</summary>
    public static IEnumerable<(ResourceInstance Mapping, ResourceInstance? Queue, ResourceInstance? Function)> Consumers(TerraformStack stack) =>
        stack.Resources("aws_lambda_event_source_mapping").Select(m => (m, stack.Find(m.Body["event_source_arn"]), stack.Find(m.Body["function_name"])));

    /// <summary>Every dead-letter queue with the queue or schedule that feeds it.</summary>
    public static IEnumerable<(ResourceInstance DeadLetterQueue, ResourceInstance Source)> DeadLetterQueues(TerraformStack stack)
    {
        foreach (var queue in stack.Resources("aws_sqs_queue"))
        {
            if (queue.Body["redrive_policy"].DecodeJson() is { } policy
                && policy.TryGetProperty("deadLetterTargetArn", out var target)
                && stack.Find(Values.ReferenceIn(target, queue) ?? HclValue.Null) is { } dlq)
            {
                yield return (dlq, queue);
            }
        }

        foreach (var schedule in stack.Resources("aws_scheduler_schedule"))
        {
            foreach (var target in schedule.Body.Blocks("target"))
            {
                if (target.Block("dead_letter_config") is { } config && stack.Find(config["arn"]) is { } dlq)
                {
                    yield return (dlq, schedule);
                }
            }
        }
    }

    public static IReadOnlyList<string> ConsumerQueuesHaveRedrivePolicies(TerraformStack stack)
    {
        var violations = new List<string>();
        var consumers = Consumers(stack).ToList();
        if (consumers.Count == 0)
        {
            violations.Add("No aws_lambda_event_source_mapping found: nothing consumes a queue.");
        }

        foreach (var (mapping, queue, _) in consumers)
        {
            if (queue is null || queue.Type != "aws_sqs_queue")
            {
                violations.Add($"{mapping}: event_source_arn does not reference an aws_sqs_queue's arn.");
                continue;
            }

            if (queue.Body["redrive_policy"].DecodeJson() is not { } policy)
            {
                violations.Add($"{queue}: consumer queue has no redrive_policy (jsonencode with deadLetterTargetArn and maxReceiveCount).");
                continue;
            }

            if (!policy.TryGetProperty("deadLetterTargetArn", out var target)
                || stack.Find(Values.ReferenceIn(target, queue) ?? HclValue.Null) is not { Type: "aws_sqs_queue" } dlq
                || !dlq.IsReferencedBy(Values.ReferenceIn(target, queue)!, "arn"))
            {
                violations.Add($"{queue}: redrive_policy.deadLetterTargetArn does not reference another aws_sqs_queue's arn.");
            }
            else if (dlq.Address == queue.Address)
            {
                violations.Add($"{queue}: redrive_policy points the queue at itself.");
            }

            if (!policy.TryGetProperty("maxReceiveCount", out var count) || count.ValueKind != System.Text.Json.JsonValueKind.Number)
            {
                violations.Add($"{queue}: redrive_policy.maxReceiveCount is missing or not known before apply.");
            }
            else if (count.GetDecimal() < MinimumMaxReceiveCount)
            {
                violations.Add($"{queue}: redrive_policy.maxReceiveCount is {count.GetDecimal()}, must be at least {MinimumMaxReceiveCount} so throttles and partial-batch retries do not dead-letter healthy messages.");
            }
        }

        return violations;
    }

    public static IReadOnlyList<string> DeadLetterQueuesOutliveTheirSources(TerraformStack stack)
    {
        var violations = new List<string>();
        foreach (var (dlq, source) in DeadLetterQueues(stack).Where(d => d.Source.Type == "aws_sqs_queue"))
        {
            var dlqRetention = dlq.Body["message_retention_seconds"].Number() ?? DefaultRetentionSeconds;
            var sourceRetention = source.Body["message_retention_seconds"].Number() ?? DefaultRetentionSeconds;
            if (dlqRetention <= sourceRetention)
            {
                violations.Add($"{dlq}: keeps messages {dlqRetention} s, not longer than its source {source} ({sourceRetention} s); a dead-lettered message keeps its original enqueue time and would expire early.");
            }
        }

        return violations;
    }

    public static IReadOnlyList<string> VisibilityTimeoutsCoverTheirConsumers(TerraformStack stack)
    {
        var violations = new List<string>();
        foreach (var (mapping, queue, function) in Consumers(stack))
        {
            if (queue is null || function is null)
            {
                violations.Add($"{mapping}: event_source_arn or function_name does not reference a declared queue and function.");
                continue;
            }

            var visibility = queue.Body.Has("visibility_timeout_seconds") ? queue.Body["visibility_timeout_seconds"].Number() : DefaultVisibilityTimeoutSeconds;
            var timeout = function.Body.Has("timeout") ? function.Body["timeout"].Number() : DefaultLambdaTimeoutSeconds;
            var window = mapping.Body.Has("maximum_batching_window_in_seconds") ? mapping.Body["maximum_batching_window_in_seconds"].Number() : DefaultBatchingWindowSeconds;
            if (visibility is null || timeout is null || window is null)
            {
                violations.Add($"{queue}: visibility timeout, {function} timeout or {mapping} batching window is not known before apply.");
            }
            else if (visibility < (VisibilityTimeoutFactor * timeout) + window)
            {
                violations.Add($"{queue}: visibility_timeout_seconds is {visibility}, less than {VisibilityTimeoutFactor} x {function} timeout ({timeout} s) + {mapping} maximum_batching_window_in_seconds ({window} s) = {(VisibilityTimeoutFactor * timeout) + window}.");
            }
        }

        return violations;
    }

    public static IReadOnlyList<string> EventSourceMappingsReportBatchItemFailures(TerraformStack stack)
    {
        var violations = new List<string>();
        foreach (var (mapping, _, _) in Consumers(stack))
        {
            if (!mapping.Body["function_response_types"].Texts().Contains("ReportBatchItemFailures"))
            {
                violations.Add($"{mapping}: function_response_types lacks ReportBatchItemFailures, so one failed message would fail its whole batch.");
            }

            if (mapping.Body["batch_size"].Number() is not (>= 1 and <= 10))
            {
                violations.Add($"{mapping}: batch_size must be set to 1..10 (a standard queue batch the functions answer per message).");
            }

            if (mapping.Body.Block("scaling_config")?["maximum_concurrency"].Number() is not >= 2)
            {
                violations.Add($"{mapping}: scaling_config.maximum_concurrency must be set (at least 2) to bound the calls to Cost Explorer and SES.");
            }
        }

        return violations;
    }

    public static IReadOnlyList<string> QueuesAreEncrypted(TerraformStack stack) =>
        [.. stack.Resources("aws_sqs_queue")
            .Where(q => !q.Body["sqs_managed_sse_enabled"].IsTrue() && q.Body["kms_master_key_id"] is HclNull)
            .Select(q => $"{q}: neither sqs_managed_sse_enabled = true nor kms_master_key_id is set.")];

    // --- SES delivery events -------------------------------------------------------------------------

    /// <summary>Each SES configuration set's event destinations, with the SNS topic each publishes to (null when it names none of this configuration's).</summary>
    public static IEnumerable<(ResourceInstance ConfigurationSet, ResourceInstance Destination, ResourceInstance? Topic)> SesEventDestinations(TerraformStack stack) =>
        from set in stack.Resources("aws_sesv2_configuration_set")
        from destination in stack.Resources("aws_sesv2_configuration_set_event_destination")
        where destination.Body["configuration_set_name"].Names(set, "configuration_set_name")
        let topicArn = destination.Body.Block("event_destination")?.Block("sns_destination")?["topic_arn"] ?? HclValue.Null
        select (set, destination, stack.Find(topicArn) is { Type: "aws_sns_topic" } topic && topic.IsReferencedBy(topicArn, "arn") ? topic : null);

    /// <summary>Every configuration set reports each of <see cref="SesSendingEventTypes"/> to an SNS topic of this configuration.</summary>
    public static IReadOnlyList<string> SesReportsEverySendingEventToSns(TerraformStack stack)
    {
        var violations = new List<string>();
        var sets = stack.Resources("aws_sesv2_configuration_set").ToList();
        if (sets.Count == 0)
        {
            violations.Add("No aws_sesv2_configuration_set found: the emails are sent without one, so SES reports nothing about them.");
        }

        var destinations = SesEventDestinations(stack).ToList();
        foreach (var set in sets.Where(c => !destinations.Any(d => d.ConfigurationSet.Address == c.Address && d.Topic is not null)))
        {
            violations.Add($"{set}: no aws_sesv2_configuration_set_event_destination publishes its events to an aws_sns_topic of this configuration.");
        }

        foreach (var (_, destination, _) in destinations)
        {
            var events = destination.Body.Block("event_destination");
            if (events?["enabled"].IsTrue() != true)
            {
                violations.Add($"{destination}: event_destination.enabled must be true.");
            }

            var types = events?["matching_event_types"].Texts().ToHashSet(StringComparer.Ordinal) ?? [];
            var missing = SesSendingEventTypes.Where(t => !types.Contains(t)).ToList();
            if (missing.Count > 0)
            {
                violations.Add($"{destination}: matching_event_types lacks {string.Join(", ", missing)}; the notifier records every sending event of an email.");
            }
        }

        return violations;
    }

    /// <summary>The statements of the resource policy attached to a topic or queue by <paramref name="policyType"/>.</summary>
    private static List<IamStatement> ResourcePolicy(TerraformStack stack, string policyType, string targetAttribute, Func<HclValue, bool> namesTarget) =>
        [.. stack.Resources(policyType)
            .Where(p => namesTarget(p.Body[targetAttribute]))
            .Select(p => stack.Find(IamStatement.ReferenceToDocument(p.Body["policy"])))
            .OfType<ResourceInstance>()
            .SelectMany(IamStatement.Of)];

    private static bool OnlyService(IamStatement statement, string service) =>
        statement.Principals is [{ Type: "Service", Identifiers: [var only] }] && only == service;

    /// <summary>
    /// A topic SES publishes to lets only SES publish, and only for this account's configuration set (the
    /// confused-deputy guard: AWS:SourceAccount and AWS:SourceArn); and it is not under the AWS managed key aws/sns,
    /// which SES cannot use.
    /// </summary>
    public static IReadOnlyList<string> SesEventTopicsAcceptOnlyTheirConfigurationSet(TerraformStack stack)
    {
        var violations = new List<string>();
        foreach (var (set, destination, topic) in SesEventDestinations(stack))
        {
            if (topic is null)
            {
                violations.Add($"{destination}: sns_destination.topic_arn does not reference an aws_sns_topic's arn.");
                continue;
            }

            if (topic.Body["kms_master_key_id"].Text() is { } key && key.Contains("alias/aws/", StringComparison.Ordinal))
            {
                violations.Add($"{topic}: kms_master_key_id {key} is an AWS managed key, whose policy does not let SES publish; leave the topic unencrypted or use a customer managed key.");
            }

            var statements = ResourcePolicy(stack, "aws_sns_topic_policy", "arn", v => topic.IsReferencedBy(v, "arn"));
            if (statements.Count == 0)
            {
                violations.Add($"{topic}: no aws_sns_topic_policy from an aws_iam_policy_document; SES needs one to publish, and the default policy would let any principal of the account publish.");
            }

            foreach (var statement in statements)
            {
                if (!OnlyService(statement, "ses.amazonaws.com"))
                {
                    violations.Add($"{statement.Location}: principals must be the service ses.amazonaws.com alone.");
                }

                violations.AddRange(statement.Actions.Where(a => !string.Equals(a, "sns:Publish", StringComparison.OrdinalIgnoreCase))
                    .Select(a => $"{statement.Location}: allows {a}; SES needs sns:Publish alone."));
                if (statement.Resources is not [var resource] || !topic.IsReferencedBy(resource, "arn"))
                {
                    violations.Add($"{statement.Location}: resources must be the topic's own arn.");
                }

                var account = statement.ConditionValues("StringEquals", "AWS:SourceAccount");
                if (account is not { Count: > 0 } || !account.All(v => v is HclReference { Address: var a } && a.StartsWith("data.aws_caller_identity.", StringComparison.Ordinal) && a.EndsWith(".account_id", StringComparison.Ordinal)))
                {
                    violations.Add($"{statement.Location}: needs a StringEquals AWS:SourceAccount condition on this account (data.aws_caller_identity's account_id).");
                }

                var source = statement.ConditionValues("StringEquals", "AWS:SourceArn") ?? statement.ConditionValues("ArnEquals", "AWS:SourceArn");
                if (source is not [var arn] || !set.IsReferencedBy(arn, "arn"))
                {
                    violations.Add($"{statement.Location}: needs an AWS:SourceArn condition (StringEquals or ArnEquals) on {set}'s arn alone, so SES publishes only this configuration set's events.");
                }
            }
        }

        return violations;
    }

    /// <summary>
    /// The topic delivers raw (the queue message is SES's event itself) to an SQS queue an event source mapping
    /// consumes, and that queue accepts messages only from the topic.
    /// </summary>
    public static IReadOnlyList<string> SesEventsReachAConsumedQueueFromTheirTopicOnly(TerraformStack stack)
    {
        var violations = new List<string>();
        var consumed = Consumers(stack).Select(c => c.Queue).OfType<ResourceInstance>().ToList();
        foreach (var topic in SesEventDestinations(stack).Select(d => d.Topic).OfType<ResourceInstance>().DistinctBy(t => t.Address))
        {
            var subscriptions = stack.Resources("aws_sns_topic_subscription").Where(s => topic.IsReferencedBy(s.Body["topic_arn"], "arn")).ToList();
            if (subscriptions.Count == 0)
            {
                violations.Add($"{topic}: nothing subscribes to it, so SES's events are dropped.");
            }

            foreach (var subscription in subscriptions)
            {
                if (subscription.Body["protocol"].Text() != "sqs"
                    || stack.Find(subscription.Body["endpoint"]) is not { Type: "aws_sqs_queue" } queue
                    || !queue.IsReferencedBy(subscription.Body["endpoint"], "arn"))
                {
                    violations.Add($"{subscription}: must deliver to an aws_sqs_queue of this configuration (protocol sqs, endpoint its arn).");
                    continue;
                }

                if (!subscription.Body["raw_message_delivery"].IsTrue())
                {
                    violations.Add($"{subscription}: raw_message_delivery must be true, so each queue message is SES's event JSON rather than an SNS envelope around it.");
                }

                if (!consumed.Any(q => q.Address == queue.Address))
                {
                    violations.Add($"{queue}: receives SES's events but no aws_lambda_event_source_mapping consumes it.");
                }

                var statements = ResourcePolicy(stack, "aws_sqs_queue_policy", "queue_url", v => queue.IsReferencedBy(v, "id") || queue.IsReferencedBy(v, "url"));
                if (statements.Count == 0)
                {
                    violations.Add($"{queue}: no aws_sqs_queue_policy from an aws_iam_policy_document, so SNS cannot deliver to it.");
                }

                foreach (var statement in statements)
                {
                    if (!OnlyService(statement, "sns.amazonaws.com"))
                    {
                        violations.Add($"{statement.Location}: principals must be the service sns.amazonaws.com alone.");
                    }

                    violations.AddRange(statement.Actions.Where(a => !string.Equals(a, "sqs:SendMessage", StringComparison.OrdinalIgnoreCase))
                        .Select(a => $"{statement.Location}: allows {a}; SNS needs sqs:SendMessage alone."));
                    if (statement.Resources is not [var resource] || !queue.IsReferencedBy(resource, "arn"))
                    {
                        violations.Add($"{statement.Location}: resources must be the queue's own arn.");
                    }

                    var source = statement.ConditionValues("ArnEquals", "aws:SourceArn") ?? statement.ConditionValues("StringEquals", "aws:SourceArn");
                    if (source is not [var arn] || !topic.IsReferencedBy(arn, "arn"))
                    {
                        violations.Add($"{statement.Location}: needs an aws:SourceArn condition (ArnEquals or StringEquals) on {topic}'s arn alone, so no other topic can write to the queue.");
                    }
                }
            }
        }

        return violations;
    }

    // --- alarms -------------------------------------------------------------------------------------

    private static IEnumerable<ResourceInstance> Alarms(TerraformStack stack) => stack.Resources("aws_cloudwatch_metric_alarm");

    private static bool Measures(ResourceInstance alarm, string ns, string metric) =>
        alarm.Body["namespace"].Text() == ns && alarm.Body["metric_name"].Text() == metric;

    private static HclValue Dimension(ResourceInstance alarm, string name) =>
        alarm.Body["dimensions"] is HclObject dims ? dims[name] : HclValue.Null;

    /// <summary>Whether the alarm fires as soon as the metric is above zero.</summary>
    private static bool FiresAboveZero(ResourceInstance alarm) =>
        (alarm.Body["comparison_operator"].Text(), alarm.Body["threshold"].Number()) is ("GreaterThanThreshold", 0) or ("GreaterThanOrEqualToThreshold", 1);

    public static IReadOnlyList<string> DeadLetterQueuesHaveDepthAlarms(TerraformStack stack)
    {
        var violations = new List<string>();
        var deadLetterQueues = DeadLetterQueues(stack).Select(d => d.DeadLetterQueue).DistinctBy(q => q.Address).ToList();
        if (deadLetterQueues.Count == 0)
        {
            violations.Add("No dead-letter queue found (no redrive_policy or schedule dead_letter_config references a queue).");
        }

        foreach (var dlq in deadLetterQueues.Where(q => !HasDepthAlarm(stack, q)))
        {
            violations.Add($"{dlq}: dead-letter queue has no alarm on AWS/SQS ApproximateNumberOfMessagesVisible > 0 for its QueueName.");
        }

        return violations;
    }

    private static bool HasDepthAlarm(TerraformStack stack, ResourceInstance queue) =>
        Alarms(stack).Any(a => Measures(a, "AWS/SQS", "ApproximateNumberOfMessagesVisible") && Dimension(a, "QueueName").Names(queue, "name") && FiresAboveZero(a));

    public static IReadOnlyList<string> AlarmsNotifyTheAlarmTopic(TerraformStack stack)
    {
        var violations = new List<string>();
        var alarms = Alarms(stack).Concat(stack.Resources("aws_cloudwatch_composite_alarm")).ToList();
        if (alarms.Count == 0)
        {
            violations.Add("No aws_cloudwatch_metric_alarm found.");
        }

        foreach (var alarm in alarms)
        {
            foreach (var attribute in new[] { "alarm_actions", "ok_actions", "insufficient_data_actions" })
            {
                var actions = alarm.Body[attribute].Items();
                if (actions.Count == 0 && attribute != "insufficient_data_actions")
                {
                    violations.Add($"{alarm}: {attribute} is empty; it must notify the SNS alarm topic.");
                }

                foreach (var action in actions)
                {
                    if (stack.Find(action) is not { Type: "aws_sns_topic" } topic || !topic.IsReferencedBy(action, "arn"))
                    {
                        violations.Add($"{alarm}: {attribute} contains {action.Display()}, which is not the arn of an aws_sns_topic in this configuration.");
                    }
                }
            }
        }

        return violations;
    }

    public static IReadOnlyList<string> AlarmWindowsAreValid(TerraformStack stack)
    {
        var violations = new List<string>();
        foreach (var alarm in Alarms(stack))
        {
            var treatMissing = alarm.Body["treat_missing_data"].Text();
            if (treatMissing is not ("breaching" or "notBreaching" or "ignore" or "missing"))
            {
                violations.Add($"{alarm}: treat_missing_data must be chosen explicitly (breaching, notBreaching, ignore or missing).");
            }

            var period = PeriodOf(alarm);
            var evaluations = alarm.Body["evaluation_periods"].Number();
            var datapoints = alarm.Body["datapoints_to_alarm"].Number() ?? evaluations;
            if (period is null || evaluations is null)
            {
                violations.Add($"{alarm}: period (its own, or one shared by every metric of its query) and evaluation_periods must be known numbers.");
                continue;
            }

            var limit = period < 3600 ? 86_400 : 604_800;
            if (period * evaluations > limit)
            {
                violations.Add($"{alarm}: period x evaluation_periods = {period * evaluations} s exceeds CloudWatch's {limit} s for a {period} s period.");
            }

            if (datapoints > evaluations || datapoints < 1)
            {
                violations.Add($"{alarm}: datapoints_to_alarm {datapoints} must be 1..evaluation_periods ({evaluations}).");
            }
        }

        return violations;
    }

    public static IReadOnlyList<string> FunctionsHaveErrorThrottleAndDurationAlarms(TerraformStack stack)
    {
        var violations = new List<string>();
        foreach (var function in stack.Resources("aws_lambda_function"))
        {
            bool Has(string metric, Func<ResourceInstance, bool> rule) => Alarms(stack).Any(a =>
                Measures(a, "AWS/Lambda", metric) && Dimension(a, "FunctionName").Names(function, "function_name") && rule(a));

            if (!Has("Errors", FiresAboveZero))
            {
                violations.Add($"{function}: no alarm on AWS/Lambda Errors > 0.");
            }

            if (!Has("Throttles", FiresAboveZero))
            {
                violations.Add($"{function}: no alarm on AWS/Lambda Throttles > 0.");
            }

            if (!Has("Duration", a => a.Body["extended_statistic"].Text() == "p95"
                && a.Body["comparison_operator"].Text() == "GreaterThanThreshold"
                && a.Body["threshold"].Number() is { } threshold && threshold <= DurationSloMilliseconds))
            {
                violations.Add($"{function}: no alarm on AWS/Lambda Duration p95 > {DurationSloMilliseconds} ms (the latency SLO).");
            }
        }

        return violations;
    }

    public static IReadOnlyList<string> WorkQueuesHaveAgeOfOldestMessageAlarms(TerraformStack stack) =>
        [.. Consumers(stack)
            .Where(c => c.Queue is not null)
            .Where(c => !Alarms(stack).Any(a => Measures(a, "AWS/SQS", "ApproximateAgeOfOldestMessage") && Dimension(a, "QueueName").Names(c.Queue!, "name")))
            .Select(c => $"{c.Queue}: work queue has no ApproximateAgeOfOldestMessage alarm.")];

    public static IReadOnlyList<string> NoReportSentAlarmWatchesTheLast25Hours(TerraformStack stack, string namePrefix)
    {
        // A metric-math alarm: per hour, the emails sent plus one for a scheduled run that found nothing due.
        var alarm = Alarms(stack).FirstOrDefault(a => QueryMetric(a, "CostNotifier", "ReportsSent") is not null);
        if (alarm is null)
        {
            return ["No alarm on the CostNotifier/ReportsSent metric (the 'no report sent in 25 h' alarm)."];
        }

        var violations = new List<string>();
        var sent = QueryMetric(alarm, "CostNotifier", "ReportsSent")!.Value;
        var due = QueryMetric(alarm, "CostNotifier", "ReportsDue");
        if (due is null)
        {
            violations.Add($"{alarm}: must also read CostNotifier/ReportsDue, so a scheduled run with nothing due (a digest-only stack between digests) counts as a sign of life.");
        }

        var returned = alarm.Body.Blocks("metric_query").Where(q => q["return_data"] is HclBool { Value: true }).ToList();
        var expression = returned.Count == 1 ? returned[0]["expression"].Text() : null;
        if (expression is null
            || !expression.Contains($"FILL({sent.Id}, 0)", StringComparison.Ordinal)
            || (due is { } d && !expression.Contains($"IF(FILL({d.Id}, 1) == 0, 1, 0)", StringComparison.Ordinal)))
        {
            violations.Add($"{alarm}: the one returned expression must add the emails sent (missing as 0) and 1 for each hour whose ReportsDue is 0 (missing as not 0); it is '{expression}'.");
        }

        if (alarm.Body["treat_missing_data"].Text() != "breaching")
        {
            violations.Add($"{alarm}: treat_missing_data must be 'breaching': no datapoint is exactly the silence it looks for.");
        }

        foreach (var metric in new[] { sent.Metric, due?.Metric }.OfType<TerraformBody>())
        {
            if (metric["stat"].Text() != "Sum")
            {
                violations.Add($"{alarm}: {metric["metric_name"].Text()} must be read as a Sum (emails sent, periods due per hour).");
            }

            if ((metric["dimensions"] is HclObject dims ? dims["Stack"] : HclValue.Null).Text() != namePrefix)
            {
                violations.Add($"{alarm}: {metric["metric_name"].Text()} must have the dimension Stack = the stack's name_prefix, the dimension the functions emit.");
            }
        }

        if (alarm.Body["comparison_operator"].Text() != "LessThanThreshold" || alarm.Body["threshold"].Number() is not (> 0 and <= 1))
        {
            violations.Add($"{alarm}: must fire when fewer than 1 report was sent in a period (LessThanThreshold, threshold in (0, 1]).");
        }

        var period = PeriodOf(alarm);
        var evaluations = alarm.Body["evaluation_periods"].Number();
        var datapoints = alarm.Body["datapoints_to_alarm"].Number() ?? evaluations;
        if (period * evaluations != ReportSilenceHours * 3600)
        {
            violations.Add($"{alarm}: period x evaluation_periods is {period * evaluations} s; it must cover exactly {ReportSilenceHours} h.");
        }

        if (datapoints != evaluations)
        {
            violations.Add($"{alarm}: datapoints_to_alarm ({datapoints}) must equal evaluation_periods ({evaluations}) so a single sign of life in the window keeps it OK.");
        }

        return violations;
    }

    /// <summary>
    /// One alarm watches the notifier's NotificationsBounced and NotificationsComplained (Sum, Stack = the stack's
    /// name) and fires on the first one in a window of at most 5 minutes; no data (no bounce) is not breaching.
    /// </summary>
    public static IReadOnlyList<string> EmailBouncesAndComplaintsRaiseAnAlarm(TerraformStack stack, string namePrefix)
    {
        var alarm = Alarms(stack).FirstOrDefault(a => QueryMetric(a, "CostNotifier", "NotificationsBounced") is not null);
        if (alarm is null)
        {
            return ["No alarm on the CostNotifier/NotificationsBounced metric (the bounced-or-complained alarm)."];
        }

        var violations = new List<string>();
        var bounced = QueryMetric(alarm, "CostNotifier", "NotificationsBounced")!.Value;
        var complained = QueryMetric(alarm, "CostNotifier", "NotificationsComplained");
        if (complained is null)
        {
            violations.Add($"{alarm}: must also read CostNotifier/NotificationsComplained.");
        }

        var returned = alarm.Body.Blocks("metric_query").Where(q => q["return_data"] is HclBool { Value: true }).ToList();
        var expression = returned.Count == 1 ? returned[0]["expression"].Text() : null;
        if (expression is null || !Regex.IsMatch(expression, $@"\b{bounced.Id}\b") || (complained is { } c && !Regex.IsMatch(expression, $@"\b{c.Id}\b")))
        {
            violations.Add($"{alarm}: the one returned expression must add bounces and complaints; it is '{expression}'.");
        }

        foreach (var metric in new[] { bounced.Metric, complained?.Metric }.OfType<TerraformBody>())
        {
            if (metric["stat"].Text() != "Sum")
            {
                violations.Add($"{alarm}: {metric["metric_name"].Text()} must be read as a Sum.");
            }

            if ((metric["dimensions"] is HclObject dims ? dims["Stack"] : HclValue.Null).Text() != namePrefix)
            {
                violations.Add($"{alarm}: {metric["metric_name"].Text()} must have the dimension Stack = the stack's name_prefix, the dimension the functions emit.");
            }
        }

        if (!FiresAboveZero(alarm))
        {
            violations.Add($"{alarm}: must fire on the first bounce or complaint (GreaterThanThreshold 0).");
        }

        if (alarm.Body["treat_missing_data"].Text() != "notBreaching")
        {
            violations.Add($"{alarm}: treat_missing_data must be notBreaching: no datapoint means no email bounced.");
        }

        if (PeriodOf(alarm) is not (> 0 and <= 300) || alarm.Body["evaluation_periods"].Number() != 1)
        {
            violations.Add($"{alarm}: must look at one period of at most 5 minutes, so it fires as soon as the event is recorded.");
        }

        return violations;
    }

    // The id and metric block of the metric-math query that reads namespace/metric, if the alarm has one.
    private static (string? Id, TerraformBody Metric)? QueryMetric(ResourceInstance alarm, string ns, string metric)
    {
        foreach (var query in alarm.Body.Blocks("metric_query"))
        {
            if (query.Block("metric") is { } m && m["namespace"].Text() == ns && m["metric_name"].Text() == metric)
            {
                return (query["id"].Text(), m);
            }
        }

        return null;
    }

    // An alarm's period: its own, or the one every metric of its metric-math query shares (null when they differ).
    private static decimal? PeriodOf(ResourceInstance alarm)
    {
        if (alarm.Body["period"].Number() is { } own)
        {
            return own;
        }

        var periods = alarm.Body.Blocks("metric_query").Select(q => q.Block("metric")).OfType<TerraformBody>().Select(m => m["period"].Number()).Distinct().ToList();
        return periods.Count == 1 ? periods[0] : null;
    }

    public static IReadOnlyList<string> DashboardShowsPipelineHealthAndCost(TerraformStack stack)
    {
        var dashboards = stack.Resources("aws_cloudwatch_dashboard").ToList();
        if (dashboards.Count == 0)
        {
            return ["No aws_cloudwatch_dashboard found."];
        }

        var body = string.Concat(dashboards.Select(d => d.Body["dashboard_body"].Display()));
        var missingMetrics = new[] { "ApproximateNumberOfMessagesVisible", "Errors", "Duration", "ReportsSent", "CostExplorerRequests", "DailyCostTotal", "NotificationsBounced", "NotificationsComplained" }
            .Where(metric => !Regex.IsMatch(body, $@"\b{metric}\b"))
            .Select(metric => $"The dashboard shows no {metric} metric.");

        // Queues whose every message is a failure: each one's depth belongs on the dashboard beside its alarm.
        var failureQueues = DeadLetterQueues(stack).Select(d => d.DeadLetterQueue)
            .Concat(ScheduledFunctions(stack).Select(s => FailureDestination(stack, s.InvokeConfig)).OfType<ResourceInstance>())
            .DistinctBy(q => q.Address);
        var missingQueues = failureQueues
            .Where(q => !body.Contains($"${{{q.Declaration.Address}.name}}", StringComparison.Ordinal) && !(q.Body["name"].Text() is { } name && body.Contains(name, StringComparison.Ordinal)))
            .Select(q => $"The dashboard does not show the depth of {q}.");
        return [.. missingMetrics, .. missingQueues];
    }

    // --- IAM ----------------------------------------------------------------------------------------

    public static IReadOnlyList<string> NoWildcardActions(TerraformStack stack)
    {
        var violations = new List<string>();
        foreach (var statement in IamStatement.All(stack))
        {
            violations.AddRange(statement.Actions.Where(a => a.Contains('*', StringComparison.Ordinal))
                .Select(a => $"{statement.Location}: action \"{a}\" is a wildcard; name each action."));
            if (statement.UsesNotActionsOrNotResources)
            {
                violations.Add($"{statement.Location}: not_actions/not_resources/not_principals grant by exclusion; list what is allowed.");
            }

            if (statement.Actions.Count == 0)
            {
                violations.Add($"{statement.Location}: no actions listed.");
            }
        }

        return violations;
    }

    public static IReadOnlyList<string> WildcardResourcesOnlyForCostExplorerReads(TerraformStack stack)
    {
        var violations = new List<string>();
        foreach (var statement in IamStatement.All(stack).Where(s => !s.IsTrustPolicy))
        {
            if (statement.Resources.Count == 0)
            {
                violations.Add($"{statement.Location}: no resources listed (an omitted resource means \"*\").");
            }

            foreach (var resource in statement.Resources)
            {
                // A template around references (an ARN built from the partition, region and account) is checked as written.
                var text = resource.Text() ?? (resource is HclUnknown ? resource.Display() : null);
                if (text == "*")
                {
                    violations.AddRange(statement.Actions.Where(a => !CostExplorerReads.Contains(a))
                        .Select(a => $"{statement.Location}: Resource \"*\" with {a}; only {string.Join(", ", CostExplorerReads)} may use \"*\"."));
                }
                else if (text is not null && text.Contains('*', StringComparison.Ordinal)
                    && !LogStreamsOfALogGroup().IsMatch(text)
                    && !(AnyKeyOfTheAccount().IsMatch(text) && UsesKeysOnlyThroughAService(statement)))
                {
                    violations.Add($"{statement.Location}: hard-coded wildcard resource \"{text}\"; reference the resource's arn instead (the account's keys, key/*, only for KMS actions under a kms:ViaService condition).");
                }
            }
        }

        return violations;
    }

    public static IReadOnlyList<string> PoliciesAreInspectable(TerraformStack stack)
    {
        var violations = new List<string>();
        foreach (var policy in stack.Resources("aws_iam_role_policy"))
        {
            if (IamStatement.ReferenceToDocument(policy.Body["policy"]) is HclNull)
            {
                violations.Add($"{policy}: policy must be an aws_iam_policy_document's json so its statements are checked.");
            }
        }

        foreach (var role in stack.Resources("aws_iam_role"))
        {
            if (IamStatement.ReferenceToDocument(role.Body["assume_role_policy"]) is HclNull)
            {
                violations.Add($"{role}: assume_role_policy must be an aws_iam_policy_document's json so its statements are checked.");
            }
        }

        foreach (var policy in stack.Resources("aws_sns_topic_policy").Concat(stack.Resources("aws_sqs_queue_policy")))
        {
            if (IamStatement.ReferenceToDocument(policy.Body["policy"]) is HclNull)
            {
                violations.Add($"{policy}: policy must be an aws_iam_policy_document's json so its statements are checked.");
            }
        }

        foreach (var type in new[] { "aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_policy", "aws_iam_role_policies_exclusive" })
        {
            violations.AddRange(stack.Resources(type).Select(r => $"{r}: managed or standalone policies are not allowed; use an inline aws_iam_role_policy from a policy document."));
        }

        return violations;
    }

    public static IReadOnlyList<string> SesSendingIsPinnedToTheSender(TerraformStack stack)
    {
        var violations = new List<string>();
        var sendStatements = IamStatement.All(stack).Where(s => s.Actions.Any(a => a.StartsWith("ses:Send", StringComparison.Ordinal))).ToList();
        if (sendStatements.Count == 0)
        {
            violations.Add("No IAM statement allows ses:SendEmail: the notifier cannot send.");
        }

        foreach (var statement in sendStatements)
        {
            var pinned = statement.Conditions.Any(c =>
                c.Test == "StringEquals" && c.Variable == "ses:FromAddress" && c.Values.Count > 0 && c.Values.All(v => v is not HclNull));
            if (!pinned)
            {
                violations.Add($"{statement.Location}: SES send statement has no StringEquals ses:FromAddress condition.");
            }

            if (statement.Resources.Any(r => r.Text() == "*"))
            {
                violations.Add($"{statement.Location}: SES send statement must name the identity and configuration set, not \"*\".");
            }
        }

        return violations;
    }

    public static IReadOnlyList<string> ConsumersReceiveOnlyFromTheirOwnQueue(TerraformStack stack)
    {
        var violations = new List<string>();
        var consumedBy = Consumers(stack).Where(c => c.Function is not null && c.Queue is not null).ToList();
        foreach (var function in stack.Resources("aws_lambda_function"))
        {
            if (stack.Find(function.Body["role"]) is not { Type: "aws_iam_role" } role)
            {
                violations.Add($"{function}: role does not reference an aws_iam_role of this configuration.");
                continue;
            }

            var ownQueues = consumedBy.Where(c => c.Function!.Address == function.Address).Select(c => c.Queue!).ToList();
            foreach (var statement in IamStatement.OfRole(stack, role).Where(s => s.Actions.Contains("sqs:ReceiveMessage") || s.Actions.Contains("sqs:DeleteMessage")))
            {
                foreach (var resource in statement.Resources.Where(r => !ownQueues.Any(q => q.IsReferencedBy(r, "arn"))))
                {
                    violations.Add($"{statement.Location}: {function} may receive from {resource.Display()}, which is not a queue its event source mapping consumes.");
                }
            }
        }

        return violations;
    }

    /// <summary>The SSM parameters the root module's reports name as their channels' secrets, each once.</summary>
    public static IReadOnlyList<string> ChannelSecretParameters(TerraformStack stack) =>
        [.. stack.Root.Variable("reports").Items().OfType<HclObject>()
            .SelectMany(r => r["channels"].Items().OfType<HclObject>())
            .Select(c => c["parameter"].Text())
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)];

    private static string? ParameterNamed(HclValue arn) =>
        (arn.Text() ?? (arn is HclUnknown ? arn.Display() : null)) is { } text && SsmParameterArn().Match(text) is { Success: true } match
            ? match.Groups["name"].Value
            : null;

    /// <summary>An SSM parameter's name as its ARN ends: without its leading '/'.</summary>
    private static string ArnName(string parameter) => parameter.StartsWith('/') ? parameter[1..] : parameter;

    /// <summary>
    /// The chat channels' secrets are SSM parameters the operator creates: a role may call ssm:GetParameter, and
    /// nothing else in SSM, on exactly the parameters the reports name. Every one of them must be readable, and none
    /// configured means no SSM statement at all.
    /// </summary>
    public static IReadOnlyList<string> ChannelSecretsAreReadOnlyFromTheirParameters(TerraformStack stack, IReadOnlyCollection<string> parameters)
    {
        var violations = new List<string>();
        var expected = parameters.Select(ArnName).ToHashSet(StringComparer.Ordinal);
        var readable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var statement in IamStatement.All(stack).Where(s => !s.IsTrustPolicy && s.Actions.Any(a => a.StartsWith("ssm:", StringComparison.Ordinal))))
        {
            violations.AddRange(statement.Actions.Where(a => a != "ssm:GetParameter")
                .Select(a => $"{statement.Location}: grants {a}; a channel's secret is read with ssm:GetParameter on its own parameter, nothing else."));
            foreach (var resource in statement.Resources)
            {
                if (ParameterNamed(resource) is { } name && expected.Contains(name))
                {
                    readable.Add(name);
                }
                else
                {
                    violations.Add($"{statement.Location}: {resource.Display()} is not the ARN of a parameter a report's channel names ({(expected.Count == 0 ? "none is configured" : string.Join(", ", parameters))}).");
                }
            }
        }

        violations.AddRange(parameters.Where(p => !readable.Contains(ArnName(p)))
            .Select(p => $"Channel parameter {p} is not readable: no statement grants ssm:GetParameter on its ARN, so its channel could never be posted to."));
        return violations;
    }

    private static bool UsesKeysOnlyThroughAService(IamStatement statement) =>
        statement.Actions.All(a => a.StartsWith("kms:", StringComparison.Ordinal))
        && statement.ConditionValues("StringEquals", "kms:ViaService") is { Count: > 0 } services
        && services.All(v => ServiceEndpoint().IsMatch(v.Text() ?? v.Display()));

    /// <summary>
    /// A role may use a KMS key only through the service that encrypted the data (kms:ViaService), never directly.
    /// Through SSM that is kms:Decrypt alone, and only with a channel parameter's ARN as the encryption context.
    /// </summary>
    public static IReadOnlyList<string> KmsKeysAreUsedOnlyThroughAService(TerraformStack stack)
    {
        var violations = new List<string>();
        foreach (var statement in IamStatement.All(stack).Where(s => !s.IsTrustPolicy && s.Actions.Any(a => a.StartsWith("kms:", StringComparison.Ordinal))))
        {
            if (!UsesKeysOnlyThroughAService(statement))
            {
                violations.Add($"{statement.Location}: KMS actions need a StringEquals kms:ViaService condition naming <service>.<region>.amazonaws.com, and no other actions beside them.");
                continue;
            }

            var services = statement.ConditionValues("StringEquals", "kms:ViaService")!
                .Select(v => ServiceEndpoint().Match(v.Text() ?? v.Display()).Groups["service"].Value)
                .ToList();
            if (!services.Contains("ssm"))
            {
                continue;
            }

            if (services.Count > 1)
            {
                violations.Add($"{statement.Location}: decrypting through SSM belongs in a statement of its own, not beside {string.Join(", ", services.Where(v => v != "ssm"))}.");
            }

            violations.AddRange(statement.Actions.Where(a => a != "kms:Decrypt")
                .Select(a => $"{statement.Location}: grants {a} through SSM; reading a SecureString needs kms:Decrypt alone."));
            var context = statement.ConditionValues("StringEquals", "kms:EncryptionContext:PARAMETER_ARN");
            if (context is not { Count: > 0 } || context.Any(v => ParameterNamed(v) is null))
            {
                violations.Add($"{statement.Location}: decrypting through SSM must be limited to the channel parameters with a StringEquals kms:EncryptionContext:PARAMETER_ARN condition listing their ARNs.");
            }
        }

        return violations;
    }

    public static IReadOnlyList<string> PoliciesGrantOnlyActionsInUse(TerraformStack stack) =>
        [.. IamStatement.All(stack)
            .Where(s => !s.IsTrustPolicy)
            .SelectMany(s => s.Actions.Where(a => !ActionsInUse.ContainsKey(a)).Select(a => $"{s.Location}: grants {a}, which nothing in the pipeline calls; drop it, or add it to {nameof(InfrastructureInvariants)}.{nameof(ActionsInUse)} with its caller when code starts calling it."))];

    // --- functions, table, schedule -------------------------------------------------------------------

    /// <summary>
    /// Functions a schedule invokes, with their asynchronous-invocation configuration (null if none). A schedule
    /// invokes asynchronously: a run that fails inside the function is retried by Lambda, then dropped unless an
    /// on-failure destination keeps it.
    /// </summary>
    public static IEnumerable<(ResourceInstance Function, ResourceInstance? InvokeConfig)> ScheduledFunctions(TerraformStack stack) =>
        stack.Resources("aws_scheduler_schedule")
            .SelectMany(s => s.Body.Blocks("target"))
            .Select(t => stack.Find(t["arn"]))
            .OfType<ResourceInstance>()
            .Where(f => f.Type == "aws_lambda_function")
            .DistinctBy(f => f.Address)
            .Select(f => (f, stack.Resources("aws_lambda_function_event_invoke_config").FirstOrDefault(c =>
                c.Body["function_name"].Names(f, "function_name") || f.IsReferencedBy(c.Body["function_name"], "arn"))));

    private static ResourceInstance? FailureDestination(TerraformStack stack, ResourceInstance? invokeConfig)
    {
        var destination = invokeConfig?.Body.Block("destination_config")?.Block("on_failure")?["destination"] ?? HclValue.Null;
        return stack.Find(destination) is { Type: "aws_sqs_queue" } queue && queue.IsReferencedBy(destination, "arn") ? queue : null;
    }

    public static IReadOnlyList<string> ScheduledFunctionsKeepTheirFailedRuns(TerraformStack stack)
    {
        var violations = new List<string>();
        var scheduled = ScheduledFunctions(stack).ToList();
        if (scheduled.Count == 0)
        {
            violations.Add("No aws_scheduler_schedule target invokes an aws_lambda_function of this configuration.");
        }

        foreach (var (function, config) in scheduled)
        {
            if (config is null)
            {
                violations.Add($"{function}: a schedule invokes it asynchronously, but it has no aws_lambda_function_event_invoke_config: a run that fails inside the function is dropped after Lambda's retries.");
                continue;
            }

            if (config.Body["maximum_retry_attempts"].Number() is not (>= 0 and <= 2))
            {
                violations.Add($"{config}: maximum_retry_attempts must be set explicitly (0 to 2).");
            }

            if (config.Body["maximum_event_age_in_seconds"].Number() is not (>= 60 and <= 21_600))
            {
                violations.Add($"{config}: maximum_event_age_in_seconds must be set explicitly (60 to 21600).");
            }

            if (FailureDestination(stack, config) is not { } queue)
            {
                violations.Add($"{config}: destination_config.on_failure.destination does not reference an aws_sqs_queue's arn, so a failed run of {function} leaves nothing to see or replay.");
                continue;
            }

            if (!HasDepthAlarm(stack, queue))
            {
                violations.Add($"{queue}: on-failure destination of {function} has no alarm on AWS/SQS ApproximateNumberOfMessagesVisible > 0 for its QueueName.");
            }

            if (stack.Find(function.Body["role"]) is not { Type: "aws_iam_role" } role)
            {
                violations.Add($"{function}: role does not reference an aws_iam_role of this configuration.");
            }
            else if (!IamStatement.OfRole(stack, role).Any(s => s.Actions.Contains("sqs:SendMessage") && s.Resources.Any(r => queue.IsReferencedBy(r, "arn"))))
            {
                violations.Add($"{role}: may not sqs:SendMessage to {queue}; Lambda delivers {function}'s failed invocations to its on-failure destination with the function's own role.");
            }
        }

        return violations;
    }

    /// <summary>
    /// Each function is an executable with its own Lambda Runtime API loop, packaged by <c>./build.sh</c> as one of
    /// two kinds, and each kind starts one way: ready-to-run on dotnet10 with the assembly name as handler (the
    /// runtime runs <c>dotnet exec /var/task/&lt;handler&gt;.dll</c>), native-aot on provided.al2023 with the
    /// <c>bootstrap</c> executable.
    /// </summary>
    public static IReadOnlyList<string> FunctionsStartTheWayTheirPackageRuns(TerraformStack stack)
    {
        var violations = new List<string>();
        foreach (var function in stack.Resources("aws_lambda_function"))
        {
            var filename = function.Body["filename"].Text();
            var match = filename is null ? Match.Empty : PackagePath().Match(filename);
            if (!match.Success)
            {
                violations.Add($"{function}: filename '{function.Body["filename"].Display()}' is not a package ./build.sh writes (<artifacts>/ready-to-run|native-aot/x86_64|arm64/<fn>.zip).");
                continue;
            }

            var (kind, architecture) = (match.Groups["kind"].Value, match.Groups["architecture"].Value);
            var runtime = function.Body["runtime"].Text() ?? function.Body["runtime"].Display();
            var handler = function.Body["handler"].Text() ?? function.Body["handler"].Display();
            var architectures = function.Body["architectures"].Texts().ToList();
            if (architectures is not [var only] || only != architecture)
            {
                violations.Add($"{function}: architectures [{string.Join(", ", architectures)}] must be exactly [{architecture}], the instruction set of {filename}.");
            }

            if (kind == "ready-to-run")
            {
                if (runtime != "dotnet10")
                {
                    violations.Add($"{function}: a ready-to-run package runs on the dotnet10 runtime, not {runtime}.");
                }

                if (handler.Contains("::", StringComparison.Ordinal))
                {
                    violations.Add($"{function}: handler '{handler}' is a class-library handler (Assembly::Type::Method), which dotnet10 starts only through Amazon.Lambda.RuntimeSupport; name the function's executable assembly instead.");
                }
                else if (handler is "null" or "" || handler.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || handler.Contains('/', StringComparison.Ordinal))
                {
                    violations.Add($"{function}: handler '{handler}' must be the function's assembly name alone (the runtime runs dotnet exec /var/task/<handler>.dll).");
                }
            }
            else
            {
                if (runtime != "provided.al2023")
                {
                    violations.Add($"{function}: a native-aot package is a native bootstrap executable, which runs on provided.al2023, not {runtime}.");
                }

                if (handler != "bootstrap")
                {
                    violations.Add($"{function}: handler of a native-aot package must be 'bootstrap' (the executable in the zip), not '{handler}'.");
                }
            }

            var hash = function.Body["source_code_hash"].Display();
            if (!hash.StartsWith("filebase64sha256(", StringComparison.Ordinal) || !hash.Contains(filename!, StringComparison.Ordinal))
            {
                violations.Add($"{function}: source_code_hash is {hash}, not filebase64sha256 of {filename}: a rebuilt package would not be deployed.");
            }
        }

        return violations;
    }


    public static IReadOnlyList<string> FunctionsHaveLogGroupsWithRetention(TerraformStack stack)
    {
        var violations = new List<string>();
        var groups = stack.Resources("aws_cloudwatch_log_group").ToList();
        foreach (var function in stack.Resources("aws_lambda_function"))
        {
            var functionName = function.Body["function_name"].Text();
            var configured = function.Body.Block("logging_config")?["log_group"];
            var group = groups.FirstOrDefault(g =>
                (configured is not null && configured.Names(g, "name")) || (functionName is not null && g.Body["name"].Text() == $"/aws/lambda/{functionName}"));
            if (group is null)
            {
                violations.Add($"{function}: no aws_cloudwatch_log_group named /aws/lambda/<function_name> or referenced by logging_config.log_group; Lambda would create one that keeps logs forever.");
            }
            else if (group.Body["retention_in_days"].Number() is not > 0)
            {
                violations.Add($"{group}: retention_in_days is not set to a known positive number.");
            }
        }

        return violations;
    }

    public static IReadOnlyList<string> EventTableIsDurable(TerraformStack stack)
    {
        var violations = new List<string>();
        var tables = stack.Resources("aws_dynamodb_table").ToList();
        if (tables.Count == 0)
        {
            violations.Add("No aws_dynamodb_table found.");
        }

        foreach (var table in tables)
        {
            if (table.Body["billing_mode"].Text() != "PAY_PER_REQUEST")
            {
                violations.Add($"{table}: billing_mode must be PAY_PER_REQUEST (on-demand).");
            }

            if (table.Body.Block("point_in_time_recovery")?["enabled"].IsTrue() != true)
            {
                violations.Add($"{table}: point_in_time_recovery is not enabled.");
            }

            if (table.Body.Block("server_side_encryption")?["enabled"].IsTrue() != true)
            {
                violations.Add($"{table}: server_side_encryption is not enabled.");
            }

            var keys = new[] { table.Body["hash_key"].Text(), table.Body["range_key"].Text() }
                .Concat(table.Body.Blocks("global_secondary_index").SelectMany(i => new[] { i["hash_key"].Text(), i["range_key"].Text() }));
            if (table.Body.Block("ttl") is { } ttl && ttl["enabled"].IsTrue())
            {
                var attribute = ttl["attribute_name"].Text();
                if (attribute != "expiresAt")
                {
                    violations.Add($"{table}: TTL attribute is '{attribute}'; only claim items may expire, through 'expiresAt'.");
                }

                if (keys.Contains(attribute))
                {
                    violations.Add($"{table}: TTL attribute '{attribute}' is a key attribute, so every item would carry it.");
                }
            }
        }

        return violations;
    }

    public static IReadOnlyList<string> SchedulesHaveTimeZoneRetriesAndDeadLetterQueue(TerraformStack stack)
    {
        var violations = new List<string>();
        var schedules = stack.Resources("aws_scheduler_schedule").ToList();
        if (schedules.Count == 0)
        {
            violations.Add("No aws_scheduler_schedule found.");
        }

        foreach (var schedule in schedules)
        {
            if (schedule.Body["schedule_expression_timezone"].Text() is not { Length: > 0 })
            {
                violations.Add($"{schedule}: schedule_expression_timezone is not set (an IANA time zone).");
            }

            if (schedule.Body["schedule_expression"].Text() is not { } expression || !expression.StartsWith("cron(", StringComparison.Ordinal))
            {
                violations.Add($"{schedule}: schedule_expression must be a known cron(...) expression.");
            }

            if (schedule.Body.Block("flexible_time_window")?["mode"].Text() != "OFF")
            {
                violations.Add($"{schedule}: flexible_time_window mode must be OFF (reports go out at a fixed time).");
            }

            var target = schedule.Body.Block("target");
            if (target?.Block("retry_policy") is not { } retry
                || retry["maximum_retry_attempts"].Number() is not > 0
                || retry["maximum_event_age_in_seconds"].Number() is not > 0)
            {
                violations.Add($"{schedule}: target has no retry_policy with maximum_retry_attempts and maximum_event_age_in_seconds.");
            }

            if (target?.Block("dead_letter_config") is not { } dlq || stack.Find(dlq["arn"]) is not { Type: "aws_sqs_queue" })
            {
                violations.Add($"{schedule}: target has no dead_letter_config referencing an aws_sqs_queue.");
            }

            if (target?["input"].DecodeJson() is not { } input
                || !input.TryGetProperty("source", out var source) || source.GetString() != "eventbridge-scheduler"
                || !input.TryGetProperty("scheduledTime", out var time) || time.GetString() != "<aws.scheduler.scheduled-time>")
            {
                violations.Add($"{schedule}: target input must be {{\"source\":\"eventbridge-scheduler\",\"scheduledTime\":\"<aws.scheduler.scheduled-time>\"}}.");
            }
        }

        return violations;
    }

    // --- declarations and names -----------------------------------------------------------------------

    public static IReadOnlyList<string> VariablesAreTypedAndDocumented(TerraformConfiguration configuration) =>
        [.. configuration.Modules.Values.SelectMany(m => m.OfKind("variable"))
            .SelectMany(v => new[]
            {
                v.Body.TryGetProperty("type", out _) ? null : $"{v.Location}: no type.",
                v.Body.TryGetProperty("description", out var d) && d.GetString() is { Length: > 10 } ? null : $"{v.Location}: no description.",
            })
            .OfType<string>()];

    public static IReadOnlyList<string> OutputsAreDescribed(TerraformConfiguration configuration) =>
        [.. configuration.Modules.Values.SelectMany(m => m.OfKind("output"))
            .Where(o => !o.Body.TryGetProperty("description", out var d) || d.GetString() is not { Length: > 10 })
            .Select(o => $"{o.Location}: no description.")];

    /// <summary>The attribute naming each resource type, and AWS's length limit for it. Types without a name of their own map to null.</summary>
    public static readonly IReadOnlyDictionary<string, (string Attribute, int MaxLength)?> NameRules = new Dictionary<string, (string, int)?>(StringComparer.Ordinal)
    {
        ["aws_sqs_queue"] = ("name", 80),
        ["aws_lambda_function"] = ("function_name", 64),
        ["aws_iam_role"] = ("name", 64),
        ["aws_iam_role_policy"] = ("name", 128),
        ["aws_dynamodb_table"] = ("name", 255),
        ["aws_cloudwatch_log_group"] = ("name", 512),
        ["aws_cloudwatch_metric_alarm"] = ("alarm_name", 255),
        ["aws_cloudwatch_dashboard"] = ("dashboard_name", 255),
        ["aws_sns_topic"] = ("name", 256),
        ["aws_scheduler_schedule"] = ("name", 64),
        ["aws_sesv2_configuration_set"] = ("configuration_set_name", 64),
        // Named by what they attach to, or (the SES identity) by the address or domain itself.
        ["aws_sesv2_email_identity"] = null,
        ["aws_lambda_event_source_mapping"] = null,
        ["aws_lambda_function_event_invoke_config"] = null,
        ["aws_sns_topic_subscription"] = null,
        ["aws_sqs_queue_redrive_allow_policy"] = null,
        ["aws_sqs_queue_policy"] = null,
        ["aws_sns_topic_policy"] = null,
        ["aws_sesv2_configuration_set_event_destination"] = ("event_destination_name", 64),
    };

    public static IReadOnlyList<string> NamesDeriveFromNamePrefix(TerraformStack stack, string namePrefix)
    {
        var violations = new List<string>();
        foreach (var resource in stack.AllResources)
        {
            if (!NameRules.TryGetValue(resource.Type, out var rule))
            {
                violations.Add($"{resource}: {resource.Type} has no naming rule in {nameof(InfrastructureInvariants)}.{nameof(NameRules)}; add one so its name is checked.");
                continue;
            }

            if (rule is not var (attribute, maxLength))
            {
                continue;
            }

            var name = resource.Body[attribute].Text();
            if (name is null || !name.Contains(namePrefix, StringComparison.Ordinal))
            {
                violations.Add($"{resource}: {attribute} '{resource.Body[attribute].Display()}' does not derive from name_prefix, so two stacks would collide.");
            }
            else if (name.Length > maxLength)
            {
                violations.Add($"{resource}: {attribute} '{name}' is {name.Length} characters, over AWS's {maxLength} for {resource.Type}.");
            }
        }

        return violations;
    }
}
