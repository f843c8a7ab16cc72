output "lake_key_arn" {
  description = "ARN of the key of the lake buckets and Athena results."
  value       = aws_kms_key.lake.arn
}

output "data_key_arn" {
  description = "ARN of the key of RDS, Performance Insights, secrets and ECR."
  value       = aws_kms_key.data.arn
}

output "logs_key_arn" {
  description = "ARN of the key of the CloudWatch log groups."
  value       = aws_kms_key.logs.arn
}

output "alerts_key_arn" {
  description = "ARN of the key of the alarms' SNS topic."
  value       = aws_kms_key.alerts.arn
}
