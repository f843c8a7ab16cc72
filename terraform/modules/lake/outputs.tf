output "layer_bucket_names" {
  description = "Bucket name of each layer, keyed by layer (raw, bronze, silver, gold)."
  value       = { for layer, bucket in module.layer : layer => bucket.id }
}

output "layer_bucket_arns" {
  description = "Bucket ARN of each layer, keyed by layer."
  value       = { for layer, bucket in module.layer : layer => bucket.arn }
}

output "bucket_template" {
  description = "Value of SENTINELA_S3_BUCKET: the bucket name with {layer} for the layer."
  value       = "${var.bucket_prefix}-{layer}"
}

output "access_log_bucket_id" {
  description = "Bucket that receives S3 server access logs (prefix s3/) and ALB access logs (prefix alb/)."
  value       = aws_s3_bucket.logs.id
}

output "access_log_bucket_arn" {
  description = "ARN of the access-log bucket."
  value       = aws_s3_bucket.logs.arn
}
