using System.Text.Json.Serialization;
using CostNotifier.Domain;
using CostNotifier.Messaging;

namespace CostNotifier.Scheduler;

/// <summary>
/// What the scheduler function is invoked with: EventBridge Scheduler's payload
/// (<c>{"source":"eventbridge-scheduler","scheduledTime":"…"}</c>) or a manual run naming a date or range.
/// </summary>
public sealed class SchedulerInvocation
{
    /// <summary>Who invoked: <c>eventbridge-scheduler</c> for the schedule.</summary>
    public string? Source { get; init; }

    /// <summary>The schedule's planned time (ISO-8601, UTC).</summary>
    public DateTimeOffset? ScheduledTime { get; init; }

    /// <summary>A single usage day for a manual run.</summary>
    public string? Date { get; init; }

    /// <summary>First day of a manual range.</summary>
    public string? From { get; init; }

    /// <summary>Last day of a manual range (inclusive).</summary>
    public string? To { get; init; }

    /// <summary>Reports of a manual run; all when empty.</summary>
    public IList<string>? Reports { get; init; }

    /// <summary>Trigger of a manual run: replay (default) or backfill.</summary>
    public string? Trigger { get; init; }

    /// <summary>
    /// The command this invocation asks for. A scheduled invocation reports the last complete UTC day before the
    /// scheduled time, whatever time zone the schedule runs in; a manual one reports what it names.
    /// </summary>
    public ScheduleReports ToCommand(TimeProvider time, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(time);
        var reports = (Reports ?? []).Select(ReportId.Parse).ToList();
        var manualFrom = Date ?? From;
        if (manualFrom is null)
        {
            if (To is not null || Reports is { Count: > 0 } || Trigger is not null)
            {
                throw new FormatException("A manual run must name 'date' or 'from'.");
            }

            var day = ReportDate.FromInstant(ScheduledTime ?? time.GetUtcNow()).AddDays(-1);
            return new ScheduleReports(day, day, Domain.Trigger.Scheduled, [], null, correlationId);
        }

        if (Date is not null && (From is not null || To is not null))
        {
            throw new FormatException("Give either 'date' or 'from'/'to', not both.");
        }

        var from = ReportDate.Parse(manualFrom);
        var to = To is null ? from : ReportDate.Parse(To);
        var trigger = Trigger is null ? Domain.Trigger.Replay : Triggers.Parse(Trigger);
        if (trigger == Domain.Trigger.Scheduled)
        {
            throw new FormatException("A manual run is a replay or a backfill, not 'scheduled'.");
        }

        return new ScheduleReports(from, to, trigger, reports, null, correlationId);
    }
}

/// <summary>The scheduler function's answer: what it enqueued.</summary>
public sealed class SchedulerResponse
{
    /// <summary>The request id of the run.</summary>
    public string RequestId { get; init; } = string.Empty;

    /// <summary>The enqueued report-days.</summary>
    public IList<SchedulerResponseMessage> Messages { get; init; } = [];
}

/// <summary>One enqueued report period.</summary>
public sealed class SchedulerResponseMessage
{
    /// <summary>Report id.</summary>
    public string ReportId { get; init; } = string.Empty;

    /// <summary>The usage day, ISO week or month.</summary>
    public string Period { get; init; } = string.Empty;

    /// <summary>SQS message id.</summary>
    public string MessageId { get; init; } = string.Empty;
}

/// <summary>Source-generated JSON for the scheduler function's input and output.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(SchedulerInvocation))]
[JsonSerializable(typeof(SchedulerResponse))]
internal sealed partial class SchedulerJsonContext : JsonSerializerContext;
