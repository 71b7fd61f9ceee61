using CostNotifier.Cli.Composition;
using CostNotifier.Configuration;
using CostNotifier.Domain;

namespace CostNotifier.UnitTests.Config;

public sealed class ReportChannelConfigurationTests
{
    private static string Report(string channels, string recipients = "\"ops@example.com\"") =>
        $$"""[{ "id": "costs", "name": "Costs", "recipients": [{{recipients}}], "groupBy": "SERVICE", "channels": [{{channels}}] }]""";

    private static string Refusal(string json) => Assert.Throws<FormatException>(() => ReportConfiguration.Parse(json)).Message;

    [Fact]
    public void Channels_OfEachType_AreLoadedWithTheirKeys_AndSerializedBackTheSame()
    {
        var json = Report("""
            { "name": "platform", "type": "slack", "parameter": "/costnotifier/slack/platform" },
            { "name": "ops", "type": "slack-bot", "parameter": "/costnotifier/slack/bot", "channel": "C0123ABCD" },
            { "name": "finops", "type": "teams", "parameter": "costnotifier.teams.finops" }
            """);

        var catalog = ReportConfiguration.Parse(json);
        var report = Assert.Single(catalog.Reports);

        Assert.Equal(
            [
                new ChatChannel("platform", ChatChannelKind.SlackWebhook, "/costnotifier/slack/platform"),
                new ChatChannel("ops", ChatChannelKind.SlackBot, "/costnotifier/slack/bot", "C0123ABCD"),
                new ChatChannel("finops", ChatChannelKind.TeamsWorkflow, "costnotifier.teams.finops"),
            ],
            report.Channels);
        Assert.Equal(["ops@example.com", "slack:platform", "slack:ops", "teams:finops"], report.DestinationKeys);
        Assert.Equal(report.Channels, Assert.Single(ReportConfiguration.Parse(ReportConfiguration.Serialize(catalog)).Reports).Channels);
    }

    [Fact]
    public void AReportWithChannels_MayHaveNoEmailRecipients_ButOneWithNeitherIsRefused()
    {
        var chatOnly = ReportConfiguration.Parse(Report("""{ "name": "a", "type": "teams", "parameter": "/p" }""", recipients: ""));

        Assert.Empty(Assert.Single(chatOnly.Reports).Recipients);
        Assert.Contains("recipients must list 1 to 50 addresses (or 0 when the report has channels or is per account)", Refusal(Report("", recipients: "")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "Ops", "type": "slack", "parameter": "/p" }""", "channels[0].name 'Ops' must be 1-63 lowercase letters, digits or '-'")]
    [InlineData("""{ "name": "ops", "type": "discord", "parameter": "/p" }""", "channel 'ops': type 'discord' must be one of slack, slack-bot, teams")]
    [InlineData("""{ "name": "ops", "type": "slack-bot", "parameter": "/p" }""", "channel 'ops': channel '' must be a Slack channel id such as C0123ABCD")]
    [InlineData("""{ "name": "ops", "type": "slack-bot", "parameter": "/p", "channel": "#general" }""", "channel '#general' must be a Slack channel id")]
    [InlineData("""{ "name": "ops", "type": "slack", "parameter": "/p", "channel": "C0123ABCD" }""", "channel is only for type slack-bot")]
    [InlineData("""{ "name": "ops", "type": "teams", "parameter": "/aws/reserved" }""", "parameter '/aws/reserved' must name the SSM parameter")]
    [InlineData("""{ "name": "ops", "type": "teams", "parameter": "/p" }, { "name": "ops", "type": "slack", "parameter": "/q" }""", "channel name 'ops' is used 2 times")]
    public void ABadChannel_IsRefusedNamingReportAndField(string channels, string expected)
    {
        Assert.Contains(expected, Refusal(Report(channels)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX")]
    [InlineData("xoxb-1234-5678-abcdefghijkl")]
    public void ASecretPastedWhereTheParameterBelongs_IsRefusedWithoutRepeatingIt(string secret)
    {
        var message = Refusal(Report($$"""{ "name": "ops", "type": "slack", "parameter": "{{secret}}" }"""));

        Assert.Contains("channel 'ops': parameter '(a URL or token, not shown)'", message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, message, StringComparison.Ordinal);
        Assert.DoesNotContain("XXXXXXXX", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreThanTenChannels_AreRefused()
    {
        var channels = string.Join(',', Enumerable.Range(0, 11).Select(i => $$"""{ "name": "c{{i}}", "type": "teams", "parameter": "/p{{i}}" }"""));

        Assert.Contains("channels lists 11 destinations; at most 10 are allowed", Refusal(Report(channels)), StringComparison.Ordinal);
    }

    [Fact]
    public void TheEmbeddedSample_HasOneSlackAndOneTeamsDestination()
    {
        var channels = EmbeddedStack.DefaultReports.Reports.SelectMany(r => r.Channels).ToList();

        Assert.Equal([ChatChannelKind.SlackWebhook, ChatChannelKind.TeamsWorkflow], channels.Select(c => c.Kind));
    }
}
