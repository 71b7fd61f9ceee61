# The sender identity: either the single sender address (SES emails a verification link to it) or a
# whole domain (verified through the DKIM CNAMEs in the sender_dkim_tokens output).

resource "aws_sesv2_configuration_set" "reports" {
  configuration_set_name = "${var.name_prefix}-reports"

  delivery_options {
    tls_policy = "REQUIRE"
  }

  reputation_options {
    reputation_metrics_enabled = true
  }

  sending_options {
    sending_enabled = true
  }

  # Stop mailing addresses that bounce or complain, which protects the account's sending reputation.
  suppression_options {
    suppressed_reasons = ["BOUNCE", "COMPLAINT"]
  }
}

resource "aws_sesv2_email_identity" "sender" {
  email_identity         = local.ses_identity
  configuration_set_name = aws_sesv2_configuration_set.reports.configuration_set_name

  lifecycle {
    precondition {
      condition     = var.sender_identity == null || endswith(lower(var.sender_address), "@${lower(coalesce(var.sender_identity, "-"))}")
      error_message = "sender_address must belong to the sender_identity domain."
    }
  }
}
