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
    public void TheCollector_TakesOneMessageAtATime_EachOfWhichMayCarryAYearOfPeriodsOrEveryAccount()
    {
        var consumer = Assert.Single(InfrastructureInvariants.Consumers(TerraformUnderTest.Stack), c => c.Function?.Name == "collector");

        Assert.Equal(1m, consumer.Mapping.Body["batch_size"].Number());
    }

    [Fact]
    public void EveryQueue_IsEncryptedAtRest() =>
        Violations.AssertNone(InfrastructureInvariants.QueuesAreEncrypted(TerraformUnderTest.Stack));

    [Fact]
    public void ThePipeline_HasFourDeadLetterQueues_CollectorNotifierDeliveryAndSchedule()
    {
        var deadLetterQueues = InfrastructureInvariants.DeadLetterQueues(TerraformUnderTest.Stack)
            .Select(d => d.DeadLetterQueue.Body["name"].Display())
            .Distinct()
            .Order(StringComparer.Ordinal);

        var prefix = TerraformUnderTest.NamePrefix;
        Assert.Equal([$"{prefix}-collector-dlq", $"{prefix}-delivery-dlq", $"{prefix}-notifier-dlq", $"{prefix}-scheduler-dlq"], deadLetterQueues);
    }

    [Fact]
    public void EveryConsumerQueue_IsOneOfTheThreeWorkQueues_WithTheNotifierConsumingTwo()
    {
        var consumers = InfrastructureInvariants.Consumers(TerraformUnderTest.Stack)
            .Select(c => (Queue: c.Queue?.Body["name"].Text(), Function: c.Function?.Name))
            .OrderBy(c => c.Queue, StringComparer.Ordinal);

        var prefix = TerraformUnderTest.NamePrefix;
        Assert.Equal([($"{prefix}-collector", "collector"), ($"{prefix}-delivery", "notifier"), ($"{prefix}-notifier", "notifier")], consumers);
    }

    /// <summary>Only its own queue may dead-letter into a DLQ: a redrive can then only return messages where they came from.</summary>
    [Fact]
    public void DeliveryDeadLetterQueue_AcceptsOnlyTheDeliveryQueue()
    {
        var stack = TerraformUnderTest.Stack;
        var policy = Assert.Single(stack.Resources("aws_sqs_queue_redrive_allow_policy"), p => p.Name == "delivery_dlq");

        var allow = policy.Body["redrive_allow_policy"].DecodeJson();

        Assert.Equal("${aws_sqs_queue.delivery_dlq.id}", policy.Body["queue_url"].Display());
        Assert.Equal("byQueue", allow?.GetProperty("redrivePermission").GetString());
        Assert.Equal(["${aws_sqs_queue.delivery.arn}"], allow?.GetProperty("sourceQueueArns").EnumerateArray().Select(a => a.GetString()));
    }
}
