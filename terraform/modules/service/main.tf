# The web service on ECS/Fargate behind an HTTPS Application Load Balancer,
# and what the stack's tasks share:
#   ECR repository  the one sentinela image (web, ingest, db-admin), immutable
#                   tags, scanned on push, KMS-encrypted; tasks run it by
#                   digest, looked up from image_tag
#   cluster         Container Insights on (the ingest job runs here too)
#   ALB             443 only (no port 80 listener), TLS 1.2+ policy, WAF,
#                   access logs, deletion protection, health check /healthz,
#                   /metrics answered 404 by the listener
#   service         the web tasks over the private subnets of >= 2 AZs,
#                   desired_count in business hours, min_tasks outside them,
#                   rolling deployments with the circuit breaker (automatic
#                   rollback); they serve only: no scheduler, no migrations,
#                   an admin's "ingest now" goes to the ingest job's bus
#   signing key     the secret of SENTINELA_SIGNING_KEY (embed links)
#   alert e-mails   with mail_from set: the SMTP settings of the web's alert
#                   delivery worker (SES's SMTP endpoint by default, 587,
#                   STARTTLS) and the secret of its SMTP credentials
#   db-admin task   one-off `sentinela db-roles` (or `migrate`) as the master
#                   user (README, "First deployment")

locals {
  server_container = "server"
  data_dir         = "/app/var"

  # Every task runs the image by digest: what ran is known exactly, and a tag
  # can never be moved under a running service.
  image = "${aws_ecr_repository.server.repository_url}@${data.aws_ecr_image.server.image_digest}"

  # Verified TLS to RDS: the image carries the RDS CA bundle (Dockerfile).
  rds_ca_bundle = "/etc/ssl/certs/rds-global-bundle.pem"

  # Alert e-mails are on when the sender is set; off, the web task gets no
  # SMTP setting and no SMTP secret, and rules cannot ask for e-mail.
  alert_email = var.mail_from != ""
}

# ---------------------------------------------------------------- image registry

resource "aws_ecr_repository" "server" {
  name                 = "${var.name_prefix}/server"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.data_kms_key_arn
  }
}

data "aws_ecr_image" "server" {
  repository_name = aws_ecr_repository.server.name
  image_tag       = var.image_tag
}

resource "aws_ecr_lifecycle_policy" "server" {
  repository = aws_ecr_repository.server.name

  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the 50 most recent images (rollbacks)"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = 50
      }
      action = { type = "expire" }
    }]
  })
}

# ---------------------------------------------------------------- logs

