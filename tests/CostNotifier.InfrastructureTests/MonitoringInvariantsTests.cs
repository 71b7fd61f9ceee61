using CostNotifier.InfrastructureTests.Invariants;

namespace CostNotifier.InfrastructureTests;

public sealed class MonitoringInvariantsTests
{
    [Fact]
    public void EveryDeadLetterQueue_HasADepthAlarm() =>
        Violations.AssertNone(InfrastructureInvariants.DeadLetterQueuesHaveDepthAlarms(TerraformUnderTest.Stack));

    [Fact]
    public void EveryAlarm_NotifiesTheAlarmTopic() =>
        Violations.AssertNone(InfrastructureInvariants.AlarmsNotifyTheAlarmTopic(TerraformUnderTest.Stack));

    [Fact]
    public void EveryAlarm_ChoosesMissingDataTreatmentAndAValidWindow() =>
        Violations.AssertNone(InfrastructureInvariants.AlarmWindowsAreValid(TerraformUnderTest.Stack));

    [Fact]
    public void EveryFunction_HasErrorThrottleAndDurationP95Alarms() =>
        Violations.AssertNone(InfrastructureInvariants.FunctionsHaveErrorThrottleAndDurationAlarms(TerraformUnderTest.Stack));

    [Fact]
    public void EveryWorkQueue_HasAnAgeOfOldestMessageAlarm() =>
        Violations.AssertNone(InfrastructureInvariants.WorkQueuesHaveAgeOfOldestMessageAlarms(TerraformUnderTest.Stack));

    [Fact]
    public void NoReportSentAlarm_FiresOnlyAfter25HoursWithoutASentReport() =>
        Violations.AssertNone(InfrastructureInvariants.NoReportSentAlarmWatchesTheLast25Hours(TerraformUnderTest.Stack, TerraformUnderTest.NamePrefix));

    [Fact]
    public void Dashboard_ShowsQueuesFailuresLatencyReportsAndDailyCost() =>
        Violations.AssertNone(InfrastructureInvariants.DashboardShowsPipelineHealthAndCost(TerraformUnderTest.Stack));
}
