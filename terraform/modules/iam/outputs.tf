output "web_task_role_arn" {
  description = "Role of the web service's containers (reads the lake, puts ingest events)."
  value       = aws_iam_role.web_task.arn
}

output "ingest_task_role_arn" {
  description = "Role of the ingest job's container (reads and writes the lake)."
  value       = aws_iam_role.ingest_task.arn
}

output "execution_role_arns" {
  description = "ECS execution role of each task, keyed web, ingest and db-admin."
  value       = { for task, role in aws_iam_role.execution : task => role.arn }
}

output "ingest_starter_role_arn" {
  description = "Role EventBridge and its Scheduler assume to start the ingest task."
  value       = aws_iam_role.ingest_starter.arn
}

output "governance_role_arn" {
  description = "Role people assume (with MFA) to administer Sentinela."
  value       = aws_iam_role.governance.arn
}
