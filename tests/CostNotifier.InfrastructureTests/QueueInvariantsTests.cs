using CostNotifier.InfrastructureTests.Invariants;

namespace CostNotifier.InfrastructureTests;

public sealed class QueueInvariantsTests
{
    [Fact]
    public void EveryConsumerQueue_HasRedrivePolicyToADeadLetterQueue() =>
        Violations.AssertNone(InfrastructureInvariants.ConsumerQueuesHaveRedrivePolicies(TerraformUnderTest.Stack));

    [Fact]
    public void EveryDeadLetterQueue_KeepsMessagesLongerThanItsSource() =>
        Violations.AssertNone(InfrastructureInvariants.DeadLetterQueuesOutliveTheirSources(TerraformUnderTest.Stack));

    [Fact]
    public void EveryConsumerQueue_VisibilityTimeoutIsAtLeastSixTimesItsFunctionTimeoutPlusTheBatchingWindow() =>
        Violations.AssertNone(InfrastructureInvariants.VisibilityTimeoutsCoverTheirConsumers(TerraformUnderTest.Stack));

    [Fact]
    public void EveryEventSourceMapping_ReportsBatchItemFailures() =>
        Violations.AssertNone(InfrastructureInvariants.EventSourceMappingsReportBatchItemFailures(TerraformUnderTest.Stack));

    [Fact]
    public void EveryQueue_IsEncryptedAtRest() =>
        Violations.AssertNone(InfrastructureInvariants.QueuesAreEncrypted(TerraformUnderTest.Stack));

    [Fact]
    public void ThePipeline_HasThreeDeadLetterQueues_CollectorNotifierAndSchedule()
    {
        var deadLetterQueues = InfrastructureInvariants.DeadLetterQueues(TerraformUnderTest.Stack)
            .Select(d => d.DeadLetterQueue.Body["name"].Display())
            .Distinct()
            .Order(StringComparer.Ordinal);

        var prefix = TerraformUnderTest.NamePrefix;
        Assert.Equal([$"{prefix}-collector-dlq", $"{prefix}-notifier-dlq", $"{prefix}-scheduler-dlq"], deadLetterQueues);
    }
}
