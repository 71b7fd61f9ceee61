# One dashboard for the pipeline's health (left to right: work, failures, latency, outcome, cost; below, what
# became of the emails).

locals {
  queue_depth_metrics = [
    for key, name in var.work_queue_names : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", name, { label = key }]
  ]
  dead_letter_depth_metrics = concat(
    [for key, name in var.dead_letter_queue_names : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", name, { label = "${key} DLQ" }]],
    [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", var.scheduler_failures_queue_name, { label = "scheduler failures" }]],
  )
  function_error_metrics = [
    for key, name in var.function_names : ["AWS/Lambda", "Errors", "FunctionName", name, { label = key, stat = "Sum" }]
  ]
  function_duration_metrics = [
    for key, name in var.function_names : ["AWS/Lambda", "Duration", "FunctionName", name, { label = "${key} p95", stat = "p95" }]
  ]

  # DailyCostTotal carries a ReportId dimension per report; SEARCH finds every report without listing them.
  daily_cost_search = "SEARCH('{${local.metric_namespace},Stack,ReportId} MetricName=\"DailyCostTotal\" Stack=\"${var.name_prefix}\"', 'Maximum', 86400)"
}

resource "aws_cloudwatch_dashboard" "pipeline" {
  dashboard_name = "${var.name_prefix}-costnotifier"

  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 8, height = 6
        properties = {
          title   = "Work queue depth"
          region  = var.aws_region
          view    = "timeSeries"
          stat    = "Maximum"
          period  = 300
          metrics = local.queue_depth_metrics
        }
      },
      {
        type = "metric", x = 8, y = 0, width = 8, height = 6
        properties = {
          title   = "Dead-letter and failure queue depth (should be 0)"
          region  = var.aws_region
          view    = "timeSeries"
          stat    = "Maximum"
          period  = 300
          metrics = local.dead_letter_depth_metrics
        }
      },
      {
        type = "metric", x = 16, y = 0, width = 8, height = 6
        properties = {
          title   = "Function errors"
          region  = var.aws_region
          view    = "timeSeries"
          period  = 300
          metrics = local.function_error_metrics
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 8, height = 6
        properties = {
          title   = "Function duration p95 (ms)"
          region  = var.aws_region
          view    = "timeSeries"
          period  = 3600
          metrics = local.function_duration_metrics
          annotations = {
            horizontal = [{ label = "SLO", value = var.duration_slo_ms }]
          }
        }
      },
      {
        type = "metric", x = 8, y = 6, width = 8, height = 6
        properties = {
          title  = "Reports sent and Cost Explorer requests per day"
          region = var.aws_region
          view   = "bar"
          stat   = "Sum"
          period = 86400
          metrics = [
            [local.metric_namespace, "ReportsSent", "Stack", var.name_prefix, { label = "ReportsSent" }],
            [local.metric_namespace, "CostExplorerRequests", "Stack", var.name_prefix, { label = "CostExplorerRequests ($0.01 each)" }],
            [local.metric_namespace, "SnapshotsCollected", "Stack", var.name_prefix, { label = "SnapshotsCollected" }],
            [local.metric_namespace, "MessagesDeadLettered", "Stack", var.name_prefix, { label = "MessagesDeadLettered" }],
          ]
        }
      },
      {
        type = "metric", x = 16, y = 6, width = 8, height = 6
        properties = {
          title   = "DailyCostTotal by report"
          region  = var.aws_region
          view    = "timeSeries"
          period  = 86400
          metrics = [[{ expression = local.daily_cost_search, id = "cost", label = "" }]]
        }
      },
      {
        type = "metric", x = 0, y = 12, width = 8, height = 6
        properties = {
          title  = "Report emails bounced or complained about (should be 0)"
          region = var.aws_region
          view   = "bar"
          stat   = "Sum"
          period = 86400
          metrics = [
            [local.metric_namespace, "NotificationsBounced", "Stack", var.name_prefix, { label = "NotificationsBounced" }],
            [local.metric_namespace, "NotificationsComplained", "Stack", var.name_prefix, { label = "NotificationsComplained" }],
          ]
        }
      },
    ]
  })
}
