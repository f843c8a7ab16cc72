variable "bucket_name" {
  description = "Name of the bucket."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed KMS key of the bucket's default encryption (SSE-KMS)."
  type        = string
}

variable "access_log_bucket_id" {
  description = "Bucket that receives this bucket's server access logs."
  type        = string
}

variable "access_log_prefix" {
  description = "Key prefix of this bucket's access logs in the log bucket (ends with /)."
  type        = string
}

variable "transition_ia_days" {
  description = "Days after which current objects move to STANDARD_IA; null keeps them in STANDARD."
  type        = number
  default     = null
}

variable "transition_glacier_days" {
  description = "Days after which current objects move to GLACIER (Flexible Retrieval); null never."
  type        = number
  default     = null
}

variable "expiration_days" {
  description = "Days after which current objects expire (become non-current); null never."
  type        = number
  default     = null
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which non-current (overwritten or deleted) versions are removed."
  type        = number
}

variable "abort_incomplete_multipart_days" {
  description = "Days after which incomplete multipart uploads are aborted."
  type        = number
}

variable "object_lock_days" {
  description = "Days every new object version is locked (S3 Object Lock, governance mode); null: no lock."
  type        = number
  default     = null
}

variable "force_destroy" {
  description = "Allow Terraform to delete the bucket with objects in it (never for production data)."
  type        = bool
  default     = false
}
