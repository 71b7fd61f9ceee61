using CostNotifier.InfrastructureTests.Hcl;
using CostNotifier.InfrastructureTests.Invariants;
using CostNotifier.InfrastructureTests.Terraform;

namespace CostNotifier.InfrastructureTests;

/// <summary>
/// SES reports what became of each email (sent, delivered, bounced, ...) through the configuration set's event
/// destination: an SNS topic only SES may publish to, delivering raw to a queue only that topic may write to, which the
/// notifier consumes.
/// </summary>
public sealed class DeliveryEventsInvariantsTests
{
    private const string Baseline = """
        variable "name_prefix" {
          type        = string
          description = "Prefix of every resource name."
        }

        data "aws_caller_identity" "current" {}

        resource "aws_sesv2_configuration_set" "reports" {
          configuration_set_name = "${var.name_prefix}-reports"
        }

        resource "aws_sesv2_configuration_set_event_destination" "events" {
          configuration_set_name = aws_sesv2_configuration_set.reports.configuration_set_name
          event_destination_name = "${var.name_prefix}-events"

          event_destination {
            enabled              = true
            matching_event_types = ["SEND", "DELIVERY", "BOUNCE", "COMPLAINT", "REJECT", "RENDERING_FAILURE", "DELIVERY_DELAY"]

            sns_destination {
              topic_arn = aws_sns_topic.events.arn
            }
          }
        }

        resource "aws_sns_topic" "events" {
          name = "${var.name_prefix}-events"
        }

        data "aws_iam_policy_document" "topic" {
          statement {
            actions   = ["sns:Publish"]
            resources = [aws_sns_topic.events.arn]

            principals {
              type        = "Service"
              identifiers = ["ses.amazonaws.com"]
            }

            condition {
              test     = "StringEquals"
              variable = "AWS:SourceAccount"
              values   = [data.aws_caller_identity.current.account_id]
            }

            condition {
              test     = "StringEquals"
              variable = "AWS:SourceArn"
              values   = [aws_sesv2_configuration_set.reports.arn]
            }
          }
        }

        resource "aws_sns_topic_policy" "events" {
          arn    = aws_sns_topic.events.arn
          policy = data.aws_iam_policy_document.topic.json
        }

        resource "aws_sqs_queue" "events" {
          name                    = "${var.name_prefix}-events"
          sqs_managed_sse_enabled = true
        }

        data "aws_iam_policy_document" "queue" {
          statement {
            actions   = ["sqs:SendMessage"]
            resources = [aws_sqs_queue.events.arn]

            principals {
              type        = "Service"
              identifiers = ["sns.amazonaws.com"]
            }

            condition {
              test     = "ArnEquals"
              variable = "aws:SourceArn"
              values   = [aws_sns_topic.events.arn]
            }
          }
        }

        resource "aws_sqs_queue_policy" "events" {
          queue_url = aws_sqs_queue.events.id
          policy    = data.aws_iam_policy_document.queue.json
        }

        resource "aws_sns_topic_subscription" "events" {
          topic_arn            = aws_sns_topic.events.arn
          protocol             = "sqs"
          endpoint             = aws_sqs_queue.events.arn
          raw_message_delivery = true
        }

        resource "aws_lambda_function" "worker" {
          function_name = "${var.name_prefix}-worker"
        }

        resource "aws_lambda_event_source_mapping" "events" {
          event_source_arn = aws_sqs_queue.events.arn
          function_name    = aws_lambda_function.worker.arn
        }
        """;

    private static readonly Dictionary<string, Func<TerraformStack, IReadOnlyList<string>>> Checks = new()
    {
        ["event-types"] = InfrastructureInvariants.SesReportsEverySendingEventToSns,
        ["topic"] = InfrastructureInvariants.SesEventTopicsAcceptOnlyTheirConfigurationSet,
        ["queue"] = InfrastructureInvariants.SesEventsReachAConsumedQueueFromTheirTopicOnly,
        ["inspectable"] = InfrastructureInvariants.PoliciesAreInspectable,
    };

    private static TerraformStack Load(string main) =>
        TerraformUnderTest.FromSnippets(
            new Dictionary<string, string> { ["main.tf"] = main },
            new Dictionary<string, HclValue> { ["name_prefix"] = new HclString("probe") });

    private static ResourceInstance Resource(TerraformStack stack, string type, string name) =>
        Assert.Single(stack.Resources(type), r => r.Name == name);

