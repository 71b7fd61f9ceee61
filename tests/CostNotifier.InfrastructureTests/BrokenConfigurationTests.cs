using CostNotifier.InfrastructureTests.Hcl;
using CostNotifier.InfrastructureTests.Invariants;
using CostNotifier.InfrastructureTests.Terraform;

namespace CostNotifier.InfrastructureTests;

/// <summary>
/// Proves the checks can fail: a small configuration that passes them all, and one deliberate break at a time,
/// parsed and evaluated exactly like terraform/.
/// </summary>
public sealed class BrokenConfigurationTests
{
    private const string Baseline = """
        variable "name_prefix" {
          type        = string
          description = "Prefix of every resource name."
        }

        variable "max_receive_count" {
          type        = number
          description = "Receives before a message is dead-lettered."
          default     = 5
        }

        resource "aws_sqs_queue" "dlq" {
          name                      = "${var.name_prefix}-dlq"
          message_retention_seconds = 1209600
          sqs_managed_sse_enabled   = true
        }

        resource "aws_sqs_queue" "failures" {
          name                      = "${var.name_prefix}-failures"
          message_retention_seconds = 1209600
          sqs_managed_sse_enabled   = true
        }

        resource "aws_sqs_queue" "work" {
          name                       = "${var.name_prefix}-work"
          message_retention_seconds  = 345600
          visibility_timeout_seconds = 6 * 30 + 1
          sqs_managed_sse_enabled    = true
          redrive_policy             = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = var.max_receive_count })
        }

        data "aws_iam_policy_document" "assume" {
          statement {
            actions = ["sts:AssumeRole"]
            principals {
              type        = "Service"
              identifiers = ["lambda.amazonaws.com"]
            }
          }
        }

        data "aws_iam_policy_document" "worker" {
          statement {
            sid       = "Consume"
            actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
            resources = [aws_sqs_queue.work.arn]
          }

          statement {
            sid       = "RecordFailedRuns"
            actions   = ["sqs:SendMessage"]
            resources = [aws_sqs_queue.failures.arn]
          }

          statement {
            sid       = "Costs"
            actions   = ["ce:GetCostAndUsage"]
            resources = ["*"]
          }

          statement {
            sid       = "ReadChannelSecret"
            actions   = ["ssm:GetParameter"]
            resources = ["arn:aws:ssm:us-east-1:123456789012:parameter/costnotifier/slack/platform"]
          }

          statement {
            sid       = "DecryptChannelSecret"
            actions   = ["kms:Decrypt"]
            resources = ["arn:aws:kms:us-east-1:123456789012:key/*"]
            condition {
              test     = "StringEquals"
              variable = "kms:ViaService"
              values   = ["ssm.us-east-1.amazonaws.com"]
            }
            condition {
              test     = "StringEquals"
              variable = "kms:EncryptionContext:PARAMETER_ARN"
              values   = ["arn:aws:ssm:us-east-1:123456789012:parameter/costnotifier/slack/platform"]
            }
          }

          statement {
            sid       = "Send"
            actions   = ["ses:SendEmail"]
            resources = [aws_sesv2_email_identity.sender.arn]
            condition {
              test     = "StringEquals"
              variable = "ses:FromAddress"
              values   = ["costs@example.com"]
            }
          }
        }

        resource "aws_iam_role" "worker" {
          name               = "${var.name_prefix}-worker"
          assume_role_policy = data.aws_iam_policy_document.assume.json
        }

        resource "aws_iam_role_policy" "worker" {
          name   = "${var.name_prefix}-worker"
          role   = aws_iam_role.worker.id
          policy = data.aws_iam_policy_document.worker.json
        }

        resource "aws_sesv2_email_identity" "sender" {
          email_identity = "costs@example.com"
        }

        resource "aws_cloudwatch_log_group" "worker" {
          name              = "/aws/lambda/${var.name_prefix}-worker"
          retention_in_days = 30
        }

        resource "aws_lambda_function" "worker" {
          function_name    = "${var.name_prefix}-worker"
          role             = aws_iam_role.worker.arn
          runtime          = "dotnet10"
          handler          = "Worker"
          architectures    = ["x86_64"]
          filename         = "artifacts/ready-to-run/x86_64/worker.zip"
          source_code_hash = filebase64sha256("artifacts/ready-to-run/x86_64/worker.zip")
          timeout          = 30
        }

        resource "aws_scheduler_schedule" "daily" {
          name                = "${var.name_prefix}-daily"
          schedule_expression = "cron(0 8 * * ? *)"
          flexible_time_window {
            mode = "OFF"
          }
          target {
            arn = aws_lambda_function.worker.arn
          }
        }

        resource "aws_lambda_function_event_invoke_config" "worker" {
          function_name                = aws_lambda_function.worker.function_name
          maximum_retry_attempts       = 2
          maximum_event_age_in_seconds = 3600
          destination_config {
            on_failure {
              destination = aws_sqs_queue.failures.arn
            }
          }
        }

        resource "aws_lambda_event_source_mapping" "worker" {
          event_source_arn        = aws_sqs_queue.work.arn
          function_name           = aws_lambda_function.worker.arn
          batch_size              = 10
          maximum_batching_window_in_seconds = 1
          function_response_types = ["ReportBatchItemFailures"]
          scaling_config {
            maximum_concurrency = 2
          }
        }

        resource "aws_sns_topic" "alarms" {
          name = "${var.name_prefix}-alarms"
        }

        resource "aws_cloudwatch_metric_alarm" "dlq" {
          alarm_name          = "${var.name_prefix}-dlq-not-empty"
          namespace           = "AWS/SQS"
          metric_name         = "ApproximateNumberOfMessagesVisible"
          dimensions          = { QueueName = aws_sqs_queue.dlq.name }
          statistic           = "Maximum"
          period              = 300
          evaluation_periods  = 1
          comparison_operator = "GreaterThanThreshold"
          threshold           = 0
          treat_missing_data  = "notBreaching"
          alarm_actions       = [aws_sns_topic.alarms.arn]
          ok_actions          = [aws_sns_topic.alarms.arn]
        }

        resource "aws_cloudwatch_metric_alarm" "failures" {
          alarm_name          = "${var.name_prefix}-failures-not-empty"
          namespace           = "AWS/SQS"
          metric_name         = "ApproximateNumberOfMessagesVisible"
          dimensions          = { QueueName = aws_sqs_queue.failures.name }
          statistic           = "Maximum"
          period              = 300
          evaluation_periods  = 1
          comparison_operator = "GreaterThanThreshold"
          threshold           = 0
          treat_missing_data  = "notBreaching"
          alarm_actions       = [aws_sns_topic.alarms.arn]
          ok_actions          = [aws_sns_topic.alarms.arn]
        }

        resource "aws_cloudwatch_metric_alarm" "bounced" {
          alarm_name          = "${var.name_prefix}-email-bounced-or-complained"
          treat_missing_data  = "notBreaching"
          evaluation_periods  = 1
          comparison_operator = "GreaterThanThreshold"
          threshold           = 0
          alarm_actions       = [aws_sns_topic.alarms.arn]
          ok_actions          = [aws_sns_topic.alarms.arn]

          metric_query {
            id          = "undelivered"
            expression  = "FILL(bounced, 0) + FILL(complained, 0)"
            return_data = true
          }

          metric_query {
            id = "bounced"
            metric {
              namespace   = "CostNotifier"
              metric_name = "NotificationsBounced"
              dimensions  = { Stack = var.name_prefix }
              stat        = "Sum"
              period      = 300
            }
          }

          metric_query {
            id = "complained"
            metric {
              namespace   = "CostNotifier"
              metric_name = "NotificationsComplained"
              dimensions  = { Stack = var.name_prefix }
              stat        = "Sum"
              period      = 300
            }
          }
        }

        output "work_queue_url" {
          description = "URL of the work queue."
          value       = aws_sqs_queue.work.url
        }
        """;

