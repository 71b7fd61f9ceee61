using CostNotifier.Cli.Targets.Aws;
using CostNotifier.Domain;
using CostNotifier.Messaging;
using CostNotifier.Scheduler;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Cli;

/// <summary>The roles of a deployed stack's resources, named as <c>stack</c> prints them, and scheduling without the report list.</summary>
public sealed class StackRoleTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Queues_AreNamedAsStackPrintsThem_InTheirListedOrder()
    {
        Assert.Equal(
            ["collector", "collector-dlq", "notifier", "notifier-dlq", "scheduler-dlq", "scheduler-failures", "delivery", "delivery-dlq"],
            StackRoles.Queues.Select(r => r.Name()));
        Assert.Equal("events", StackRole.Events.Name());
    }

    [Fact]
    public void EveryRole_HasItsOwnName_AndTheConventionalNameEndsWithIt()
    {
        var roles = Enum.GetValues<StackRole>();

        Assert.Equal(roles.Length, roles.Select(r => r.Name()).Distinct().Count());
        Assert.All(roles, r => Assert.Equal($"costs-prod-{r.Name()}", r.ConventionalName("costs-prod")));
    }

    [Fact]
    public void OnlyTheSchedulerAndDeliveryQueues_HaveNoOptionOfTheirOwn()
    {
        Assert.Equal(
            [StackRole.SchedulerDeadLetter, StackRole.SchedulerFailures, StackRole.Delivery, StackRole.DeliveryDeadLetter],
            Enum.GetValues<StackRole>().Where(r => r.Option() is null));
        Assert.Equal("--collector-queue-url URL", StackRole.Collector.Option());
        Assert.Equal("--notifier-dlq-url URL", StackRole.NotifierDeadLetter.Option());
        Assert.Equal("--table NAME", StackRole.Events.Option());
    }

    [Theory]
    [InlineData(PipelineQueue.Collector, StackRole.Collector, StackRole.CollectorDeadLetter)]
    [InlineData(PipelineQueue.Notifier, StackRole.Notifier, StackRole.NotifierDeadLetter)]
    [InlineData(PipelineQueue.Delivery, StackRole.Delivery, StackRole.DeliveryDeadLetter)]
    public void PipelineQueue_MapsToItsWorkQueueAndDeadLetterQueue(PipelineQueue queue, StackRole work, StackRole deadLetter)
    {
        Assert.Equal(work, StackRoles.WorkQueue(queue));
        Assert.Equal(deadLetter, StackRoles.DeadLetterQueue(queue));
        Assert.Equal(deadLetter, work.DeadLetterOf());
        Assert.Null(deadLetter.DeadLetterOf());
    }

    [Fact]
    public void UnlistedReportsValidator_AcceptsReportIdsItCannotCheck()
    {
        var validator = new UnlistedReportsValidator(Time);

        var result = validator.Validate(Command("2026-11-24", Trigger.Replay, ReportId.Parse("not-in-any-list")));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void UnlistedReportsValidator_StillRefusesWhatTheSchedulerRefuses()
    {
        var validator = new UnlistedReportsValidator(Time);

        var result = validator.Validate(Command("2026-11-25", Trigger.Replay, ReportId.Parse("by-service")));

        Assert.Contains(result.Errors, e => e.ErrorMessage.Contains("not a complete UTC day", StringComparison.Ordinal));
    }

    // A command's trigger is typed now: an unknown one is refused where its text is parsed, before any command exists.
    [Fact]
    public void AnUnknownTrigger_CannotBecomeACommandsTrigger()
    {
        var error = Assert.Throws<FormatException>(() => Triggers.Parse("sometimes"));

        Assert.Contains("'sometimes' must be one of", error.Message, StringComparison.Ordinal);
    }

    private static ScheduleReports Command(string date, Trigger trigger, ReportId report) =>
        new(ReportDate.Parse(date), ReportDate.Parse(date), trigger, [report], null, "c");
}
