# The daily trigger. EventBridge Scheduler (not an EventBridge rule) because it evaluates cron in an
# IANA time zone, including daylight saving changes.

resource "aws_scheduler_schedule" "daily" {
  name                         = "${var.name_prefix}-daily"
  description                  = "CostNotifier: request yesterday's reports"
  schedule_expression          = var.schedule_expression
  schedule_expression_timezone = var.schedule_timezone
  state                        = var.schedule_enabled ? "ENABLED" : "DISABLED"

  # Reports are expected at a fixed time; no jitter.
  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.scheduler.arn
    role_arn = aws_iam_role.scheduler_invoke.arn

    # <aws.scheduler.scheduled-time> is filled in by Scheduler, so a late retry still asks for the right day.
    input = jsonencode({
      source        = "eventbridge-scheduler"
      scheduledTime = "<aws.scheduler.scheduled-time>"
    })

    retry_policy {
      maximum_event_age_in_seconds = 3600
      maximum_retry_attempts       = 3
    }

    dead_letter_config {
      arn = aws_sqs_queue.scheduler_dlq.arn
    }
  }
}
