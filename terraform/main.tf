# Sentinela's production home on AWS: one environment per state.
#
#   kms        customer managed keys (lake, data, logs), rotated yearly
#   network    VPC, subnets in >= 2 AZs, NAT, S3 gateway endpoint, security
#              groups of every tier, flow logs
#   lake       raw/bronze/silver/gold buckets and the access-log bucket
#   database   PostgreSQL on RDS, private, encrypted, RDS-managed password
#   iam        task/execution roles of the web, the ingest and db-admin, the
#              ingest's starter role, governance role
#   service    ECR, ECS cluster, the web service on Fargate behind an HTTPS
#              load balancer with WAF, its signing key, its SMTP credentials
#              (alert e-mails), the db-admin task
#   ingest_job the ingest as a task of its own: schedule, request bus, logs
#   analytics  Glue catalog over silver/gold, Athena workgroup and results
#   alarms     SNS topic (KMS) with e-mail subscribers, CloudWatch alarms on
#              the web, the database and the ingest runs
#   budget     monthly AWS Budget, alerting the same topic
#
# See README.md for what each module creates and how to apply it.

locals {
  name_prefix   = "${var.environment}-sentinela"
  bucket_prefix = coalesce(var.bucket_prefix, local.name_prefix)

  app_port      = 3000
  database_port = 5432

  # Alert e-mails, sent by the web service when mail_from is set: through
  # Amazon SES's SMTP interface in the region unless smtp_host names another
  # mail server, on the submission port with STARTTLS required.
  alert_email = var.mail_from != ""
  smtp_host   = coalesce(var.smtp_host, "email-smtp.${var.region}.amazonaws.com")
  smtp_port   = 587

  # The Glue/Athena description of the lake: one file, also the contract the
  # Rust ingest is tested against (README.md, "Lake tables").
  lake_tables = jsondecode(file("${path.module}/lake_tables.json")).tables
}

module "kms" {
  source = "./modules/kms"

  name_prefix          = local.name_prefix
  deletion_window_days = var.kms_deletion_window_days
}

module "network" {
  source = "./modules/network"

  name_prefix             = local.name_prefix
  vpc_cidr                = var.vpc_cidr
  availability_zones      = var.availability_zones
  nat_gateway_per_az      = var.nat_gateway_per_az
  app_port                = local.app_port
  database_port           = local.database_port
  alert_email             = local.alert_email
  smtp_port               = local.smtp_port
  allowed_cidrs           = var.allowed_cidrs
  flow_log_retention_days = var.log_retention_days
  logs_kms_key_arn        = module.kms.logs_key_arn
}

module "lake" {
  source = "./modules/lake"

  bucket_prefix                      = local.bucket_prefix
  kms_key_arn                        = module.kms.lake_key_arn
  raw_transition_ia_days             = var.raw_transition_ia_days
  raw_transition_glacier_days        = var.raw_transition_glacier_days
  raw_object_lock_days               = var.raw_object_lock_days
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  abort_incomplete_multipart_days    = var.abort_incomplete_multipart_days
  access_log_retention_days          = var.access_log_retention_days
}

module "database" {
  source = "./modules/database"

  name_prefix                  = local.name_prefix
  database_subnet_ids          = module.network.database_subnet_ids
  security_group_id            = module.network.database_security_group_id
  port                         = local.database_port
  kms_key_arn                  = module.kms.data_key_arn
  logs_kms_key_arn             = module.kms.logs_key_arn
  log_retention_days           = var.log_retention_days
  engine_version               = var.db_engine_version
  instance_class               = var.db_instance_class
  allocated_storage_gb         = var.db_allocated_storage_gb
  max_allocated_storage_gb     = var.db_max_allocated_storage_gb
  multi_az                     = var.db_multi_az
  backup_retention_days        = var.db_backup_retention_days
  deletion_protection          = var.db_deletion_protection
  iam_authentication_enabled   = var.db_iam_authentication_enabled
  performance_insights_enabled = var.db_performance_insights_enabled
  monitoring_interval_seconds  = var.db_monitoring_interval_seconds
}

module "iam" {
  source = "./modules/iam"

  name_prefix                   = local.name_prefix
  lake_bucket_arns              = module.lake.layer_bucket_arns
  lake_kms_key_arn              = module.kms.lake_key_arn
  data_kms_key_arn              = module.kms.data_key_arn
  database_login_secret_arns    = module.database.login_secret_arns
  signing_key_secret_arn        = module.service.signing_key_secret_arn
  smtp_credentials_secret_arn   = module.service.smtp_credentials_secret_arn
  source_credentials_secret_arn = module.ingest_job.source_credentials_secret_arn
  master_user_secret_arn        = module.database.master_user_secret_arn
  db_instance_arn               = module.database.instance_arn
  ecr_repository_arn            = module.service.ecr_repository_arn
  web_log_group_arn             = module.service.server_log_group_arn
  ingest_log_group_arn          = module.ingest_job.log_group_arn
  db_admin_log_group_arn        = module.service.db_admin_log_group_arn
  ingest_event_bus_arn          = module.ingest_job.event_bus_arn
  cluster_arn                   = module.service.cluster_arn
  service_arn                   = module.service.service_arn
  ingest_task_family            = module.ingest_job.task_family
  db_admin_task_family          = module.service.db_admin_task_family
  governance_principal_arns     = var.governance_principal_arns
  analytics_query_policy_arn    = module.analytics.query_policy_arn
  log_group_arns = concat(
    module.service.log_group_arns,
    [module.ingest_job.log_group_arn],
    module.database.log_group_arns,
    [module.network.flow_log_group_arn],
  )
}

