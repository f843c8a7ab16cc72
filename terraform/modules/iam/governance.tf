# The governance role: administration by people, MFA required (less than an
# hour old). Redeploy the web service; run the db-admin task and the ingest
# task by hand (e.g. `ingest --source X`, `accept`); write the services'
# secrets (never read them); rotate the master secret; repair lake objects (no
# DeleteObjectVersion: nothing is destroyed for good by hand; no
# BypassGovernanceRetention: raw's locked versions stay); restore GLACIER
# objects; snapshot and reboot the database; read every log group; query
# with Athena.

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
    sid     = "RunOneOffTasks"
    actions = ["ecs:RunTask"]
    resources = [
      "${local.task_definition_arn_prefix}/${var.db_admin_task_family}:*",
      "${local.task_definition_arn_prefix}/${var.ingest_task_family}:*",
    ]

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
    sid     = "PassOneOffTaskRoles"
    actions = ["iam:PassRole"]
    resources = [
      aws_iam_role.execution["db-admin"].arn,
      aws_iam_role.execution["ingest"].arn,
      aws_iam_role.ingest_task.arn,
    ]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  statement {
    # Write, never read: each secret is read only by the execution role of
    # the task that needs it.
    sid = "WriteServiceSecrets"
    actions = [
      "secretsmanager:DescribeSecret",
      "secretsmanager:PutSecretValue",
    ]
    resources = compact(concat(values(var.database_login_secret_arns), [var.signing_key_secret_arn, var.source_credentials_secret_arn, var.smtp_credentials_secret_arn]))
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
