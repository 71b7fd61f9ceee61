# Two work queues, each with its own dead-letter queue, plus the queue that catches schedule
# invocations EventBridge Scheduler could not deliver. All standard queues with SQS-managed SSE.

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
