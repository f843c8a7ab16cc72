terraform {
  # 1.11: write-only arguments and S3-native state locking (`use_lockfile`).
  required_version = ">= 1.11.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # State holds resource attributes (never the database passwords: RDS keeps
  # the master password in Secrets Manager and the application's secret value
  # is written outside Terraform). Keep it in an encrypted, versioned S3
  # bucket of the account; see README.md, "Remote state".
  # backend "s3" {}
}

provider "aws" {
  region = var.region

  # Refuse to run against any account but the one this environment belongs to.
  allowed_account_ids = var.allowed_account_ids

  default_tags {
    tags = merge(var.tags, {
      Project     = "sentinela"
      Environment = var.environment
      ManagedBy   = "terraform"
    })
  }
}
