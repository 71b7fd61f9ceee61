output "name_prefix" {
  description = "Stack name; pass it to the operator CLI as --stack."
  value       = var.name_prefix
}

output "collector_queue_url" {
  description = "URL of the collector work queue (ReportRequested messages)."
  value       = module.pipeline.collector_queue_url
}

output "collector_dlq_url" {
  description = "URL of the collector dead-letter queue."
  value       = module.pipeline.collector_dlq_url
}

output "notifier_queue_url" {
  description = "URL of the notifier work queue (CostSnapshotReady messages)."
  value       = module.pipeline.notifier_queue_url
}

output "notifier_dlq_url" {
  description = "URL of the notifier dead-letter queue."
  value       = module.pipeline.notifier_dlq_url
}

output "delivery_queue_url" {
  description = "URL of the queue of SES's sending events (send, delivery, bounce, complaint, reject, rendering failure, delivery delay), which the notifier records on each report's stream."
  value       = module.pipeline.delivery_queue_url
}

output "delivery_dlq_url" {
  description = "URL of the delivery queue's dead-letter queue."
  value       = module.pipeline.delivery_dlq_url
}

output "delivery_events_topic_arn" {
  description = "ARN of the SNS topic SES publishes the configuration set's sending events to; the delivery queue is subscribed to it."
  value       = module.pipeline.delivery_events_topic_arn
}

output "scheduler_dlq_url" {
  description = "URL of the queue that receives schedule invocations EventBridge Scheduler could not deliver."
  value       = module.pipeline.scheduler_dlq_url
}

output "scheduler_failures_queue_url" {
  description = "URL of the queue that receives scheduler function invocations that failed inside the function after Lambda's two retries (the invocation record, with the schedule payload in requestPayload)."
  value       = module.pipeline.scheduler_failures_queue_url
}

output "events_table_name" {
  description = "Name of the DynamoDB event table."
  value       = module.pipeline.events_table_name
}

output "function_names" {
  description = "Lambda function names by role (scheduler, collector, notifier)."
  value = {
    scheduler = module.pipeline.scheduler_function_name
    collector = module.pipeline.collector_function_name
    notifier  = module.pipeline.notifier_function_name
  }
}

output "sender_dkim_tokens" {
  description = "DKIM tokens of the SES identity; for a domain identity publish each as a CNAME <token>._domainkey.<domain> -> <token>.dkim.amazonses.com."
  value       = module.pipeline.sender_dkim_tokens
}

output "ses_configuration_set_name" {
  description = "SES configuration set every report email is sent with."
  value       = module.pipeline.ses_configuration_set_name
}

output "alarm_topic_arn" {
  description = "ARN of the SNS topic all alarms notify; subscribe pagers or chat integrations to it."
  value       = module.monitoring.alarm_topic_arn
}

output "dashboard_url" {
  description = "Console URL of the CloudWatch dashboard."
  value       = module.monitoring.dashboard_url
}
