# The web service's task role: it reads the lake (every layer, never a
# write: no s3:PutObject nor s3:DeleteObject anywhere) and puts an admin's
# "ingest now" on the ingest job's event bus, whose rules start the job. It
# holds neither ecs:RunTask nor iam:PassRole: a task override (command,
# environment) would let it run anything as the ingest.

resource "aws_iam_role" "web_task" {
  name                 = "${var.name_prefix}-web-task"
  description          = "Sentinela web service: reads the lake, asks for ingests on the event bus"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "web_task" {
  statement {
    sid = "ListLakeBuckets"
    actions = [
      "s3:GetBucketLocation",
      "s3:ListBucket",
    ]
    resources = local.bucket_arns
  }

  statement {
    sid       = "ReadLakeObjects"
    actions   = ["s3:GetObject"]
    resources = local.object_arns
  }

  statement {
    sid       = "LakeKeyThroughS3"
    actions   = ["kms:Decrypt"]
    resources = [var.lake_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }

  statement {
    sid       = "AskForIngests"
    actions   = ["events:PutEvents"]
    resources = [var.ingest_event_bus_arn]
  }
}

resource "aws_iam_role_policy" "web_task" {
  name   = "read-lake-ask-for-ingests"
  role   = aws_iam_role.web_task.id
  policy = data.aws_iam_policy_document.web_task.json
}
