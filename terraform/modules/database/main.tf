# PostgreSQL on RDS: database subnets only, encrypted with the data key,
# TLS enforced, automated backups, deletion protection, the master password
# generated and rotated by RDS in Secrets Manager, logs exported to
# CloudWatch, Performance Insights and enhanced monitoring.
#
# Nothing of Sentinela connects as the master user: the ingest job and the web
# service each have a login role of their own (the ingest's owns the tables,
# the web's reads them and writes only accounts, sessions and tokens), whose
# DATABASE_URL lives in the "ingest" and "web" secrets below. Terraform
# creates those secrets empty; their values are written by an operator and
# the roles created by the db-admin task (`sentinela db-roles`, README.md,
# "First deployment"), so that no password is ever in Terraform state.

locals {
  identifier = var.name_prefix
  log_types  = ["postgresql", "upgrade"]
  major      = split(".", var.engine_version)[0]

  login_roles = {
    ingest = var.ingest_username
    web    = var.web_username
  }
}

resource "aws_db_subnet_group" "this" {
  name        = local.identifier
  description = "Sentinela database subnets (no route out of the VPC)"
  subnet_ids  = var.database_subnet_ids
}

resource "aws_db_parameter_group" "this" {
  name        = "${local.identifier}-pg${local.major}"
  family      = "postgres${local.major}"
  description = "Sentinela PostgreSQL ${local.major}: TLS only, operational logging"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "ssl_min_protocol_version"
    value = "TLSv1.2"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  parameter {
    name  = "log_lock_waits"
    value = "1"
  }

  # Not "all" nor "ddl": either would write the ALTER ROLE ... PASSWORD of
  # the db-admin task to the logs. Slow statements, connections, lock waits
  # and errors are logged instead.
  parameter {
    name  = "log_statement"
    value = "none"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(local.log_types)

  name              = "/aws/rds/instance/${local.identifier}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

data "aws_iam_policy_document" "monitoring_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  count = var.monitoring_interval_seconds > 0 ? 1 : 0

  name               = "${var.name_prefix}-rds-monitoring"
  assume_role_policy = data.aws_iam_policy_document.monitoring_assume.json
}

data "aws_partition" "current" {}

resource "aws_iam_role_policy_attachment" "monitoring" {
  count = var.monitoring_interval_seconds > 0 ? 1 : 0

  role       = aws_iam_role.monitoring[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_db_instance" "this" {
  identifier = local.identifier

  engine                      = "postgres"
  engine_version              = var.engine_version
  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = false
  instance_class              = var.instance_class
  parameter_group_name        = aws_db_parameter_group.this.name
  ca_cert_identifier          = "rds-ca-rsa2048-g1"

  db_name  = var.database_name
  username = var.master_username
  port     = var.port

  # RDS generates the master password, stores it in Secrets Manager
  # (encrypted with the data key) and rotates it; Terraform never sees it.
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn

  iam_database_authentication_enabled = var.iam_authentication_enabled

  storage_type          = "gp3"
  allocated_storage     = var.allocated_storage_gb
  max_allocated_storage = var.max_allocated_storage_gb
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  multi_az               = var.multi_az
  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [var.security_group_id]
  publicly_accessible    = false

  backup_retention_period   = var.backup_retention_days
  backup_window             = "05:00-06:00"         # 02:00-03:00 in Brasília
  maintenance_window        = "sun:06:30-sun:07:30" # Sunday 03:30-04:30 in Brasília
  copy_tags_to_snapshot     = true
  delete_automated_backups  = false
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${local.identifier}-final"

  enabled_cloudwatch_logs_exports = local.log_types

  performance_insights_enabled          = var.performance_insights_enabled
  performance_insights_kms_key_id       = var.performance_insights_enabled ? var.kms_key_arn : null
  performance_insights_retention_period = var.performance_insights_enabled ? 7 : null

  monitoring_interval = var.monitoring_interval_seconds
  monitoring_role_arn = var.monitoring_interval_seconds > 0 ? aws_iam_role.monitoring[0].arn : null

  apply_immediately = false

  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy_attachment.monitoring]
}

# One secret per login role, JSON keys username, password and url (that
# service's DATABASE_URL); ECS injects "url", the db-admin task reads
# username and password. Written by an operator after the first apply.
resource "aws_secretsmanager_secret" "login" {
  #checkov:skip=CKV2_AWS_57:Rotating a login role's password needs it changed in PostgreSQL and the tasks restarted together, which the documented db-admin procedure does (README.md, "Rotating a database password"); the master password is rotated automatically by RDS.
  for_each = local.login_roles

  name                    = "${var.name_prefix}/database/${each.key}"
  description             = "DATABASE_URL of the Sentinela ${each.key} login role ${each.value} (JSON: username, password, url)"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 30
}
