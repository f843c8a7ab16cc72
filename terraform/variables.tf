# ------------------------------------------------------------------ account

variable "region" {
  description = "AWS region of the environment, e.g. sa-east-1 (São Paulo)."
  type        = string
}

variable "allowed_account_ids" {
  description = "The AWS account(s) this environment may be applied to (guards against the wrong credentials)."
  type        = list(string)

  validation {
    condition     = length(var.allowed_account_ids) > 0 && alltrue([for id in var.allowed_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "Give at least one 12-digit AWS account ID."
  }
}

variable "environment" {
  description = "Environment name (prod, staging, ...): prefixes every name, e.g. <environment>-sentinela-raw."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,11}$", var.environment))
    error_message = "2-12 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "bucket_prefix" {
  description = "Prefix of the bucket names if <environment>-sentinela is taken (bucket names are global), e.g. acme-prod-sentinela. Null uses <environment>-sentinela."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_prefix == null || can(regex("^[a-z0-9][a-z0-9-]{1,40}[a-z0-9]$", var.bucket_prefix))
    error_message = "3-42 characters: lowercase letters, digits and hyphens."
  }
}

variable "production" {
  description = "Whether this environment is production: then the database must be Multi-AZ, the web service keeps at least 2 tasks in business hours and at least 1 outside them. Outside production the database may be single-AZ and the web may stop at night (min_tasks = 0)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Extra tags on every resource (cost centre, owner...)."
  type        = map(string)
  default     = {}
}

variable "kms_deletion_window_days" {
  description = "Waiting period before a scheduled KMS key deletion takes effect."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "Between 7 and 30 days."
  }
}

variable "log_retention_days" {
  description = "Retention of every CloudWatch log group (web, ingest, db-admin, WAF, RDS, VPC flow logs), in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "One of the retention periods CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, ...)."
  }
}

# ------------------------------------------------------------------ network

variable "vpc_cidr" {
  description = "CIDR block of the VPC (split into /20s per tier and AZ for a /16)."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 20
    error_message = "A valid IPv4 CIDR block of /20 or larger."
  }
}

variable "availability_zones" {
  description = "Availability zones (names) to spread subnets, tasks and the database standby over, e.g. [\"sa-east-1a\", \"sa-east-1c\"]."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2 && length(var.availability_zones) <= 4 && length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "Between 2 and 4 distinct availability zones."
  }
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per AZ (egress survives an AZ outage) instead of one shared NAT gateway."
  type        = bool
  default     = false
}

variable "allowed_cidrs" {
  description = "CIDR blocks allowed to reach the dashboard on 443: the company's intranet / VPN egress ranges, each a network address with a prefix of /8 or longer. No default: 0.0.0.0/0 is refused."
  type        = list(string)

  # Each entry: an IPv4 network in CIDR notation (a.b.c.d/n), its address the
  # network's own (no host bits set, so a typo such as 10.1.2.3/8 is caught),
  # and a prefix of at least /8, which refuses 0.0.0.0/0 and every other
  # range wider than a private /8. try() keeps a malformed entry a failed
  # condition rather than an evaluation error.
  validation {
    condition = length(var.allowed_cidrs) > 0 && alltrue([
      for cidr in var.allowed_cidrs :
      can(regex("^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$", cidr))
      && try(cidrhost(cidr, 0) == split("/", cidr)[0], false)
      && try(tonumber(split("/", cidr)[1]) >= 8, false)
      && !startswith(cidr, "0.")
    ])
    error_message = "Give at least one IPv4 network in CIDR notation (e.g. 198.51.100.0/24): no host bits set, a prefix of /8 or longer, nothing in 0.0.0.0/8 (0.0.0.0/0, the whole internet, is refused)."
  }
}

variable "load_balancer_internal" {
  description = "Internal load balancer (reached from the intranet over VPN / Direct Connect) instead of internet-facing (still limited to allowed_cidrs)."
  type        = bool
  default     = false
}

variable "certificate_arn" {
  description = "ACM certificate (same region) for the dashboard's host name, used by the HTTPS listener."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "An ACM certificate ARN."
  }
}

