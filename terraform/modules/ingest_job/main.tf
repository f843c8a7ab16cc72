# The ingest job: the sentinela image run as a Fargate task of its own, with
# its own task role (writes the lake), execution role (its secrets only) and
# database login role (owns the tables: it migrates, then grants the web's
# role its share through SENTINELA_WEB_DB_ROLE). It is started
#   on a schedule   EventBridge Scheduler runs `ingest --due` (the task's own
#                   command): whatever sources are due, then it exits
#                   (0 ok, 1 failed, 2 partial, 3 held, 4 another ingest runs)
#   on request      the web service puts an admin's "ingest now" or
#                   "accept" on this module's event bus (source
#                   sentinela.web, server/src/trigger.rs); a rule per kind
#                   of request runs the task with the command it names
#
# Both go through the starter role (modules/iam), so the web's role never
# holds ecs:RunTask nor iam:PassRole. Two ingests never run at once: the
# application takes a PostgreSQL advisory lock, and one that finds it taken
# exits with `busy`. Every run ends with one JSON log event carrying
# `ingest_run_status`, which modules/alarms counts.

locals {
  container = "ingest"
  data_dir  = "/app/var"

  # The events' source: EVENT_SOURCE in server/src/trigger.rs.
  event_source = "sentinela.web"

  # An admin's requests as the web service puts them on the bus: the
  # detail-type, what the detail carries, and the container's command, in
  # which <x> stands for the event's detail.x. Placeholders stand outside
  # quotes, so EventBridge inserts each value as a JSON string, escaped: a
  # value is always one argument. `--` ends accept's options, so a source
  # or run id can never be read as one.
  requests = {
    ingest-all = {
      detail_type = "ingest"
      detail      = { source = [{ exists = false }] }
      paths       = {}
      command     = ["\"ingest\""]
    }
    ingest-source = {
      detail_type = "ingest"
      detail      = { source = [{ exists = true }] }
      paths       = { source = "$.detail.source" }
      command     = ["\"ingest\"", "\"--source\"", "<source>"]
    }
    accept = {
      detail_type = "accept"
      detail      = { source = [{ exists = true }], run = [{ exists = true }], by = [{ exists = true }] }
      paths       = { source = "$.detail.source", run = "$.detail.run", by = "$.detail.by" }
      command     = ["\"accept\"", "\"--by\"", "<by>", "\"--\"", "<source>", "<run>"]
    }
  }
}

# ---------------------------------------------------------------- logs and secrets

resource "aws_cloudwatch_log_group" "ingest" {
  name              = "/${var.name_prefix}/ingest"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

# The occupancy source's credentials (JSON keys user and password), issued
# by the data provider; injected by ECS into the ingest only. Written by an
# operator (README.md, "First deployment").
resource "aws_secretsmanager_secret" "source_credentials" {
  #checkov:skip=CKV2_AWS_57:These credentials are issued by the data provider (the Ministry's occupancy API), not by us: there is no rotation function to call; a new pair is written when the provider issues one.
  name                    = "${var.name_prefix}/ingest/leitos"
  description             = "Credentials of the occupancy source for the Sentinela ingest (JSON: user, password)"
  kms_key_id              = var.data_kms_key_arn
  recovery_window_in_days = 30
}

# ---------------------------------------------------------------- task

resource "aws_ecs_task_definition" "ingest" {
  family                   = "${var.name_prefix}-ingest"
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

  # Scratch space (downloads, Parquet spills) on the task's ephemeral
  # storage; the image's root file system is read-only.
  volume {
    name = "var"
  }

  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([{
    name                   = local.container
    image                  = var.image
    essential              = true
    user                   = "10001:10001"
    readonlyRootFilesystem = true
    stopTimeout            = 120
    command                = ["ingest", "--due"]

    environment = [
      { name = "SENTINELA_S3_BUCKET", value = var.lake_bucket_template },
      { name = "SENTINELA_S3_REGION", value = var.region },
      { name = "SENTINELA_LOG_FORMAT", value = "json" },
      { name = "SENTINELA_DATA_DIR", value = local.data_dir },
      # The ingest's role owns the tables: it migrates them, then grants the
      # web's role reading (and its own tables) and nothing more.
      { name = "SENTINELA_DB_MIGRATE", value = "true" },
      { name = "SENTINELA_WEB_DB_ROLE", value = var.web_db_username },
    ]

    secrets = [
      { name = "DATABASE_URL", valueFrom = "${var.database_secret_arn}:url::" },
      { name = "SENTINELA_LEITOS_USER", valueFrom = "${aws_secretsmanager_secret.source_credentials.arn}:user::" },
      { name = "SENTINELA_LEITOS_PASSWORD", valueFrom = "${aws_secretsmanager_secret.source_credentials.arn}:password::" },
    ]

    mountPoints = [
      { sourceVolume = "var", containerPath = local.data_dir, readOnly = false },
      { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
    ]

    linuxParameters = {
      initProcessEnabled = true
      capabilities       = { drop = ["ALL"] }
    }

    # Blocking (the default): the run's last event, which the alarms count,
    # is never dropped.
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.ingest.name
        awslogs-region        = var.region
        awslogs-stream-prefix = local.container
      }
    }
  }])
}

