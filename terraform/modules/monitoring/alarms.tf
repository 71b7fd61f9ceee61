# Each alarm's runbook entry is in docs/RUNBOOK.md under the same name suffix.
# treat_missing_data: SQS and Lambda publish nothing while idle, and idle is healthy, so those alarms
# treat silence as OK. The report alarm is the opposite: silence is exactly what it looks for.

resource "aws_cloudwatch_metric_alarm" "dead_letter_queue_depth" {
  for_each = var.dead_letter_queue_names

  alarm_name          = "${var.name_prefix}-${each.key}-dlq-not-empty"
  alarm_description   = "A message reached the ${each.key} dead-letter queue: ${each.key == "delivery" ? "an SES delivery event was not recorded on its report's stream" : "some report-day was not processed"}. See docs/RUNBOOK.md#dlq-not-empty."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "scheduler_failures_depth" {
  alarm_name          = "${var.name_prefix}-scheduler-failures-not-empty"
  alarm_description   = "A scheduler function run failed after Lambda's two retries: that day's reports were not (or not all) requested. See docs/RUNBOOK.md#scheduler-failures-not-empty."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = var.scheduler_failures_queue_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each = var.function_names

  alarm_name          = "${var.name_prefix}-${each.key}-errors"
  alarm_description   = "The ${each.key} function failed an invocation (unhandled error or timeout). See docs/RUNBOOK.md#errors."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "function_throttles" {
  for_each = var.function_names

  alarm_name          = "${var.name_prefix}-${each.key}-throttles"
  alarm_description   = "The ${each.key} function was throttled (account or function concurrency exhausted). See docs/RUNBOOK.md#throttles."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "function_duration_p95" {
  for_each = var.function_names

  alarm_name          = "${var.name_prefix}-${each.key}-duration-p95"
  alarm_description   = "p95 duration of the ${each.key} function is above the ${var.duration_slo_ms} ms objective. See docs/RUNBOOK.md#duration-p95."
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = { FunctionName = each.value }
  extended_statistic  = "p95"
  period              = 3600
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.duration_slo_ms
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "oldest_message_age" {
  for_each = var.work_queue_names

  alarm_name          = "${var.name_prefix}-${each.key}-queue-stuck"
  alarm_description   = "The oldest message in the ${each.key} queue is older than ${var.queue_age_alarm_seconds} s: its consumer is not keeping up or not running. See docs/RUNBOOK.md#queue-stuck."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.queue_age_alarm_seconds
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

# One datapoint per hour: the emails sent that hour, plus 1 for a scheduled run that found nothing due (ReportsDue
# written as 0: a day between two weekly or monthly digests). The alarm fires only when every one of the last
# report_silence_hours hours is breaching (missing counts as breaching), so one sent email or one run with nothing
# due anywhere in the window keeps it OK. A digest that was due and not sent, or a schedule that stopped, leaves the
# window empty; with daily reports every run has something due, so it reads as "no email for a day". A period of
# one hour allows a window of up to seven days.
resource "aws_cloudwatch_metric_alarm" "no_report_sent" {
  alarm_name          = "${var.name_prefix}-no-report-sent"
  alarm_description   = "No report email was sent in the last ${var.report_silence_hours} hours although reports were due. See docs/RUNBOOK.md#no-report-sent."
  evaluation_periods  = var.report_silence_hours
  datapoints_to_alarm = var.report_silence_hours
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "signs"
    expression  = "FILL(sent, 0) + IF(FILL(due, 1) == 0, 1, 0)"
    label       = "Reports sent, or scheduled runs with nothing due"
    return_data = true
  }

  metric_query {
    id = "sent"
    metric {
      namespace   = local.metric_namespace
      metric_name = "ReportsSent"
      dimensions  = { Stack = var.name_prefix }
      stat        = "Sum"
      period      = 3600
    }
  }

  metric_query {
    id = "due"
    metric {
      namespace   = local.metric_namespace
      metric_name = "ReportsDue"
      dimensions  = { Stack = var.name_prefix }
      stat        = "Sum"
      period      = 3600
    }
  }
}

# The notifier writes NotificationsBounced and NotificationsComplained when it records SES's Bounce and Complaint
# events. Either is worth a look at once: a bounce means a recipient did not get the report (and SES suppresses the
# address from then on), a complaint counts against the account's sending reputation. Missing data is the normal,
# healthy case: no email bounced.
resource "aws_cloudwatch_metric_alarm" "email_bounced_or_complained" {
  alarm_name          = "${var.name_prefix}-email-bounced-or-complained"
  alarm_description   = "A report email bounced or its recipient marked it as spam. See docs/RUNBOOK.md#email-bounced-or-complained."
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "undelivered"
    expression  = "FILL(bounced, 0) + FILL(complained, 0)"
    label       = "Report emails bounced or complained about"
    return_data = true
  }

  metric_query {
    id = "bounced"
    metric {
      namespace   = local.metric_namespace
      metric_name = "NotificationsBounced"
      dimensions  = { Stack = var.name_prefix }
      stat        = "Sum"
      period      = 300
    }
  }

  metric_query {
    id = "complained"
    metric {
      namespace   = local.metric_namespace
      metric_name = "NotificationsComplained"
      dimensions  = { Stack = var.name_prefix }
      stat        = "Sum"
      period      = 300
    }
  }
}
