# ------------------------------------------------------------------ app settings
# How the server's settings map to this stack (README.md, "Application settings").

output "sentinela_s3_bucket" {
  description = "SENTINELA_S3_BUCKET of the web and the ingest: the bucket name template, {layer} = raw|bronze|silver|gold."
  value       = module.lake.bucket_template
}

output "database_secret_arns" {
  description = "Secret of each service's login role, keyed ingest and web (JSON: username, password, url = its DATABASE_URL; write them once, README.md \"First deployment\")."
  value       = module.database.login_secret_arns
}

output "signing_key_secret_arn" {
  description = "Secret of the web service's SENTINELA_SIGNING_KEY (embed links; write it once)."
  value       = module.service.signing_key_secret_arn
}

output "smtp_credentials_secret_arn" {
  description = "Secret of the web service's SMTP credentials for alert e-mails, SENTINELA_SMTP_USER and _PASSWORD (JSON: user, password = the SES SMTP credentials; write it once, README.md \"Alert e-mails\"); null when mail_from is empty."
  value       = module.service.smtp_credentials_secret_arn
}

output "source_credentials_secret_arn" {
  description = "Secret of the occupancy source's credentials, injected into the ingest only (JSON: user, password)."
  value       = module.ingest_job.source_credentials_secret_arn
}

output "database_master_secret_arn" {
  description = "RDS-managed secret of the master user (username, password); administration only."
  value       = module.database.master_user_secret_arn
}

output "database_address" {
  description = "Host name of the PostgreSQL endpoint (private)."
  value       = module.database.address
}

output "database_port" {
  description = "Port of the PostgreSQL endpoint."
  value       = module.database.port
}

output "database_name" {
  description = "Name of the application database."
  value       = module.database.database_name
}

output "database_usernames" {
  description = "Login role of each service, keyed ingest and web (created by the db-admin task)."
  value       = module.database.login_usernames
}

# ------------------------------------------------------------------ lake

output "lake_buckets" {
  description = "Bucket of each lake layer."
  value       = module.lake.layer_bucket_names
}

output "access_log_bucket" {
  description = "Bucket of the S3 and load balancer access logs."
  value       = module.lake.access_log_bucket_id
}

# ------------------------------------------------------------------ service

output "ecr_repository_url" {
  description = "Where to push the sentinela image: docker push <url>:<image_tag>."
  value       = module.service.ecr_repository_url
}

output "image" {
  description = "The image every task runs, by digest."
  value       = module.service.image
}

output "load_balancer_dns_name" {
  description = "DNS name of the load balancer: point the dashboard's host name (the certificate's) at it."
  value       = module.service.load_balancer_dns_name
}

output "load_balancer_zone_id" {
  description = "Hosted zone of the load balancer, for a Route 53 alias record."
  value       = module.service.load_balancer_zone_id
}

output "ecs_cluster_name" {
  description = "ECS cluster of the web service, the ingest job and the db-admin task."
  value       = module.service.cluster_name
}

output "ecs_service_name" {
  description = "ECS service of the web."
  value       = module.service.service_name
}

output "server_log_group" {
  description = "CloudWatch log group of the web service (JSON lines)."
  value       = module.service.server_log_group_name
}

output "ingest_log_group" {
  description = "CloudWatch log group of the ingest job (JSON lines; each run ends with ingest_run_status)."
  value       = module.ingest_job.log_group_name
}

output "ingest_task_family" {
  description = "Task definition family of the ingest job (to run it by hand: aws ecs run-task)."
  value       = module.ingest_job.task_family
}

output "ingest_security_group_id" {
  description = "Security group to give the ingest task when it is run by hand."
  value       = module.network.ingest_security_group_id
}

output "ingest_event_bus" {
  description = "EventBridge bus of the admins' ingest requests."
  value       = module.ingest_job.event_bus_name
}

output "ingest_schedule" {
  description = "EventBridge Scheduler schedule of the ingest job."
  value       = module.ingest_job.schedule_name
}

output "db_admin_task_family" {
  description = "Task definition family of the one-off db-admin task."
  value       = module.service.db_admin_task_family
}

output "db_admin_security_group_id" {
  description = "Security group to give the db-admin task in aws ecs run-task."
  value       = module.network.db_admin_security_group_id
}

output "private_subnet_ids" {
  description = "Private subnets (for aws ecs run-task of the db-admin or ingest task)."
  value       = module.network.private_subnet_ids
}

output "nat_public_ips" {
  description = "Public IPs of the outbound traffic (for allow-lists at data providers)."
  value       = module.network.nat_public_ips
}

# ------------------------------------------------------------------ people and analytics

output "governance_role_arn" {
  description = "Role to assume (with MFA) to administer Sentinela."
  value       = module.iam.governance_role_arn
}

output "analyst_role_arn" {
  description = "Read-only Athena role of the data team (null without analyst principals)."
  value       = module.analytics.analyst_role_arn
}

output "athena_query_policy_arn" {
  description = "Managed policy to attach to anyone who queries the lake with Athena."
  value       = module.analytics.query_policy_arn
}

output "athena_workgroup" {
  description = "Athena workgroup to query the lake with."
  value       = module.analytics.athena_workgroup
}

output "glue_databases" {
  description = "Glue database of each queried layer."
  value       = module.analytics.glue_database_names
}

output "glue_tables" {
  description = "Every Glue table, as <database>.<table>."
  value       = module.analytics.glue_table_names
}

output "athena_results_bucket" {
  description = "Bucket of the Athena query results."
  value       = module.analytics.results_bucket
}

output "alerts_topic_arn" {
  description = "SNS topic of every alarm and of the budget (subscribe more endpoints here)."
  value       = module.alarms.topic_arn
}

output "alarm_names" {
  description = "Every CloudWatch alarm of the environment."
  value       = module.alarms.alarm_names
}

output "budget_name" {
  description = "Name of the monthly AWS Budget."
  value       = module.budget.budget_name
}
