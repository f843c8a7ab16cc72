output "instance_arn" {
  description = "ARN of the RDS instance."
  value       = aws_db_instance.this.arn
}

output "identifier" {
  description = "Identifier of the RDS instance (CloudWatch's DBInstanceIdentifier dimension)."
  value       = aws_db_instance.this.identifier
}

output "instance_resource_id" {
  description = "Resource ID of the instance (for rds-db:connect IAM policies)."
  value       = aws_db_instance.this.resource_id
}

output "address" {
  description = "Host name of the database endpoint."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port of the database endpoint."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "Name of the application database."
  value       = aws_db_instance.this.db_name
}

output "login_usernames" {
  description = "PostgreSQL login role of each service, keyed ingest and web."
  value       = local.login_roles
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret of the master user, managed and rotated by RDS (JSON: username, password)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "login_secret_arns" {
  description = "Secret of each service's DATABASE_URL (JSON: username, password, url), keyed ingest and web."
  value       = { for service, secret in aws_secretsmanager_secret.login : service => secret.arn }
}

output "log_group_arns" {
  description = "CloudWatch log groups of the exported PostgreSQL logs."
  value       = [for group in aws_cloudwatch_log_group.this : group.arn]
}
