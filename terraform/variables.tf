# Inputs of the CostNotifier stack. Required: name_prefix, sender_address, and reports unless reports_source is "table".
# Everything else has a default that matches the SLOs in docs/SLO.md.

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name (queues, table, functions, alarms). Two stacks with different prefixes can share one account and region."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be lowercase letters, digits and '-', start with a letter and not end with '-'."
  }

  # 24 keeps the longest derived name ("<prefix>-scheduler-invoke", an IAM role) far inside every AWS name limit.
  validation {
    condition     = length(var.name_prefix) >= 2 && length(var.name_prefix) <= 24
    error_message = "name_prefix must be 2 to 24 characters long."
  }
}

variable "aws_region" {
  type        = string
  description = "Region to deploy into. null uses AWS_REGION or the active profile's region. SES and Cost Explorer are used from this region."
  default     = null
}

variable "tags" {
  type        = map(string)
  description = "Extra tags for every resource (added to Application = CostNotifier and Stack = name_prefix through the provider's default_tags)."
  default     = {}
}

variable "artifacts_dir" {
  type        = string
  description = "Directory `./build.sh package` writes to; the functions are read from <artifacts_dir>/<package_kind>/<architecture>/{scheduler,collector,notifier}.zip. null means the repository's artifacts/ directory, i.e. ../artifacts relative to this root module (path.root)."
  default     = null
}

variable "package_kind" {
  type        = string
  description = "How the functions are built and started: \"ready-to-run\" (`./build.sh package`; the managed dotnet10 runtime runs each function's executable assembly) or \"native-aot\" (`./build.sh package --aot`; provided.al2023 runs the native `bootstrap` executable). See docs/DEPLOY.md."
  default     = "ready-to-run"

  validation {
    condition     = contains(["ready-to-run", "native-aot"], var.package_kind)
    error_message = "package_kind must be \"ready-to-run\" (built by `./build.sh package`) or \"native-aot\" (built by `./build.sh package --aot`)."
  }
}

variable "architecture" {
  type        = string
  description = "Instruction set the functions run on, and the package directory they are read from: \"x86_64\" or \"arm64\" (build with `./build.sh package [--aot] --arch <architecture>`)."
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be \"x86_64\" or \"arm64\", the two Lambda supports (build the package with `./build.sh package [--aot] --arch <architecture>`)."
  }
}

variable "sender_address" {
  type        = string
  description = "Address the reports are sent from. SES must be able to send as it: either this address is verified, or its domain is (see sender_identity)."

  # SES v2 takes a 7-bit ASCII local part and an ASCII domain (Punycode for an internationalised one); the notifier
  # refuses anything else at start, with the same rules (ReportConfiguration.EmailAddressProblem in src/Shared).
  validation {
    condition     = can(regex("^[ -~]*$", var.sender_address))
    error_message = "sender_address must be written in ASCII: SES takes only a 7-bit local part (no zoë@...) and the domain in its Punycode form (costs@xn--bcher-kva.example, not costs@bücher.example)."
  }

  validation {
    condition     = !can(regex("^[ -~]*$", var.sender_address)) || (length(var.sender_address) <= 254 && can(regex("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$", var.sender_address)))
    error_message = "sender_address must be one plain email address such as costs@example.com (no display name, spaces or quotes)."
  }
}

variable "sender_identity" {
  type        = string
  description = "Optional SES identity to create instead of the single address: a domain (example.com) that sender_address belongs to. Verifying a domain needs the DKIM records from the sender_dkim_tokens output."
  default     = null

  validation {
    condition     = var.sender_identity == null || can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.sender_identity))
    error_message = "sender_identity must be a lowercase domain name such as example.com, or null."
  }
}