module "service" {
  source = "./modules/service"

  name_prefix                  = local.name_prefix
  region                       = var.region
  vpc_id                       = module.network.vpc_id
  public_subnet_ids            = module.network.public_subnet_ids
  private_subnet_ids           = module.network.private_subnet_ids
  alb_security_group_id        = module.network.alb_security_group_id
  task_security_group_id       = module.network.task_security_group_id
  app_port                     = local.app_port
  load_balancer_internal       = var.load_balancer_internal
  certificate_arn              = var.certificate_arn
  access_log_bucket_id         = module.lake.access_log_bucket_id
  data_kms_key_arn             = module.kms.data_key_arn
  logs_kms_key_arn             = module.kms.logs_key_arn
  log_retention_days           = var.log_retention_days
  image_tag                    = var.image_tag
  cpu_architecture             = var.cpu_architecture
  desired_count                = var.desired_count
  min_tasks                    = var.min_tasks
  business_hours_start         = var.business_hours_start
  business_hours_end           = var.business_hours_end
  schedule_timezone            = var.schedule_timezone
  task_cpu                     = var.task_cpu
  task_memory                  = var.task_memory
  waf_rate_limit_per_5_minutes = var.waf_rate_limit_per_5_minutes
  lake_bucket_template         = module.lake.bucket_template
  web_database_secret_arn      = module.database.login_secret_arns["web"]
  ingest_database_secret_arn   = module.database.login_secret_arns["ingest"]
  web_db_username              = module.database.login_usernames["web"]
  ingest_event_bus_name        = module.ingest_job.event_bus_name
  mail_from                    = var.mail_from
  public_url                   = var.public_url
  smtp_host                    = local.smtp_host
  smtp_port                    = local.smtp_port
  master_user_secret_arn       = module.database.master_user_secret_arn
  database_address             = module.database.address
  database_port                = module.database.port
  database_name                = module.database.database_name
  task_role_arn                = module.iam.web_task_role_arn
  execution_role_arn           = module.iam.execution_role_arns["web"]
  db_admin_execution_role_arn  = module.iam.execution_role_arns["db-admin"]
}

module "ingest_job" {
  source = "./modules/ingest_job"

  name_prefix          = local.name_prefix
  region               = var.region
  cluster_arn          = module.service.cluster_arn
  image                = module.service.image
  cpu_architecture     = var.cpu_architecture
  task_cpu             = var.ingest_task_cpu
  task_memory          = var.ingest_task_memory
  private_subnet_ids   = module.network.private_subnet_ids
  security_group_id    = module.network.ingest_security_group_id
  task_role_arn        = module.iam.ingest_task_role_arn
  execution_role_arn   = module.iam.execution_role_arns["ingest"]
  starter_role_arn     = module.iam.ingest_starter_role_arn
  lake_bucket_template = module.lake.bucket_template
  database_secret_arn  = module.database.login_secret_arns["ingest"]
  web_db_username      = module.database.login_usernames["web"]
  schedule_expression  = var.ingest_schedule_expression
  schedule_timezone    = var.schedule_timezone
  data_kms_key_arn     = module.kms.data_key_arn
  logs_kms_key_arn     = module.kms.logs_key_arn
  log_retention_days   = var.log_retention_days
}

module "analytics" {
  source = "./modules/analytics"

  name_prefix                        = local.name_prefix
  bucket_prefix                      = local.bucket_prefix
  environment                        = var.environment
  tables                             = local.lake_tables
  layer_bucket_names                 = module.lake.layer_bucket_names
  lake_kms_key_arn                   = module.kms.lake_key_arn
  access_log_bucket_id               = module.lake.access_log_bucket_id
  results_retention_days             = var.athena_results_retention_days
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  abort_incomplete_multipart_days    = var.abort_incomplete_multipart_days
  bytes_scanned_cutoff_per_query     = var.athena_bytes_scanned_cutoff_per_query
  analyst_principal_arns             = var.analyst_principal_arns
}

module "alarms" {
  source = "./modules/alarms"

  name_prefix                = local.name_prefix
  alert_emails               = var.alert_emails
  kms_key_arn                = module.kms.alerts_key_arn
  load_balancer_arn_suffix   = module.service.load_balancer_arn_suffix
  target_group_arn_suffix    = module.service.target_group_arn_suffix
  cluster_name               = module.service.cluster_name
  service_name               = module.service.service_name
  db_instance_identifier     = module.database.identifier
  ingest_log_group_name      = module.ingest_job.log_group_name
  alb_5xx_percent            = var.alarm_5xx_percent
  db_cpu_percent             = var.alarm_db_cpu_percent
  db_free_storage_gb         = var.alarm_db_free_storage_gb
  db_connections             = var.alarm_db_connections
  ingest_missing_after_hours = var.alarm_ingest_missing_after_hours
}

module "budget" {
  source = "./modules/budget"

  name_prefix               = local.name_prefix
  environment               = var.environment
  monthly_limit_usd         = var.budget_monthly_limit_usd
  alert_topic_arn           = module.alarms.topic_arn
  filter_by_environment_tag = var.budget_filter_by_environment_tag
}
