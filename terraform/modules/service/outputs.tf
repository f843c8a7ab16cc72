output "ecr_repository_arn" {
  description = "ARN of the server image repository."
  value       = aws_ecr_repository.server.arn
}

output "ecr_repository_url" {
  description = "URL to push the server image to (docker push <url>:<tag>)."
  value       = aws_ecr_repository.server.repository_url
}

output "image" {
  description = "The sentinela image every task runs, by digest (<repository>@sha256:...)."
  value       = local.image
}

output "signing_key_secret_arn" {
  description = "Secret of SENTINELA_SIGNING_KEY (write it once, README.md \"First deployment\")."
  value       = aws_secretsmanager_secret.signing_key.arn
}

output "smtp_credentials_secret_arn" {
  description = "Secret of SENTINELA_SMTP_USER and _PASSWORD (JSON: user, password; write it once, README.md \"Alert e-mails\"); null without alert e-mails."
  value       = length(aws_secretsmanager_secret.smtp_credentials) > 0 ? aws_secretsmanager_secret.smtp_credentials[0].arn : null
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "service_arn" {
  description = "ARN of the server's ECS service."
  value       = aws_ecs_service.server.id
}

output "service_name" {
  description = "Name of the server's ECS service."
  value       = aws_ecs_service.server.name
}

output "db_admin_task_family" {
  description = "Family of the db-admin task definition (aws ecs run-task --task-definition)."
  value       = aws_ecs_task_definition.db_admin.family
}

output "load_balancer_dns_name" {
  description = "DNS name of the load balancer (point the dashboard's host name at it)."
  value       = aws_lb.this.dns_name
}

output "load_balancer_arn_suffix" {
  description = "ARN suffix of the load balancer (CloudWatch's LoadBalancer dimension)."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the web target group (CloudWatch's TargetGroup dimension)."
  value       = aws_lb_target_group.server.arn_suffix
}

output "load_balancer_zone_id" {
  description = "Hosted zone of the load balancer (for a Route 53 alias record)."
  value       = aws_lb.this.zone_id
}

output "server_log_group_arn" {
  description = "Log group of the server containers."
  value       = aws_cloudwatch_log_group.server.arn
}

output "server_log_group_name" {
  description = "Name of the log group of the server containers."
  value       = aws_cloudwatch_log_group.server.name
}

output "db_admin_log_group_arn" {
  description = "Log group of the db-admin task."
  value       = aws_cloudwatch_log_group.db_admin.arn
}

output "log_group_arns" {
  description = "Every log group of this module."
  value = [
    aws_cloudwatch_log_group.server.arn,
    aws_cloudwatch_log_group.db_admin.arn,
    aws_cloudwatch_log_group.waf.arn,
  ]
}
