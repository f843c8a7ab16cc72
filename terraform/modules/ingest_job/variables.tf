variable "name_prefix" {
  description = "Prefix of every resource name, e.g. prod-sentinela."
  type        = string
}

variable "region" {
  description = "AWS region (for the awslogs driver and the S3 client)."
  type        = string
}

variable "cluster_arn" {
  description = "ECS cluster the ingest task runs in."
  type        = string
}

variable "image" {
  description = "The sentinela image, by digest (<repository>@sha256:...)."
  type        = string
}

variable "cpu_architecture" {
  description = "CPU architecture of the image: X86_64 or ARM64."
  type        = string
}

variable "task_cpu" {
  description = "CPU units of the ingest task (1024 = 1 vCPU)."
  type        = number
}

variable "task_memory" {
  description = "Memory of the ingest task, in MiB."
  type        = number
}

variable "private_subnet_ids" {
  description = "Private subnets the ingest task runs in (egress through NAT)."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the ingest task (no inbound)."
  type        = string
}

variable "task_role_arn" {
  description = "IAM role of the ingest container (reads and writes the lake)."
  type        = string
}

variable "execution_role_arn" {
  description = "ECS execution role of the ingest (its image, its logs, its secrets)."
  type        = string
}

variable "starter_role_arn" {
  description = "Role EventBridge and its Scheduler assume to run the ingest task."
  type        = string
}

variable "lake_bucket_template" {
  description = "SENTINELA_S3_BUCKET: bucket name template with {layer}."
  type        = string
}

variable "database_secret_arn" {
  description = "Secret of the ingest's login role; its url key is the ingest's DATABASE_URL."
  type        = string
}

variable "web_db_username" {
  description = "Login role of the web service, granted its share after each migration (SENTINELA_WEB_DB_ROLE)."
  type        = string
}

variable "schedule_expression" {
  description = "When EventBridge Scheduler runs `ingest --due`: cron(...) or rate(...)."
  type        = string
}

variable "schedule_timezone" {
  description = "Time zone of the schedule expression (IANA name)."
  type        = string
}

variable "data_kms_key_arn" {
  description = "KMS key of the source credentials secret."
  type        = string
}

variable "logs_kms_key_arn" {
  description = "KMS key of the ingest's log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the ingest's logs, in days."
  type        = number
}