variable "reports" {
  type = list(object({
    id         = string
    cadence    = optional(string, "daily")
    name       = string
    recipients = list(string)
    group_by   = string
    top        = optional(number, 10)
    filter = optional(list(object({
      dimension = optional(string)
      tag       = optional(string)
      values    = list(string)
      exclude   = optional(bool, false)
    })), [])
    monthly_budget = optional(number)
    # Left-out thresholds travel as null and the functions apply their defaults (10 and 0.25), so the defaults
    # live in one place (AnomalyThresholds.Default in src/Shared).
    anomalies = optional(object({
      minimum_impact          = optional(number)
      minimum_relative_impact = optional(number)
    }))
    # Chat destinations. The webhook URL or bot token is a secret and never a Terraform value: the operator stores it
    # in an SSM SecureString parameter and names the parameter here (docs/DEPLOY.md).
    channels = optional(list(object({
      name      = string
      type      = string
      parameter = string
      channel   = optional(string)
    })), [])
  }))
  default     = []
  description = "Report definitions, when reports_source is \"variable\" (at least one then; leave empty with \"table\"). Each becomes one email per period of its cadence (daily, the default; weekly: an ISO week Monday to Sunday, sent after its Sunday; monthly: a calendar month, sent after its last day), all from the one daily schedule: id (a-z, 0-9, '-'), display name, recipients, group_by (SERVICE, LINKED_ACCOUNT or TAG:<key>), top N groups shown, optional Cost Explorer filters (a dimension or a tag, its values, exclude), an optional monthly_budget the month's forecast is compared with, optional anomalies thresholds (minimum_impact in money, default 10; minimum_relative_impact as a fraction of the expected amount, default 0.25), and optional chat channels (name, type slack, slack-bot or teams, the SSM SecureString parameter holding the webhook URL or bot token, and for slack-bot the Slack channel id)."

  validation {
    condition     = alltrue([for r in var.reports : can(regex("^[a-z0-9-]{1,63}$", r.id))])
    error_message = "Every report id must be 1 to 63 characters of lowercase a-z, 0-9 and '-'."
  }

  validation {
    condition     = alltrue([for r in var.reports : contains(["daily", "weekly", "monthly"], r.cadence)])
    error_message = "cadence must be daily, weekly or monthly."
  }

  validation {
    condition     = length(distinct([for r in var.reports : r.id])) == length(var.reports)
    error_message = "Report ids must be unique: they name the event streams."
  }

  # A report with chat channels may go without email; every report reaches at least one destination.
  validation {
    condition     = alltrue([for r in var.reports : length(r.recipients) <= 50 && (length(r.recipients) >= 1 || length(r.channels) >= 1)])
    error_message = "Every report needs 1 to 50 recipients (SES accepts at most 50 per message), or 0 to 50 when it has channels: a report must reach at least one destination."
  }

  # The same address rules as sender_address: what SES v2 can deliver to, and what the functions accept.
  validation {
    condition     = alltrue(flatten([for r in var.reports : [for a in r.recipients : can(regex("^[ -~]*$", a))]]))
    error_message = "Every recipient must be written in ASCII: SES takes only a 7-bit local part (no zoë@...) and the domain in its Punycode form (finance@xn--bcher-kva.example, not finance@bücher.example)."
  }

  validation {
    condition     = alltrue(flatten([for r in var.reports : [for a in r.recipients : length(a) <= 254 && can(regex("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$", a)) if can(regex("^[ -~]*$", a))]]))
    error_message = "Every recipient must be one plain email address such as finops@example.com (no display name, list, spaces or quotes)."
  }

  validation {
    condition     = alltrue([for r in var.reports : contains(["SERVICE", "LINKED_ACCOUNT"], r.group_by) || can(regex("^TAG:.+$", r.group_by))])
    error_message = "group_by must be SERVICE, LINKED_ACCOUNT or TAG:<cost allocation tag key>."
  }

  validation {
    condition     = alltrue([for r in var.reports : r.top >= 1 && r.top <= 50 && floor(r.top) == r.top])
    error_message = "top must be a whole number from 1 to 50."
  }

  validation {
    condition     = alltrue(flatten([for r in var.reports : [for f in r.filter : (f.dimension == null) != (f.tag == null) && length(f.values) >= 1]]))
    error_message = "Every filter names exactly one of dimension or tag, and at least one value."
  }

  # Cost Explorer compares dimension names exactly and answers an unknown one with a ValidationException on every
  # run. The list is its Dimension enum without the four values the API reserves for cost category rules
  # (LINKED_ACCOUNT_NAME, SERVICE_CODE) and anomaly subscriptions (ANOMALY_TOTAL_IMPACT_*); the functions refuse
  # the same list (CostExplorerDimensions.Filterable in src/Shared).
  validation {
    condition = alltrue(flatten([for r in var.reports : [for f in r.filter : contains([
      "AZ", "INSTANCE_TYPE", "LINKED_ACCOUNT", "PAYER_ACCOUNT", "OPERATION", "PURCHASE_TYPE", "REGION",
      "SERVICE", "USAGE_TYPE", "USAGE_TYPE_GROUP", "RECORD_TYPE", "OPERATING_SYSTEM", "TENANCY", "SCOPE",
      "PLATFORM", "SUBSCRIPTION_ID", "LEGAL_ENTITY_NAME", "DEPLOYMENT_OPTION", "DATABASE_ENGINE",
      "CACHE_ENGINE", "INSTANCE_TYPE_FAMILY", "BILLING_ENTITY", "RESERVATION_ID", "RESOURCE_ID",
      "RIGHTSIZING_TYPE", "SAVINGS_PLANS_TYPE", "SAVINGS_PLAN_ARN", "PAYMENT_OPTION",
      "AGREEMENT_END_DATE_TIME_AFTER", "AGREEMENT_END_DATE_TIME_BEFORE", "INVOICING_ENTITY"
    ], f.dimension) if f.dimension != null]]))
    error_message = "Every filter dimension must be a Cost Explorer dimension in upper case: AZ, INSTANCE_TYPE, LINKED_ACCOUNT, PAYER_ACCOUNT, OPERATION, PURCHASE_TYPE, REGION, SERVICE, USAGE_TYPE, USAGE_TYPE_GROUP, RECORD_TYPE, OPERATING_SYSTEM, TENANCY, SCOPE, PLATFORM, SUBSCRIPTION_ID, LEGAL_ENTITY_NAME, DEPLOYMENT_OPTION, DATABASE_ENGINE, CACHE_ENGINE, INSTANCE_TYPE_FAMILY, BILLING_ENTITY, RESERVATION_ID, RESOURCE_ID, RIGHTSIZING_TYPE, SAVINGS_PLANS_TYPE, SAVINGS_PLAN_ARN, PAYMENT_OPTION, AGREEMENT_END_DATE_TIME_AFTER, AGREEMENT_END_DATE_TIME_BEFORE, INVOICING_ENTITY. Filter on a cost allocation tag with tag = \"<key>\" instead."
  }

  validation {
    condition     = alltrue([for r in var.reports : r.monthly_budget > 0 if r.monthly_budget != null])
    error_message = "monthly_budget must be an amount greater than 0 in the account's currency; leave it out for no budget."
  }

  validation {
    condition     = alltrue([for a in [for r in var.reports : r.anomalies if r.anomalies != null] : a.minimum_impact >= 0 if a.minimum_impact != null])
    error_message = "anomalies.minimum_impact must be 0 or more: the least amount, in the account's currency, an anomaly must be off by to be flagged (default 10)."
  }

  validation {
    condition     = alltrue([for a in [for r in var.reports : r.anomalies if r.anomalies != null] : a.minimum_relative_impact >= 0 && a.minimum_relative_impact <= 10 if a.minimum_relative_impact != null])
    error_message = "anomalies.minimum_relative_impact must be between 0 and 10: a fraction of the expected amount (0.25 is 25%, the default), not a percentage."
  }

  # The channel rules are the functions' own (ReportConfiguration.ToChannels in src/Shared), so a channel they would
  # refuse at start stops the plan instead.
  validation {
    condition     = alltrue([for r in var.reports : length(r.channels) <= 10])
    error_message = "A report may have at most 10 channels."
  }

  validation {
    condition     = alltrue(flatten([for r in var.reports : [for c in r.channels : can(regex("^[a-z0-9-]{1,63}$", c.name))]]))
    error_message = "Every channel name must be 1 to 63 characters of lowercase a-z, 0-9 and '-'."
  }

  validation {
    condition     = alltrue([for r in var.reports : length(distinct([for c in r.channels : c.name])) == length(r.channels)])
    error_message = "Channel names must be unique within a report: they name the destination in the report's events."
  }

  validation {
    condition     = alltrue(flatten([for r in var.reports : [for c in r.channels : contains(["slack", "slack-bot", "teams"], c.type)]]))
    error_message = "Every channel type must be slack (an incoming webhook), slack-bot (a bot token posting to channel) or teams (a Workflows webhook)."
  }

  # RE2 refuses repeat counts above 1000, so the 1011-character limit of an SSM parameter name is a length() check.
  validation {
    condition     = alltrue(flatten([for r in var.reports : [for c in r.channels : length(c.parameter) <= 1011 && can(regex("^[A-Za-z0-9_./-]+$", c.parameter))]]))
    error_message = "Every channel parameter must be the name of the SSM SecureString parameter holding the webhook URL or bot token, such as /costnotifier/slack/platform (letters, digits and _.-/, at most 1011 characters), never the URL or token itself."
  }

  validation {
    condition     = alltrue(flatten([for r in var.reports : [for c in r.channels : !can(regex("^/*(aws|ssm)", lower(c.parameter))) if length(c.parameter) <= 1011 && can(regex("^[A-Za-z0-9_./-]+$", c.parameter))]]))
    error_message = "A channel parameter name must not begin with aws or ssm (in any case, after the leading '/'): SSM reserves those prefixes."
  }

  # A Slack token (xoxb-…, xoxp-…) is made of characters a parameter name may hold: refuse it here, where pasting
  # the secret instead of its parameter's name would otherwise put it in the plan, the state and the environment.
  validation {
    condition     = alltrue(flatten([for r in var.reports : [for c in r.channels : !startswith(lower(c.parameter), "xox")]]))
    error_message = "A channel parameter looks like a Slack token (xoxb-…): store the token in an SSM SecureString parameter and give its name here, never the token itself."
  }

  validation {
    condition     = alltrue(flatten([for r in var.reports : [for c in r.channels : c.channel == null ? false : can(regex("^[CGD][A-Z0-9]{8,20}$", c.channel)) if c.type == "slack-bot"]]))
    error_message = "Every slack-bot channel needs channel = the Slack channel id it posts to, such as C0123ABCD (chat.postMessage takes an id, not a #name)."
  }

  validation {
    condition     = alltrue(flatten([for r in var.reports : [for c in r.channels : c.channel == null if contains(["slack", "teams"], c.type)]]))
    error_message = "channel is only for type slack-bot; a slack or teams webhook already names the channel it posts to."
  }

  # Lambda allows 4 KB of environment variables per function; the reports travel in one of them.
  validation {
    condition     = length(jsonencode(var.reports)) <= 3500
    error_message = "The report definitions are too large for a Lambda environment variable (about 3.5 KB of JSON). Set reports_source = \"table\" and publish them with `costnotifier reports publish --target aws` instead (docs/DEPLOY.md)."
  }
}

