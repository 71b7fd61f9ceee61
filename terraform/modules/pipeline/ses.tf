# The sender identity: either the single sender address (SES emails a verification link to it) or a
# whole domain (verified through the DKIM CNAMEs in the sender_dkim_tokens output). Every email is sent with the
# configuration set, whose event destination reports what became of it: SES -> SNS topic -> delivery queue
# (sqs.tf) -> notifier, which records it on the report period's stream.

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

# Every event SES can report about an email the notifier sent; opens, clicks and subscription events are left out
# (the reports carry no tracking).
resource "aws_sesv2_configuration_set_event_destination" "delivery" {
  configuration_set_name = aws_sesv2_configuration_set.reports.configuration_set_name
  event_destination_name = "${var.name_prefix}-delivery-events"

  event_destination {
    enabled              = true
    matching_event_types = ["SEND", "DELIVERY", "BOUNCE", "COMPLAINT", "REJECT", "RENDERING_FAILURE", "DELIVERY_DELAY"]

    sns_destination {
      topic_arn = aws_sns_topic.delivery_events.arn
    }
  }

  # SES publishes as soon as the destination exists; the topic must already let it.
  depends_on = [aws_sns_topic_policy.delivery_events]
}

# Not encrypted with the AWS managed key aws/sns: SES publishes as its service principal, which that key's policy
# (fixed by AWS, not editable) does not admit, so every event would be dropped. A customer managed key works when
# its policy lets ses.amazonaws.com use it (delivery_events_kms_key_arn). The events carry addresses and headers,
# not the report itself, and the queue they land in is encrypted either way.
resource "aws_sns_topic" "delivery_events" {
  name              = "${var.name_prefix}-delivery-events"
  kms_master_key_id = var.delivery_events_kms_key_arn
}

data "aws_iam_policy_document" "delivery_events_topic" {
  statement {
    sid       = "SesPublishesThisConfigurationSetsEvents"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.delivery_events.arn]

    principals {
      type        = "Service"
      identifiers = ["ses.amazonaws.com"]
    }

    # Only SES acting for this account's configuration set, so no other account's SES (and no other configuration
    # set) can publish here: the confused-deputy guard.
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_sesv2_configuration_set.reports.arn]
    }
  }
}

resource "aws_sns_topic_policy" "delivery_events" {
  arn    = aws_sns_topic.delivery_events.arn
  policy = data.aws_iam_policy_document.delivery_events_topic.json
}

# Raw delivery: each queue message is SES's event JSON itself, not wrapped in an SNS notification envelope.
resource "aws_sns_topic_subscription" "delivery_events" {
  topic_arn            = aws_sns_topic.delivery_events.arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.delivery.arn
  raw_message_delivery = true

  # Subscribed once the queue accepts the topic's messages, so the first events are not refused.
  depends_on = [aws_sqs_queue_policy.delivery]
}
