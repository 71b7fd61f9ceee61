# Monitoring: every alarm notifies one SNS topic, both when it fires and when it recovers.
# Alarms are in alarms.tf, the dashboard in dashboard.tf.

locals {
  # The functions' own Embedded Metric Format metrics (see docs/SLO.md).
  metric_namespace = "CostNotifier"
}

resource "aws_sns_topic" "alarms" {
  name = "${var.name_prefix}-alarms"
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}
