variable "name_prefix" {
  description = "Prefix of every resource name, e.g. prod-sentinela."
  type        = string
}

variable "region" {
  description = "AWS region (for the awslogs driver and the S3 client)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the service."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets, for an internet-facing load balancer."
  type        = list(string)
}

variable "private_subnet_ids" {
  description = "Private subnets, for the tasks (and an internal load balancer)."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer."
  type        = string
}

variable "task_security_group_id" {
  description = "Security group of the server tasks."
  type        = string
}

variable "app_port" {
  description = "Port the server listens on inside the container."
  type        = number
}

variable "load_balancer_internal" {
  description = "Internal load balancer (reached over VPN / Direct Connect) instead of internet-facing."
  type        = bool
}

variable "certificate_arn" {
  description = "ACM certificate of the HTTPS listener."
  type        = string
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "waf_rate_limit_per_5_minutes" {
  description = "Requests per 5 minutes from one IP above which WAF blocks it (a corporate NAT counts as one IP)."
  type        = number
  default     = 20000
}

variable "access_log_bucket_id" {
  description = "Bucket of the load balancer access logs (prefix alb/)."
  type        = string
}

variable "data_kms_key_arn" {
  description = "KMS key of the ECR repository."
  type        = string
}

variable "logs_kms_key_arn" {
  description = "KMS key of the CloudWatch log groups."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the container and WAF logs, in days."
  type        = number
}

variable "image_tag" {
  description = "Tag of the sentinela image in the stack's ECR repository (immutable tags: use the git commit); tasks run its digest."
  type        = string
}

variable "cpu_architecture" {
  description = "CPU architecture of the server image: X86_64 or ARM64."
  type        = string
  default     = "X86_64"
}

variable "desired_count" {
  description = "Number of web tasks during business hours, spread over the AZs."
  type        = number
}

variable "min_tasks" {
  description = "Number of web tasks outside business hours (0 stops the web)."
  type        = number
}

variable "business_hours_start" {
  description = "cron(...) at which the web scales up to desired_count."
  type        = string
}

variable "business_hours_end" {
  description = "cron(...) at which the web scales down to min_tasks."
  type        = string
}

variable "schedule_timezone" {
  description = "Time zone (IANA name) of the business hours."
  type        = string
}

variable "task_cpu" {
  description = "CPU units of a server task (1024 = 1 vCPU)."
  type        = number
}

variable "task_memory" {
  description = "Memory of a server task, in MiB."
  type        = number
}

variable "lake_bucket_template" {
  description = "SENTINELA_S3_BUCKET: bucket name template with {layer}."
  type        = string
}

variable "web_database_secret_arn" {
  description = "Secret of the web service's login role; its url key is the web's DATABASE_URL."
  type        = string
}

variable "ingest_database_secret_arn" {
  description = "Secret of the ingest's login role (the db-admin task creates the role and migrates as it)."
  type        = string
}

variable "web_db_username" {
  description = "Login role of the web service (SENTINELA_WEB_DB_ROLE of the db-admin task's migrate)."
  type        = string
}

variable "ingest_event_bus_name" {
  description = "EventBridge bus the web service puts an admin's ingest requests on (SENTINELA_INGEST_EVENT_BUS)."
  type        = string
}

variable "mail_from" {
  description = "SENTINELA_MAIL_FROM, the alert e-mails' sender; empty: no alert e-mails (no SMTP setting, no SMTP secret)."
  type        = string
}

variable "public_url" {
  description = "SENTINELA_PUBLIC_URL: the dashboard's https:// address, which the alert e-mails' links start with (with alert e-mails only)."
  type        = string
}

variable "smtp_host" {
  description = "SENTINELA_SMTP_HOST: the mail server of the alert e-mails (SES's SMTP endpoint by default)."
  type        = string
}

variable "smtp_port" {
  description = "SENTINELA_SMTP_PORT: the mail server's submission port (STARTTLS required)."
  type        = number
}

variable "master_user_secret_arn" {
  description = "RDS-managed secret of the master user (db-admin task only)."
  type        = string
}

variable "database_address" {
  description = "Host name of the database (db-admin task)."
  type        = string
}

variable "database_port" {
  description = "Port of the database (db-admin task)."
  type        = number
}

variable "database_name" {
  description = "Name of the application database (db-admin task)."
  type        = string
}

variable "task_role_arn" {
  description = "IAM role of the server containers."
  type        = string
}

variable "execution_role_arn" {
  description = "ECS execution role of the server."
  type        = string
}

variable "db_admin_execution_role_arn" {
  description = "ECS execution role of the db-admin task."
  type        = string
}
