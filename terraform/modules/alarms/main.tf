# Alarms of the environment and where they go:
#   topic     one SNS topic, encrypted with the alerts key, that only this
#             account's CloudWatch alarms and AWS Budgets may publish to;
#             each of alert_emails subscribes to it (by e-mail, confirmed
#             by its owner)
#   ingest    metric filters on the ingest job's log group count the runs
#             by the `ingest_run_status` of their last JSON event (the
#             server's contract, server/src/job.rs): succeeded (ok, idle),
#             failed (failed, partial) and held
#   alarms    web: 5xx rate at the load balancer, unhealthy targets, fewer
#             running tasks than desired; database: CPU, free storage,
#             connections; ingest: a failed run, a held edition, and no
#             successful run for ingest_missing_after_hours (missing data
#             counts as breaching: a job that never starts is caught too)
#
# Every alarm notifies the topic when it fires and when it recovers.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.region

  # Custom metrics of this environment.
  namespace = "Sentinela/${var.name_prefix}"

  # Runs counted by the ingest's last event, by its ingest_run_status.
  run_metrics = {
    IngestRunsSucceeded = ["ok", "idle"]
    IngestRunsFailed    = ["failed", "partial"]
    IngestRunsHeld      = ["held"]
  }

  load_balancer = { LoadBalancer = var.load_balancer_arn_suffix }
  target_group  = { LoadBalancer = var.load_balancer_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  database      = { DBInstanceIdentifier = var.db_instance_identifier }

  # The alarms on one metric each.
  metric_alarms = {
    web-unhealthy-targets = {
      description = "Web: a target of the load balancer fails its /healthz check for 3 minutes"
      namespace   = "AWS/ApplicationELB"
      metric      = "UnHealthyHostCount"
      dimensions  = local.target_group
      statistic   = "Maximum"
      period      = 60
      periods     = 3
      operator    = "GreaterThanThreshold"
      threshold   = 0
      missing     = "notBreaching"
    }
    database-cpu = {
      description = "Database: CPU above ${var.db_cpu_percent} % for 15 minutes"
      namespace   = "AWS/RDS"
      metric      = "CPUUtilization"
      dimensions  = local.database
      statistic   = "Average"
      period      = 300
      periods     = 3
      operator    = "GreaterThanThreshold"
      threshold   = var.db_cpu_percent
      missing     = "missing"
    }
    database-free-storage = {
      description = "Database: less than ${var.db_free_storage_gb} GiB of free storage (autoscaling may be at its ceiling)"
      namespace   = "AWS/RDS"
      metric      = "FreeStorageSpace"
      dimensions  = local.database
      statistic   = "Minimum"
      period      = 300
      periods     = 2
      operator    = "LessThanThreshold"
      threshold   = var.db_free_storage_gb * 1024 * 1024 * 1024
      missing     = "missing"
    }
    database-connections = {
      description = "Database: more than ${var.db_connections} connections for 15 minutes"
      namespace   = "AWS/RDS"
      metric      = "DatabaseConnections"
      dimensions  = local.database
      statistic   = "Maximum"
      period      = 300
      periods     = 3
      operator    = "GreaterThanThreshold"
      threshold   = var.db_connections
      missing     = "missing"
    }
    ingest-failed = {
      description = "Ingest: a run failed, or only part of it succeeded (ingest_run_status failed or partial); see /dados and the ingest's log group"
      namespace   = local.namespace
      metric      = "IngestRunsFailed"
      dimensions  = {}
      statistic   = "Sum"
      period      = 300
      periods     = 1
      operator    = "GreaterThanOrEqualToThreshold"
      threshold   = 1
      missing     = "notBreaching"
    }
    ingest-held = {
      description = "Ingest: an edition broke its source's data contract and waits for an admin's acceptance (/dados, sentinela held)"
      namespace   = local.namespace
      metric      = "IngestRunsHeld"
      dimensions  = {}
      statistic   = "Sum"
      period      = 300
      periods     = 1
      operator    = "GreaterThanOrEqualToThreshold"
      threshold   = 1
      missing     = "notBreaching"
    }
    ingest-missing = {
      description = "Ingest: no successful run (ok or idle) for ${var.ingest_missing_after_hours} h: the job fails, does not start, or is stuck"
      namespace   = local.namespace
      metric      = "IngestRunsSucceeded"
      dimensions  = {}
      statistic   = "Sum"
      period      = var.ingest_missing_after_hours * 3600
      periods     = 1
      operator    = "LessThanThreshold"
      threshold   = 1
      missing     = "breaching"
    }
  }
}

