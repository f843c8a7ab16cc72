# Roles only: no IAM users and no access keys anywhere in this stack.
#
#   task role              the server's AWS identity: its own lake buckets
#                          (objects and listing) and its own secrets
#                          (<name_prefix>/app/*), nothing else
#   execution role         what ECS needs to start the server: pull its
#                          image, write its log stream, inject DATABASE_URL
#   db-admin execution     starts the one-off psql task: master and app
#                          database secrets, its own log group
#   governance role        administration by people, MFA required: deploy a
#                          new task set, run db-admin, write the app secrets,
#                          read logs, repair lake objects, query with Athena
#
# Terraform itself is applied by a separate deployment identity (e.g. an
# IAM Identity Center permission set or a CI role using OIDC), not by these.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.region

  bucket_arns = values(var.lake_bucket_arns)
  object_arns = [for arn in local.bucket_arns : "${arn}/*"]

  # The server's own secrets (source credentials, API tokens): by name.
  app_secrets_arn_pattern = "arn:${local.partition}:secretsmanager:${local.region}:${local.account}:secret:${var.name_prefix}/app/*"

  cluster_name = element(split("/", var.cluster_arn), 1)
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

# ---------------------------------------------------------------- task role

resource "aws_iam_role" "task" {
  name                 = "${var.name_prefix}-server-task"
  description          = "Sentinela server: its lake buckets and its own secrets"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "task" {
  statement {
    sid = "ListLakeBuckets"
    actions = [
      "s3:GetBucketLocation",
      "s3:ListBucket",
      "s3:ListBucketMultipartUploads",
    ]
    resources = local.bucket_arns
  }

  statement {
    sid = "ReadWriteLakeObjects"
    actions = [
      "s3:AbortMultipartUpload",
      "s3:DeleteObject",
      "s3:GetObject",
      "s3:ListMultipartUploadParts",
      "s3:PutObject",
    ]
    resources = local.object_arns
  }

  statement {
    sid = "LakeKeyThroughS3"
    actions = [
      "kms:Decrypt",
      "kms:GenerateDataKey",
    ]
    resources = [var.lake_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }

  statement {
    sid       = "ReadOwnSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.app_secrets_arn_pattern]
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

resource "aws_iam_role_policy" "task" {
  name   = "lake-and-own-secrets"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

# ---------------------------------------------------------------- execution role

resource "aws_iam_role" "execution" {
  name                 = "${var.name_prefix}-server-execution"
  description          = "ECS agent for the Sentinela server: image pull, logs, DATABASE_URL"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "execution" {
  #checkov:skip=CKV_AWS_107:ecr:GetAuthorizationToken has no resource-level permissions (AWS requires "*"); the token only allows the pulls granted below, from this stack's repository.
  #checkov:skip=CKV_AWS_356:Same statement: ecr:GetAuthorizationToken cannot be scoped to a resource; every other statement names its resources.
  statement {
    sid       = "EcrToken"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PullServerImage"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = [var.ecr_repository_arn]
  }

  statement {
    sid = "WriteServerLogs"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]
    resources = ["${var.server_log_group_arn}:log-stream:*"]
  }

  statement {
    sid       = "InjectDatabaseUrl"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.app_database_secret_arn]
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
  name   = "start-server-task"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# ---------------------------------------------------------------- db-admin execution role

resource "aws_iam_role" "db_admin_execution" {
  name                 = "${var.name_prefix}-db-admin-execution"
  description          = "ECS agent for the one-off db-admin task: database secrets, logs"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "db_admin_execution" {
  statement {
    sid = "WriteDbAdminLogs"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]
    resources = ["${var.db_admin_log_group_arn}:log-stream:*"]
  }

  statement {
    sid       = "InjectDatabaseSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.master_user_secret_arn, var.app_database_secret_arn]
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

resource "aws_iam_role_policy" "db_admin_execution" {
  name   = "start-db-admin-task"
  role   = aws_iam_role.db_admin_execution.id
  policy = data.aws_iam_policy_document.db_admin_execution.json
}

# ---------------------------------------------------------------- governance role

data "aws_iam_policy_document" "governance_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = var.governance_principal_arns
    }

    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }

    condition {
      test     = "NumericLessThan"
      variable = "aws:MultiFactorAuthAge"
      values   = ["3600"]
    }
  }
}

resource "aws_iam_role" "governance" {
  name                 = "${var.name_prefix}-governance"
  description          = "Administration of Sentinela by people (MFA required)"
  assume_role_policy   = data.aws_iam_policy_document.governance_assume.json
  max_session_duration = var.governance_session_seconds
}

data "aws_iam_policy_document" "governance" {
  statement {
    sid = "OperateService"
    actions = [
      "ecs:DescribeServices",
      "ecs:UpdateService",
    ]
    resources = [var.service_arn]
  }

  statement {
    sid       = "RunDbAdminTask"
    actions   = ["ecs:RunTask"]
    resources = ["arn:${local.partition}:ecs:${local.region}:${local.account}:task-definition/${var.db_admin_task_family}:*"]

    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [var.cluster_arn]
    }
  }

  statement {
    sid = "WatchTasks"
    actions = [
      "ecs:DescribeTasks",
      "ecs:StopTask",
    ]
    resources = ["arn:${local.partition}:ecs:${local.region}:${local.account}:task/${local.cluster_name}/*"]
  }

  statement {
    sid       = "PassDbAdminRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.db_admin_execution.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  statement {
    sid = "ManageAppSecrets"
    actions = [
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue",
      "secretsmanager:PutSecretValue",
    ]
    resources = [var.app_database_secret_arn, local.app_secrets_arn_pattern]
  }

  statement {
    sid = "RotateMasterSecret"
    actions = [
      "secretsmanager:DescribeSecret",
      "secretsmanager:RotateSecret",
    ]
    resources = [var.master_user_secret_arn]
  }

  statement {
    sid = "DataKeyThroughSecretsManager"
    actions = [
      "kms:Decrypt",
      "kms:GenerateDataKey",
    ]
    resources = [var.data_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }

  # Repair and inspect the lake: no s3:DeleteObjectVersion, so nothing is
  # destroyed for good by hand (versions expire through the lifecycle rules).
  statement {
    sid = "ListLakeBuckets"
    actions = [
      "s3:ListBucket",
      "s3:ListBucketVersions",
    ]
    resources = local.bucket_arns
  }

  statement {
    sid = "RepairLakeObjects"
    actions = [
      "s3:DeleteObject",
      "s3:GetObject",
      "s3:GetObjectVersion",
      "s3:PutObject",
      "s3:RestoreObject",
    ]
    resources = local.object_arns
  }

  statement {
    sid = "LakeKeyThroughS3"
    actions = [
      "kms:Decrypt",
      "kms:GenerateDataKey",
    ]
    resources = [var.lake_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }

  statement {
    sid = "OperateDatabase"
    actions = [
      "rds:CreateDBSnapshot",
      "rds:DescribeDBInstances",
      "rds:DescribeDBLogFiles",
      "rds:RebootDBInstance",
    ]
    resources = [
      var.db_instance_arn,
      "arn:${local.partition}:rds:${local.region}:${local.account}:snapshot:${var.name_prefix}-*",
    ]
  }

  statement {
    sid = "ReadLogs"
    actions = [
      "logs:DescribeLogStreams",
      "logs:FilterLogEvents",
      "logs:GetLogEvents",
      "logs:StartQuery",
    ]
    resources = concat(var.log_group_arns, [for arn in var.log_group_arns : "${arn}:*"])
  }
}

resource "aws_iam_role_policy" "governance" {
  name   = "administer-sentinela"
  role   = aws_iam_role.governance.id
  policy = data.aws_iam_policy_document.governance.json
}

resource "aws_iam_role_policy_attachment" "governance_query" {
  role       = aws_iam_role.governance.name
  policy_arn = var.analytics_query_policy_arn
}
