# One role per function and one for EventBridge Scheduler. Least privilege: named actions only, each on
# the exact queue, table, index, identity, parameter or log group it needs. The single Resource "*" is Cost
# Explorer's, whose read actions have no resource-level permissions. The resource policies of the delivery-events
# topic and queue are beside them, in ses.tf and sqs.tf.

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    sid     = "LambdaAssumesTheRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# --- scheduler function: writes ReportRequested messages to the collector queue -------------------

resource "aws_iam_role" "scheduler" {
  name               = "${var.name_prefix}-scheduler"
  description        = "CostNotifier scheduler function"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.scheduler.arn}:*"]
  }

  statement {
    sid       = "EnqueueReportRequests"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.collector.arn]
  }

  # Lambda delivers a failed asynchronous invocation to the on-failure destination with the function's own role.
  statement {
    sid       = "RecordFailedInvocations"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.scheduler_failures.arn]
  }

  # With reports_source = "table" the scheduler reads the published report configuration, and only it: the
  # pointer and the versions' items, never a report's events or a claim. (The collector and notifier already read
  # the whole table.)
  dynamic "statement" {
    for_each = var.reports_source == "table" ? [aws_dynamodb_table.events.arn] : []

    content {
      sid       = "ReadPublishedReportConfiguration"
      actions   = ["dynamodb:GetItem", "dynamodb:Query"]
      resources = [statement.value]

      condition {
        test     = "ForAllValues:StringLike"
        variable = "dynamodb:LeadingKeys"
        values   = local.report_configuration_keys
      }
    }
  }

  dynamic "statement" {
    for_each = var.reports_source == "table" && var.kms_key_arn != null ? [var.kms_key_arn] : []

    content {
      sid       = "DecryptEventTableThroughDynamoDb"
      actions   = ["kms:Decrypt", "kms:DescribeKey"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["dynamodb.${data.aws_region.current.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "${var.name_prefix}-scheduler"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}

# --- collector function: Cost Explorer -> event table -> notifier queue --------------------------

resource "aws_iam_role" "collector" {
  name               = "${var.name_prefix}-collector"
  description        = "CostNotifier collector function"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "collector" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.collector.arn}:*"]
  }

  # What the event source mapping polls with; the function itself never changes a message's visibility.
  statement {
    sid       = "ConsumeCollectorQueue"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.collector.arn]
  }

  statement {
    sid       = "ForwardPoisonMessagesAndPublishSnapshots"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.collector_dlq.arn, aws_sqs_queue.notifier.arn]
  }

  statement {
    sid       = "UseEventStore"
    actions   = ["dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
    resources = [aws_dynamodb_table.events.arn]
  }

  statement {
    sid       = "QuerySnapshotsByReportAndDate"
    actions   = ["dynamodb:Query"]
    resources = ["${aws_dynamodb_table.events.arn}/index/by-report-date"]
  }

  # Cost Explorer supports no resource-level permissions for this read: "*" is the only valid resource.
  statement {
    sid       = "ReadCostExplorer"
    actions   = ["ce:GetCostAndUsage"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]

    content {
      sid       = "UseEventTableKeyThroughDynamoDb"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["dynamodb.${data.aws_region.current.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "collector" {
  name   = "${var.name_prefix}-collector"
  role   = aws_iam_role.collector.id
  policy = data.aws_iam_policy_document.collector.json
}

# --- notifier function: event table -> SES and chat; SES's delivery events -> event table ---------

resource "aws_iam_role" "notifier" {
  name               = "${var.name_prefix}-notifier"
  description        = "CostNotifier notifier function"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "notifier" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.notifier.arn}:*"]
  }

  # What the event source mapping polls with; the function itself never changes a message's visibility.
  statement {
    sid       = "ConsumeNotifierQueue"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.notifier.arn]
  }

  statement {
    sid       = "ConsumeDeliveryEvents"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.delivery.arn]
  }

  statement {
    sid       = "ForwardPoisonMessages"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.notifier_dlq.arn, aws_sqs_queue.delivery_dlq.arn]
  }

  statement {
    sid       = "UseEventStore"
    actions   = ["dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
    resources = [aws_dynamodb_table.events.arn]
  }

  statement {
    sid       = "QuerySnapshotsByReportAndDate"
    actions   = ["dynamodb:Query"]
    resources = ["${aws_dynamodb_table.events.arn}/index/by-report-date"]
  }

  # SES v2 authorises SendEmail against both the identity and the configuration set; the condition
  # pins the From address, so the role cannot send as anyone else on a verified domain.
  statement {
    sid       = "SendReportEmailsAsTheSenderOnly"
    actions   = ["ses:SendEmail"]
    resources = [aws_sesv2_email_identity.sender.arn, aws_sesv2_configuration_set.reports.arn]

    condition {
      test     = "StringEquals"
      variable = "ses:FromAddress"
      values   = [var.sender_address]
    }
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]

    content {
      sid       = "UseEventTableKeyThroughDynamoDb"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["dynamodb.${data.aws_region.current.region}.amazonaws.com"]
      }
    }
  }

  # The chat channels' webhook URLs and bot tokens: GetParameter on exactly the parameters the reports name (and
  # those listed in channel_parameter_names), and nothing at all when there are none.
  dynamic "statement" {
    for_each = length(local.channel_secret_arns) == 0 ? [] : [local.channel_secret_arns]

    content {
      sid       = "ReadChannelSecrets"
      actions   = ["ssm:GetParameter"]
      resources = statement.value
    }
  }

  # SSM decrypts a SecureString with the caller's permission, passing the parameter's ARN as encryption context.
  # With the AWS managed key aws/ssm the key's own policy already admits the account's principals through SSM, so
  # this statement matters for a customer managed key whose policy defers to IAM; it is granted either way so the
  # role says what it needs.
  dynamic "statement" {
    for_each = length(local.channel_secret_arns) == 0 ? [] : [local.channel_secrets_kms_keys]

    content {
      sid       = "DecryptChannelSecretsThroughSsm"
      actions   = ["kms:Decrypt"]
      resources = statement.value

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ssm.${data.aws_region.current.region}.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "kms:EncryptionContext:PARAMETER_ARN"
        values   = local.channel_secret_arns
      }
    }
  }
}

resource "aws_iam_role_policy" "notifier" {
  name   = "${var.name_prefix}-notifier"
  role   = aws_iam_role.notifier.id
  policy = data.aws_iam_policy_document.notifier.json
}

# --- EventBridge Scheduler: invokes the scheduler function, dead-letters what it cannot deliver ------

data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    sid     = "SchedulerAssumesTheRoleForThisAccountOnly"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "scheduler_invoke" {
  name               = "${var.name_prefix}-scheduler-invoke"
  description        = "EventBridge Scheduler invoking the CostNotifier scheduler function"
  assume_role_policy = data.aws_iam_policy_document.scheduler_assume.json
}

data "aws_iam_policy_document" "scheduler_invoke" {
  statement {
    sid       = "InvokeSchedulerFunction"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.scheduler.arn]
  }

  # EventBridge Scheduler delivers to its dead-letter queue with the schedule's own role.
  statement {
    sid       = "DeadLetterUndeliveredInvocations"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.scheduler_dlq.arn]
  }
}

resource "aws_iam_role_policy" "scheduler_invoke" {
  name   = "${var.name_prefix}-scheduler-invoke"
  role   = aws_iam_role.scheduler_invoke.id
  policy = data.aws_iam_policy_document.scheduler_invoke.json
}
