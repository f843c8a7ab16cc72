variable "name_prefix" {
  description = "Prefix of every resource name, e.g. prod-sentinela."
  type        = string
}

variable "bucket_prefix" {
  description = "Prefix of the bucket names (the results bucket is <prefix>-athena-results)."
  type        = string
}

variable "environment" {
  description = "Environment name; the Glue databases are <environment>_sentinela_<layer>."
  type        = string
}

variable "tables" {
  description = "The tables of lake_tables.json (layer, name, prefix, description, columns, partition_keys)."
  type = list(object({
    layer       = string
    name        = string
    prefix      = string
    description = string
    columns = list(object({
      name    = string
      type    = string
      comment = string
    }))
    partition_keys = list(object({
      name       = string
      type       = string
      comment    = string
      projection = optional(map(string), {})
    }))
  }))
}

variable "layer_bucket_names" {
  description = "Bucket name of each lake layer, keyed by layer."
  type        = map(string)
}

variable "lake_kms_key_arn" {
  description = "KMS key of the lake buckets, also used for the Athena results."
  type        = string
}

variable "access_log_bucket_id" {
  description = "Bucket that receives the results bucket's access logs."
  type        = string
}

variable "results_retention_days" {
  description = "Days Athena query results are kept."
  type        = number
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which non-current versions of results are removed."
  type        = number
}

variable "abort_incomplete_multipart_days" {
  description = "Days after which incomplete multipart uploads are aborted."
  type        = number
}

variable "bytes_scanned_cutoff_per_query" {
  description = "Athena cancels a query that would scan more than this many bytes (cost guard)."
  type        = number
}

variable "analyst_principal_arns" {
  description = "IAM principals (with MFA) allowed to assume the analyst role; empty creates no role."
  type        = list(string)
}
