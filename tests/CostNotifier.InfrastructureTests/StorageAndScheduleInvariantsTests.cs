using CostNotifier.InfrastructureTests.Hcl;
using CostNotifier.InfrastructureTests.Invariants;

namespace CostNotifier.InfrastructureTests;

public sealed class StorageAndScheduleInvariantsTests
{
    [Fact]
    public void EventTable_IsOnDemandWithPointInTimeRecoveryEncryptionAndClaimOnlyTtl() =>
        Violations.AssertNone(InfrastructureInvariants.EventTableIsDurable(TerraformUnderTest.Stack));

    [Fact]
    public void EventTable_HasTheKeysAndIndexTheEventStoreQueries()
    {
        var table = Assert.Single(TerraformUnderTest.Stack.Resources("aws_dynamodb_table")).Body;

        Assert.Equal(("pk", "sk"), (table["hash_key"].Text(), table["range_key"].Text()));
        var attributes = table.Blocks("attribute").ToDictionary(a => a["name"].Text()!, a => a["type"].Text());
        Assert.Equal(new Dictionary<string, string?> { ["pk"] = "S", ["sk"] = "N", ["gsi1pk"] = "S", ["gsi1sk"] = "S" }, attributes);
        var index = Assert.Single(table.Blocks("global_secondary_index"));
        Assert.Equal(("by-report-date", "gsi1pk", "gsi1sk", "ALL"),
            (index["name"].Text(), index["hash_key"].Text(), index["range_key"].Text(), index["projection_type"].Text()));
        Assert.Equal("expiresAt", table.Block("ttl")?["attribute_name"].Text());
    }

    [Fact]
    public void DailySchedule_HasTimeZoneRetryPolicyAndDeadLetterQueue() =>
        Violations.AssertNone(InfrastructureInvariants.SchedulesHaveTimeZoneRetriesAndDeadLetterQueue(TerraformUnderTest.Stack));

    [Fact]
    public void ScheduledFunction_KeepsRunsThatFailAfterLambdasRetriesInAnAlarmedQueueItsRoleMayWriteTo() =>
        Violations.AssertNone(InfrastructureInvariants.ScheduledFunctionsKeepTheirFailedRuns(TerraformUnderTest.Stack));

    [Fact]
    public void SchedulerFunction_RetriesTwiceWithinAnHourThenKeepsTheRunForFourteenDays()
    {
        var stack = TerraformUnderTest.Stack;

        var (function, config) = Assert.Single(InfrastructureInvariants.ScheduledFunctions(stack));

        Assert.Equal("aws_lambda_function.scheduler", function.Declaration.Address);
        Assert.NotNull(config);
        Assert.Equal(2m, config.Body["maximum_retry_attempts"].Number());
        Assert.Equal(3600m, config.Body["maximum_event_age_in_seconds"].Number());
        var queue = stack.Find(config.Body.Block("destination_config")?.Block("on_failure")?["destination"] ?? HclValue.Null);
        Assert.Equal($"{TerraformUnderTest.NamePrefix}-scheduler-failures", queue?.Body["name"].Text());
        Assert.Equal(14m * 24 * 3600, queue?.Body["message_retention_seconds"].Number());
    }

    [Fact]
    public void DailySchedule_DefaultsToEightUtcEveryDay()
    {
        var schedule = Assert.Single(TerraformUnderTest.Stack.Resources("aws_scheduler_schedule"));
        var defaults = new CostNotifier.InfrastructureTests.Terraform.TerraformStack(
            TerraformUnderTest.Configuration,
            TerraformUnderTest.ExampleInputs.Where(i => i.Key is not ("schedule_expression" or "schedule_timezone")).ToDictionary());
        var withDefaults = Assert.Single(defaults.Resources("aws_scheduler_schedule"));

        Assert.Equal("cron(0 8 * * ? *)", withDefaults.Body["schedule_expression"].Text());
        Assert.Equal("UTC", withDefaults.Body["schedule_expression_timezone"].Text());
        Assert.Equal(TerraformUnderTest.ExampleInputs["schedule_timezone"].Text(), schedule.Body["schedule_expression_timezone"].Text());
    }
}
