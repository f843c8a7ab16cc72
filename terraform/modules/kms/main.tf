# Customer managed keys, one per kind of data, each rotated yearly:
#   lake    the lake buckets and the Athena query results
#   data    RDS storage, Performance Insights, Secrets Manager secrets, ECR
#   logs    every CloudWatch log group of the environment
#   alerts  the SNS topic of the alarms and the budget
#
# The key policies grant key administration and use to IAM in this account
# (so that the IAM policies of the iam module decide who may use a key); for
# the logs key, encryption to CloudWatch Logs for this account's log groups
# only; for the alerts key, what CloudWatch alarms and AWS Budgets need to
# publish to the encrypted topic (whose own policy admits only this
# account's alarms and budgets). Resource "*" in a key policy means "this
# key".

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_root = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"

  # Explicit actions instead of kms:*: everything IAM principals of the
  # account may be granted on these keys.
  account_actions = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
  ]

  account_statement = {
    Sid       = "AccountIamPolicies"
    Effect    = "Allow"
    Principal = { AWS = local.account_root }
    Action    = local.account_actions
    Resource  = "*"
  }

  logs_service_statement = {
    Sid       = "CloudWatchLogsOfThisAccount"
    Effect    = "Allow"
    Principal = { Service = "logs.${data.aws_region.current.region}.amazonaws.com" }
    Action = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:GenerateDataKey",
      "kms:DescribeKey",
    ]
    Resource = "*"
    Condition = {
      ArnLike = {
        "kms:EncryptionContext:aws:logs:arn" = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:*"
      }
    }
  }
}

locals {
  # AWS's documented key policy for CloudWatch alarms publishing to an
  # encrypted topic (no condition keys are available on that call).
  alarms_service_statement = {
    Sid       = "CloudWatchAlarms"
    Effect    = "Allow"
    Principal = { Service = "cloudwatch.amazonaws.com" }
    Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
    Resource  = "*"
  }

  budgets_service_statement = {
    Sid       = "BudgetsOfThisAccount"
    Effect    = "Allow"
    Principal = { Service = "budgets.amazonaws.com" }
    Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
    Resource  = "*"
    Condition = {
      StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
      ArnLike      = { "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:budgets::${data.aws_caller_identity.current.account_id}:*" }
    }
  }
}

resource "aws_kms_key" "lake" {
  description             = "${var.name_prefix}: lake buckets and Athena results"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = var.deletion_window_days

  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [local.account_statement]
  })
}

resource "aws_kms_alias" "lake" {
  name          = "alias/${var.name_prefix}-lake"
  target_key_id = aws_kms_key.lake.key_id
}

resource "aws_kms_key" "data" {
  description             = "${var.name_prefix}: RDS, Performance Insights, secrets, container images"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = var.deletion_window_days

  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [local.account_statement]
  })
}

resource "aws_kms_alias" "data" {
  name          = "alias/${var.name_prefix}-data"
  target_key_id = aws_kms_key.data.key_id
}

resource "aws_kms_key" "logs" {
  description             = "${var.name_prefix}: CloudWatch log groups"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = var.deletion_window_days

  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [local.account_statement, local.logs_service_statement]
  })
}

resource "aws_kms_alias" "logs" {
  name          = "alias/${var.name_prefix}-logs"
  target_key_id = aws_kms_key.logs.key_id
}

resource "aws_kms_key" "alerts" {
  description             = "${var.name_prefix}: SNS topic of the alarms and the budget"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = var.deletion_window_days

  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [local.account_statement, local.alarms_service_statement, local.budgets_service_statement]
  })
}

resource "aws_kms_alias" "alerts" {
  name          = "alias/${var.name_prefix}-alerts"
  target_key_id = aws_kms_key.alerts.key_id
}