variable "reports_source" {
  type        = string
  description = "Where the functions read the report definitions: \"variable\" (var.reports, passed in the COSTNOTIFIER_REPORTS environment variable; a few dozen reports fit) or \"table\" (the version published to the event table with `costnotifier reports publish --target aws`; any number of reports and accounts). With \"table\", leave reports empty and list the chat channels' parameters in channel_parameter_names."
  default     = "variable"

  validation {
    condition     = contains(["variable", "table"], var.reports_source)
    error_message = "reports_source must be \"variable\" (the reports in var.reports) or \"table\" (the version published to the event table with `costnotifier reports publish --target aws`)."
  }
}

# With reports_source = "table" the reports, and so the SSM parameters their chat channels name, are not known to
# Terraform: the notifier may read exactly the parameters listed here. The rules are the channel parameter rules of
# var.reports.
variable "channel_parameter_names" {
  type        = list(string)
  description = "Names of the SSM SecureString parameters the published reports' chat channels use, such as /costnotifier/slack/platform. Needed with reports_source = \"table\", where Terraform cannot read them from var.reports; with \"variable\" they are added to those the reports name."
  default     = []

  validation {
    condition     = alltrue([for p in var.channel_parameter_names : length(p) <= 1011 && can(regex("^[A-Za-z0-9_./-]+$", p))])
    error_message = "Every channel parameter name must be the name of an SSM SecureString parameter, such as /costnotifier/slack/platform (letters, digits and _.-/, at most 1011 characters), never the URL or token itself."
  }

  validation {
    condition     = alltrue([for p in var.channel_parameter_names : !can(regex("^/*(aws|ssm)", lower(p))) if length(p) <= 1011 && can(regex("^[A-Za-z0-9_./-]+$", p))])
    error_message = "A channel parameter name must not begin with aws or ssm (in any case, after the leading '/'): SSM reserves those prefixes."
  }

  validation {
    condition     = alltrue([for p in var.channel_parameter_names : !startswith(lower(p), "xox")])
    error_message = "A channel parameter name looks like a Slack token (xoxb-…): store the token in an SSM SecureString parameter and give its name here, never the token itself."
  }
}