    [Fact]
    public void ThePipeline_ReportsEverySendingEventToSns() =>
        Violations.AssertNone(InfrastructureInvariants.SesReportsEverySendingEventToSns(TerraformUnderTest.Stack));

    [Fact]
    public void ThePipeline_DeliveryTopicAcceptsOnlySesForThisConfigurationSet() =>
        Violations.AssertNone(InfrastructureInvariants.SesEventTopicsAcceptOnlyTheirConfigurationSet(TerraformUnderTest.Stack));

    [Fact]
    public void ThePipeline_DeliversTheEventsRawToAConsumedQueueThatAcceptsOnlyTheTopic() =>
        Violations.AssertNone(InfrastructureInvariants.SesEventsReachAConsumedQueueFromTheirTopicOnly(TerraformUnderTest.Stack));

    [Fact]
    public void TheConfigurationSet_PublishesExactlyTheSevenSendingEventTypes_ToTheDeliveryEventsTopic()
    {
        var stack = TerraformUnderTest.Stack;

        var (set, destination, topic) = Assert.Single(InfrastructureInvariants.SesEventDestinations(stack));

        Assert.Equal("reports", set.Name);
        Assert.Equal($"{TerraformUnderTest.NamePrefix}-delivery-events", destination.Body["event_destination_name"].Text());
        Assert.Equal(
            InfrastructureInvariants.SesSendingEventTypes.Order(StringComparer.Ordinal),
            destination.Body.Block("event_destination")?["matching_event_types"].Texts().Order(StringComparer.Ordinal));
        Assert.Equal($"{TerraformUnderTest.NamePrefix}-delivery-events", topic?.Body["name"].Text());
    }

    [Fact]
    public void TheDeliveryQueue_IsSubscribedRaw_AndConsumedByTheNotifierInBatchesWithPartialFailures()
    {
        var stack = TerraformUnderTest.Stack;

        var subscription = Resource(stack, "aws_sns_topic_subscription", "delivery_events");
        var queue = stack.Find(subscription.Body["endpoint"]);
        var mapping = Assert.Single(InfrastructureInvariants.Consumers(stack), c => c.Queue?.Address == queue?.Address);

        Assert.Equal($"{TerraformUnderTest.NamePrefix}-delivery", queue?.Body["name"].Text());
        Assert.True(subscription.Body["raw_message_delivery"].IsTrue());
        Assert.Equal("notifier", mapping.Function?.Name);
        Assert.Equal(["ReportBatchItemFailures"], mapping.Mapping.Body["function_response_types"].Texts());
        var notifierMapping = Resource(stack, "aws_lambda_event_source_mapping", "notifier");
        foreach (var setting in new[] { "batch_size", "maximum_batching_window_in_seconds" })
        {
            Assert.Equal(notifierMapping.Body[setting], mapping.Mapping.Body[setting]);
        }

        // The delivery events send no email, so their mapping keeps the consumers' cap rather than the notifier's.
        Assert.Equal(TerraformUnderTest.Stack.Root.Variable("consumer_max_concurrency"), mapping.Mapping.Body.Block("scaling_config")?["maximum_concurrency"]);
    }

    /// <summary>The topic is unencrypted unless a customer managed key is given: SES cannot publish under aws/sns.</summary>
    [Fact]
    public void TheDeliveryTopic_IsUnencryptedByDefault_AndUsesTheCustomerManagedKeyWhenGiven()
    {
        const string key = "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var encrypted = TerraformUnderTest.StackWith(new Dictionary<string, HclValue> { ["delivery_events_kms_key_arn"] = new HclString(key) });

        Assert.IsType<HclNull>(Resource(TerraformUnderTest.Stack, "aws_sns_topic", "delivery_events").Body["kms_master_key_id"]);
        Assert.Equal(key, Resource(encrypted, "aws_sns_topic", "delivery_events").Body["kms_master_key_id"].Text());
        Violations.AssertNone(InfrastructureInvariants.SesEventTopicsAcceptOnlyTheirConfigurationSet(encrypted));
    }

    [Fact]
    public void TheBaseline_PassesEveryCheck()
    {
        var stack = Load(Baseline);

        Violations.AssertNone([.. Checks.SelectMany(c => c.Value(stack).Select(v => $"[{c.Key}] {v}"))]);
    }

