# The VPC: public subnets (load balancer, NAT), private subnets (ECS tasks,
# egress through NAT), database subnets (RDS, no route out of the VPC), an S3
# gateway endpoint, the security groups of every tier, and flow logs.

# The AZs are named explicitly (not "the first n available"), so that a zone
# that AWS adds or that is briefly impaired never shifts the subnets.
data "aws_availability_zones" "selected" {
  filter {
    name   = "zone-name"
    values = var.availability_zones
  }

  lifecycle {
    postcondition {
      condition     = length(self.names) == length(var.availability_zones)
      error_message = "Every name in availability_zones must be an availability zone of the region."
    }
  }
}

data "aws_region" "current" {}

locals {
  azs      = var.availability_zones
  az_count = length(var.availability_zones)

  # /16 -> /20 per subnet: public 0..n-1, private 4..4+n-1, database 8..8+n-1.
  public_cidrs   = [for i in range(local.az_count) : cidrsubnet(var.vpc_cidr, 4, i)]
  private_cidrs  = [for i in range(local.az_count) : cidrsubnet(var.vpc_cidr, 4, 4 + i)]
  database_cidrs = [for i in range(local.az_count) : cidrsubnet(var.vpc_cidr, 4, 8 + i)]

  nat_count = var.nat_gateway_per_az ? local.az_count : 1
}

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = { Name = var.name_prefix }
}

# The default security group of the VPC allows nothing: every resource gets
# one of the explicit groups below.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id

  tags = { Name = "${var.name_prefix}-default-deny" }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = { Name = var.name_prefix }
}

# ---------------------------------------------------------------- subnets

resource "aws_subnet" "public" {
  count = local.az_count

  vpc_id                  = aws_vpc.this.id
  availability_zone       = local.azs[count.index]
  cidr_block              = local.public_cidrs[count.index]
  map_public_ip_on_launch = false

  tags = { Name = "${var.name_prefix}-public-${local.azs[count.index]}", Tier = "public" }
}

resource "aws_subnet" "private" {
  count = local.az_count

  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = local.private_cidrs[count.index]

  tags = { Name = "${var.name_prefix}-private-${local.azs[count.index]}", Tier = "private" }
}

resource "aws_subnet" "database" {
  count = local.az_count

  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = local.database_cidrs[count.index]

  tags = { Name = "${var.name_prefix}-database-${local.azs[count.index]}", Tier = "database" }
}

# ---------------------------------------------------------------- routing

resource "aws_eip" "nat" {
  count  = local.nat_count
  domain = "vpc"

  tags = { Name = "${var.name_prefix}-nat-${local.azs[count.index]}" }
}

resource "aws_nat_gateway" "this" {
  count = local.nat_count

  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id

  tags = { Name = "${var.name_prefix}-${local.azs[count.index]}" }

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }

  tags = { Name = "${var.name_prefix}-public" }
}

resource "aws_route_table_association" "public" {
  count = local.az_count

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

# One private route table per AZ, so that each can point at its own NAT
# gateway when nat_gateway_per_az is set.
resource "aws_route_table" "private" {
  count  = local.az_count
  vpc_id = aws_vpc.this.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this[var.nat_gateway_per_az ? count.index : 0].id
  }

  tags = { Name = "${var.name_prefix}-private-${local.azs[count.index]}" }
}

resource "aws_route_table_association" "private" {
  count = local.az_count

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

# Database subnets: local routes (and the S3 endpoint) only.
resource "aws_route_table" "database" {
  vpc_id = aws_vpc.this.id

  tags = { Name = "${var.name_prefix}-database" }
}

resource "aws_route_table_association" "database" {
  count = local.az_count

  subnet_id      = aws_subnet.database[count.index].id
  route_table_id = aws_route_table.database.id
}

# Lake traffic stays on the AWS network and costs no NAT processing.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${data.aws_region.current.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = concat(aws_route_table.private[*].id, [aws_route_table.database.id])

  tags = { Name = "${var.name_prefix}-s3" }
}

# ---------------------------------------------------------------- security groups
# alb:      443 from var.allowed_cidrs only; out to the tasks on the app port
# tasks:    (the web service) app port from the alb only; out 443 (AWS APIs), db,
#           and with alert e-mails on, the SMTP submission port (SES)
# ingest:   no inbound; out 443 (the public datasets, AWS APIs) and db
# db_admin: no inbound; out 443 (image pull, AWS APIs) and db
# database: db port from tasks, ingest and db_admin only; no outbound

resource "aws_security_group" "alb" {
  #checkov:skip=CKV2_AWS_5:Attached to the load balancer in modules/service (aws_lb.this, via module.network.alb_security_group_id); checkov does not follow module outputs.
  name        = "${var.name_prefix}-alb"
  description = "Sentinela load balancer: HTTPS from the allowed intranet CIDRs"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name_prefix}-alb" }
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  for_each = toset(var.allowed_cidrs)

  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from an allowed intranet range"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_egress_rule" "alb_to_tasks" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the server tasks"
  ip_protocol                  = "tcp"
  from_port                    = var.app_port
  to_port                      = var.app_port
  referenced_security_group_id = aws_security_group.tasks.id
}

resource "aws_security_group" "tasks" {
  #checkov:skip=CKV2_AWS_5:Attached to the server service in modules/service (aws_ecs_service.server, via module.network.task_security_group_id); checkov does not follow module outputs.
  name        = "${var.name_prefix}-tasks"
  description = "Sentinela server tasks: app port from the load balancer only"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name_prefix}-tasks" }
}