variable "schedule_expression" {
  type        = string
  description = "EventBridge Scheduler cron expression (six fields) for the daily run, evaluated in schedule_timezone."
  default     = "cron(0 8 * * ? *)"

  validation {
    condition     = can(regex("^cron\\(\\S+ \\S+ \\S+ \\S+ \\S+ \\S+\\)$", var.schedule_expression))
    error_message = "schedule_expression must be a six-field EventBridge Scheduler cron expression, e.g. cron(0 8 * * ? *)."
  }
}

variable "schedule_timezone" {
  type        = string
  description = "IANA time zone the schedule is evaluated in, e.g. Europe/Berlin. Cost dates stay UTC usage days whatever this is."
  default     = "UTC"

  validation {
    condition     = can(regex("^(UTC|[A-Z][A-Za-z_]+(/[A-Za-z0-9_+-]+){1,2})$", var.schedule_timezone))
    error_message = "schedule_timezone must be an IANA time zone name such as UTC, Europe/Berlin or America/Argentina/Buenos_Aires."
  }
}

variable "schedule_enabled" {
  type        = bool
  description = "Whether the daily schedule fires. Set false to pause the emails without destroying the stack."
  default     = true
}

variable "lambda_memory_mb" {
  type        = number
  description = "Memory of each function in MB (CPU scales with it)."
  default     = 256

  validation {
    condition     = var.lambda_memory_mb >= 128 && var.lambda_memory_mb <= 1024
    error_message = "lambda_memory_mb must be between 128 and 1024."
  }
}