variable "waf_rate_limit_per_5_minutes" {
  description = "Requests per 5 minutes from one IP above which WAF blocks it; the company's NAT is one IP for all its users."
  type        = number
  default     = 20000

  validation {
    condition     = var.waf_rate_limit_per_5_minutes >= 100
    error_message = "At least 100 (the WAF minimum)."
  }
}

# ------------------------------------------------------------------ lake

variable "raw_transition_ia_days" {
  description = "Days after which raw objects move to S3 STANDARD_IA."
  type        = number
  default     = 30

  validation {
    condition     = var.raw_transition_ia_days >= 30
    error_message = "S3 requires at least 30 days before STANDARD_IA."
  }
}

variable "raw_transition_glacier_days" {
  description = "Days after which raw objects move to S3 GLACIER (Flexible Retrieval); restore them before reprocessing."
  type        = number
  default     = 180

  validation {
    condition     = var.raw_transition_glacier_days >= var.raw_transition_ia_days + 30
    error_message = "S3 keeps objects at least 30 days in STANDARD_IA before GLACIER: use raw_transition_ia_days + 30 or more."
  }
}

variable "raw_object_lock_days" {
  description = "Days every raw object version is kept whatever anyone asks (S3 Object Lock, governance mode): what the sources published cannot be fetched again."
  type        = number
  default     = 1825

  validation {
    condition     = var.raw_object_lock_days >= 1 && var.raw_object_lock_days <= 36500 && floor(var.raw_object_lock_days) == var.raw_object_lock_days
    error_message = "A whole number of days between 1 and 36500."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which non-current (overwritten or deleted) object versions are removed, in every bucket."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "At least 1 day."
  }
}

variable "abort_incomplete_multipart_days" {
  description = "Days after which incomplete multipart uploads are aborted."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_days >= 1
    error_message = "At least 1 day."
  }
}

variable "access_log_retention_days" {
  description = "Days the S3 server access logs and load balancer logs are kept."
  type        = number
  default     = 365
}

# ------------------------------------------------------------------ database

variable "db_engine_version" {
  description = "PostgreSQL version on RDS (major, or major.minor); minor versions upgrade automatically."
  type        = string
  default     = "17"
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.small"
}

variable "db_allocated_storage_gb" {
  description = "Initial gp3 storage in GiB."
  type        = number
  default     = 20
}

variable "db_max_allocated_storage_gb" {
  description = "Ceiling of storage autoscaling in GiB."
  type        = number
  default     = 100
}

variable "db_multi_az" {
  description = "Synchronous standby in a second AZ with automatic failover (doubles the instance cost). Required in production; a single-AZ database is allowed elsewhere."
  type        = bool
  default     = true

  validation {
    condition     = var.db_multi_az || !var.production
    error_message = "Production needs a Multi-AZ database (db_multi_az = true); set production = false for a cheaper single-AZ stack."
  }
}

variable "db_backup_retention_days" {
  description = "Days automated backups (point-in-time recovery) are kept."
  type        = number
  default     = 14

  validation {
    condition     = var.db_backup_retention_days >= 7 && var.db_backup_retention_days <= 35
    error_message = "Between 7 and 35 days."
  }
}

variable "db_deletion_protection" {
  description = "Refuse to delete the database instance (turn off deliberately before a destroy)."
  type        = bool
  default     = true
}

variable "db_iam_authentication_enabled" {
  description = "Allow IAM database authentication for operators (the server itself uses its password)."
  type        = bool
  default     = true
}

variable "db_performance_insights_enabled" {
  description = "Performance Insights with the 7-day free retention."
  type        = bool
  default     = true
}

variable "db_monitoring_interval_seconds" {
  description = "Enhanced monitoring interval in seconds (0 turns it off)."
  type        = number
  default     = 60

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.db_monitoring_interval_seconds)
    error_message = "One of 0, 1, 5, 10, 15, 30, 60."
  }
}

# ------------------------------------------------------------------ service

variable "image_tag" {
  description = "Tag of the sentinela image in the stack's ECR repository (tags are immutable: use the git commit); every task runs the digest it points at."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "A valid image tag other than latest."
  }
}

variable "cpu_architecture" {
  description = "CPU architecture the sentinela image is built for: X86_64 or ARM64 (Graviton, ~20% cheaper)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "X86_64 or ARM64."
  }
}