resource "aws_vpc_security_group_ingress_rule" "tasks_from_alb" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "App port from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = var.app_port
  to_port                      = var.app_port
  referenced_security_group_id = aws_security_group.alb.id
}

resource "aws_vpc_security_group_egress_rule" "tasks_https" {
  security_group_id = aws_security_group.tasks.id
  description       = "HTTPS out: AWS APIs and ECR (through NAT)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

# Only with alert e-mails on: the web's alert delivery worker submits them to
# SES's SMTP endpoint (or smtp_host), STARTTLS required. The ingest and the
# db-admin task send no e-mail and get no such rule.
resource "aws_vpc_security_group_egress_rule" "tasks_smtp" {
  count = var.alert_email ? 1 : 0

  security_group_id = aws_security_group.tasks.id
  description       = "SMTP submission out: alert e-mails through SES, STARTTLS (through NAT)"
  ip_protocol       = "tcp"
  from_port         = var.smtp_port
  to_port           = var.smtp_port
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "tasks_to_database" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "PostgreSQL"
  ip_protocol                  = "tcp"
  from_port                    = var.database_port
  to_port                      = var.database_port
  referenced_security_group_id = aws_security_group.database.id
}

resource "aws_security_group" "ingest" {
  #checkov:skip=CKV2_AWS_5:Attached to the ingest job's tasks by its EventBridge Scheduler schedule and rules in modules/ingest_job (via module.network.ingest_security_group_id); checkov does not follow module outputs.
  name        = "${var.name_prefix}-ingest"
  description = "Sentinela ingest job: no inbound"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name_prefix}-ingest" }
}

resource "aws_vpc_security_group_egress_rule" "ingest_https" {
  security_group_id = aws_security_group.ingest.id
  description       = "HTTPS out: the public datasets, AWS APIs, ECR (through NAT)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "ingest_to_database" {
  security_group_id            = aws_security_group.ingest.id
  description                  = "PostgreSQL"
  ip_protocol                  = "tcp"
  from_port                    = var.database_port
  to_port                      = var.database_port
  referenced_security_group_id = aws_security_group.database.id
}

resource "aws_security_group" "db_admin" {
  #checkov:skip=CKV2_AWS_5:Attached when an operator starts the one-off db-admin task (aws ecs run-task --network-configuration, README.md); no resource holds it permanently.
  name        = "${var.name_prefix}-db-admin"
  description = "One-off database administration task: no inbound"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name_prefix}-db-admin" }
}

resource "aws_vpc_security_group_egress_rule" "db_admin_https" {
  security_group_id = aws_security_group.db_admin.id
  description       = "HTTPS out: image pull, AWS APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "db_admin_to_database" {
  security_group_id            = aws_security_group.db_admin.id
  description                  = "PostgreSQL"
  ip_protocol                  = "tcp"
  from_port                    = var.database_port
  to_port                      = var.database_port
  referenced_security_group_id = aws_security_group.database.id
}

resource "aws_security_group" "database" {
  #checkov:skip=CKV2_AWS_5:Attached to the RDS instance in modules/database (aws_db_instance.this, via module.network.database_security_group_id); checkov does not follow module outputs.
  # The description predates the ingest job's group (ingress rules below);
  # changing it would replace the group, and with it the database's.
  name        = "${var.name_prefix}-database"
  description = "Sentinela PostgreSQL: from the server tasks and the db-admin task only"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name_prefix}-database" }
}

resource "aws_vpc_security_group_ingress_rule" "database_from_tasks" {
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the server tasks"
  ip_protocol                  = "tcp"
  from_port                    = var.database_port
  to_port                      = var.database_port
  referenced_security_group_id = aws_security_group.tasks.id
}

resource "aws_vpc_security_group_ingress_rule" "database_from_ingest" {
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the ingest job"
  ip_protocol                  = "tcp"
  from_port                    = var.database_port
  to_port                      = var.database_port
  referenced_security_group_id = aws_security_group.ingest.id
}

resource "aws_vpc_security_group_ingress_rule" "database_from_db_admin" {
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the db-admin task"
  ip_protocol                  = "tcp"
  from_port                    = var.database_port
  to_port                      = var.database_port
  referenced_security_group_id = aws_security_group.db_admin.id
}

# ---------------------------------------------------------------- flow logs

resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "/${var.name_prefix}/vpc-flow-logs"
  retention_in_days = var.flow_log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

data "aws_iam_policy_document" "flow_logs_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [aws_vpc.this.owner_id]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  name               = "${var.name_prefix}-vpc-flow-logs"
  assume_role_policy = data.aws_iam_policy_document.flow_logs_assume.json
}

data "aws_iam_policy_document" "flow_logs" {
  statement {
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams",
    ]
    resources = ["${aws_cloudwatch_log_group.flow_logs.arn}:*"]
  }
}

resource "aws_iam_role_policy" "flow_logs" {
  name   = "write-flow-logs"
  role   = aws_iam_role.flow_logs.id
  policy = data.aws_iam_policy_document.flow_logs.json
}

resource "aws_flow_log" "this" {
  vpc_id                   = aws_vpc.this.id
  traffic_type             = "ALL"
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn             = aws_iam_role.flow_logs.arn
  max_aggregation_interval = 600

  tags = { Name = var.name_prefix }
}