# ---------------------------------------------------------------- schedule

resource "aws_scheduler_schedule" "due" {
  #checkov:skip=CKV_AWS_297:A customer managed key would encrypt the schedule's target input, and this schedule has none (the task runs its own command, ingest --due); nothing secret is stored in it, so the AWS owned key is kept and no key policy is opened to the Scheduler.
  name                         = "${var.name_prefix}-ingest-due"
  description                  = "Sentinela: run the ingest job (ingest --due)"
  schedule_expression          = var.schedule_expression
  schedule_expression_timezone = var.schedule_timezone

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = var.cluster_arn
    role_arn = var.starter_role_arn

    ecs_parameters {
      task_definition_arn = aws_ecs_task_definition.ingest.arn
      task_count          = 1
      launch_type         = "FARGATE"
      platform_version    = "LATEST"
      propagate_tags      = "TASK_DEFINITION"

      network_configuration {
        subnets          = var.private_subnet_ids
        security_groups  = [var.security_group_id]
        assign_public_ip = false
      }
    }

    # A run that cannot start within the quarter hour is left to the next
    # one (`--due` picks up whatever is still due).
    retry_policy {
      maximum_event_age_in_seconds = 900
      maximum_retry_attempts       = 3
    }
  }
}

# ---------------------------------------------------------------- requests from the web

resource "aws_cloudwatch_event_bus" "ingest" {
  name = "${var.name_prefix}-ingest"
}

resource "aws_cloudwatch_event_rule" "request" {
  for_each = local.requests

  name           = "${var.name_prefix}-${each.key}"
  description    = "Sentinela: an admin's ${each.value.detail_type} request runs the ingest task"
  event_bus_name = aws_cloudwatch_event_bus.ingest.name

  event_pattern = jsonencode({
    source        = [local.event_source]
    "detail-type" = [each.value.detail_type]
    detail        = each.value.detail
  })
}

resource "aws_cloudwatch_event_target" "request" {
  for_each = local.requests

  rule           = aws_cloudwatch_event_rule.request[each.key].name
  event_bus_name = aws_cloudwatch_event_bus.ingest.name
  target_id      = "run-ingest-task"
  arn            = var.cluster_arn
  role_arn       = var.starter_role_arn

  ecs_target {
    task_definition_arn = aws_ecs_task_definition.ingest.arn
    task_count          = 1
    launch_type         = "FARGATE"
    platform_version    = "LATEST"
    propagate_tags      = "TASK_DEFINITION"

    network_configuration {
      subnets          = var.private_subnet_ids
      security_groups  = [var.security_group_id]
      assign_public_ip = false
    }
  }

  input_transformer {
    input_paths    = each.value.paths
    input_template = "{\"containerOverrides\":[{\"name\":\"${local.container}\",\"command\":[${join(",", each.value.command)}]}]}"
  }

  # An admin's request is worth a few tries, not an hour's delay.
  retry_policy {
    maximum_event_age_in_seconds = 600
    maximum_retry_attempts       = 3
  }
}
