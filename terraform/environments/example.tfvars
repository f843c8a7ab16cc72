# Example values for one environment. Copy to <environment>.tfvars, replace
# every value (the ones below are placeholders: AWS's documentation account
# ID, example.com addresses, a documentation IP range) and apply with
#   terraform apply -var-file=environments/<environment>.tfvars
# Nothing secret belongs here: passwords live in Secrets Manager only.

region              = "sa-east-1"
allowed_account_ids = ["111122223333"]
environment         = "prod"
# Production rules: Multi-AZ database, >= 2 web tasks in business hours and
# >= 1 outside them. A small staging stack sets production = false,
# db_multi_az = false, db_instance_class = "db.t4g.micro", desired_count = 1,
# min_tasks = 0, load_balancer_internal = true (README.md, "Monthly cost").
production         = true
availability_zones = ["sa-east-1a", "sa-east-1c"]
# bucket_prefix     = "acme-prod-sentinela" # if prod-sentinela-* is taken

tags = {
  CostCenter = "supply-planning"
  Owner      = "data-team"
}

# Company intranet / VPN egress ranges that may open the dashboard.
allowed_cidrs          = ["198.51.100.0/24"]
load_balancer_internal = false
certificate_arn        = "arn:aws:acm:sa-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"

# The sentinela image: pushed to the stack's ECR repository, tagged with the
# commit; every task runs the digest the tag points at.
image_tag = "0123abc"

# Web service: desired_count tasks in business hours (São Paulo time),
# min_tasks outside them.
desired_count        = 2
min_tasks            = 1
business_hours_start = "cron(0 7 ? * MON-FRI *)"
business_hours_end   = "cron(0 20 ? * MON-FRI *)"
schedule_timezone    = "America/Sao_Paulo"
task_cpu             = 512
task_memory          = 1024

# Alert e-mails from the web service, through Amazon SES's SMTP interface in
# the region (port 587, STARTTLS): the sender's domain verified in SES, the
# account out of the SES sandbox, the SMTP credentials written to their
# secret (README.md, "Alert e-mails"). mail_from = "" sends no e-mail.
mail_from  = "Sentinela <alertas@example.com>"
public_url = "https://sentinela.example.com"
# smtp_host = "email-smtp.sa-east-1.amazonaws.com" # the default: SES in region

# Ingest job: `ingest --due` hourly, at 10 past.
ingest_schedule_expression = "cron(10 * * * ? *)"
ingest_task_cpu            = 1024
ingest_task_memory         = 2048

# Database
db_instance_class        = "db.t4g.small"
db_multi_az              = true
db_backup_retention_days = 14

# Lake lifecycle
raw_transition_ia_days             = 30
raw_transition_glacier_days        = 180
noncurrent_version_expiration_days = 90
# Raw object versions kept (S3 Object Lock, governance mode): 5 years.
raw_object_lock_days = 1825

log_retention_days = 365

# People (roles of the company's identity account; MFA is required)
governance_principal_arns = ["arn:aws:iam::111122223333:role/platform-admins"]
analyst_principal_arns    = ["arn:aws:iam::111122223333:role/data-team"]

# Alarms (SNS topic, e-mail subscribers) and the budget, which alerts the
# same topic.
alert_emails                     = ["ops@example.com"]
alarm_5xx_percent                = 5
alarm_db_cpu_percent             = 80
alarm_db_free_storage_gb         = 5
alarm_db_connections             = 150
alarm_ingest_missing_after_hours = 3
budget_monthly_limit_usd         = 400
