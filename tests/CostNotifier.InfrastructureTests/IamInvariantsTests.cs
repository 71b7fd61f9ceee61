using CostNotifier.InfrastructureTests.Invariants;

namespace CostNotifier.InfrastructureTests;

public sealed class IamInvariantsTests
{
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
