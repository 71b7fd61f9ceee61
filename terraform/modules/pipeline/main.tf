# The pipeline: EventBridge Scheduler -> scheduler function -> collector queue -> collector function
# -> notifier queue -> notifier function -> SES, with the DynamoDB event store beside the consumers.
# Resources are split by service: sqs.tf, dynamodb.tf, lambda.tf, iam.tf, ses.tf, scheduler.tf.

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

locals {
  # Work queues keep messages for 4 days; their dead-letter queues for the 14-day maximum. A standard
  # queue's message keeps its original enqueue time when it is dead-lettered, so the DLQ must keep it
  # longer than the source did or it would expire on arrival.
  work_queue_retention_seconds  = 4 * 24 * 3600
  dead_letter_retention_seconds = 14 * 24 * 3600

  # Lambda's guidance: a queue's visibility timeout is at least six times the consumer's timeout, so a
  # message is not handed to a second worker while throttled retries of the first are still running.
  collector_visibility_timeout_seconds = 6 * var.collector_timeout_seconds
  notifier_visibility_timeout_seconds  = 6 * var.notifier_timeout_seconds

  # A claim must outlive any live invocation (Lambda stops it at its timeout) and die before the queue hands the
  # message out again (6 × timeout), so a worker killed mid-way blocks its report only until the next delivery.
  collector_claim_seconds = 2 * var.collector_timeout_seconds
  notifier_claim_seconds  = 2 * var.notifier_timeout_seconds

  # The functions read the same settings from the same names; each adds only what it needs.
  # The functions write their own JSON log lines and EMF metric lines to stdout. The .NET runtime would
  # otherwise prefix each line with a timestamp, request id and level, and CloudWatch could no longer read
  # the line as EMF; "Unformatted" passes it through as written.
  common_environment = {
    COSTNOTIFIER_STACK            = var.name_prefix
    COSTNOTIFIER_REPORTS          = var.reports_json
    COSTNOTIFIER_LOG_LEVEL        = var.log_level
    AWS_LAMBDA_HANDLER_LOG_FORMAT = "Unformatted"
  }

  ses_identity = coalesce(var.sender_identity, var.sender_address)
}