    private const string Prefix = "probe";

    private static readonly Dictionary<string, Func<TerraformStack, IReadOnlyList<string>>> Checks = new()
    {
        ["redrive"] = InfrastructureInvariants.ConsumerQueuesHaveRedrivePolicies,
        ["retention"] = InfrastructureInvariants.DeadLetterQueuesOutliveTheirSources,
        ["visibility"] = InfrastructureInvariants.VisibilityTimeoutsCoverTheirConsumers,
        ["batch-failures"] = InfrastructureInvariants.EventSourceMappingsReportBatchItemFailures,
        ["encryption"] = InfrastructureInvariants.QueuesAreEncrypted,
        ["dlq-alarm"] = InfrastructureInvariants.DeadLetterQueuesHaveDepthAlarms,
        ["alarm-actions"] = InfrastructureInvariants.AlarmsNotifyTheAlarmTopic,
        ["alarm-window"] = InfrastructureInvariants.AlarmWindowsAreValid,
        ["wildcard-action"] = InfrastructureInvariants.NoWildcardActions,
        ["wildcard-resource"] = InfrastructureInvariants.WildcardResourcesOnlyForCostExplorerReads,
        ["inspectable"] = InfrastructureInvariants.PoliciesAreInspectable,
        ["ses"] = InfrastructureInvariants.SesSendingIsPinnedToTheSender,
        ["own-queue"] = InfrastructureInvariants.ConsumersReceiveOnlyFromTheirOwnQueue,
        ["log-group"] = InfrastructureInvariants.FunctionsHaveLogGroupsWithRetention,
        ["variables"] = s => InfrastructureInvariants.VariablesAreTypedAndDocumented(s.Configuration),
        ["outputs"] = s => InfrastructureInvariants.OutputsAreDescribed(s.Configuration),
        ["names"] = s => InfrastructureInvariants.NamesDeriveFromNamePrefix(s, Prefix),
        ["unused-action"] = InfrastructureInvariants.PoliciesGrantOnlyActionsInUse,
        ["scheduled-failures"] = InfrastructureInvariants.ScheduledFunctionsKeepTheirFailedRuns,
        ["package"] = InfrastructureInvariants.FunctionsStartTheWayTheirPackageRuns,
        ["channel-secrets"] = s => InfrastructureInvariants.ChannelSecretsAreReadOnlyFromTheirParameters(s, ["/costnotifier/slack/platform"]),
        ["kms"] = InfrastructureInvariants.KmsKeysAreUsedOnlyThroughAService,
        ["bounce-alarm"] = s => InfrastructureInvariants.EmailBouncesAndComplaintsRaiseAnAlarm(s, Prefix),
    };

