# Roles only: no IAM users and no access keys anywhere in this stack. The
# roles of each workload are in a file of their own:
#
#   main.tf        ECS trust, and the three execution roles (what ECS needs
#                  to start a task: pull the image, write its log stream,
#                  inject its own secrets): web, ingest and db-admin
#   web.tf         the web service's task role: reads the lake, puts the
#                  "ingest now" events on the ingest bus; nothing else
#   ingest.tf      the ingest job's task role (writes the lake) and the
#                  starter role EventBridge and its Scheduler use to run it
#   governance.tf  administration by people, MFA required
#
# Terraform itself is applied by a separate deployment identity (e.g. an
# IAM Identity Center permission set or a CI role using OIDC), not by these.
# With alert e-mails on, SES's SMTP credentials come from an IAM user made
# outside this stack (SMTP cannot use a role; README.md, "Alert e-mails"):
# they reach the web's execution role through their secret only.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.region

  bucket_arns = values(var.lake_bucket_arns)
  object_arns = [for arn in local.bucket_arns : "${arn}/*"]

  cluster_name = element(split("/", var.cluster_arn), 1)

  task_definition_arn_prefix = "arn:${local.partition}:ecs:${local.region}:${local.account}:task-definition"

  # Each execution role: the log group its task writes and the secrets ECS
  # injects into it, and no other. The SMTP credentials exist only with alert
  # e-mails on (null otherwise, left out) and go to the web alone: the
  # ingest sends no e-mail.
  executions = {
    web = {
      what          = "the web service"
      log_group_arn = var.web_log_group_arn
      secret_arns   = compact([var.database_login_secret_arns["web"], var.signing_key_secret_arn, var.smtp_credentials_secret_arn])
    }
    ingest = {
      what          = "the ingest job"
      log_group_arn = var.ingest_log_group_arn
      secret_arns   = [var.database_login_secret_arns["ingest"], var.source_credentials_secret_arn]
    }
    db-admin = {
      what          = "the one-off db-admin task"
      log_group_arn = var.db_admin_log_group_arn
      secret_arns   = concat([var.master_user_secret_arn], values(var.database_login_secret_arns))
    }
  }
}

# ---------------------------------------------------------------- ECS trust

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    # Only ECS acting for this account (confused-deputy protection).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ecs:${local.region}:${local.account}:*"]
    }
  }
}

# ---------------------------------------------------------------- execution roles

resource "aws_iam_role" "execution" {
  for_each = local.executions

  name                 = "${var.name_prefix}-${each.key}-execution"
  description          = "ECS agent for ${each.value.what}: image pull, its logs, its secrets"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "execution" {
  #checkov:skip=CKV_AWS_107:ecr:GetAuthorizationToken has no resource-level permissions (AWS requires "*"); the token only allows the pulls granted below, from this stack's repository.
  #checkov:skip=CKV_AWS_356:Same statement: ecr:GetAuthorizationToken cannot be scoped to a resource; every other statement names its resources.
  for_each = local.executions

  statement {
    sid       = "EcrToken"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PullImage"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = [var.ecr_repository_arn]
  }

  statement {
    sid = "WriteOwnLogs"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]
    resources = ["${each.value.log_group_arn}:log-stream:*"]
  }

  statement {
    sid       = "InjectOwnSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = each.value.secret_arns
  }

  statement {
    sid       = "DataKeyThroughSecretsManager"
    actions   = ["kms:Decrypt"]
    resources = [var.data_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  for_each = local.executions

  name   = "start-${each.key}-task"
  role   = aws_iam_role.execution[each.key].id
  policy = data.aws_iam_policy_document.execution[each.key].json
}
