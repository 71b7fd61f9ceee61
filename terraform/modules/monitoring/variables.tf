variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name; also the Stack dimension of the CostNotifier metrics."
}

variable "aws_region" {
  type        = string
  description = "Region of the stack, for the dashboard's widgets and URL."
}

variable "alarm_email" {
  type        = string
  description = "Optional address subscribed to the alarm topic."
  default     = null
}

variable "function_names" {
  type        = map(string)
  description = "Lambda function names by role (scheduler, collector, notifier)."
}

variable "work_queue_names" {
  type        = map(string)
  description = "Work queue names by what they carry (collector, notifier, delivery)."
}

variable "dead_letter_queue_names" {
  type        = map(string)
  description = "Dead-letter queue names by source (collector, notifier, delivery, scheduler)."
}

variable "scheduler_failures_queue_name" {
  type        = string
  description = "Name of the queue receiving scheduler function invocations that failed after Lambda's retries."
}

variable "duration_slo_ms" {
  type        = number
  description = "p95 duration above which a function's duration alarm fires, in milliseconds."
}

variable "queue_age_alarm_seconds" {
  type        = number
  description = "Age of the oldest work-queue message above which its alarm fires, in seconds."
}

variable "report_silence_hours" {
  type        = number
  description = "Hours without a sent report after which the 'no report sent' alarm fires."
}