    private static TerraformStack Load(string main) =>
        TerraformUnderTest.FromSnippets(
            new Dictionary<string, string> { ["main.tf"] = main },
            new Dictionary<string, HclValue> { ["name_prefix"] = new HclString(Prefix) });

    [Fact]
    public void TheBaseline_PassesEveryCheck()
    {
        var stack = Load(Baseline);

        Violations.AssertNone([.. Checks.SelectMany(c => c.Value(stack).Select(v => $"[{c.Key}] {v}"))]);
    }

    [Theory]
    [InlineData("redrive", "redrive_policy             = jsonencode(", "# redrive_policy = jsonencode(", "has no redrive_policy")]
    [InlineData("redrive", "default     = 5", "default     = 3", "maxReceiveCount is 3")]
    [InlineData("retention", "message_retention_seconds = 1209600", "message_retention_seconds = 345600", "not longer than its source")]
    [InlineData("visibility", "visibility_timeout_seconds = 6 * 30 + 1", "visibility_timeout_seconds = 2 * 30 + 1", "less than 6 x")]
    [InlineData("visibility", "maximum_batching_window_in_seconds = 1", "maximum_batching_window_in_seconds = 5", "+ aws_lambda_event_source_mapping.worker maximum_batching_window_in_seconds (5 s) = 185")]
    [InlineData("batch-failures", "function_response_types = [\"ReportBatchItemFailures\"]", "function_response_types = []", "lacks ReportBatchItemFailures")]
    [InlineData("encryption", "sqs_managed_sse_enabled   = true", "sqs_managed_sse_enabled   = false", "neither sqs_managed_sse_enabled")]
    [InlineData("dlq-alarm", "QueueName = aws_sqs_queue.dlq.name", "QueueName = aws_sqs_queue.work.name", "dead-letter queue has no alarm")]
    [InlineData("alarm-actions", "alarm_actions       = [aws_sns_topic.alarms.arn]", "alarm_actions       = [\"arn:aws:sns:us-east-1:123456789012:elsewhere\"]", "is not the arn of an aws_sns_topic")]
    [InlineData("alarm-window", "treat_missing_data  = \"notBreaching\"", "", "treat_missing_data must be chosen explicitly")]
    [InlineData("wildcard-action", "\"sqs:DeleteMessage\"", "\"sqs:*\"", "action \"sqs:*\" is a wildcard")]
    [InlineData("wildcard-action", "\"ce:GetCostAndUsage\"", "\"*\"", "action \"*\" is a wildcard")]
    [InlineData("wildcard-resource", "resources = [aws_sqs_queue.work.arn]", "resources = [\"*\"]", "Resource \"*\" with sqs:ReceiveMessage")]
    [InlineData("wildcard-resource", "resources = [aws_sqs_queue.work.arn]", "resources = [\"arn:aws:sqs:*:*:*\"]", "hard-coded wildcard resource")]
    [InlineData("inspectable", "policy = data.aws_iam_policy_document.worker.json", "policy = jsonencode({ Statement = [] })", "must be an aws_iam_policy_document's json")]
    [InlineData("ses", "test     = \"StringEquals\"", "test     = \"StringLike\"", "no StringEquals ses:FromAddress condition")]
    [InlineData("own-queue", "resources = [aws_sqs_queue.work.arn]", "resources = [aws_sqs_queue.work.arn, aws_sqs_queue.dlq.arn]", "is not a queue its event source mapping consumes")]
    [InlineData("log-group", "name              = \"/aws/lambda/${var.name_prefix}-worker\"", "name              = \"/aws/lambda/${var.name_prefix}-other\"", "no aws_cloudwatch_log_group")]
    [InlineData("variables", "description = \"Receives before a message is dead-lettered.\"", "", "var.max_receive_count: no description")]
    [InlineData("outputs", "description = \"URL of the work queue.\"", "", "output.work_queue_url: no description")]
    [InlineData("unused-action", "\"ce:GetCostAndUsage\"", "\"ce:GetCostAndUsage\", \"ce:GetCostForecast\"", "grants ce:GetCostForecast, which nothing in the pipeline calls")]
    [InlineData("unused-action", "\"sqs:GetQueueAttributes\"", "\"sqs:GetQueueAttributes\", \"sqs:ChangeMessageVisibility\"", "grants sqs:ChangeMessageVisibility, which nothing in the pipeline calls")]
    [InlineData("scheduled-failures", "function_name                = aws_lambda_function.worker.function_name", "function_name                = \"other\"", "has no aws_lambda_function_event_invoke_config")]
    [InlineData("scheduled-failures", "maximum_retry_attempts       = 2", "", "maximum_retry_attempts must be set explicitly")]
    [InlineData("scheduled-failures", "destination = aws_sqs_queue.failures.arn", "destination = \"arn:aws:sqs:us-east-1:123456789012:elsewhere\"", "does not reference an aws_sqs_queue's arn")]
    [InlineData("scheduled-failures", "QueueName = aws_sqs_queue.failures.name", "QueueName = aws_sqs_queue.work.name", "on-failure destination of aws_lambda_function.worker has no alarm")]
    [InlineData("scheduled-failures", "resources = [aws_sqs_queue.failures.arn]", "resources = [aws_sqs_queue.dlq.arn]", "may not sqs:SendMessage to aws_sqs_queue.failures")]
    [InlineData("package", "handler          = \"Worker\"", "handler          = \"A::B::C\"", "is a class-library handler (Assembly::Type::Method)")]
    [InlineData("package", "handler          = \"Worker\"", "handler          = \"Worker.dll\"", "must be the function's assembly name alone")]
    [InlineData("package", "artifacts/ready-to-run/", "artifacts/native-aot/", "a native-aot package is a native bootstrap executable, which runs on provided.al2023, not dotnet10")]
    [InlineData("package", "architectures    = [\"x86_64\"]", "architectures    = [\"arm64\"]", "must be exactly [x86_64]")]
    [InlineData("package", "filebase64sha256(\"artifacts/ready-to-run/x86_64/worker.zip\")", "filebase64sha256(\"artifacts/worker.zip\")", "a rebuilt package would not be deployed")]
    [InlineData("package", "filename         = \"artifacts/ready-to-run/x86_64/worker.zip\"", "filename         = \"artifacts/worker.zip\"", "is not a package ./build.sh writes")]
    [InlineData("names", "name                       = \"${var.name_prefix}-work\"", "name                       = \"work\"", "does not derive from name_prefix")]
    [InlineData("channel-secrets", "resources = [\"arn:aws:ssm:us-east-1:123456789012:parameter/costnotifier/slack/platform\"]", "resources = [\"arn:aws:ssm:us-east-1:123456789012:parameter/costnotifier/*\"]", "is not the ARN of a parameter a report's channel names")]
    [InlineData("channel-secrets", "resources = [\"arn:aws:ssm:us-east-1:123456789012:parameter/costnotifier/slack/platform\"]", "resources = [\"arn:aws:ssm:us-east-1:123456789012:parameter/costnotifier/other\"]", "Channel parameter /costnotifier/slack/platform is not readable")]
    [InlineData("channel-secrets", "actions   = [\"ssm:GetParameter\"]", "actions   = [\"ssm:GetParameter\", \"ssm:GetParametersByPath\"]", "grants ssm:GetParametersByPath")]
    [InlineData("wildcard-resource", "resources = [\"arn:aws:ssm:us-east-1:123456789012:parameter/costnotifier/slack/platform\"]", "resources = [\"arn:aws:ssm:us-east-1:123456789012:parameter/costnotifier/*\"]", "hard-coded wildcard resource")]
    [InlineData("wildcard-resource", "variable = \"kms:ViaService\"", "variable = \"kms:CallerAccount\"", "hard-coded wildcard resource \"arn:aws:kms:us-east-1:123456789012:key/*\"")]
    [InlineData("kms", "variable = \"kms:ViaService\"", "variable = \"kms:CallerAccount\"", "KMS actions need a StringEquals kms:ViaService condition")]
    [InlineData("kms", "values   = [\"ssm.us-east-1.amazonaws.com\"]", "values   = [\"ssm.us-east-1.amazonaws.com\", \"s3.us-east-1.amazonaws.com\"]", "decrypting through SSM belongs in a statement of its own")]
    [InlineData("kms", "actions   = [\"kms:Decrypt\"]", "actions   = [\"kms:Decrypt\", \"kms:Encrypt\"]", "grants kms:Encrypt through SSM")]
    [InlineData("kms", "variable = \"kms:EncryptionContext:PARAMETER_ARN\"", "variable = \"kms:EncryptionContextKeys\"", "must be limited to the channel parameters")]
    [InlineData("unused-action", "actions   = [\"ssm:GetParameter\"]", "actions   = [\"ssm:GetParameter\", \"ssm:PutParameter\"]", "grants ssm:PutParameter, which nothing in the pipeline calls")]
    [InlineData("bounce-alarm", "metric_name = \"NotificationsComplained\"", "metric_name = \"NotificationsDelivered\"", "must also read CostNotifier/NotificationsComplained")]
    [InlineData("bounce-alarm", "expression  = \"FILL(bounced, 0) + FILL(complained, 0)\"", "expression  = \"FILL(bounced, 0)\"", "must add bounces and complaints")]
    [InlineData("bounce-alarm", "-email-bounced-or-complained\"\n  treat_missing_data  = \"notBreaching\"", "-email-bounced-or-complained\"\n  treat_missing_data  = \"breaching\"", "treat_missing_data must be notBreaching")]
    [InlineData("bounce-alarm", "dimensions  = { Stack = var.name_prefix }", "dimensions  = { Stack = \"other\" }", "must have the dimension Stack = the stack's name_prefix")]
    [InlineData("bounce-alarm", "period      = 300", "period      = 3600", "one period of at most 5 minutes")]
    [InlineData("bounce-alarm", "metric_name = \"NotificationsBounced\"", "metric_name = \"NotificationsDelivered\"", "No alarm on the CostNotifier/NotificationsBounced metric")]
    public void Check_ReportsTheViolation_WhenTheConfigurationBreaksIt(string check, string original, string broken, string expectedViolation)
    {
        Assert.Contains(original, Baseline, StringComparison.Ordinal);
        var stack = Load(Baseline.Replace(original, broken, StringComparison.Ordinal));

        var violations = Checks[check](stack);

        Assert.Contains(violations, v => v.Contains(expectedViolation, StringComparison.Ordinal));
    }

    [Fact]
    public void Loading_FailsWithTheParserMessage_WhenHclIsMalformed()
    {
        var error = Assert.Throws<HclSyntaxException>(() => Load(Baseline.Replace("name_prefix\" {", "name_prefix\" {{", StringComparison.Ordinal)));

        Assert.Contains("main.tf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_FailsWithTheInstallCommand_WhenHcl2JsonIsNotInstalled()
    {
        var emptyTools = Directory.CreateTempSubdirectory("costnotifier-no-hcl2json-");
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => Hcl2Json.Convert(["main.tf"], emptyTools.FullName));

            Assert.Contains("npm ci --prefix tools/hcl2json", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            emptyTools.Delete(recursive: true);
        }
    }
}
