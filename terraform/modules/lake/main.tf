# The lake: one bucket per layer (raw, bronze, silver, gold), all hardened by
# the s3-bucket module, plus the bucket that receives the access logs of the
# layer buckets, the Athena results bucket and the load balancer.
#
# The server is configured with SENTINELA_S3_BUCKET=<prefix>-{layer}: it
# replaces {layer} with the layer name, so objects keep their path inside the
# layer (silver/cases_state_daily/... is s3://<prefix>-silver/cases_state_daily/...).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_elb_service_account" "current" {}

locals {
  layers = ["raw", "bronze", "silver", "gold"]

  # Only raw ages into colder storage: bronze/silver/gold are rewritten by
  # the ingest and read by the server and Athena, so they stay in STANDARD.
  transitions = {
    raw    = { ia = var.raw_transition_ia_days, glacier = var.raw_transition_glacier_days }
    bronze = { ia = null, glacier = null }
    silver = { ia = null, glacier = null }
    gold   = { ia = null, glacier = null }
  }

  # Raw is what the sources published at the time of the fetch: most of it
  # cannot be fetched again (the occupancy API and the daily files show
  # only their current edition), so its versions are locked; bronze,
  # silver and gold are rebuilt from raw.
  object_lock_days = {
    raw    = var.raw_object_lock_days
    bronze = null
    silver = null
    gold   = null
  }

  log_bucket_name = "${var.bucket_prefix}-access-logs"
}

module "layer" {
  source   = "../s3-bucket"
  for_each = toset(local.layers)

  bucket_name                        = "${var.bucket_prefix}-${each.key}"
  kms_key_arn                        = var.kms_key_arn
  access_log_bucket_id               = aws_s3_bucket.logs.id
  access_log_prefix                  = "s3/${var.bucket_prefix}-${each.key}/"
  transition_ia_days                 = local.transitions[each.key].ia
  transition_glacier_days            = local.transitions[each.key].glacier
  object_lock_days                   = local.object_lock_days[each.key]
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  abort_incomplete_multipart_days    = var.abort_incomplete_multipart_days

  depends_on = [aws_s3_bucket_policy.logs]
}

# ---------------------------------------------------------------- access logs

resource "aws_s3_bucket" "logs" {
  #checkov:skip=CKV_AWS_18:This is the access-log bucket itself; logging it into itself would loop and logging it elsewhere would need yet another bucket. Reads of the logs are recorded by CloudTrail data events if the account enables them.
  #checkov:skip=CKV_AWS_145:S3 server access logging and ALB access logs can only be delivered to buckets encrypted with SSE-S3 (AES256); SSE-KMS is not supported for these log deliveries.
  #checkov:skip=CKV_AWS_144:Access logs are audit data kept for a bounded time in the region; cross-region replication would double their cost without protecting the workload.
  #checkov:skip=CKV2_AWS_62:Nothing consumes log object events; logs are read on demand (Athena or download).
  bucket = local.log_bucket_name
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket = aws_s3_bucket.logs.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    id     = "expire-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.access_log_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.logs]
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.logs.arn, "${aws_s3_bucket.logs.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid       = "DenyOutdatedTls"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.logs.arn, "${aws_s3_bucket.logs.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "NumericLessThan"
      variable = "s3:TlsVersion"
      values   = ["1.2"]
    }
  }

  # S3 server access logs of this environment's buckets only.
  statement {
    sid       = "S3ServerAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.logs.arn}/s3/*"]

    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:s3:::${var.bucket_prefix}-*"]
    }
  }

  # Application Load Balancer access logs: the regional ELB account (regions
  # opened before August 2022) and the log delivery service (newer regions).
  statement {
    sid       = "AlbAccessLogsRegionalAccount"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.logs.arn}/alb/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.current.arn]
    }
  }

  statement {
    sid       = "AlbAccessLogsDeliveryService"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.logs.arn}/alb/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs.json

  depends_on = [aws_s3_bucket_public_access_block.logs]
}
