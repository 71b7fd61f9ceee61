using CostNotifier.InfrastructureTests.Hcl;
using CostNotifier.InfrastructureTests.Invariants;
using CostNotifier.InfrastructureTests.Terraform;

namespace CostNotifier.InfrastructureTests;

public sealed class IamInvariantsTests
{
    private const string CustomerManagedKey = "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static TerraformStack StackWithReports(string reportsJson, string? channelSecretsKey = null)
    {
        var overrides = new Dictionary<string, HclValue> { ["reports"] = VariableValidation.FromJson(reportsJson) };
        if (channelSecretsKey is not null)
        {
            overrides["channel_secrets_kms_key_arn"] = new HclString(channelSecretsKey);
        }

        return TerraformUnderTest.StackWith(overrides);
    }

    private static IReadOnlyList<IamStatement> NotifierStatements(TerraformStack stack) =>
        [.. IamStatement.All(stack).Where(s => s.Document.Name == "notifier")];

    /// <summary>Two reports share one parameter; one parameter has no leading '/'.</summary>
    private const string ReportsWithChannels = """
        [{ "id": "a", "name": "A", "recipients": [], "group_by": "SERVICE",
           "channels": [{ "name": "platform", "type": "slack", "parameter": "/costnotifier/slack/platform" },
                        { "name": "bot", "type": "slack-bot", "parameter": "costnotifier-bot-token", "channel": "C0123ABCD" }] },
         { "id": "b", "name": "B", "recipients": ["ops@example.com"], "group_by": "SERVICE",
           "channels": [{ "name": "platform", "type": "teams", "parameter": "/costnotifier/slack/platform" }] }]
        """;

    private const string ReportsWithoutChannels = """
        [{ "id": "a", "name": "A", "recipients": ["ops@example.com"], "group_by": "SERVICE" }]
        """;

    [Fact]
    public void NoIamStatement_HasAWildcardAction() =>
        Violations.AssertNone(InfrastructureInvariants.NoWildcardActions(TerraformUnderTest.Stack));

    [Fact]
    public void WildcardResource_IsOnlyUsedForCostExplorerReads() =>
        Violations.AssertNone(InfrastructureInvariants.WildcardResourcesOnlyForCostExplorerReads(TerraformUnderTest.Stack));

    [Fact]
    public void EveryPolicy_GrantsOnlyActionsThePipelineCalls() =>
        Violations.AssertNone(InfrastructureInvariants.PoliciesGrantOnlyActionsInUse(TerraformUnderTest.Stack));

    [Fact]
    public void EveryRolePolicy_IsAnInlinePolicyDocumentTheChecksCanRead() =>
        Violations.AssertNone(InfrastructureInvariants.PoliciesAreInspectable(TerraformUnderTest.Stack));

    [Fact]
    public void SesSendStatement_HasTheFromAddressCondition() =>
        Violations.AssertNone(InfrastructureInvariants.SesSendingIsPinnedToTheSender(TerraformUnderTest.Stack));

    [Fact]
    public void EveryConsumer_ReceivesOnlyFromItsOwnQueue() =>
        Violations.AssertNone(InfrastructureInvariants.ConsumersReceiveOnlyFromTheirOwnQueue(TerraformUnderTest.Stack));

    [Fact]
    public void ChannelSecrets_AreReadOnlyFromTheParametersTheReportsName()
    {
        var stack = TerraformUnderTest.Stack;
        var parameters = InfrastructureInvariants.ChannelSecretParameters(stack);

        Assert.NotEmpty(parameters);
        Violations.AssertNone(InfrastructureInvariants.ChannelSecretsAreReadOnlyFromTheirParameters(stack, parameters));
    }

    [Fact]
    public void EveryKmsGrant_IsOnlyThroughTheServiceThatEncrypted_AndThroughSsmOnlyDecryptsTheChannelParameters()
    {
        Violations.AssertNone(InfrastructureInvariants.KmsKeysAreUsedOnlyThroughAService(TerraformUnderTest.Stack));
        Violations.AssertNone(InfrastructureInvariants.KmsKeysAreUsedOnlyThroughAService(StackWithReports(ReportsWithChannels, CustomerManagedKey)));
        Violations.AssertNone(InfrastructureInvariants.KmsKeysAreUsedOnlyThroughAService(
            TerraformUnderTest.StackWith(new Dictionary<string, HclValue> { ["kms_key_arn"] = new HclString(CustomerManagedKey) })));
    }

