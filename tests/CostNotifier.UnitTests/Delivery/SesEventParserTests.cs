using System.Text.Json.Nodes;
using CostNotifier.Domain;
using CostNotifier.Messaging;
using CostNotifier.Notifier.Delivery;

namespace CostNotifier.UnitTests.Delivery;

public sealed class SesEventParserTests
{
    [Theory]
    [MemberData(nameof(SesSamples.RecordedInBothForms), MemberType = typeof(SesSamples))]
    public void Parse_EachRecordedSample_GivesOneReportPerRecipientWithEveryField(string sample, bool inSnsEnvelope)
    {
        var parsed = SesEventParser.Parse(SesSamples.Body(sample, inSnsEnvelope));

        Assert.Equal(SesSamples.Expected(sample), parsed.Reports);
        Assert.All(parsed.Reports, r => Assert.Equal(parsed.ProviderMessageId, r.ProviderMessageId));
    }

    [Fact]
    public void Parse_TheTagsOfAWeeklyDigest_NameItsReportWeekAndRequest()
    {
        var parsed = SesEventParser.Parse(SesSamples.Raw("complaint"));

        Assert.Equal(
            new ReportEmailTags(ReportId.Parse("weekly-digest"), ReportPeriod.Parse("2026-W48"), RequestId.Parse("scheduled-2026-W48")),
            parsed.Email);
        Assert.Equal("Complaint", parsed.EventType);
    }

    [Theory]
    [InlineData("org-accounts_111122223333", "org-accounts.111122223333")]
    [InlineData("org-accounts.111122223333", "org-accounts.111122223333")]
    public void Parse_AnAccountSharesReportTag_AsSesHoldsItWithoutTheDot_NamesTheShare(string tag, string expected)
    {
        var parsed = SesEventParser.Parse(SesSamples.WithTag("send", "report", tag));

        Assert.Equal(ReportId.Parse(expected), parsed.Email.ReportId);
        Assert.Equal("111122223333", parsed.Email.ReportId.Account);
    }

