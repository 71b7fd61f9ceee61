output "collector_queue_url" {
  description = "URL of the collector work queue."
  value       = aws_sqs_queue.collector.url
}

output "collector_queue_name" {
  description = "Name of the collector work queue."
  value       = aws_sqs_queue.collector.name
}

output "collector_dlq_url" {
  description = "URL of the collector dead-letter queue."
  value       = aws_sqs_queue.collector_dlq.url
}

output "collector_dlq_name" {
  description = "Name of the collector dead-letter queue."
  value       = aws_sqs_queue.collector_dlq.name
}

output "notifier_queue_url" {
  description = "URL of the notifier work queue."
  value       = aws_sqs_queue.notifier.url
}

output "notifier_queue_name" {
  description = "Name of the notifier work queue."
  value       = aws_sqs_queue.notifier.name
}

output "notifier_dlq_url" {
  description = "URL of the notifier dead-letter queue."
  value       = aws_sqs_queue.notifier_dlq.url
}

output "notifier_dlq_name" {
  description = "Name of the notifier dead-letter queue."
  value       = aws_sqs_queue.notifier_dlq.name
}

output "delivery_queue_url" {
  description = "URL of the queue of SES's delivery events (consumed by the notifier)."
  value       = aws_sqs_queue.delivery.url
}

output "delivery_queue_name" {
  description = "Name of the queue of SES's delivery events."
  value       = aws_sqs_queue.delivery.name
}

output "delivery_dlq_url" {
  description = "URL of the delivery queue's dead-letter queue."
  value       = aws_sqs_queue.delivery_dlq.url
}

output "delivery_dlq_name" {
  description = "Name of the delivery queue's dead-letter queue."
  value       = aws_sqs_queue.delivery_dlq.name
}

output "delivery_events_topic_arn" {
  description = "ARN of the SNS topic the SES configuration set publishes its sending events to."
  value       = aws_sns_topic.delivery_events.arn
}

output "scheduler_dlq_url" {
  description = "URL of the EventBridge Scheduler dead-letter queue."
  value       = aws_sqs_queue.scheduler_dlq.url
}

output "scheduler_dlq_name" {
  description = "Name of the EventBridge Scheduler dead-letter queue."
  value       = aws_sqs_queue.scheduler_dlq.name
}

output "scheduler_failures_queue_url" {
  description = "URL of the queue receiving scheduler function invocations that failed after Lambda's retries."
  value       = aws_sqs_queue.scheduler_failures.url
}

output "scheduler_failures_queue_name" {
  description = "Name of the queue receiving scheduler function invocations that failed after Lambda's retries."
  value       = aws_sqs_queue.scheduler_failures.name
}

output "events_table_name" {
  description = "Name of the DynamoDB event table."
  value       = aws_dynamodb_table.events.name
}

output "scheduler_function_name" {
  description = "Name of the scheduler function."
  value       = aws_lambda_function.scheduler.function_name
}

output "collector_function_name" {
  description = "Name of the collector function."
  value       = aws_lambda_function.collector.function_name
}

output "notifier_function_name" {
  description = "Name of the notifier function."
  value       = aws_lambda_function.notifier.function_name
}

output "sender_dkim_tokens" {
  description = "DKIM tokens of the SES sender identity."
  value       = aws_sesv2_email_identity.sender.dkim_signing_attributes[0].tokens
}

output "ses_configuration_set_name" {
  description = "Name of the SES configuration set."
  value       = aws_sesv2_configuration_set.reports.configuration_set_name
}