variable "desired_count" {
  description = "Number of web tasks during business hours, spread over the AZs."
  type        = number
  default     = 2

  validation {
    condition     = var.desired_count >= (var.production ? 2 : 1) && floor(var.desired_count) == var.desired_count
    error_message = "A whole number: at least 2 in production (one AZ or one task can fail), at least 1 elsewhere."
  }
}

variable "min_tasks" {
  description = "Number of web tasks outside business hours. 0 stops the web at night and at weekends (outside production only: the dashboard then answers 503)."
  type        = number
  default     = 1

  validation {
    condition     = var.min_tasks >= (var.production ? 1 : 0) && var.min_tasks <= var.desired_count && floor(var.min_tasks) == var.min_tasks
    error_message = "A whole number, at most desired_count: at least 1 in production, 0 or more elsewhere."
  }
}

variable "business_hours_start" {
  description = "When the web service scales up to desired_count: an Application Auto Scaling cron(...) expression in schedule_timezone. Default: 07:00 Monday to Friday."
  type        = string
  default     = "cron(0 7 ? * MON-FRI *)"

  validation {
    condition     = can(regex("^cron\\([^)]+\\)$", var.business_hours_start))
    error_message = "A cron(...) expression."
  }
}

variable "business_hours_end" {
  description = "When the web service scales down to min_tasks: a cron(...) expression in schedule_timezone. Default: 20:00 Monday to Friday (so it stays down over the weekend)."
  type        = string
  default     = "cron(0 20 ? * MON-FRI *)"

  validation {
    condition     = can(regex("^cron\\([^)]+\\)$", var.business_hours_end))
    error_message = "A cron(...) expression."
  }
}

variable "task_cpu" {
  description = "CPU units of a server task (1024 = 1 vCPU)."
  type        = number
  default     = 512
}

variable "task_memory" {
  description = "Memory of a server task, in MiB."
  type        = number
  default     = 1024
}

variable "schedule_timezone" {
  description = "Time zone (IANA name) of the ingest schedule and of the web service's business hours."
  type        = string
  default     = "America/Sao_Paulo"
}

# ------------------------------------------------------------------ alert e-mails
# The web service's alert delivery worker sends the alerts' e-mails over SMTP
# (README.md, "Alert e-mails"): through Amazon SES's SMTP interface in the
# region by default, on 587 with STARTTLS required.

variable "mail_from" {
  description = "Sender of the alert e-mails (SENTINELA_MAIL_FROM), an address of a domain verified in SES, e.g. Sentinela <alertas@<your domain>>. Empty (the default): the web sends no e-mail, and there is no SMTP secret, setting or egress."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.mail_from == "" || can(regex("^([^<>@\\s]+@[^<>@\\s]+\\.[^<>@\\s]+|[^<>@]*<[^<>@\\s]+@[^<>@\\s]+\\.[^<>@\\s]+>)$", var.mail_from))
    error_message = "Empty, an address (user@domain), or a name and an address (Name <user@domain>)."
  }
}

variable "public_url" {
  description = "The dashboard's address as its users reach it, https://<the certificate's host name> (SENTINELA_PUBLIC_URL): the alert e-mails' links start with it. Required with mail_from."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.public_url == "" ? var.mail_from == "" : can(regex("^https://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$", var.public_url))
    error_message = "https:// and the dashboard's host name, without a path (e.g. https://sentinela.<your domain>); required when mail_from is set."
  }
}

variable "smtp_host" {
  description = "Mail server of the alert e-mails (SENTINELA_SMTP_HOST), reached on port 587 with STARTTLS required. Null: Amazon SES's SMTP endpoint in the region, email-smtp.<region>.amazonaws.com."
  type        = string
  default     = null

  validation {
    condition     = var.smtp_host == null || can(regex("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$", var.smtp_host))
    error_message = "A host name (no scheme, no port)."
  }
}

# ------------------------------------------------------------------ ingest job