    [Theory]
    [InlineData("org_accounts")]
    [InlineData("org_11112222333")]
    [InlineData("org_a_111122223333")]
    public void Parse_AReportTagWithAnUnderscoreThatIsNoAccountShare_IsForeign(string tag)
    {
        var error = Assert.Throws<PoisonMessageException>(() => SesEventParser.Parse(SesSamples.WithTag("send", "report", tag)));

        Assert.Contains($"its 'report' tag '{tag}' is not a report id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TheDocumentedSnsNotification_ReadsTheEventInItsMessage()
    {
        var wrapped = SesEventParser.Parse(SesSamples.Raw("sns-notification"));

        Assert.Equal(SesEventParser.Parse(SesSamples.Raw("delivery")), wrapped);
    }

    [Fact]
    public void Parse_AnIdentityNotificationNamingItsTypeNotificationType_IsReadLikeAnEventType()
    {
        var body = SesSamples.Edited("bounce", root =>
        {
            root["notificationType"] = root["eventType"]!.DeepClone();
            root.Remove("eventType");
        });

        Assert.Equal(SesSamples.Expected("bounce"), SesEventParser.Parse(body).Reports);
    }

    [Fact]
    public void Parse_ADeliveryNamingItsRecipients_ReportsThoseRatherThanTheWholeDestination()
    {
        var body = SesSamples.Edited("delivery", root => root["mail"]!["destination"] = new JsonArray("finops@example.com", "someone@example.com"));

        Assert.Equal(["finops@example.com"], SesEventParser.Parse(body).Reports.Select(r => r.Recipient));
    }

    [Theory]
    [InlineData("Open")]
    [InlineData("Click")]
    [InlineData("Subscription")]
    [InlineData("AmazonSnsSubscriptionSucceeded")]
    public void Parse_AnEventTypeThatIsNotRecorded_IsPoisonNamingTheType(string type)
    {
        var body = SesSamples.Edited("open", root => root["eventType"] = type);

        var error = Assert.Throws<PoisonMessageException>(() => SesEventParser.Parse(body));

        Assert.StartsWith($"SES event type '{type}' is not recorded (only Send, Delivery, Bounce,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ABodyThatIsNotJson_IsPoisonSayingSo()
    {
        var error = Assert.Throws<PoisonMessageException>(() => SesEventParser.Parse("""{"eventType":"Bounce","mail":"""));

        Assert.StartsWith("The message body cannot be read as JSON:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AnSnsNotificationWhoseMessageIsNotAnEvent_IsPoisonSayingSo()
    {
        // SES sends this text once when an SNS event destination is set up.
        var body = SesSamples.InSnsEnvelope("Successfully validated SNS topic for Amazon SES event publishing.");

        var error = Assert.Throws<PoisonMessageException>(() => SesEventParser.Parse(body));

        Assert.StartsWith("The SES event cannot be read as JSON:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AnSnsSubscriptionConfirmation_IsForeignAndNotFollowed()
    {
        var error = Assert.Throws<PoisonMessageException>(() => SesEventParser.Parse(SesSamples.Raw("sns-subscription-confirmation")));

        Assert.Equal(
            "foreign message: an SNS SubscriptionConfirmation for topic arn:aws:sns:eu-west-1:111122223333:costnotifier-prod-ses-events, "
            + "not an SES event; it is not confirmed from here.",
            error.Message);
    }

    [Fact]
    public void Parse_AnEmailWithoutOurTags_IsForeignNamingEveryMissingTag()
    {
        var error = Assert.Throws<PoisonMessageException>(() => SesEventParser.Parse(SesSamples.Raw("foreign-delivery")));

        Assert.Equal(
            $"foreign message: SES message {SesSamples.ForeignMessage} has no 'report', 'period' or 'request' tag, so it is not a report email of this pipeline.",
            error.Message);
    }

    [Theory]
    [InlineData("report", "has no 'report' tag")]
    [InlineData("period", "has no 'period' tag")]
    [InlineData("request", "has no 'request' tag")]
    public void Parse_AnEmailMissingOneTag_IsForeignNamingThatTag(string tag, string expected)
    {
        var error = Assert.Throws<PoisonMessageException>(() => SesEventParser.Parse(SesSamples.WithTag("send", tag, null)));

        Assert.StartsWith("foreign message:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("period", "2026-13", "its 'period' tag is not a report period: '2026-13' is not a month")]
    [InlineData("report", "Daily Costs", "its 'report' tag 'Daily Costs' is not a report id")]
    [InlineData("request", "scheduled 2026", "its 'request' tag 'scheduled 2026' is not a request id")]
    public void Parse_AnEmailWithAnInvalidTag_IsForeignNamingTheProblem(string tag, string value, string expected)
    {
        var error = Assert.Throws<PoisonMessageException>(() => SesEventParser.Parse(SesSamples.WithTag("send", tag, value)));

        Assert.StartsWith("foreign message:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bounce", "bounce")]
    [InlineData("complaint", "complaint")]
    [InlineData("delivery-delay", "deliveryDelay")]
    [InlineData("reject", "reject")]
    [InlineData("rendering-failure", "failure")]
    public void Parse_AnEventWithoutTheObjectOfItsType_IsPoisonNamingIt(string sample, string field)
    {
        var body = SesSamples.Edited(sample, root => root.Remove(field));

        var error = Assert.Throws<PoisonMessageException>(() => SesEventParser.Parse(body));

        Assert.EndsWith($"has no {field} object.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ABounceListingNoRecipient_IsPoisonSayingSo()
    {
        var body = SesSamples.Edited("bounce", root => root["bounce"]!["bouncedRecipients"] = new JsonArray());

        var error = Assert.Throws<PoisonMessageException>(() => SesEventParser.Parse(body));

        Assert.Equal($"The SES Bounce event of message {SesSamples.DailyBouncedMessage} names no recipient.", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Parse_AnEmptyBody_IsPoison(string? body)
    {
        var error = Assert.Throws<PoisonMessageException>(() => SesEventParser.Parse(body));

        Assert.Equal("The message body is empty.", error.Message);
    }
}
