variable "name_prefix" {
  description = "Prefix of every resource name, e.g. prod-sentinela."
  type        = string
}

variable "database_subnet_ids" {
  description = "Subnets of the DB subnet group (private, no route out of the VPC), in >= 2 AZs."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the database (inbound only from the web, ingest and db-admin tasks)."
  type        = string
}

variable "port" {
  description = "PostgreSQL port."
  type        = number
}

variable "kms_key_arn" {
  description = "KMS key of the storage, snapshots, Performance Insights and the secrets."
  type        = string
}

variable "logs_kms_key_arn" {
  description = "KMS key of the CloudWatch log groups the PostgreSQL logs are exported to."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the exported PostgreSQL logs, in days."
  type        = number
}

variable "engine_version" {
  description = "PostgreSQL version (major, or major.minor); minor upgrades are applied automatically."
  type        = string
}

variable "instance_class" {
  description = "RDS instance class, e.g. db.t4g.small."
  type        = string
}

variable "allocated_storage_gb" {
  description = "Initial gp3 storage in GiB."
  type        = number
}

variable "max_allocated_storage_gb" {
  description = "Ceiling of storage autoscaling in GiB."
  type        = number
}

variable "multi_az" {
  description = "Keep a synchronous standby in a second AZ (automatic failover)."
  type        = bool
}

variable "backup_retention_days" {
  description = "Days automated backups (point-in-time recovery) are kept."
  type        = number
}

variable "deletion_protection" {
  description = "Refuse to delete the instance until this is turned off."
  type        = bool
}

variable "iam_authentication_enabled" {
  description = "Allow IAM database authentication (the server uses a password; IAM auth serves operators)."
  type        = bool
}

variable "performance_insights_enabled" {
  description = "Enable Performance Insights (7 days retention, free tier)."
  type        = bool
}

variable "monitoring_interval_seconds" {
  description = "Enhanced monitoring interval (0 disables it; 1, 5, 10, 15, 30 or 60)."
  type        = number
}

variable "master_username" {
  description = "Name of the master user (its password is generated and rotated by RDS in Secrets Manager)."
  type        = string
  default     = "sentinela_admin"
}

variable "database_name" {
  description = "Name of the application database."
  type        = string
  default     = "sentinela"
}

variable "ingest_username" {
  description = "Login role of the ingest job, owner of the tables (created by the db-admin task, see README)."
  type        = string
  default     = "sentinela_ingest"
}

variable "web_username" {
  description = "Login role of the web service: reads the tables, writes accounts, sessions and tokens (created by the db-admin task)."
  type        = string
  default     = "sentinela_web"
}
