variable "name_prefix" {
  description = "Prefix of every resource name, e.g. prod-sentinela."
  type        = string
}

variable "alert_emails" {
  description = "E-mail addresses subscribed to the alerts topic (each confirms once)."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "KMS key of the alerts topic."
  type        = string
}

variable "load_balancer_arn_suffix" {
  description = "ARN suffix of the load balancer (the LoadBalancer dimension)."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the web target group (the TargetGroup dimension)."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster of the web service."
  type        = string
}

variable "service_name" {
  description = "ECS service of the web."
  type        = string
}

variable "db_instance_identifier" {
  description = "Identifier of the RDS instance."
  type        = string
}

variable "ingest_log_group_name" {
  description = "Log group of the ingest job, whose runs end with an ingest_run_status event."
  type        = string
}

variable "alb_5xx_percent" {
  description = "Share of requests answered 5xx above which the web alarm fires, in percent."
  type        = number
}

variable "db_cpu_percent" {
  description = "Database CPU above which the alarm fires, in percent."
  type        = number
}

variable "db_free_storage_gb" {
  description = "Free database storage below which the alarm fires, in GiB."
  type        = number
}

variable "db_connections" {
  description = "Database connections above which the alarm fires."
  type        = number
}

variable "ingest_missing_after_hours" {
  description = "Hours without a successful ingest run (ok or idle) after which the alarm fires."
  type        = number
}
