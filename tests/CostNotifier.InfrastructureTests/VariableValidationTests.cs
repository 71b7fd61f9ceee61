using CostNotifier.Configuration;
using CostNotifier.InfrastructureTests.Hcl;
using CostNotifier.InfrastructureTests.Invariants;
using CostNotifier.InfrastructureTests.Terraform;

namespace CostNotifier.InfrastructureTests;

/// <summary>
/// terraform/variables.tf refuses what the functions would refuse at start (or what AWS would refuse every day), so
/// a bad value stops <c>terraform plan</c> instead of deploying a stack that fails on its first run.
/// </summary>
public sealed class VariableValidationTests
{
    public static TheoryData<string> FilterableDimensions => [.. CostExplorerDimensions.Filterable];

    /// <summary>The example's reports with one report written as JSON in place of the first.</summary>
    private static HclValue ReportsWith(string reportJson) =>
        new HclList([VariableValidation.FromJson(reportJson), .. TerraformUnderTest.ExampleInputs["reports"].Items().Skip(1)]);

    private static HclValue ReportFilteredBy(string dimension) => ReportsWith($$"""
        { "id": "by-service", "name": "Costs", "recipients": ["ops@example.com"], "group_by": "SERVICE",
          "filter": [{ "tag": "env", "values": ["prod"] }, { "dimension": "{{dimension}}", "values": ["x"] }] }
        """);

    [Fact]
    public void TheExampleInputs_PassEveryValidation()
    {
        foreach (var (name, value) in TerraformUnderTest.ExampleInputs)
        {
            Assert.Empty(VariableValidation.Failures(name, value));
        }
    }

    [Theory]
    [MemberData(nameof(FilterableDimensions))]
    public void Reports_AcceptEveryDimensionTheFunctionsAccept(string dimension) =>
        Assert.Empty(VariableValidation.Failures("reports", ReportFilteredBy(dimension)));

    [Theory]
    [InlineData("region")]
    [InlineData("ACCOUNT")]
    [InlineData("")]
    [InlineData("LINKED_ACCOUNT_NAME")]
    [InlineData("SERVICE_CODE")]
    [InlineData("ANOMALY_TOTAL_IMPACT_PERCENTAGE")]
    public void Reports_RefuseADimensionCostExplorerCannotFilterBy(string dimension)
    {
        Assert.NotNull(CostExplorerDimensions.FilterProblem(dimension));

        var failure = Assert.Single(VariableValidation.Failures("reports", ReportFilteredBy(dimension)));
        Assert.Contains("Cost Explorer dimension in upper case", failure, StringComparison.Ordinal);
    }

    /// <summary>Each address with the fragment of the one message Terraform stops with, or null when it accepts it.</summary>
    public static readonly TheoryData<string, string?> Addresses = new()
    {
        { "ops@example.com", null },
        { "first.last+costs@sub.example.org", null },
        { "finance@xn--bcher-kva.example", null },
        { "zoë@example.com", "must be written in ASCII" },
        { "finance@bücher.example", "must be written in ASCII" },
        { "a..b@example.com", "one plain email address" },
        { "ops@localhost", "one plain email address" },
        { "Costs <ops@example.com>", "one plain email address" },
        { "ops@example.com, cfo@example.com", "one plain email address" },
        { "\"ops\"@example.com", "one plain email address" },
    };

    [Theory]
    [MemberData(nameof(Addresses))]
    public void SenderAddress_IsRefusedExactlyWhenTheFunctionsRefuseIt(string address, string? refusal)
    {
        var failures = VariableValidation.Failures("sender_address", new HclString(address));

        AssertRefusal(address, refusal, failures);
    }

    [Theory]
    [MemberData(nameof(Addresses))]
    public void Recipients_AreRefusedExactlyWhenTheFunctionsRefuseThem(string address, string? refusal)
    {
        var failures = VariableValidation.Failures("reports", ReportsWith($$"""
            { "id": "by-service", "name": "Costs", "recipients": ["ops@example.com", {{System.Text.Json.JsonSerializer.Serialize(address)}}], "group_by": "SERVICE" }
            """));

        AssertRefusal(address, refusal, failures);
    }

    private static void AssertRefusal(string address, string? refusal, IReadOnlyList<string> failures)
    {
        Assert.Equal(refusal is null, ReportConfiguration.IsValidEmailAddress(address));
        if (refusal is null)
        {
            Assert.Empty(failures);
        }
        else
        {
            Assert.Contains(refusal, Assert.Single(failures), StringComparison.Ordinal);
        }
    }

    private static string Channel(string name, string type, string parameter, string? channel = null) =>
        $$"""{ "name": {{Json(name)}}, "type": {{Json(type)}}, "parameter": {{Json(parameter)}}{{(channel is null ? "" : $", \"channel\": {Json(channel)}")}} }""";

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static string Destinations(string recipients, params string[] channels) =>
        $"\"recipients\": {recipients}, \"channels\": [{string.Join(", ", channels)}]";