# ---------------------------------------------------------------- topic

resource "aws_sns_topic" "alerts" {
  name              = "${var.name_prefix}-alerts"
  display_name      = "Sentinela ${var.name_prefix}"
  kms_master_key_id = var.kms_key_arn
}

data "aws_iam_policy_document" "alerts" {
  statement {
    sid       = "CloudWatchAlarmsOfThisAccount"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account}:alarm:*"]
    }
  }

  statement {
    sid       = "BudgetsOfThisAccount"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]

    principals {
      type        = "Service"
      identifiers = ["budgets.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:budgets::${local.account}:*"]
    }
  }
}

resource "aws_sns_topic_policy" "alerts" {
  arn    = aws_sns_topic.alerts.arn
  policy = data.aws_iam_policy_document.alerts.json
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alert_emails)

  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = each.value
}

# ---------------------------------------------------------------- ingest runs

resource "aws_cloudwatch_log_metric_filter" "ingest_runs" {
  for_each = local.run_metrics

  name           = "${var.name_prefix}-${each.key}"
  log_group_name = var.ingest_log_group_name
  pattern        = "{ ${join(" || ", [for status in each.value : "($.ingest_run_status = \"${status}\")"])} }"

  metric_transformation {
    name      = each.key
    namespace = local.namespace
    value     = "1"
    unit      = "Count"
  }
}

# ---------------------------------------------------------------- alarms

resource "aws_cloudwatch_metric_alarm" "metric" {
  for_each = local.metric_alarms

  alarm_name          = "${var.name_prefix}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.periods
  comparison_operator = each.value.operator
  threshold           = each.value.threshold
  treat_missing_data  = each.value.missing
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]

  depends_on = [aws_cloudwatch_log_metric_filter.ingest_runs]
}

# The share of requests answered 5xx (by the load balancer or the tasks)
# over 5 minutes; quiet minutes without requests count as 0 %.
resource "aws_cloudwatch_metric_alarm" "web_5xx_rate" {
  alarm_name          = "${var.name_prefix}-web-5xx-rate"
  alarm_description   = "Web: more than ${var.alb_5xx_percent} % of requests answered 5xx in two of three 5-minute periods"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alb_5xx_percent
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]

  metric_query {
    id          = "rate"
    expression  = "IF(requests > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)"
    label       = "5xx answers (%)"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = {
      requests  = "RequestCount"
      elb5xx    = "HTTPCode_ELB_5XX_Count"
      target5xx = "HTTPCode_Target_5XX_Count"
    }
    content {
      id = metric_query.key

      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = metric_query.value
        dimensions  = local.load_balancer
        stat        = "Sum"
        period      = 300
      }
    }
  }
}

# Fewer tasks running than the service wants (tasks that crash, cannot pull
# the image or read their secrets) for 5 minutes; scaling up in the morning
# takes less.
resource "aws_cloudwatch_metric_alarm" "web_tasks_below_desired" {
  alarm_name          = "${var.name_prefix}-web-tasks-below-desired"
  alarm_description   = "Web: fewer tasks running than desired for 5 minutes"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 5
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]

  metric_query {
    id          = "missing"
    expression  = "desired - running"
    label       = "Tasks missing"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = {
      desired = "DesiredTaskCount"
      running = "RunningTaskCount"
    }
    content {
      id = metric_query.key

      metric {
        namespace   = "ECS/ContainerInsights"
        metric_name = metric_query.value
        dimensions  = { ClusterName = var.cluster_name, ServiceName = var.service_name }
        stat        = "Average"
        period      = 60
      }
    }
  }
}
