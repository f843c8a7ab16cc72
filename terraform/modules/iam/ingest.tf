# The ingest job's roles:
#   ingest task   its AWS identity: reads and writes every lake layer
#   starter       what EventBridge Scheduler (the schedule) and EventBridge
#                 (the admins' requests on the bus) use to start it: run the
#                 ingest task definition in this cluster and pass its two
#                 roles to ECS, nothing else

resource "aws_iam_role" "ingest_task" {
  name                 = "${var.name_prefix}-ingest-task"
  description          = "Sentinela ingest job: reads and writes the lake"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "ingest_task" {
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
}

resource "aws_iam_role_policy" "ingest_task" {
  name   = "read-write-lake"
  role   = aws_iam_role.ingest_task.id
  policy = data.aws_iam_policy_document.ingest_task.json
}

# ---------------------------------------------------------------- starter

data "aws_iam_policy_document" "ingest_starter_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com", "scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role" "ingest_starter" {
  name                 = "${var.name_prefix}-ingest-starter"
  description          = "EventBridge and its Scheduler: start the Sentinela ingest task"
  assume_role_policy   = data.aws_iam_policy_document.ingest_starter_assume.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "ingest_starter" {
  statement {
    sid       = "RunIngestTask"
    actions   = ["ecs:RunTask"]
    resources = ["${local.task_definition_arn_prefix}/${var.ingest_task_family}:*"]

    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [var.cluster_arn]
    }
  }

  # The tasks carry the task definition's tags (cost allocation).
  statement {
    sid       = "TagIngestTasks"
    actions   = ["ecs:TagResource"]
    resources = ["arn:${local.partition}:ecs:${local.region}:${local.account}:task/${local.cluster_name}/*"]

    condition {
      test     = "StringEquals"
      variable = "ecs:CreateAction"
      values   = ["RunTask"]
    }
  }

  statement {
    sid       = "PassIngestRoles"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.ingest_task.arn, aws_iam_role.execution["ingest"].arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "ingest_starter" {
  name   = "start-ingest-task"
  role   = aws_iam_role.ingest_starter.id
  policy = data.aws_iam_policy_document.ingest_starter.json
}
