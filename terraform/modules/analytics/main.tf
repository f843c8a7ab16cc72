# The lake as tables: one Glue database per queried layer (silver, gold),
# one Glue table per entry of lake_tables.json, an Athena workgroup whose
# settings (encrypted results in the results bucket, engine version, scan
# limit) users cannot override, and a managed policy to query it all.
#
# Partitions are not registered in the catalog: tables with partition keys use
# Athena partition projection (the projection object of each key in
# lake_tables.json), so new folders written by the ingest are visible at once.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.region

  layers   = toset(distinct([for table in var.tables : table.layer]))
  env_name = replace(var.environment, "-", "_")

  tables = { for table in var.tables : "${table.layer}.${table.name}" => table }

  queried_bucket_arns = [for layer in local.layers : "arn:${local.partition}:s3:::${var.layer_bucket_names[layer]}"]

  parquet = {
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
    serde         = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
  }
}

resource "aws_glue_catalog_database" "layer" {
  for_each = local.layers

  name        = "${local.env_name}_sentinela_${each.key}"
  description = "Sentinela ${each.key} layer (s3://${var.layer_bucket_names[each.key]}/)"
}

resource "aws_glue_catalog_table" "this" {
  for_each = local.tables

  database_name = aws_glue_catalog_database.layer[each.value.layer].name
  name          = each.value.name
  description   = each.value.description
  table_type    = "EXTERNAL_TABLE"

  parameters = merge(
    {
      EXTERNAL       = "TRUE"
      classification = "parquet"
    },
    length(each.value.partition_keys) == 0 ? {} : merge(
      {
        "projection.enabled" = "true"
        "storage.location.template" = join("", [
          "s3://${var.layer_bucket_names[each.value.layer]}/${each.value.prefix}",
          join("/", [for key in each.value.partition_keys : "${key.name}=$${${key.name}}"]),
          "/",
        ])
      },
      merge([
        for key in each.value.partition_keys : {
          for property, value in key.projection : "projection.${key.name}.${property}" => value
        }
      ]...),
    ),
  )

  storage_descriptor {
    location      = "s3://${var.layer_bucket_names[each.value.layer]}/${each.value.prefix}"
    input_format  = local.parquet.input_format
    output_format = local.parquet.output_format

    ser_de_info {
      serialization_library = local.parquet.serde
      parameters            = { "serialization.format" = "1" }
    }

    dynamic "columns" {
      for_each = each.value.columns
      content {
        name    = columns.value.name
        type    = columns.value.type
        comment = columns.value.comment
      }
    }
  }

  dynamic "partition_keys" {
    for_each = each.value.partition_keys
    content {
      name    = partition_keys.value.name
      type    = partition_keys.value.type
      comment = partition_keys.value.comment
    }
  }
}

# ---------------------------------------------------------------- Athena

module "results" {
  source = "../s3-bucket"

  bucket_name                        = "${var.bucket_prefix}-athena-results"
  kms_key_arn                        = var.lake_kms_key_arn
  access_log_bucket_id               = var.access_log_bucket_id
  access_log_prefix                  = "s3/${var.bucket_prefix}-athena-results/"
  expiration_days                    = var.results_retention_days
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  abort_incomplete_multipart_days    = var.abort_incomplete_multipart_days
}

resource "aws_athena_workgroup" "this" {
  name        = var.name_prefix
  description = "Sentinela lake queries: encrypted results, enforced settings"
  state       = "ENABLED"

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.bytes_scanned_cutoff_per_query

    engine_version {
      selected_engine_version = "Athena engine version 3"
    }

    result_configuration {
      output_location       = "s3://${module.results.id}/results/"
      expected_bucket_owner = local.account

      encryption_configuration {
        encryption_option = "SSE_KMS"
        kms_key_arn       = var.lake_kms_key_arn
      }
    }
  }
}

# ---------------------------------------------------------------- access

data "aws_iam_policy_document" "query" {
  statement {
    sid = "UseWorkgroup"
    actions = [
      "athena:BatchGetQueryExecution",
      "athena:GetQueryExecution",
      "athena:GetQueryResults",
      "athena:GetQueryResultsStream",
      "athena:GetWorkGroup",
      "athena:ListQueryExecutions",
      "athena:StartQueryExecution",
      "athena:StopQueryExecution",
    ]
    resources = [aws_athena_workgroup.this.arn]
  }

  statement {
    sid = "ReadCatalog"
    actions = [
      "athena:GetDataCatalog",
      "glue:BatchGetPartition",
      "glue:GetDatabase",
      "glue:GetDatabases",
      "glue:GetPartition",
      "glue:GetPartitions",
      "glue:GetTable",
      "glue:GetTables",
    ]
    resources = concat(
      [
        "arn:${local.partition}:athena:${local.region}:${local.account}:datacatalog/AwsDataCatalog",
        "arn:${local.partition}:glue:${local.region}:${local.account}:catalog",
      ],
      [for db in aws_glue_catalog_database.layer : db.arn],
      [for db in aws_glue_catalog_database.layer : "arn:${local.partition}:glue:${local.region}:${local.account}:table/${db.name}/*"],
    )
  }

  statement {
    sid = "ListQueriedLayers"
    actions = [
      "s3:GetBucketLocation",
      "s3:ListBucket",
    ]
    resources = local.queried_bucket_arns
  }

  statement {
    sid       = "ReadQueriedLayers"
    actions   = ["s3:GetObject"]
    resources = [for arn in local.queried_bucket_arns : "${arn}/*"]
  }

  statement {
    sid = "ListResults"
    actions = [
      "s3:GetBucketLocation",
      "s3:ListBucket",
      "s3:ListBucketMultipartUploads",
    ]
    resources = [module.results.arn]
  }

  statement {
    sid = "WriteResults"
    actions = [
      "s3:AbortMultipartUpload",
      "s3:GetObject",
      "s3:ListMultipartUploadParts",
      "s3:PutObject",
    ]
    resources = ["${module.results.arn}/results/*"]
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

resource "aws_iam_policy" "query" {
  name        = "${var.name_prefix}-athena-query"
  description = "Query the Sentinela silver and gold layers with Athena (workgroup ${var.name_prefix})"
  policy      = data.aws_iam_policy_document.query.json
}

data "aws_iam_policy_document" "analyst_assume" {
  count = length(var.analyst_principal_arns) > 0 ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = var.analyst_principal_arns
    }

    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

resource "aws_iam_role" "analyst" {
  count = length(var.analyst_principal_arns) > 0 ? 1 : 0

  name                 = "${var.name_prefix}-analyst"
  description          = "Data team: read-only Athena queries over silver and gold (MFA required)"
  assume_role_policy   = data.aws_iam_policy_document.analyst_assume[0].json
  max_session_duration = 14400
}

resource "aws_iam_role_policy_attachment" "analyst" {
  count = length(var.analyst_principal_arns) > 0 ? 1 : 0

  role       = aws_iam_role.analyst[0].name
  policy_arn = aws_iam_policy.query.arn
}