    [Fact]
    public void ChannelSecretArns_AreEachParameterOnce_NamedWithoutItsLeadingSlash()
    {
        var stack = StackWithReports(ReportsWithChannels);

        var read = Assert.Single(NotifierStatements(stack), s => s.Actions.Contains("ssm:GetParameter"));

        Assert.Equal(["ssm:GetParameter"], read.Actions);
        Assert.Equal(
            [
                "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:parameter/costnotifier/slack/platform",
                "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:parameter/costnotifier-bot-token",
            ],
            read.Resources.Select(r => r.Display()));
        Violations.AssertNone(InfrastructureInvariants.ChannelSecretsAreReadOnlyFromTheirParameters(stack, ["/costnotifier/slack/platform", "costnotifier-bot-token"]));
    }

    [Fact]
    public void ChannelSecrets_WithTheAwsManagedKey_DecryptThroughSsmWithTheAccountsKeys()
    {
        var stack = StackWithReports(ReportsWithChannels);

        var decrypt = Assert.Single(NotifierStatements(stack), s => s.Sid == "DecryptChannelSecretsThroughSsm");

        Assert.Equal(["kms:Decrypt"], decrypt.Actions);
        Assert.Equal(
            ["arn:${data.aws_partition.current.partition}:kms:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:key/*"],
            decrypt.Resources.Select(r => r.Display()));
        Assert.Equal(["ssm.${data.aws_region.current.region}.amazonaws.com"], decrypt.ConditionValues("StringEquals", "kms:ViaService")?.Select(v => v.Display()));
        var read = Assert.Single(NotifierStatements(stack), s => s.Actions.Contains("ssm:GetParameter"));
        Assert.Equal(read.Resources, decrypt.ConditionValues("StringEquals", "kms:EncryptionContext:PARAMETER_ARN"));
    }

    [Fact]
    public void ChannelSecrets_WithACustomerManagedKey_DecryptThroughSsmWithThatKeyOnly()
    {
        var stack = StackWithReports(ReportsWithChannels, CustomerManagedKey);

        var decrypt = Assert.Single(NotifierStatements(stack), s => s.Sid == "DecryptChannelSecretsThroughSsm");

        Assert.Equal(["kms:Decrypt"], decrypt.Actions);
        Assert.Equal([CustomerManagedKey], decrypt.Resources.Select(r => r.Text()));
        Assert.Equal(["ssm.${data.aws_region.current.region}.amazonaws.com"], decrypt.ConditionValues("StringEquals", "kms:ViaService")?.Select(v => v.Display()));
    }

    [Fact]
    public void WithoutChannels_NoRoleMayReadAParameterOrDecryptThroughSsm()
    {
        var stack = StackWithReports(ReportsWithoutChannels);

        Assert.Empty(InfrastructureInvariants.ChannelSecretParameters(stack));
        Violations.AssertNone(InfrastructureInvariants.ChannelSecretsAreReadOnlyFromTheirParameters(stack, []));
        Assert.DoesNotContain(IamStatement.All(stack), s => s.Actions.Any(a => a.StartsWith("ssm:", StringComparison.Ordinal)));
        Assert.DoesNotContain(IamStatement.All(stack), s => s.ConditionValues("StringEquals", "kms:ViaService") is { } services && services.Any(v => v.Display().StartsWith("ssm.", StringComparison.Ordinal)));
    }

    private static TerraformStack TableModeStack(string? tableKey = null, params string[] channelParameters)
    {
        var overrides = new Dictionary<string, HclValue>
        {
            ["reports_source"] = new HclString("table"),
            ["reports"] = new HclList([]),
            ["channel_parameter_names"] = new HclList([.. channelParameters.Select(p => (HclValue)new HclString(p))]),
        };
        if (tableKey is not null)
        {
            overrides["kms_key_arn"] = new HclString(tableKey);
        }

        return TerraformUnderTest.StackWith(overrides);
    }

    private static IReadOnlyList<IamStatement> SchedulerStatements(TerraformStack stack) =>
        [.. IamStatement.All(stack).Where(s => s.Document.Name == "scheduler")];

    [Fact]
    public void TheScheduler_ReadingReportsFromTheVariable_HasNoAccessToTheTable() =>
        Assert.DoesNotContain(SchedulerStatements(TerraformUnderTest.Stack), s => s.Actions.Any(a => a.StartsWith("dynamodb:", StringComparison.Ordinal) || a.StartsWith("kms:", StringComparison.Ordinal)));

