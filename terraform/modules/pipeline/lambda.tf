# Three functions, each an executable that runs its own Lambda Runtime API loop: ReadyToRun assemblies on the
# managed dotnet10 runtime, or Native AOT `bootstrap` executables on provided.al2023 (package_kind; runtime and
# handler come from local.package_kinds in main.tf). Each has its own role (iam.tf) and log group.

resource "aws_cloudwatch_log_group" "scheduler" {
  name              = "/aws/lambda/${var.name_prefix}-scheduler"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "scheduler" {
  function_name    = "${var.name_prefix}-scheduler"
  description      = "CostNotifier: fans out one ReportRequested message per report and day."
  role             = aws_iam_role.scheduler.arn
  runtime          = local.lambda_runtime
  architectures    = [var.architecture]
  handler          = local.lambda_handlers.scheduler
  filename         = "${local.package_directory}/scheduler.zip"
  source_code_hash = filebase64sha256("${local.package_directory}/scheduler.zip")
  memory_size      = var.lambda_memory_mb
  timeout          = var.scheduler_timeout_seconds

  environment {
    variables = merge(local.common_environment, {
      COSTNOTIFIER_COLLECTOR_QUEUE_URL = aws_sqs_queue.collector.url
    })
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.scheduler.name
  }

  # The role's permissions and the log group must exist before the first invocation can use them.
  depends_on = [aws_iam_role_policy.scheduler, aws_cloudwatch_log_group.scheduler]

  lifecycle {
    precondition {
      condition     = var.reports_source == "table" ? var.report_count == 0 : var.report_count >= 1
      error_message = var.reports_source == "table" ? "With reports_source = \"table\" the functions read the reports published to the event table and never var.reports: leave reports empty, and publish them with `costnotifier reports publish --target aws --file reports.json`." : "Define at least one report in var.reports, or set reports_source = \"table\" and publish them with `costnotifier reports publish --target aws`."
    }
  }
}

# EventBridge Scheduler invokes the scheduler function asynchronously: its own retries (scheduler.tf) cover only
# an invocation Lambda did not accept. A run that fails inside the function (an exception, a timeout) is retried
# twice by Lambda and would then be dropped; instead Lambda sends the invocation record, with the schedule's
# payload in requestPayload, to the scheduler failure queue (alarmed; docs/RUNBOOK.md#scheduler-failures-not-empty).
resource "aws_lambda_function_event_invoke_config" "scheduler" {
  function_name                = aws_lambda_function.scheduler.function_name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 3600

  destination_config {
    on_failure {
      destination = aws_sqs_queue.scheduler_failures.arn
    }
  }

  # Lambda checks that the function's role may send to the destination when the destination is configured.
  depends_on = [aws_iam_role_policy.scheduler]
}

resource "aws_cloudwatch_log_group" "collector" {
  name              = "/aws/lambda/${var.name_prefix}-collector"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "collector" {
  function_name    = "${var.name_prefix}-collector"
  description      = "CostNotifier: collects a report-day's costs from Cost Explorer into the event store."
  role             = aws_iam_role.collector.arn
  runtime          = local.lambda_runtime
  architectures    = [var.architecture]
  handler          = local.lambda_handlers.collector
  filename         = "${local.package_directory}/collector.zip"
  source_code_hash = filebase64sha256("${local.package_directory}/collector.zip")
  memory_size      = var.collector_memory_mb
  timeout          = var.collector_timeout_seconds

  environment {
    variables = merge(local.common_environment, {
      COSTNOTIFIER_EVENTS_TABLE       = aws_dynamodb_table.events.name
      COSTNOTIFIER_COLLECTOR_DLQ_URL  = aws_sqs_queue.collector_dlq.url
      COSTNOTIFIER_NOTIFIER_QUEUE_URL = aws_sqs_queue.notifier.url
      COSTNOTIFIER_COST_METRIC        = var.cost_metric
      COSTNOTIFIER_CLAIM_SECONDS      = local.collector_claim_seconds
      COSTNOTIFIER_MAX_RECEIVE_COUNT  = var.max_receive_count
    })
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.collector.name
  }

  depends_on = [aws_iam_role_policy.collector, aws_cloudwatch_log_group.collector]
}

resource "aws_cloudwatch_log_group" "notifier" {
  name              = "/aws/lambda/${var.name_prefix}-notifier"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "notifier" {
  function_name    = "${var.name_prefix}-notifier"
  description      = "CostNotifier: sends a report period's email (SES) and chat messages (Slack, Teams), at most once per destination, and records what SES reports of each email."
  role             = aws_iam_role.notifier.arn
  runtime          = local.lambda_runtime
  architectures    = [var.architecture]
  handler          = local.lambda_handlers.notifier
  filename         = "${local.package_directory}/notifier.zip"
  source_code_hash = filebase64sha256("${local.package_directory}/notifier.zip")
  memory_size      = var.lambda_memory_mb
  timeout          = var.notifier_timeout_seconds

  environment {
    variables = merge(local.common_environment, {
      COSTNOTIFIER_EVENTS_TABLE          = aws_dynamodb_table.events.name
      COSTNOTIFIER_NOTIFIER_DLQ_URL      = aws_sqs_queue.notifier_dlq.url
      COSTNOTIFIER_SENDER_ADDRESS        = var.sender_address
      COSTNOTIFIER_SES_CONFIGURATION_SET = aws_sesv2_configuration_set.reports.configuration_set_name
      COSTNOTIFIER_CLAIM_SECONDS         = local.notifier_claim_seconds
      COSTNOTIFIER_MAX_RECEIVE_COUNT     = var.max_receive_count
      COSTNOTIFIER_DELIVERY_QUEUE_URL    = aws_sqs_queue.delivery.url
      COSTNOTIFIER_DELIVERY_DLQ_URL      = aws_sqs_queue.delivery_dlq.url
      # The notifier paces its SES sends at ses_max_send_rate / notifier_max_concurrency; the divisor is the same
      # variable as the work queue mapping's maximum_concurrency below, so the two cannot disagree.
      COSTNOTIFIER_SES_MAX_SEND_RATE        = var.ses_max_send_rate
      COSTNOTIFIER_NOTIFIER_MAX_CONCURRENCY = var.notifier_max_concurrency
    })
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.notifier.name
  }

  depends_on = [aws_iam_role_policy.notifier, aws_cloudwatch_log_group.notifier]
}

# Lambda polls the work queues. Partial batch responses let one bad message fail alone; the
# concurrency cap keeps Cost Explorer under its request rate limit, and bounds how many notifiers share the SES
# sending quota. The notifier has two: its work queue, and the delivery queue of SES's sending events (which
# sends no email).

# One collector message at a time: a message carries every period of reports that ask the same question (up to
# 400) or a per-account report's every account, which is an invocation's worth of work on its own.
resource "aws_lambda_event_source_mapping" "collector" {
  event_source_arn                   = aws_sqs_queue.collector.arn
  function_name                      = aws_lambda_function.collector.arn
  batch_size                         = 1
  maximum_batching_window_in_seconds = local.consumer_batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.consumer_max_concurrency
  }
}

resource "aws_lambda_event_source_mapping" "notifier" {
  event_source_arn                   = aws_sqs_queue.notifier.arn
  function_name                      = aws_lambda_function.notifier.arn
  batch_size                         = local.notifier_batch_size
  maximum_batching_window_in_seconds = local.consumer_batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.notifier_max_concurrency
  }

  lifecycle {
    # A batch of one-recipient reports, sent at one container's share of the quota, must finish well inside the
    # function's timeout; otherwise every batch runs out of time and is retried until it reaches the DLQ.
    precondition {
      condition     = local.notifier_batch_size * var.notifier_max_concurrency <= var.ses_max_send_rate * var.notifier_timeout_seconds / 2
      error_message = "At ses_max_send_rate / notifier_max_concurrency emails per second per notifier, a batch of 10 emails takes longer than half of notifier_timeout_seconds. Lower notifier_max_concurrency, or raise notifier_timeout_seconds (the SES quota itself is ses_max_send_rate)."
    }
  }
}

resource "aws_lambda_event_source_mapping" "notifier_delivery" {
  event_source_arn                   = aws_sqs_queue.delivery.arn
  function_name                      = aws_lambda_function.notifier.arn
  batch_size                         = 10
  maximum_batching_window_in_seconds = local.consumer_batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.consumer_max_concurrency
  }
}
