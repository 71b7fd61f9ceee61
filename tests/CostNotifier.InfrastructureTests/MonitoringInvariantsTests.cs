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
    public void BouncedOrComplainedAlarm_FiresOnTheFirstBounceOrComplaintOfThisStack() =>
        Violations.AssertNone(InfrastructureInvariants.EmailBouncesAndComplaintsRaiseAnAlarm(TerraformUnderTest.Stack, TerraformUnderTest.NamePrefix));

    [Fact]
    public void BouncedOrComplainedAlarm_IsNamedForTheStackAndNotifiesTheAlarmTopic()
    {
        var alarm = Assert.Single(TerraformUnderTest.Stack.Resources("aws_cloudwatch_metric_alarm"), a => a.Name == "email_bounced_or_complained");

        Assert.Equal($"{TerraformUnderTest.NamePrefix}-email-bounced-or-complained", alarm.Body["alarm_name"].Text());
        Assert.Equal(["${aws_sns_topic.alarms.arn}"], alarm.Body["alarm_actions"].Texts());
        Assert.Equal(["${aws_sns_topic.alarms.arn}"], alarm.Body["ok_actions"].Texts());
    }

    [Fact]
    public void TheDeliveryQueues_HaveTheirOwnDepthAndAgeAlarms()
    {
        var names = TerraformUnderTest.Stack.Resources("aws_cloudwatch_metric_alarm").Select(a => a.Body["alarm_name"].Text()).ToList();

        Assert.Contains($"{TerraformUnderTest.NamePrefix}-delivery-dlq-not-empty", names);
        Assert.Contains($"{TerraformUnderTest.NamePrefix}-delivery-queue-stuck", names);
    }

    [Fact]
    public void Dashboard_ShowsQueuesFailuresLatencyReportsAndDailyCost() =>
        Violations.AssertNone(InfrastructureInvariants.DashboardShowsPipelineHealthAndCost(TerraformUnderTest.Stack));
}