    /// <summary>
    /// A report's recipients and channels (the same JSON for Terraform and the functions: the keys are alike in both),
    /// with the fragment of the one message Terraform stops with, or null when it accepts them.
    /// </summary>
    public static readonly TheoryData<string, string?> ReportDestinations = new()
    {
        { Destinations("[\"ops@example.com\"]", Channel("platform", "slack", "/costnotifier/slack/platform")), null },
        { Destinations("[]", Channel("finops", "teams", "/costnotifier/teams/finops")), null },
        { Destinations("[]", Channel("bot", "slack-bot", "costnotifier-bot-token", "C0123ABCD"), Channel("dm", "slack-bot", "/costnotifier/bot", "D0123ABCDEFGH")), null },
        { Destinations("[]", [.. Enumerable.Range(0, 10).Select(i => Channel($"c{i}", "slack", $"/costnotifier/c{i}"))]), null },
        { Destinations("[]", Channel("long", "teams", "/" + new string('p', 1010))), null },
        { Destinations("[]"), "or 0 to 50 when it has channels" },
        { Destinations("[]", [.. Enumerable.Range(0, 11).Select(i => Channel($"c{i}", "slack", $"/costnotifier/c{i}"))]), "at most 10 channels" },
        { Destinations("[]", Channel("Platform", "slack", "/costnotifier/slack/platform")), "Every channel name must be 1 to 63" },
        { Destinations("[]", Channel("", "slack", "/costnotifier/slack/platform")), "Every channel name must be 1 to 63" },
        { Destinations("[]", Channel("platform", "slack", "/costnotifier/a"), Channel("platform", "teams", "/costnotifier/b")), "Channel names must be unique within a report" },
        { Destinations("[]", Channel("platform", "discord", "/costnotifier/a")), "Every channel type must be slack" },
        { Destinations("[]", Channel("platform", "Slack", "/costnotifier/a")), "Every channel type must be slack" },
        { Destinations("[]", Channel("platform", "discord", "/costnotifier/a", "C0123ABCD")), "Every channel type must be slack" },
        { Destinations("[]", Channel("platform", "slack", "https://hooks.slack.com/services/T000/B000/XXXX")), "never the URL or token itself" },
        { Destinations("[]", Channel("platform", "slack", "")), "never the URL or token itself" },
        { Destinations("[]", Channel("long", "teams", "/" + new string('p', 1011))), "never the URL or token itself" },
        { Destinations("[]", Channel("long", "teams", "/aws" + new string('p', 1011))), "never the URL or token itself" },
        { Destinations("[]", Channel("platform", "slack", "/aws/reference/secretsmanager/slack")), "must not begin with aws or ssm" },
        { Destinations("[]", Channel("platform", "slack", "SSM-slack")), "must not begin with aws or ssm" },
        { Destinations("[]", Channel("platform", "slack", "//awsome/slack")), "must not begin with aws or ssm" },
        { Destinations("[]", Channel("platform", "slack", "xoxb-1234-5678-abcdefghijkl")), "looks like a Slack token" },
        { Destinations("[]", Channel("bot", "slack-bot", "/costnotifier/bot")), "Every slack-bot channel needs channel" },
        { Destinations("[]", Channel("bot", "slack-bot", "/costnotifier/bot", "#finops")), "Every slack-bot channel needs channel" },
        { Destinations("[]", Channel("bot", "slack-bot", "/costnotifier/bot", "c0123abcd")), "Every slack-bot channel needs channel" },
        { Destinations("[]", Channel("bot", "slack-bot", "/costnotifier/bot", "C0123")), "Every slack-bot channel needs channel" },
        { Destinations("[]", Channel("finops", "teams", "/costnotifier/teams/finops", "C0123ABCD")), "channel is only for type slack-bot" },
        { Destinations("[]", Channel("platform", "slack", "/costnotifier/slack/platform", "C0123ABCD")), "channel is only for type slack-bot" },
    };

    [Theory]
    [MemberData(nameof(ReportDestinations))]
    public void Reports_AcceptExactlyTheRecipientsAndChannelsTheFunctionsAccept(string destinations, string? refusal)
    {
        var failures = VariableValidation.Failures("reports", ReportsWith($$"""
            { "id": "by-service", "name": "Costs", "group_by": "SERVICE", {{destinations}} }
            """));

        var functionsRefuse = Record.Exception(() => ReportConfiguration.Parse($$"""
            [{ "id": "by-service", "name": "Costs", "groupBy": "SERVICE", {{destinations}} }]
            """)) is FormatException;
        Assert.Equal(refusal is not null, functionsRefuse);
        if (refusal is null)
        {
            Assert.Empty(failures);
        }
        else
        {
            Assert.Contains(refusal, Assert.Single(failures), StringComparison.Ordinal);
        }
    }

