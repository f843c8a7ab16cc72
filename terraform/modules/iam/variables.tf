variable "name_prefix" {
  description = "Prefix of every resource name, e.g. prod-sentinela."
  type        = string
}

variable "lake_bucket_arns" {
  description = "ARNs of the lake buckets, keyed by layer."
  type        = map(string)
}

variable "lake_kms_key_arn" {
  description = "KMS key of the lake buckets."
  type        = string
}

variable "data_kms_key_arn" {
  description = "KMS key of the secrets."
  type        = string
}

variable "database_login_secret_arns" {
  description = "Secret of each service's DATABASE_URL, keyed ingest and web."
  type        = map(string)

  validation {
    condition     = toset(keys(var.database_login_secret_arns)) == toset(["ingest", "web"])
    error_message = "Exactly the keys ingest and web."
  }
}

variable "signing_key_secret_arn" {
  description = "Secret of the web service's SENTINELA_SIGNING_KEY."
  type        = string
}

variable "smtp_credentials_secret_arn" {
  description = "Secret of the web service's SMTP credentials for alert e-mails (SENTINELA_SMTP_USER and _PASSWORD); null when alert e-mails are off."
  type        = string
}

variable "source_credentials_secret_arn" {
  description = "Secret of the ingest job's source credentials (SENTINELA_LEITOS_USER and _PASSWORD)."
  type        = string
}

variable "master_user_secret_arn" {
  description = "RDS-managed secret of the master user."
  type        = string
}

variable "db_instance_arn" {
  description = "ARN of the RDS instance."
  type        = string
}

variable "ecr_repository_arn" {
  description = "ECR repository of the sentinela image."
  type        = string
}

variable "web_log_group_arn" {
  description = "CloudWatch log group of the web service."
  type        = string
}

variable "ingest_log_group_arn" {
  description = "CloudWatch log group of the ingest job."
  type        = string
}

variable "db_admin_log_group_arn" {
  description = "CloudWatch log group of the db-admin task."
  type        = string
}

variable "ingest_event_bus_arn" {
  description = "EventBridge bus on which the web service asks for ingests."
  type        = string
}

variable "cluster_arn" {
  description = "ARN of the ECS cluster."
  type        = string
}

variable "service_arn" {
  description = "ARN of the web service's ECS service."
  type        = string
}

variable "ingest_task_family" {
  description = "Family of the ingest task definition."
  type        = string
}

variable "db_admin_task_family" {
  description = "Family of the db-admin task definition."
  type        = string
}

variable "log_group_arns" {
  description = "Every CloudWatch log group of the environment (read by the governance role)."
  type        = list(string)
}

variable "governance_principal_arns" {
  description = "IAM principals (roles or users of the identity account, with MFA) allowed to assume the governance role."
  type        = list(string)
}

variable "analytics_query_policy_arn" {
  description = "Managed policy that allows querying the lake with Athena; attached to the governance role."
  type        = string
}

variable "governance_session_seconds" {
  description = "Maximum session duration of the governance role, in seconds."
  type        = number
  default     = 3600
}
