output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "availability_zones" {
  description = "Availability zones the subnets are in."
  value       = local.azs
}

output "public_subnet_ids" {
  description = "Public subnets (load balancer, NAT gateways)."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets with NAT egress (ECS tasks)."
  value       = aws_subnet.private[*].id
}

output "database_subnet_ids" {
  description = "Database subnets with no route out of the VPC (RDS)."
  value       = aws_subnet.database[*].id
}

output "nat_public_ips" {
  description = "Public IPs the tasks' outbound traffic comes from (for allow-lists at data providers)."
  value       = aws_eip.nat[*].public_ip
}

output "alb_security_group_id" {
  description = "Security group of the load balancer."
  value       = aws_security_group.alb.id
}

output "task_security_group_id" {
  description = "Security group of the server tasks."
  value       = aws_security_group.tasks.id
}

output "ingest_security_group_id" {
  description = "Security group of the ingest job's tasks."
  value       = aws_security_group.ingest.id
}

output "db_admin_security_group_id" {
  description = "Security group of the one-off db-admin task."
  value       = aws_security_group.db_admin.id
}

output "database_security_group_id" {
  description = "Security group of the database."
  value       = aws_security_group.database.id
}

output "flow_log_group_arn" {
  description = "CloudWatch log group of the VPC flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.arn
}
