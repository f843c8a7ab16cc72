output "topic_arn" {
  description = "SNS topic of the alarms and the budget."
  value       = aws_sns_topic.alerts.arn
}

output "alarm_names" {
  description = "Every CloudWatch alarm of the environment."
  value = sort(concat(
    [for alarm in aws_cloudwatch_metric_alarm.metric : alarm.alarm_name],
    [aws_cloudwatch_metric_alarm.web_5xx_rate.alarm_name, aws_cloudwatch_metric_alarm.web_tasks_below_desired.alarm_name],
  ))
}

output "ingest_metric_namespace" {
  description = "CloudWatch namespace of the ingest run counts."
  value       = local.namespace
}
