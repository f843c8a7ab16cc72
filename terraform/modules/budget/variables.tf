variable "name_prefix" {
  description = "Prefix of every resource name, e.g. prod-sentinela."
  type        = string
}

variable "environment" {
  description = "Environment name; the budget counts the costs tagged Environment=<environment>."
  type        = string
}

variable "monthly_limit_usd" {
  description = "Monthly budget in US dollars."
  type        = number
}

variable "alert_topic_arn" {
  description = "SNS topic alerted at 80% (actual) and 100% (actual and forecast) of the budget."
  type        = string
}

variable "filter_by_environment_tag" {
  description = "Count only costs tagged Environment=<environment> (activate the cost allocation tag first) instead of the whole account."
  type        = bool
  default     = false
}
