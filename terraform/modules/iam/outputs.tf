output "task_role_arn" {
  description = "Role of the server containers (lake buckets and own secrets)."
  value       = aws_iam_role.task.arn
}

output "execution_role_arn" {
  description = "ECS execution role of the server (image pull, logs, DATABASE_URL)."
  value       = aws_iam_role.execution.arn
}

output "db_admin_execution_role_arn" {
  description = "ECS execution role of the db-admin task."
  value       = aws_iam_role.db_admin_execution.arn
}

output "governance_role_arn" {
  description = "Role people assume (with MFA) to administer Sentinela."
  value       = aws_iam_role.governance.arn
}

output "app_secrets_arn_pattern" {
  description = "ARN pattern of the secrets the server may read (create source credentials under it)."
  value       = local.app_secrets_arn_pattern
}
