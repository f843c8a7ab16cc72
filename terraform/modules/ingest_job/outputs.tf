output "task_family" {
  description = "Family of the ingest task definition (aws ecs run-task --task-definition)."
  value       = aws_ecs_task_definition.ingest.family
}

output "log_group_arn" {
  description = "Log group of the ingest job."
  value       = aws_cloudwatch_log_group.ingest.arn
}

output "log_group_name" {
  description = "Name of the ingest job's log group (JSON lines; each run ends with ingest_run_status)."
  value       = aws_cloudwatch_log_group.ingest.name
}

output "event_bus_name" {
  description = "EventBridge bus of the admins' ingest requests (SENTINELA_INGEST_EVENT_BUS of the web service)."
  value       = aws_cloudwatch_event_bus.ingest.name
}

output "event_bus_arn" {
  description = "ARN of the ingest requests' event bus."
  value       = aws_cloudwatch_event_bus.ingest.arn
}

output "source_credentials_secret_arn" {
  description = "Secret of the occupancy source's credentials (JSON: user, password)."
  value       = aws_secretsmanager_secret.source_credentials.arn
}

output "schedule_name" {
  description = "EventBridge Scheduler schedule that runs ingest --due."
  value       = aws_scheduler_schedule.due.name
}
