variable "name_prefix" {
  description = "Prefix of every resource name, e.g. prod-sentinela."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC; split into public, private and database /20s (or smaller) per AZ."
  type        = string
}

variable "availability_zones" {
  description = "Availability zones to spread the subnets over (at least 2), e.g. [\"sa-east-1a\", \"sa-east-1c\"]."
  type        = list(string)
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per AZ (zone-independent egress) instead of one shared NAT gateway (cheaper)."
  type        = bool
}

variable "app_port" {
  description = "Port the server container listens on."
  type        = number
}

variable "database_port" {
  description = "Port of the PostgreSQL database."
  type        = number
}

variable "alert_email" {
  description = "Whether the web tasks send alert e-mails: then they may reach smtp_port anywhere (through NAT)."
  type        = bool
}

variable "smtp_port" {
  description = "Port of the alert e-mails' mail server (SMTP submission, 587 at SES)."
  type        = number
}

variable "allowed_cidrs" {
  description = "CIDR blocks (intranet / VPN egress) allowed to reach the load balancer on 443."
  type        = list(string)
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow logs in CloudWatch Logs, in days."
  type        = number
}

variable "logs_kms_key_arn" {
  description = "KMS key that encrypts the CloudWatch log groups."
  type        = string
}
