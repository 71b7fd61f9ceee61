# Two work queues, each with its own dead-letter queue, plus two queues for the daily trigger: one catches
# schedule invocations EventBridge Scheduler could not deliver, the other scheduler function runs that failed
# after Lambda's retries. All standard queues with SQS-managed SSE.

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