resource "aws_cloudwatch_log_group" "server" {
  name              = "/${var.name_prefix}/server"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

resource "aws_cloudwatch_log_group" "db_admin" {
  name              = "/${var.name_prefix}/db-admin"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

# WAF requires the aws-waf-logs- prefix.
resource "aws_cloudwatch_log_group" "waf" {
  name              = "aws-waf-logs-${var.name_prefix}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

# ---------------------------------------------------------------- signing key

# SENTINELA_SIGNING_KEY, which signs embed links: a secret of its own (the
# whole value, at least 32 characters), so that rotating a database password
# never changes it. Written by an operator (README.md, "First deployment").
resource "aws_secretsmanager_secret" "signing_key" {
  #checkov:skip=CKV2_AWS_57:A new signing key invalidates every embed link already handed out (the server accepts one key), so it is rotated deliberately by the documented procedure (README.md, "Rotating the signing key"), not on a timer.
  name                    = "${var.name_prefix}/web/signing-key"
  description             = "SENTINELA_SIGNING_KEY of the Sentinela web service (signs embed links)"
  kms_key_id              = var.data_kms_key_arn
  recovery_window_in_days = 30
}

# ---------------------------------------------------------------- alert e-mails

# SENTINELA_SMTP_USER and SENTINELA_SMTP_PASSWORD of the web's alert
# delivery worker (JSON keys user and password): Amazon SES's SMTP
# credentials, which SES derives from an access key of an IAM user created
# outside this stack (SMTP cannot use a role). Only with alert e-mails on;
# injected by ECS into the web only (never the ingest, which sends no
# e-mail). Written by an operator (README.md, "Alert e-mails").
resource "aws_secretsmanager_secret" "smtp_credentials" {
  #checkov:skip=CKV2_AWS_57:SES SMTP credentials are derived from an IAM user's access key created outside this stack (no role can speak SMTP): no rotation function can issue them, so they are rotated by the documented operator procedure (README.md, "Rotating the SMTP credentials"), not on a timer.
  count = local.alert_email ? 1 : 0

  name                    = "${var.name_prefix}/web/smtp"
  description             = "SMTP credentials of the Sentinela web service's alert e-mails (JSON: user, password; SES SMTP credentials)"
  kms_key_id              = var.data_kms_key_arn
  recovery_window_in_days = 30
}

# What the web task gets with alert e-mails on, and nothing when they are
# off: the mail server, on the submission port with STARTTLS required (never
# plain), the sender, the address the e-mails' links start with, and the
# credentials from the secret above (keys user and password).
locals {
  smtp_environment = local.alert_email ? [
    { name = "SENTINELA_SMTP_HOST", value = var.smtp_host },
    { name = "SENTINELA_SMTP_PORT", value = tostring(var.smtp_port) },
    { name = "SENTINELA_SMTP_SECURITY", value = "starttls" },
    { name = "SENTINELA_MAIL_FROM", value = var.mail_from },
    { name = "SENTINELA_PUBLIC_URL", value = var.public_url },
  ] : []

  smtp_secrets = local.alert_email ? [
    { name = "SENTINELA_SMTP_USER", valueFrom = "${aws_secretsmanager_secret.smtp_credentials[0].arn}:user::" },
    { name = "SENTINELA_SMTP_PASSWORD", valueFrom = "${aws_secretsmanager_secret.smtp_credentials[0].arn}:password::" },
  ] : []
}

# ---------------------------------------------------------------- cluster

resource "aws_ecs_cluster" "this" {
  name = var.name_prefix

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

# ---------------------------------------------------------------- load balancer

resource "aws_lb" "this" {
  #checkov:skip=CKV2_AWS_20:There is no HTTP listener to redirect: the load balancer listens on 443 only and its security group admits nothing else.
  name               = var.name_prefix
  load_balancer_type = "application"
  internal           = var.load_balancer_internal
  subnets            = var.load_balancer_internal ? var.private_subnet_ids : var.public_subnet_ids
  security_groups    = [var.alb_security_group_id]

  drop_invalid_header_fields = true
  desync_mitigation_mode     = "strictest"
  enable_deletion_protection = true
  idle_timeout               = 60

  access_logs {
    enabled = true
    bucket  = var.access_log_bucket_id
    prefix  = "alb"
  }

  connection_logs {
    enabled = true
    bucket  = var.access_log_bucket_id
    prefix  = "alb"
  }
}

resource "aws_lb_target_group" "server" {
  #checkov:skip=CKV_AWS_378:TLS ends at the load balancer; the hop to the tasks stays inside the VPC's private subnets, admitted only from the load balancer's security group, and the server speaks plain HTTP.
  name                 = "${var.name_prefix}-server"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  port                 = var.app_port
  protocol             = "HTTP"
  deregistration_delay = 30

  health_check {
    path                = "/healthz"
    matcher             = "200"
    protocol            = "HTTP"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.server.arn
  }
}

# The Prometheus metrics are for a scraper inside the network, never for
# the load balancer's clients: /metrics answers 404 here without reaching
# the server.
resource "aws_lb_listener_rule" "metrics_not_found" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 10

  condition {
    path_pattern {
      values = ["/metrics", "/metrics/*"]
    }
  }

  action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "Not Found"
      status_code  = "404"
    }
  }
}

# ---------------------------------------------------------------- WAF

resource "aws_wafv2_web_acl" "this" {
  name        = var.name_prefix
  description = "Sentinela load balancer: AWS managed rules and a per-IP rate limit"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "aws-ip-reputation"
    priority = 10

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesAmazonIpReputationList"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name_prefix}-ip-reputation"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-common"
    priority = 20

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name_prefix}-common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-known-bad-inputs"
    priority = 30

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name_prefix}-known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "rate-limit-per-ip"
    priority = 40

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit_per_5_minutes
        aggregate_key_type = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name_prefix}-rate-limit"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name_prefix
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  resource_arn            = aws_wafv2_web_acl.this.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]

  # Session cookies, credentials and the query string (which carries the
  # token of signed embed links, t=...) never reach the logs.
  redacted_fields {
    query_string {}
  }

  redacted_fields {
    single_header {
      name = "authorization"
    }
  }

  redacted_fields {
    single_header {
      name = "cookie"
    }
  }
}

