variable "bucket_prefix" {
  description = "Prefix of the bucket names: <prefix>-raw, <prefix>-bronze, ... and <prefix>-access-logs."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed KMS key of the layer buckets (SSE-KMS)."
  type        = string
}

variable "raw_transition_ia_days" {
  description = "Days after which raw objects move to STANDARD_IA."
  type        = number
}

variable "raw_transition_glacier_days" {
  description = "Days after which raw objects move to GLACIER (Flexible Retrieval)."
  type        = number
}

variable "raw_object_lock_days" {
  description = "Days every raw object version is locked against deletion (S3 Object Lock, governance mode)."
  type        = number
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which non-current object versions are removed, in every bucket."
  type        = number
}

variable "abort_incomplete_multipart_days" {
  description = "Days after which incomplete multipart uploads are aborted."
  type        = number
}

variable "access_log_retention_days" {
  description = "Days the S3 and load balancer access logs are kept."
  type        = number
}
