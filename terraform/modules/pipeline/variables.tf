# Validation of these values happens once, in the root module's variables.tf. The exceptions are package_kind
# and architecture: they select a package and a lookup in main.tf, so a wrong value fails here with a clear
# message rather than as an invalid map index.

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name."
}

variable "artifacts_dir" {
  type        = string
  description = "Directory `./build.sh package` writes to, holding <package_kind>/<architecture>/{scheduler,collector,notifier}.zip."
}

variable "package_kind" {
  type        = string
  description = "How the functions are built and started: \"ready-to-run\" (dotnet10, executable assemblies) or \"native-aot\" (provided.al2023, a native bootstrap executable)."
  default     = "ready-to-run"

  validation {
    condition     = contains(["ready-to-run", "native-aot"], var.package_kind)
    error_message = "package_kind must be \"ready-to-run\" (built by `./build.sh package`) or \"native-aot\" (built by `./build.sh package --aot`)."
  }
}

variable "architecture" {
  type        = string
  description = "Instruction set of the functions and their packages: \"x86_64\" or \"arm64\"."
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be \"x86_64\" or \"arm64\", the two Lambda supports (build the package with `./build.sh package [--aot] --arch <architecture>`)."
  }
}

variable "reports_source" {
  type        = string
  description = "Where the functions read the reports: \"variable\" (reports_json, in COSTNOTIFIER_REPORTS) or \"table\" (the version published to the event table)."
  default     = "variable"

  validation {
    condition     = contains(["variable", "table"], var.reports_source)
    error_message = "reports_source must be \"variable\" or \"table\"."
  }
}

variable "reports_json" {
  type        = string
  description = "Report definitions as the functions read them (JSON array, camelCase keys); not passed when reports_source is \"table\"."
}

variable "report_count" {
  type        = number
  description = "How many reports reports_json defines: at least one with reports_source \"variable\", none with \"table\"."
}

variable "sender_address" {
  type        = string
  description = "From address of the report emails."
}

variable "sender_identity" {
  type        = string
  description = "SES identity to create (a domain containing sender_address), or null to verify sender_address itself."
  default     = null
}

variable "schedule_expression" {
  type        = string
  description = "EventBridge Scheduler cron expression of the daily run."
}

variable "schedule_timezone" {
  type        = string
  description = "IANA time zone of schedule_expression."
}

variable "schedule_enabled" {
  type        = bool
  description = "Whether the daily schedule fires."
}

variable "collector_memory_mb" {
  type        = number
  description = "Memory of the collector function in MB."
}

variable "lambda_memory_mb" {
  type        = number
  description = "Memory of each function in MB."
}

variable "scheduler_timeout_seconds" {
  type        = number
  description = "Timeout of the scheduler function in seconds."
}

variable "collector_timeout_seconds" {
  type        = number
  description = "Timeout of the collector function in seconds."
}

variable "notifier_timeout_seconds" {
  type        = number
  description = "Timeout of the notifier function in seconds."
}

variable "log_level" {
  type        = string
  description = "Minimum log level of the functions."
}

variable "log_retention_days" {
  type        = number
  description = "Days CloudWatch keeps the functions' logs."
}

variable "max_receive_count" {
  type        = number
  description = "Receives before a message moves to its dead-letter queue."
}

variable "consumer_max_concurrency" {
  type        = number
  description = "Maximum concurrency of the collector's and the delivery queue's SQS event source mappings."
}

variable "notifier_max_concurrency" {
  type        = number
  description = "Maximum concurrency of the notifier work queue's SQS event source mapping; the notifier divides the SES quota by it."
}

variable "ses_max_send_rate" {
  type        = number
  description = "The account's SES sending quota in emails per second, which the notifiers share."
}

variable "cost_metric" {
  type        = string
  description = "Cost Explorer metric the collector requests."
}

variable "kms_key_arn" {
  type        = string
  description = "Customer managed KMS key of the event table, or null for the AWS managed key aws/dynamodb."
  default     = null
}

variable "table_deletion_protection" {
  type        = bool
  description = "Whether the event table is protected from deletion."
}

variable "channel_secret_parameters" {
  type        = list(string)
  description = "Names of the SSM SecureString parameters the reports' chat channels read their webhook URL or bot token from. The notifier may read exactly these; none means no SSM or KMS access at all."
  default     = []
}

variable "channel_secrets_kms_key_arn" {
  type        = string
  description = "Customer managed KMS key of the channel parameters, or null for the AWS managed key aws/ssm."
  default     = null
}

variable "delivery_events_kms_key_arn" {
  type        = string
  description = "Customer managed KMS key of the SES delivery-events topic, or null for an unencrypted topic (SES cannot use aws/sns)."
  default     = null
}
