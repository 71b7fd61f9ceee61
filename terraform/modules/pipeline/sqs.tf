# Three work queues, each with its own dead-letter queue (collector, notifier, and delivery: SES's reports on each
# email, which the notifier consumes too), plus two queues for the daily trigger: one catches schedule invocations
# EventBridge Scheduler could not deliver, the other scheduler function runs that failed after Lambda's retries.
# All standard queues with SQS-managed SSE.

resource "aws_sqs_queue" "collector_dlq" {
  name                      = "${var.name_prefix}-collector-dlq"
  message_retention_seconds = local.dead_letter_retention_seconds
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "collector" {
  name                       = "${var.name_prefix}-collector"
  message_retention_seconds  = local.work_queue_retention_seconds
  visibility_timeout_seconds = local.collector_visibility_timeout_seconds
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.collector_dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
}

# Only the collector queue may dead-letter into its DLQ (and be the target of a redrive from it).
resource "aws_sqs_queue_redrive_allow_policy" "collector_dlq" {
  queue_url = aws_sqs_queue.collector_dlq.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.collector.arn]
  })
}

resource "aws_sqs_queue" "notifier_dlq" {
  name                      = "${var.name_prefix}-notifier-dlq"
  message_retention_seconds = local.dead_letter_retention_seconds
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "notifier" {
  name                       = "${var.name_prefix}-notifier"
  message_retention_seconds  = local.work_queue_retention_seconds
  visibility_timeout_seconds = local.notifier_visibility_timeout_seconds
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.notifier_dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
}

resource "aws_sqs_queue_redrive_allow_policy" "notifier_dlq" {
  queue_url = aws_sqs_queue.notifier_dlq.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.notifier.arn]
  })
}

resource "aws_sqs_queue" "delivery_dlq" {
  name                      = "${var.name_prefix}-delivery-dlq"
  message_retention_seconds = local.dead_letter_retention_seconds
  sqs_managed_sse_enabled   = true
}

# SES's sending events (ses.tf), one per email and event type, delivered raw by the delivery-events topic. SNS can
# deliver to a queue under SQS-managed SSE; a queue under the AWS managed key aws/sqs it could not write to.
resource "aws_sqs_queue" "delivery" {
  name                       = "${var.name_prefix}-delivery"
  message_retention_seconds  = local.work_queue_retention_seconds
  visibility_timeout_seconds = local.delivery_visibility_timeout_seconds
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.delivery_dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
}

resource "aws_sqs_queue_redrive_allow_policy" "delivery_dlq" {
  queue_url = aws_sqs_queue.delivery_dlq.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.delivery.arn]
  })
}

# Only the delivery-events topic may write to the queue, so nothing else can pass off a message as SES's report on
# an email.
data "aws_iam_policy_document" "delivery_queue" {
  statement {
    sid       = "DeliveryEventsTopicOnly"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.delivery.arn]

    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_sns_topic.delivery_events.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "delivery" {
  queue_url = aws_sqs_queue.delivery.id
  policy    = data.aws_iam_policy_document.delivery_queue.json
}

resource "aws_sqs_queue" "scheduler_dlq" {
  name                      = "${var.name_prefix}-scheduler-dlq"
  message_retention_seconds = local.dead_letter_retention_seconds
  sqs_managed_sse_enabled   = true
}

# Nothing is a redrive source of the scheduler DLQ: its messages are schedule payloads, replayed by hand.
resource "aws_sqs_queue_redrive_allow_policy" "scheduler_dlq" {
  queue_url = aws_sqs_queue.scheduler_dlq.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "denyAll"
  })
}

# Lambda's on-failure destination for the scheduler function (lambda.tf): each message is the record of an
# asynchronous invocation that failed after its retries, the original schedule payload inside requestPayload.
resource "aws_sqs_queue" "scheduler_failures" {
  name                      = "${var.name_prefix}-scheduler-failures"
  message_retention_seconds = local.dead_letter_retention_seconds
  sqs_managed_sse_enabled   = true
}

# Like the scheduler DLQ, it is nobody's dead-letter queue and nothing redrives from it: its records are replayed by hand.
resource "aws_sqs_queue_redrive_allow_policy" "scheduler_failures" {
  queue_url = aws_sqs_queue.scheduler_failures.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "denyAll"
  })
}