    [Theory]
    [InlineData("event-types", ", \"DELIVERY_DELAY\"]", "]", "matching_event_types lacks DELIVERY_DELAY")]
    [InlineData("event-types", "[\"SEND\", ", "[", "matching_event_types lacks SEND")]
    [InlineData("event-types", "enabled              = true", "enabled              = false", "event_destination.enabled must be true")]
    [InlineData("event-types", "topic_arn = aws_sns_topic.events.arn", "topic_arn = \"arn:aws:sns:us-east-1:123456789012:elsewhere\"", "no aws_sesv2_configuration_set_event_destination publishes its events")]
    [InlineData("topic", "topic_arn = aws_sns_topic.events.arn", "topic_arn = \"arn:aws:sns:us-east-1:123456789012:elsewhere\"", "does not reference an aws_sns_topic's arn")]
    [InlineData("topic", "resource \"aws_sns_topic\" \"events\" {", "resource \"aws_sns_topic\" \"events\" {\n  kms_master_key_id = \"alias/aws/sns\"", "is an AWS managed key")]
    [InlineData("topic", "identifiers = [\"ses.amazonaws.com\"]", "identifiers = [\"ses.amazonaws.com\", \"events.amazonaws.com\"]", "principals must be the service ses.amazonaws.com alone")]
    [InlineData("topic", "actions   = [\"sns:Publish\"]", "actions   = [\"sns:Publish\", \"sns:Subscribe\"]", "allows sns:Subscribe")]
    [InlineData("topic", "resources = [aws_sns_topic.events.arn]", "resources = [aws_sns_topic.events.arn, \"arn:aws:sns:us-east-1:123456789012:other\"]", "resources must be the topic's own arn")]
    [InlineData("topic", "variable = \"AWS:SourceArn\"", "variable = \"AWS:SourceOwner\"", "needs an AWS:SourceArn condition")]
    [InlineData("topic", "values   = [aws_sesv2_configuration_set.reports.arn]", "values   = [\"arn:aws:ses:us-east-1:123456789012:configuration-set/*\"]", "needs an AWS:SourceArn condition")]
    [InlineData("topic", "values   = [data.aws_caller_identity.current.account_id]", "values   = [\"*\"]", "StringEquals AWS:SourceAccount condition on this account")]
    [InlineData("topic", "policy = data.aws_iam_policy_document.topic.json", "policy = jsonencode({ Statement = [] })", "no aws_sns_topic_policy from an aws_iam_policy_document")]
    [InlineData("inspectable", "policy = data.aws_iam_policy_document.topic.json", "policy = jsonencode({ Statement = [] })", "must be an aws_iam_policy_document's json")]
    [InlineData("queue", "topic_arn            = aws_sns_topic.events.arn", "topic_arn            = \"arn:aws:sns:us-east-1:123456789012:elsewhere\"", "nothing subscribes to it")]
    [InlineData("queue", "protocol             = \"sqs\"", "protocol             = \"lambda\"", "must deliver to an aws_sqs_queue of this configuration")]
    [InlineData("queue", "raw_message_delivery = true", "raw_message_delivery = false", "raw_message_delivery must be true")]
    [InlineData("queue", "event_source_arn = aws_sqs_queue.events.arn", "event_source_arn = \"arn:aws:sqs:us-east-1:123456789012:elsewhere\"", "no aws_lambda_event_source_mapping consumes it")]
    [InlineData("queue", "identifiers = [\"sns.amazonaws.com\"]", "identifiers = [\"*\"]", "principals must be the service sns.amazonaws.com alone")]
    [InlineData("queue", "actions   = [\"sqs:SendMessage\"]", "actions   = [\"sqs:SendMessage\", \"sqs:ReceiveMessage\"]", "allows sqs:ReceiveMessage")]
    [InlineData("queue", "values   = [aws_sns_topic.events.arn]", "values   = [\"arn:aws:sns:us-east-1:123456789012:other\"]", "needs an aws:SourceArn condition")]
    [InlineData("queue", "queue_url = aws_sqs_queue.events.id", "queue_url = \"https://sqs.us-east-1.amazonaws.com/123456789012/other\"", "no aws_sqs_queue_policy from an aws_iam_policy_document")]
    public void Check_ReportsTheViolation_WhenTheConfigurationBreaksIt(string check, string original, string broken, string expectedViolation)
    {
        Assert.Contains(original, Baseline, StringComparison.Ordinal);
        var stack = Load(Baseline.Replace(original, broken, StringComparison.Ordinal));

        var violations = Checks[check](stack);

        Assert.Contains(violations, v => v.Contains(expectedViolation, StringComparison.Ordinal));
    }
}