resource "aws_wafv2_web_acl_association" "this" {
  resource_arn = aws_lb.this.arn
  web_acl_arn  = aws_wafv2_web_acl.this.arn
}

# ---------------------------------------------------------------- server

resource "aws_ecs_task_definition" "server" {
  family                   = "${var.name_prefix}-server"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  task_role_arn            = var.task_role_arn
  execution_role_arn       = var.execution_role_arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  # Writable scratch space on the task's ephemeral storage; the image's
  # root file system is read-only.
  volume {
    name = "var"
  }

  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([{
    name                   = local.server_container
    image                  = local.image
    essential              = true
    user                   = "10001:10001"
    readonlyRootFilesystem = true
    stopTimeout            = 30

    portMappings = [{
      name          = "http"
      containerPort = var.app_port
      protocol      = "tcp"
    }]

    environment = concat([
      { name = "LEPTOS_SITE_ADDR", value = "0.0.0.0:${var.app_port}" },
      { name = "SENTINELA_S3_BUCKET", value = var.lake_bucket_template },
      { name = "SENTINELA_S3_REGION", value = var.region },
      { name = "SENTINELA_LOG_FORMAT", value = "json" },
      { name = "SENTINELA_DATA_DIR", value = local.data_dir },
      # Serving only: the ingest job collects the sources and migrates the
      # database (the web's role may not create tables; it checks the
      # schema instead), and an admin's "ingest now" is put on its bus.
      { name = "SENTINELA_SCHEDULER", value = "false" },
      { name = "SENTINELA_DB_MIGRATE", value = "false" },
      { name = "SENTINELA_INGEST_EVENT_BUS", value = var.ingest_event_bus_name },
      # Only accounts, API tokens and signed embed links read (SECURITY.md);
      # TLS ends at the load balancer, which appends the client's address.
      { name = "SENTINELA_ACCESS", value = "login" },
      { name = "SENTINELA_HTTPS", value = "true" },
      { name = "SENTINELA_TRUST_FORWARDED_FOR", value = "true" },
      # The load balancer takes a request's whole header from the client
      # before it forwards it (it routes on it), so slow clients stop there;
      # above its idle timeout (60 s), it never reuses a kept-alive
      # connection the server is closing.
      { name = "SENTINELA_HEADER_READ_TIMEOUT_SECONDS", value = "65" },
    ], local.smtp_environment)

    # ECS reads these secrets when it starts the task.
    secrets = concat([
      { name = "DATABASE_URL", valueFrom = "${var.web_database_secret_arn}:url::" },
      { name = "SENTINELA_SIGNING_KEY", valueFrom = aws_secretsmanager_secret.signing_key.arn },
    ], local.smtp_secrets)

    mountPoints = [
      { sourceVolume = "var", containerPath = local.data_dir, readOnly = false },
      { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
    ]

    linuxParameters = {
      initProcessEnabled = true
      capabilities       = { drop = ["ALL"] }
    }

    ulimits = [{ name = "nofile", softLimit = 65536, hardLimit = 65536 }]

    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.server.name
        awslogs-region        = var.region
        awslogs-stream-prefix = local.server_container
        mode                  = "non-blocking"
        max-buffer-size       = "25m"
      }
    }
  }])
}

resource "aws_ecs_service" "server" {
  name                    = "server"
  cluster                 = aws_ecs_cluster.this.id
  task_definition         = aws_ecs_task_definition.server.arn
  desired_count           = var.desired_count
  launch_type             = "FARGATE"
  platform_version        = "LATEST"
  propagate_tags          = "SERVICE"
  enable_ecs_managed_tags = true
  enable_execute_command  = false

  # Fargate spreads the tasks over the subnets' AZs; rebalancing keeps them
  # spread after an AZ recovers.
  availability_zone_rebalancing = "ENABLED"

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 60

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [var.task_security_group_id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.server.arn
    container_name   = local.server_container
    container_port   = var.app_port
  }

  # Application Auto Scaling sets the count on the business-hours schedule
  # below; desired_count only sizes the first deployment.
  lifecycle {
    ignore_changes = [desired_count]
  }

  depends_on = [aws_lb_listener.https]
}