    [Fact]
    public void TheScheduler_ReadingReportsFromTheTable_MayReadExactlyTheConfigurationItems()
    {
        var stack = TableModeStack();

        var read = Assert.Single(SchedulerStatements(stack), s => s.Actions.Any(a => a.StartsWith("dynamodb:", StringComparison.Ordinal)));

        Assert.Equal(["dynamodb:GetItem", "dynamodb:Query"], read.Actions.Order(StringComparer.Ordinal));
        Assert.Equal(["${aws_dynamodb_table.events.arn}"], read.Resources.Select(r => r.Display()));
        var condition = Assert.Single(read.Conditions);
        Assert.Equal("ForAllValues:StringLike", condition.Test);
        Assert.Equal("dynamodb:LeadingKeys", condition.Variable);
        Assert.Equal(["config#reports*"], condition.Values.Select(v => v.Text()));

        // The store's keys are what the condition admits, and a report's stream or a claim is not.
        var pattern = new System.Text.RegularExpressions.Regex("^config#reports.*$");
        Assert.Matches(pattern, CostNotifier.Aws.Configuration.DynamoDbReportConfigurationStore.PointerKey);
        Assert.Matches(pattern, CostNotifier.Aws.Configuration.DynamoDbReportConfigurationStore.VersionKey(12));
        Assert.DoesNotMatch(pattern, "report#by-service#2026-11-30");
        Assert.DoesNotMatch(pattern, "lease#collect#by-service");
        Assert.DoesNotContain(SchedulerStatements(stack), s => s.Actions.Any(a => a.StartsWith("kms:", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheScheduler_ReadingReportsFromAnEncryptedTable_DecryptsOnlyThroughDynamoDb()
    {
        var stack = TableModeStack(CustomerManagedKey);

        var decrypt = Assert.Single(SchedulerStatements(stack), s => s.Actions.Any(a => a.StartsWith("kms:", StringComparison.Ordinal)));

        Assert.Equal(["kms:Decrypt", "kms:DescribeKey"], decrypt.Actions.Order(StringComparer.Ordinal));
        Assert.Equal([CustomerManagedKey], decrypt.Resources.Select(r => r.Text()));
        Violations.AssertNone(InfrastructureInvariants.KmsKeysAreUsedOnlyThroughAService(stack));
        Violations.AssertNone(InfrastructureInvariants.PoliciesGrantOnlyActionsInUse(stack));
        Violations.AssertNone(InfrastructureInvariants.NoWildcardActions(stack));
    }

    [Fact]
    public void ChannelParameterNames_InTableMode_AreTheParametersTheNotifierMayRead()
    {
        var stack = TableModeStack(null, "/costnotifier/slack/platform", "costnotifier-bot-token");

        var read = Assert.Single(NotifierStatements(stack), s => s.Actions.Contains("ssm:GetParameter"));

        Assert.Equal(
            [
                "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:parameter/costnotifier/slack/platform",
                "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:parameter/costnotifier-bot-token",
            ],
            read.Resources.Select(r => r.Display()));
        var decrypt = Assert.Single(NotifierStatements(stack), s => s.Sid == "DecryptChannelSecretsThroughSsm");
        Assert.Equal(read.Resources, decrypt.ConditionValues("StringEquals", "kms:EncryptionContext:PARAMETER_ARN"));
        Violations.AssertNone(InfrastructureInvariants.ChannelSecretsAreReadOnlyFromTheirParameters(stack, ["/costnotifier/slack/platform", "costnotifier-bot-token"]));
    }

    [Fact]
    public void TableMode_WithoutChannelParameterNames_GrantsNoSsmAccess() =>
        Assert.DoesNotContain(IamStatement.All(TableModeStack()), s => s.Actions.Any(a => a.StartsWith("ssm:", StringComparison.Ordinal)));

    [Fact]
    public void TheNotifier_ConsumesItsQueueAndTheDeliveryQueue_AndForwardsPoisonMessagesToTheirDeadLetterQueues()
    {
        var statements = NotifierStatements(TerraformUnderTest.Stack);

        var receives = statements.Where(s => s.Actions.Contains("sqs:ReceiveMessage")).SelectMany(s => s.Resources).Select(r => r.Display());
        var sends = statements.Where(s => s.Actions.Contains("sqs:SendMessage")).SelectMany(s => s.Resources).Select(r => r.Display());

        Assert.Equal(["${aws_sqs_queue.delivery.arn}", "${aws_sqs_queue.notifier.arn}"], receives.Order(StringComparer.Ordinal));
        Assert.Equal(["${aws_sqs_queue.delivery_dlq.arn}", "${aws_sqs_queue.notifier_dlq.arn}"], sends.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SesSendStatement_PinsTheConfiguredSenderAddress()
    {
        var sender = TerraformUnderTest.ExampleInputs["sender_address"].Text();

        var condition = IamStatement.All(TerraformUnderTest.Stack)
            .Where(s => s.Actions.Contains("ses:SendEmail"))
            .SelectMany(s => s.Conditions)
            .Single(c => c.Variable == "ses:FromAddress");

        Assert.Equal([sender], condition.Values.Select(v => v.Text()));
    }
}
