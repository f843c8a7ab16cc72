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

variable "app_database_secret_arn" {
  description = "Secret holding the server's DATABASE_URL."
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
  description = "ECR repository of the server image."
  type        = string
}

variable "server_log_group_arn" {
  description = "CloudWatch log group of the server containers."
  type        = string
}

variable "db_admin_log_group_arn" {
  description = "CloudWatch log group of the db-admin task."
  type        = string
}

variable "cluster_arn" {
  description = "ARN of the ECS cluster."
  type        = string
}

variable "service_arn" {
  description = "ARN of the server's ECS service."
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