# ---------------------------------------------------------------- business hours
# Compute on only when used: desired_count tasks from business_hours_start,
# min_tasks from business_hours_end (0 outside production stops the web),
# both in schedule_timezone (America/Sao_Paulo by default).

locals {
  business_hours = {
    open   = { schedule = var.business_hours_start, tasks = var.desired_count }
    closed = { schedule = var.business_hours_end, tasks = var.min_tasks }
  }
}

resource "aws_appautoscaling_target" "server" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.server.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.min_tasks
  max_capacity       = var.desired_count
}

resource "aws_appautoscaling_scheduled_action" "business_hours" {
  for_each = local.business_hours

  name               = "${var.name_prefix}-web-${each.key}"
  service_namespace  = aws_appautoscaling_target.server.service_namespace
  resource_id        = aws_appautoscaling_target.server.resource_id
  scalable_dimension = aws_appautoscaling_target.server.scalable_dimension
  schedule           = each.value.schedule
  timezone           = var.schedule_timezone

  scalable_target_action {
    min_capacity = each.value.tasks
    max_capacity = each.value.tasks
  }
}

# ---------------------------------------------------------------- db-admin task
# Run by an operator (governance role) with `aws ecs run-task`, as the RDS
# master user: `sentinela db-roles` (the default command) creates or updates
# the ingest's and the web's login roles from their secrets; with the command
# overridden to `migrate` it applies the migrations as the ingest's role (the
# tables' owner) and grants the web's role its share. Idempotent; no password
# in any API call or command line. TLS to RDS with the certificate verified.

resource "aws_ecs_task_definition" "db_admin" {
  family                   = "${var.name_prefix}-db-admin"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = var.db_admin_execution_role_arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  volume {
    name = "var"
  }

  container_definitions = jsonencode([{
    name                   = "sentinela"
    image                  = local.image
    essential              = true
    user                   = "10001:10001"
    readonlyRootFilesystem = true
    command                = ["db-roles"]

    environment = [
      { name = "PGHOST", value = var.database_address },
      { name = "PGPORT", value = tostring(var.database_port) },
      { name = "PGDATABASE", value = var.database_name },
      { name = "PGSSLMODE", value = "verify-full" },
      { name = "PGSSLROOTCERT", value = local.rds_ca_bundle },
      { name = "PGCONNECT_TIMEOUT", value = "10" },
      { name = "SENTINELA_WEB_DB_ROLE", value = var.web_db_username },
      { name = "SENTINELA_LOG_FORMAT", value = "json" },
      { name = "SENTINELA_DATA_DIR", value = local.data_dir },
    ]

    secrets = [
      { name = "PGUSER", valueFrom = "${var.master_user_secret_arn}:username::" },
      { name = "PGPASSWORD", valueFrom = "${var.master_user_secret_arn}:password::" },
      { name = "SENTINELA_INGEST_DB_USER", valueFrom = "${var.ingest_database_secret_arn}:username::" },
      { name = "SENTINELA_INGEST_DB_PASSWORD", valueFrom = "${var.ingest_database_secret_arn}:password::" },
      { name = "SENTINELA_WEB_DB_USER", valueFrom = "${var.web_database_secret_arn}:username::" },
      { name = "SENTINELA_WEB_DB_PASSWORD", valueFrom = "${var.web_database_secret_arn}:password::" },
      # For `migrate`: the ingest's role owns the tables.
      { name = "DATABASE_URL", valueFrom = "${var.ingest_database_secret_arn}:url::" },
    ]

    mountPoints = [
      { sourceVolume = "var", containerPath = local.data_dir, readOnly = false },
    ]

    linuxParameters = {
      initProcessEnabled = true
      capabilities       = { drop = ["ALL"] }
    }

    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.db_admin.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "sentinela"
      }
    }
  }])
}