    /// <summary>The KMS key variables take a key's ARN; an alias would be refused by IAM (decrypt) or unusable by SES (aws/sns).</summary>
    [Theory]
    [InlineData("channel_secrets_kms_key_arn")]
    [InlineData("delivery_events_kms_key_arn")]
    public void KmsKeyVariables_TakeAKeyArnOrNull(string variable)
    {
        Assert.Empty(VariableValidation.Failures(variable, HclValue.Null));
        Assert.Empty(VariableValidation.Failures(variable, new HclString("arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")));
        Assert.Empty(VariableValidation.Failures(variable, new HclString("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab")));
        foreach (var refused in new[] { "alias/aws/sns", "alias/aws/ssm", "arn:aws:kms:eu-central-1:123456789012:alias/costs", "1234abcd-12ab-34cd-56ef-1234567890ab" })
        {
            Assert.Contains(variable, Assert.Single(VariableValidation.Failures(variable, new HclString(refused))), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("\"cadence\": \"weekly\"", null)]
    [InlineData("\"cadence\": \"monthly\"", null)]
    [InlineData("\"cadence\": \"hourly\"", "cadence must be daily, weekly or monthly")]
    [InlineData("\"monthly_budget\": 8000", null)]
    [InlineData("\"monthly_budget\": 0.01", null)]
    [InlineData("\"monthly_budget\": null", null)]
    [InlineData("\"monthly_budget\": 0", "monthly_budget must be an amount greater than 0")]
    [InlineData("\"monthly_budget\": -100", "monthly_budget must be an amount greater than 0")]
    [InlineData("\"anomalies\": {}", null)]
    [InlineData("\"anomalies\": { \"minimum_impact\": 0, \"minimum_relative_impact\": 0 }", null)]
    [InlineData("\"anomalies\": { \"minimum_relative_impact\": 10 }", null)]
    [InlineData("\"anomalies\": { \"minimum_impact\": -1 }", "anomalies.minimum_impact must be 0 or more")]
    [InlineData("\"anomalies\": { \"minimum_relative_impact\": 25 }", "anomalies.minimum_relative_impact must be between 0 and 10")]
    [InlineData("\"anomalies\": { \"minimum_relative_impact\": -0.1 }", "anomalies.minimum_relative_impact must be between 0 and 10")]
    public void Reports_TakeBudgetsAndThresholdsInTheRangesTheFunctionsTake(string field, string? refusal)
    {
        var failures = VariableValidation.Failures("reports", ReportsWith($$"""
            { "id": "by-service", "name": "Costs", "recipients": ["ops@example.com"], "group_by": "SERVICE", {{field}} }
            """));

        var json = $$"""[{ "id": "by-service", "name": "Costs", "recipients": ["ops@example.com"], "groupBy": "SERVICE", {{field.Replace("_budget", "Budget", StringComparison.Ordinal).Replace("minimum_impact", "minimumImpact", StringComparison.Ordinal).Replace("minimum_relative_impact", "minimumRelativeImpact", StringComparison.Ordinal)}} }]""";
        var functionsRefuse = Record.Exception(() => ReportConfiguration.Parse(json)) is FormatException;
        Assert.Equal(refusal is not null, functionsRefuse);
        if (refusal is null)
        {
            Assert.Empty(failures);
        }
        else
        {
            Assert.Contains(refusal, Assert.Single(failures), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("variable", true)]
    [InlineData("table", true)]
    [InlineData("s3", false)]
    [InlineData("Table", false)]
    [InlineData("", false)]
    public void ReportsSource_AcceptsOnlyVariableOrTable(string value, bool accepted)
    {
        var failures = VariableValidation.Failures("reports_source", new HclString(value));

        if (accepted)
        {
            Assert.Empty(failures);
        }
        else
        {
            Assert.Contains("reports_source must be \"variable\"", Assert.Single(failures), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/costnotifier/slack/platform", null)]
    [InlineData("costnotifier-bot-token", null)]
    [InlineData("https://hooks.slack.com/services/T0/B0/x", "never the URL or token itself")]
    [InlineData("/aws/reference/secretsmanager/x", "SSM reserves those prefixes")]
    [InlineData("xoxb-1234-abcd", "looks like a Slack token")]
    public void ChannelParameterNames_FollowTheChannelParameterRules(string name, string? refusal)
    {
        var failures = VariableValidation.Failures("channel_parameter_names", new HclList([new HclString(name)]));

        if (refusal is null)
        {
            Assert.Empty(failures);
        }
        else
        {
            Assert.Contains(refusal, Assert.Single(failures), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Reports_MayBeEmpty_ForTheTableMode() =>
        Assert.Empty(VariableValidation.Failures("reports", new HclList([])));
}
