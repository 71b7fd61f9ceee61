# Root module: turns the operator-facing inputs into the two building blocks,
# the pipeline (schedule -> queues -> functions -> table/SES) and its monitoring.

data "aws_region" "current" {}

locals {
  # Variable defaults cannot refer to path.root, so the default lives here.
  artifacts_dir = coalesce(var.artifacts_dir, "${path.root}/../artifacts")

  # The functions read the reports from COSTNOTIFIER_REPORTS with camelCase keys;
  # the mapping from Terraform's snake_case happens once, here. channels is left out of a report without any, and
  # channel out of a webhook destination: Lambda's environment is limited to 4 KB, and the functions read an
  # absent value as empty.
  reports_json = jsonencode([
    for r in var.reports : merge(
      {
        id         = r.id
        cadence    = r.cadence
        name       = r.name
        recipients = r.recipients
        groupBy    = r.group_by
        top        = r.top
        filter = [
          for f in r.filter : {
            dimension = f.dimension
            tag       = f.tag
            values    = f.values
            exclude   = f.exclude
          }
        ]
        monthlyBudget = r.monthly_budget
        anomalies = r.anomalies == null ? null : {
          minimumImpact         = r.anomalies.minimum_impact
          minimumRelativeImpact = r.anomalies.minimum_relative_impact
        }
      },
      length(r.channels) == 0 ? {} : {
        channels = [
          for c in r.channels : merge(
            { name = c.name, type = c.type, parameter = c.parameter },
            c.channel == null ? {} : { channel = c.channel }
          )
        ]
      }
    )
  ])

  # Every SSM parameter a channel names, once: the notifier may read exactly these. With reports_source = "table"
  # the published reports are not known here, so the operator lists their parameters in channel_parameter_names.
  channel_secret_parameters = distinct(concat(flatten([for r in var.reports : [for c in r.channels : c.parameter]]), var.channel_parameter_names))
}

module "pipeline" {
  source = "./modules/pipeline"

  name_prefix               = var.name_prefix
  artifacts_dir             = local.artifacts_dir
  package_kind              = var.package_kind
  architecture              = var.architecture
  reports_source            = var.reports_source
  reports_json              = local.reports_json
  report_count              = length(var.reports)
  sender_address            = var.sender_address
  sender_identity           = var.sender_identity
  schedule_expression       = var.schedule_expression
  schedule_timezone         = var.schedule_timezone
  schedule_enabled          = var.schedule_enabled
  lambda_memory_mb          = var.lambda_memory_mb
  collector_memory_mb       = var.collector_memory_mb
  scheduler_timeout_seconds = var.scheduler_timeout_seconds
  collector_timeout_seconds = var.collector_timeout_seconds
  notifier_timeout_seconds  = var.notifier_timeout_seconds
  log_level                 = var.log_level
  log_retention_days        = var.log_retention_days
  max_receive_count         = var.max_receive_count
  consumer_max_concurrency  = var.consumer_max_concurrency
  notifier_max_concurrency  = var.notifier_max_concurrency
  ses_max_send_rate         = var.ses_max_send_rate
  cost_metric               = var.cost_metric
  kms_key_arn               = var.kms_key_arn
  table_deletion_protection = var.table_deletion_protection

  channel_secret_parameters   = local.channel_secret_parameters
  channel_secrets_kms_key_arn = var.channel_secrets_kms_key_arn
  delivery_events_kms_key_arn = var.delivery_events_kms_key_arn
}

module "monitoring" {
  source = "./modules/monitoring"

  name_prefix = var.name_prefix
  aws_region  = data.aws_region.current.region
  alarm_email = var.alarm_email

  function_names = {
    scheduler = module.pipeline.scheduler_function_name
    collector = module.pipeline.collector_function_name
    notifier  = module.pipeline.notifier_function_name
  }

  work_queue_names = {
    collector = module.pipeline.collector_queue_name
    notifier  = module.pipeline.notifier_queue_name
    delivery  = module.pipeline.delivery_queue_name
  }

  dead_letter_queue_names = {
    collector = module.pipeline.collector_dlq_name
    notifier  = module.pipeline.notifier_dlq_name
    delivery  = module.pipeline.delivery_dlq_name
    scheduler = module.pipeline.scheduler_dlq_name
  }

  scheduler_failures_queue_name = module.pipeline.scheduler_failures_queue_name

  duration_slo_ms         = var.duration_slo_ms
  queue_age_alarm_seconds = var.queue_age_alarm_seconds
  report_silence_hours    = var.report_silence_hours
}
