terraform {
  # 1.6 brings the validation and check features the variables below rely on.
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  # null falls back to AWS_REGION / the profile, as the AWS CLI does.
  region = var.aws_region

  # Everything the stack creates is tagged here, so no resource has to remember to.
  default_tags {
    tags = merge(var.tags, {
      Application = "CostNotifier"
      Stack       = var.name_prefix
    })
  }
}