variable "scheduler_timeout_seconds" {
  type        = number
  description = "Timeout of the scheduler function in seconds."
  default     = 30

  validation {
    condition     = var.scheduler_timeout_seconds >= 3 && var.scheduler_timeout_seconds <= 900
    error_message = "scheduler_timeout_seconds must be between 3 and 900."
  }
}

variable "collector_memory_mb" {
  type        = number
  description = "Memory of the collector function in MB. One collector message may carry up to 400 report periods, or a per-account report's answer of a group per account, service and day (docs/PERFORMANCE.md measures 1,000 accounts)."
  default     = 512

  validation {
    condition     = var.collector_memory_mb >= 128 && var.collector_memory_mb <= 10240
    error_message = "collector_memory_mb must be between 128 and 10240."
  }
}

variable "collector_timeout_seconds" {
  type        = number
  description = "Timeout of the collector function in seconds. The collector queue's visibility timeout is six times this plus the event source mapping's batching window. One message may carry up to 400 report periods (a backfill) or every account of a per-account report, and is handled in one invocation."
  default     = 300

  validation {
    condition     = var.collector_timeout_seconds >= 3 && var.collector_timeout_seconds <= 900
    error_message = "collector_timeout_seconds must be between 3 and 900."
  }
}

variable "notifier_timeout_seconds" {
  type        = number
  description = "Timeout of the notifier function in seconds. The notifier queue's visibility timeout is six times this plus the event source mapping's batching window."
  default     = 60

  validation {
    condition     = var.notifier_timeout_seconds >= 3 && var.notifier_timeout_seconds <= 900
    error_message = "notifier_timeout_seconds must be between 3 and 900."
  }
}

