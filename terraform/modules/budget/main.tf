# A monthly cost budget whose alerts go to the alarms' SNS topic (and so to
# its e-mail subscribers). By default it counts the whole
# account (one account per environment is the recommended layout). With
# filter_by_environment_tag it counts only the costs tagged
# Environment=<environment> (the provider's default_tags put that tag on
# every resource); the tag must first be activated as a cost allocation tag
# in the Billing console, or the budget sees nothing and never alerts.

resource "aws_budgets_budget" "monthly" {
  name         = "${var.name_prefix}-monthly"
  budget_type  = "COST"
  limit_amount = format("%.2f", var.monthly_limit_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  dynamic "cost_filter" {
    for_each = var.filter_by_environment_tag ? [var.environment] : []
    content {
      name   = "TagKeyValue"
      values = [format("user:Environment$%s", cost_filter.value)]
    }
  }

  cost_types {
    include_credit = false
    include_refund = false
    include_tax    = true
  }

  notification {
    comparison_operator       = "GREATER_THAN"
    threshold                 = 80
    threshold_type            = "PERCENTAGE"
    notification_type         = "ACTUAL"
    subscriber_sns_topic_arns = [var.alert_topic_arn]
  }

  notification {
    comparison_operator       = "GREATER_THAN"
    threshold                 = 100
    threshold_type            = "PERCENTAGE"
    notification_type         = "ACTUAL"
    subscriber_sns_topic_arns = [var.alert_topic_arn]
  }

  notification {
    comparison_operator       = "GREATER_THAN"
    threshold                 = 100
    threshold_type            = "PERCENTAGE"
    notification_type         = "FORECASTED"
    subscriber_sns_topic_arns = [var.alert_topic_arn]
  }
}