variable "ingest_schedule_expression" {
  description = "When EventBridge Scheduler runs the ingest job (`ingest --due`, which does only what is due): a cron(...) or rate(...) expression in schedule_timezone. Default: hourly, at 10 past."
  type        = string
  default     = "cron(10 * * * ? *)"

  validation {
    condition     = can(regex("^(cron\\([^)]+\\)|rate\\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\\))$", var.ingest_schedule_expression))
    error_message = "A cron(...) or rate(N unit) expression of EventBridge Scheduler."
  }
}

variable "ingest_task_cpu" {
  description = "CPU units of the ingest task (1024 = 1 vCPU)."
  type        = number
  default     = 1024
}

variable "ingest_task_memory" {
  description = "Memory of the ingest task, in MiB (its peak is about 0.6 GiB on the full public data, BENCHMARKS.md)."
  type        = number
  default     = 2048
}

# ------------------------------------------------------------------ people

variable "governance_principal_arns" {
  description = "IAM principals (roles or users of the identity account) allowed to assume the governance role, with MFA."
  type        = list(string)

  validation {
    condition     = length(var.governance_principal_arns) > 0 && alltrue([for arn in var.governance_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$", arn))])
    error_message = "Give at least one IAM role or user ARN (no account roots, no wildcards)."
  }
}

variable "analyst_principal_arns" {
  description = "IAM principals of the data team allowed to assume the read-only analyst role, with MFA; empty creates no role."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.analyst_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$", arn))])
    error_message = "IAM role or user ARNs only (no account roots, no wildcards)."
  }
}

# ------------------------------------------------------------------ analytics

variable "athena_results_retention_days" {
  description = "Days Athena query results are kept."
  type        = number
  default     = 30
}

variable "athena_bytes_scanned_cutoff_per_query" {
  description = "Athena cancels a query that would scan more bytes than this (cost guard; default 10 GiB)."
  type        = number
  default     = 10737418240

  validation {
    condition     = var.athena_bytes_scanned_cutoff_per_query >= 10485760
    error_message = "At least 10 MiB (the Athena minimum)."
  }
}

# ------------------------------------------------------------------ alarms and budget

variable "alert_emails" {
  description = "Addresses subscribed to the alerts topic: every alarm (firing and recovering) and the budget's alerts. Each confirms its subscription once."
  type        = list(string)

  validation {
    condition     = length(var.alert_emails) > 0 && alltrue([for email in var.alert_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email))])
    error_message = "Give at least one e-mail address."
  }
}

variable "alarm_5xx_percent" {
  description = "Share of the web's requests answered 5xx (load balancer or tasks) above which the alarm fires, in percent."
  type        = number
  default     = 5

  validation {
    condition     = var.alarm_5xx_percent > 0 && var.alarm_5xx_percent <= 100
    error_message = "A percentage above 0."
  }
}

variable "alarm_db_cpu_percent" {
  description = "Database CPU (average over 15 minutes) above which the alarm fires, in percent."
  type        = number
  default     = 80
}

variable "alarm_db_free_storage_gb" {
  description = "Free database storage below which the alarm fires, in GiB."
  type        = number
  default     = 5
}

variable "alarm_db_connections" {
  description = "Database connections above which the alarm fires (db.t4g.small allows about 190)."
  type        = number
  default     = 150
}

variable "alarm_ingest_missing_after_hours" {
  description = "Hours without a successful ingest run (ingest_run_status ok or idle) after which the alarm fires; keep it above the schedule's interval and the longest run."
  type        = number
  default     = 3

  validation {
    condition     = var.alarm_ingest_missing_after_hours >= 1 && var.alarm_ingest_missing_after_hours <= 24 && floor(var.alarm_ingest_missing_after_hours) == var.alarm_ingest_missing_after_hours
    error_message = "A whole number of hours between 1 and 24 (one CloudWatch period)."
  }
}

# ------------------------------------------------------------------ budget

variable "budget_monthly_limit_usd" {
  description = "Monthly AWS budget in US dollars."
  type        = number

  validation {
    condition     = var.budget_monthly_limit_usd > 0
    error_message = "A positive amount."
  }
}

variable "budget_filter_by_environment_tag" {
  description = "Budget only the costs tagged Environment=<environment> (activate that cost allocation tag first) instead of the whole account."
  type        = bool
  default     = false
}