variable "log_level" {
  type        = string
  description = "Minimum level the functions log (Microsoft.Extensions.Logging names)."
  default     = "Information"

  validation {
    condition     = contains(["Trace", "Debug", "Information", "Warning", "Error", "Critical"], var.log_level)
    error_message = "log_level must be one of Trace, Debug, Information, Warning, Error, Critical."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Days CloudWatch keeps each function's logs."
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs supports (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "max_receive_count" {
  type        = number
  description = "Receives of one message before SQS moves it to the queue's dead-letter queue. Lambda retries, throttles and partial batch failures all count."
  default     = 5

  validation {
    condition     = var.max_receive_count >= 3 && var.max_receive_count <= 20
    error_message = "max_receive_count must be between 3 and 20."
  }
}

variable "consumer_max_concurrency" {
  type        = number
  description = "Most concurrent invocations the collector's SQS event source mapping and the notifier's SES delivery-event mapping each start. Keeps Cost Explorer under its request rate limit. The notifier's work queue has its own, notifier_max_concurrency."
  default     = 2

  validation {
    condition     = var.consumer_max_concurrency >= 2 && var.consumer_max_concurrency <= 100
    error_message = "consumer_max_concurrency must be between 2 (the SQS event source minimum) and 100."
  }
}

variable "notifier_max_concurrency" {
  type        = number
  description = "Most concurrent notifier invocations the work queue's SQS event source mapping starts. Each invocation sends at most ses_max_send_rate / notifier_max_concurrency emails per second, so together they stay within the SES quota; the notifier reads this number from the same variable."
  default     = 2

  validation {
    condition     = var.notifier_max_concurrency >= 2 && var.notifier_max_concurrency <= 1000 && floor(var.notifier_max_concurrency) == var.notifier_max_concurrency
    error_message = "notifier_max_concurrency must be a whole number from 2 (the SQS event source minimum) to 1000 (its maximum)."
  }
}

variable "ses_max_send_rate" {
  type        = number
  description = "The account's SES sending quota in emails per second in this region (aws sesv2 get-account: SendQuota.MaxSendRate; 1 in the sandbox). The notifier paces its sends to stay within it."
  default     = 14

  validation {
    condition     = var.ses_max_send_rate > 0 && var.ses_max_send_rate <= 1000
    error_message = "ses_max_send_rate must be the SES sending quota in emails per second: greater than 0 and at most 1000 (see aws sesv2 get-account; the sandbox allows 1)."
  }
}

variable "cost_metric" {
  type        = string
  description = "Cost Explorer metric the reports show."
  default     = "UnblendedCost"

  validation {
    condition     = contains(["UnblendedCost", "BlendedCost", "AmortizedCost", "NetUnblendedCost", "NetAmortizedCost"], var.cost_metric)
    error_message = "cost_metric must be UnblendedCost, BlendedCost, AmortizedCost, NetUnblendedCost or NetAmortizedCost."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "Optional customer managed KMS key for the event table. null uses the AWS managed key aws/dynamodb; encryption at rest is on either way."
  default     = null
}

variable "channel_secrets_kms_key_arn" {
  type        = string
  description = "Optional ARN of the customer managed KMS key the channels' SecureString parameters are encrypted with. null means the AWS managed key aws/ssm (the default of `aws ssm put-parameter --type SecureString`). Either way the notifier may decrypt only through SSM, and only those parameters."
  default     = null

  validation {
    condition     = var.channel_secrets_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.channel_secrets_kms_key_arn))
    error_message = "channel_secrets_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias or a bare key id: IAM grants kms:Decrypt on the key itself. Leave it null for the AWS managed key aws/ssm."
  }
}

variable "delivery_events_kms_key_arn" {
  type        = string
  description = "Optional ARN of a customer managed KMS key for the SES delivery-events SNS topic. null leaves the topic unencrypted: SES cannot publish to a topic encrypted with the AWS managed key aws/sns. The key's policy must let ses.amazonaws.com use kms:GenerateDataKey* and kms:Decrypt."
  default     = null

  validation {
    condition     = var.delivery_events_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.delivery_events_kms_key_arn))
    error_message = "delivery_events_kms_key_arn must be the ARN of a customer managed KMS key (arn:aws:kms:<region>:<account>:key/<id>), or null. An alias such as alias/aws/sns is refused: SES could not publish to a topic under the AWS managed key."
  }
}

variable "table_deletion_protection" {
  type        = bool
  description = "Protects the event table (the report history) from deletion. Set false and apply before `terraform destroy`."
  default     = true
}

variable "alarm_email" {
  type        = string
  description = "Optional address subscribed to the alarm topic. The subscription must be confirmed from the email SNS sends."
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be an email address or null."
  }
}

variable "duration_slo_ms" {
  type        = number
  description = "Latency objective of one function run in milliseconds; the p95 duration alarm fires above it (docs/SLO.md)."
  default     = 30000

  validation {
    condition     = var.duration_slo_ms >= 1000 && var.duration_slo_ms <= 900000
    error_message = "duration_slo_ms must be between 1000 and 900000."
  }
}

variable "queue_age_alarm_seconds" {
  type        = number
  description = "Age of the oldest message in a work queue above which an alarm fires (work is stuck)."
  default     = 3600

  validation {
    condition     = var.queue_age_alarm_seconds >= 300
    error_message = "queue_age_alarm_seconds must be at least 300."
  }
}

variable "report_silence_hours" {
  type        = number
  description = "Hours without a single sent report after which the 'no report sent' alarm fires."
  default     = 25

  validation {
    condition     = var.report_silence_hours >= 2 && var.report_silence_hours <= 168
    error_message = "report_silence_hours must be between 2 and 168 (CloudWatch evaluates at most seven days)."
  }
}
