output "glue_database_names" {
  description = "Glue database of each queried layer, keyed by layer."
  value       = { for layer, db in aws_glue_catalog_database.layer : layer => db.name }
}

output "glue_table_names" {
  description = "Every Glue table, as <database>.<table>."
  value       = sort([for table in aws_glue_catalog_table.this : "${table.database_name}.${table.name}"])
}

output "athena_workgroup" {
  description = "Athena workgroup to query the lake with."
  value       = aws_athena_workgroup.this.name
}

output "results_bucket" {
  description = "Bucket of the Athena query results."
  value       = module.results.id
}

output "query_policy_arn" {
  description = "Managed policy that allows querying silver and gold with Athena."
  value       = aws_iam_policy.query.arn
}

output "analyst_role_arn" {
  description = "Role of the data team (null when no analyst principals are given)."
  value       = length(aws_iam_role.analyst) > 0 ? aws_iam_role.analyst[0].arn : null
}
