# The pipeline: EventBridge Scheduler -> scheduler function -> collector queue -> collector function
# -> notifier queue -> notifier function -> SES and chat, with the DynamoDB event store beside the consumers.
# SES reports what became of each email (delivered, bounced, ...) through an SNS topic to the delivery queue,
# which the notifier consumes too.
# Resources are split by service: sqs.tf, dynamodb.tf, lambda.tf, iam.tf, ses.tf, scheduler.tf.

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  # Work queues keep messages for 4 days; their dead-letter queues for the 14-day maximum. A standard
  # queue's message keeps its original enqueue time when it is dead-lettered, so the DLQ must keep it
  # longer than the source did or it would expire on arrival.
  work_queue_retention_seconds  = 4 * 24 * 3600
  dead_letter_retention_seconds = 14 * 24 * 3600

  # How long each SQS event source mapping (lambda.tf) gathers messages before it invokes its function.
  consumer_batching_window_seconds = 1

  # Messages per notifier invocation. Each notifier sends at most ses_max_send_rate / notifier_max_concurrency
  # emails per second (Lambda runs at most notifier_max_concurrency of them at once), so a batch of one-recipient
  # reports takes notifier_batch_size * notifier_max_concurrency / ses_max_send_rate seconds.
  notifier_batch_size = 10

  # AWS's rule for a queue a Lambda event source mapping consumes: visibility timeout >= 6 x the function's
  # timeout + the mapping's batching window, so a message is not handed to a second worker while the batch that
  # holds it is still being gathered or throttled retries of the first worker are still running.
  collector_visibility_timeout_seconds = 6 * var.collector_timeout_seconds + local.consumer_batching_window_seconds
  notifier_visibility_timeout_seconds  = 6 * var.notifier_timeout_seconds + local.consumer_batching_window_seconds
  # The notifier consumes the SES delivery events too, with the same batching window.
  delivery_visibility_timeout_seconds = 6 * var.notifier_timeout_seconds + local.consumer_batching_window_seconds

  # A claim must outlive any live invocation (Lambda stops it at its timeout) and die before the queue hands the
  # message out again (the visibility timeout above), so a worker killed mid-way blocks its report only until
  # the next delivery.
  collector_claim_seconds = 2 * var.collector_timeout_seconds
  notifier_claim_seconds  = 2 * var.notifier_timeout_seconds

  # How Lambda starts each package kind (docs/DEPLOY.md). Either way a function is an executable that runs its
  # own Lambda Runtime API loop; there is no class-library handler (Assembly::Type::Method), which the managed
  # runtime could only start through Amazon.Lambda.RuntimeSupport.
  # - ready-to-run: the dotnet10 runtime's bootstrap runs `dotnet exec /var/task/<handler>.dll`, so the handler
  #   is the function's assembly name.
  # - native-aot: the zip holds one native executable named bootstrap, which provided.al2023 runs.
  package_kinds = {
    "ready-to-run" = {
      runtime = "dotnet10"
      handlers = {
        scheduler = "CostNotifier.Scheduler"
        collector = "CostNotifier.Collector"
        notifier  = "CostNotifier.Notifier"
      }
    }
    "native-aot" = {
      runtime = "provided.al2023"
      handlers = {
        scheduler = "bootstrap"
        collector = "bootstrap"
        notifier  = "bootstrap"
      }
    }
  }
  lambda_runtime  = local.package_kinds[var.package_kind].runtime
  lambda_handlers = local.package_kinds[var.package_kind].handlers

  # `./build.sh package [--aot] [--arch <architecture>]` writes artifacts/<package_kind>/<architecture>/<fn>.zip.
  package_directory = "${var.artifacts_dir}/${var.package_kind}/${var.architecture}"

  # The functions read the same settings from the same names; each adds only what it needs.
  # With reports_source = "table" the reports come from the event table, so every function is told the table and
  # none carries COSTNOTIFIER_REPORTS.
  common_environment = merge(
    {
      COSTNOTIFIER_STACK          = var.name_prefix
      COSTNOTIFIER_LOG_LEVEL      = var.log_level
      COSTNOTIFIER_REPORTS_SOURCE = var.reports_source
    },
    var.reports_source == "table" ? { COSTNOTIFIER_EVENTS_TABLE = aws_dynamodb_table.events.name } : { COSTNOTIFIER_REPORTS = var.reports_json }
  )

  # The items of the published report configuration: its pointer config#reports and the versions config#reports#v<N>.
  report_configuration_keys = ["config#reports*"]

  ses_identity = coalesce(var.sender_identity, var.sender_address)

  # SSM names a parameter in an ARN by its name without the leading '/': /costnotifier/slack/platform is
  # arn:<partition>:ssm:<region>:<account>:parameter/costnotifier/slack/platform.
  channel_secret_arns = [
    for name in var.channel_secret_parameters :
    "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:parameter/${trimprefix(name, "/")}"
  ]

  # Which key encrypts a parameter is the operator's choice when they create it, so with the AWS managed key the
  # grant names the account's keys; kms:ViaService and the parameters' encryption context (iam.tf) narrow it to
  # SSM decrypting these parameters. The alias aws/ssm cannot be looked up instead: it exists only once a
  # SecureString has used it.
  channel_secrets_kms_keys = var.channel_secrets_kms_key_arn == null ? [
    "arn:${data.aws_partition.current.partition}:kms:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:key/*"
  ] : [var.channel_secrets_kms_key_arn]
}
