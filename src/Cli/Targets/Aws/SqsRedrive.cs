using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using CostNotifier.Cli.Output;

namespace CostNotifier.Cli.Targets.Aws;

/// <summary>
/// Moves messages from a dead-letter queue back to its source queue. Where SQS offers message move tasks it
/// starts one (<c>StartMessageMoveTask</c>) and follows it to the end (<c>ListMessageMoveTasks</c>); where it does
/// not (an emulator), or when only some messages are to move, it moves one message at a time: receive from the
/// dead-letter queue, send a copy to the source, then delete the original. A crash between the send and the delete
/// leaves the message in both queues (the pipeline's handlers are idempotent), never in neither.
/// </summary>
public sealed class SqsRedrive(
    IAmazonSQS sqs,
    string sourceUrl,
    string sourceArn,
    string deadLetterUrl,
    string deadLetterArn,
    CliEnvironment environment,
    ProgressReporter progress)
{
    /// <summary>Method name of a message move task.</summary>
    public const string MoveTask = "message-move-task";

    /// <summary>Method name of the one-at-a-time move.</summary>
    public const string OneByOne = "receive-send-delete";

    /// <summary>How long a message being moved stays hidden in the dead-letter queue if this process dies mid-move.</summary>
    public const int MoveVisibilityTimeoutSeconds = 60;

    /// <summary>Attribute name prefix of what the dead-letter sink adds; not carried back to the source.</summary>
    public const string OwnAttributePrefix = "CostNotifier.";

    private static readonly HashSet<string> FinalStatuses = new(StringComparer.Ordinal) { "COMPLETED", "CANCELLED", "FAILED" };

    /// <summary>Runs the redrive (or the dry run) and says what happened.</summary>
    public async Task<RedriveSummary> RunAsync(string sourceName, string deadLetterName, int? waiting, RedriveRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        IReadOnlyList<ListMessageMoveTasksResultEntry>? tasks;
        try
        {
            tasks = await ListTasksAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonSQSException ex) when (IsUnsupported(ex))
        {
            tasks = null;
        }

        var running = tasks?.FirstOrDefault(t => t.Status == "RUNNING");
        var method = tasks is not null && (request.Max is null || running is not null) ? MoveTask : OneByOne;
        if (request.DryRun)
        {
            var wouldMove = Math.Min(waiting ?? 0, request.Max ?? int.MaxValue);
            return new RedriveSummary(sourceName, deadLetterName, method, DryRun: true, waiting, wouldMove, waiting, "DRY-RUN", running?.TaskHandle, null);
        }

        if (tasks is null)
        {
            progress.Note($"This SQS endpoint has no message move tasks; moving one message at a time (receive from {deadLetterName}, send to {sourceName}, delete).");
        }
        else if (request.Max is not null && running is null)
        {
            progress.Note($"--max {request.Max}: moving one message at a time, since an SQS message move task cannot stop after a number of messages.");
        }

        return method == MoveTask
            ? await FollowMoveTaskAsync(sourceName, deadLetterName, waiting, running, request.MaxPerSecond, cancellationToken).ConfigureAwait(false)
            : await MoveOneByOneAsync(sourceName, deadLetterName, waiting, request.Max, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether an error means the endpoint does not implement message move tasks.</summary>
    internal static bool IsUnsupported(AmazonSQSException error) =>
        error is UnsupportedOperationException
        || error.ErrorCode is "InvalidAction" or "UnsupportedOperation" or "AWS.SimpleQueueService.UnsupportedOperation" or "UnknownOperationException";

    private async Task<RedriveSummary> FollowMoveTaskAsync(
        string sourceName, string deadLetterName, int? waiting, ListMessageMoveTasksResultEntry? running, int? maxPerSecond, CancellationToken cancellationToken)
    {
        string? handle;
        long? startedAt = null;
        if (running is not null)
        {
            progress.Note($"A message move task is already running on {deadLetterName}; following it instead of starting another.");
            handle = running.TaskHandle;
            startedAt = running.StartedTimestamp;
        }
        else
        {
            var start = await sqs.StartMessageMoveTaskAsync(
                new StartMessageMoveTaskRequest { SourceArn = deadLetterArn, DestinationArn = sourceArn, MaxNumberOfMessagesPerSecond = maxPerSecond },
                cancellationToken).ConfigureAwait(false);
            handle = start.TaskHandle;
            progress.Report($"started message move task from {deadLetterName} to {sourceName}");
        }

        try
        {
            while (true)
            {
                await Task.Delay(environment.MoveTaskPollInterval, cancellationToken).ConfigureAwait(false);
                var entries = await ListTasksAsync(cancellationToken).ConfigureAwait(false);
                var task = entries.FirstOrDefault(t => handle is not null && t.TaskHandle == handle)
                    ?? (startedAt is not null ? entries.FirstOrDefault(t => t.StartedTimestamp == startedAt) : null)
                    ?? entries.FirstOrDefault();
                if (task is null)
                {
                    continue;
                }

                startedAt ??= task.StartedTimestamp;
                var moved = (int)(task.ApproximateNumberOfMessagesMoved ?? 0);
                var toMove = task.ApproximateNumberOfMessagesToMove ?? waiting;
                progress.Report(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{task.Status}: moved {moved} of ~{toMove?.ToString(CultureInfo.InvariantCulture) ?? "?"} message(s) from {deadLetterName} to {sourceName}"));
                if (task.Status is { } status && FinalStatuses.Contains(status))
                {
                    progress.Done();
                    var remaining = await DepthAsync(cancellationToken).ConfigureAwait(false);
                    return new RedriveSummary(sourceName, deadLetterName, MoveTask, DryRun: false, waiting, moved, remaining, status, handle, task.FailureReason);
                }
            }
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            progress.Done();
            throw new RedriveInterruptedException(
                $"stopped following the message move task ({handle}); it keeps running in SQS. Run the same redrive command to follow it again.", ex);
        }
    }

    private async Task<RedriveSummary> MoveOneByOneAsync(string sourceName, string deadLetterName, int? waiting, int? max, CancellationToken cancellationToken)
    {
        // Only what waited at the start: a message that fails again at once and comes back must not loop forever.
        var limit = Math.Min(max ?? int.MaxValue, waiting ?? int.MaxValue);
        var moved = 0;
        try
        {
            while (moved < limit)
            {
                var received = await sqs.ReceiveMessageAsync(
                    new ReceiveMessageRequest
                    {
                        QueueUrl = deadLetterUrl,
                        MaxNumberOfMessages = 1,
                        VisibilityTimeout = MoveVisibilityTimeoutSeconds,
                        WaitTimeSeconds = 1,
                        MessageSystemAttributeNames = ["All"],
                        MessageAttributeNames = ["All"],
                    },
                    cancellationToken).ConfigureAwait(false);
                if (received.Messages is not [var message, ..])
                {
                    break;
                }

                await MoveAsync(message, cancellationToken).ConfigureAwait(false);
                moved++;
                progress.Report(string.Create(CultureInfo.InvariantCulture, $"moved {moved} of {limit} message(s) from {deadLetterName} to {sourceName} (last: {message.MessageId})"));
            }
        }
        catch (Exception ex) when (ex is AmazonSQSException or OperationCanceledException or HttpRequestException or IOException or InvalidOperationException)
        {
            progress.Done();
            throw new RedriveInterruptedException(
                string.Create(CultureInfo.InvariantCulture, $"redrive stopped after moving {moved} message(s) from {deadLetterName} to {sourceName}: {Reason(ex)}. Nothing was lost: a message caught mid-move stays in {deadLetterName} and may also be in {sourceName} once (handled as a duplicate delivery). Run the same command again to move the rest."),
                ex);
        }

        progress.Done();
        var remaining = await DepthAsync(cancellationToken).ConfigureAwait(false);
        return new RedriveSummary(sourceName, deadLetterName, OneByOne, DryRun: false, waiting, moved, remaining, "COMPLETED", null, null);
    }

    private async Task MoveAsync(Message message, CancellationToken cancellationToken)
    {
        var deleted = false;
        try
        {
            var copy = new SendMessageRequest { QueueUrl = sourceUrl, MessageBody = message.Body };
            var carried = (message.MessageAttributes ?? [])
                .Where(a => !a.Key.StartsWith(OwnAttributePrefix, StringComparison.Ordinal))
                .ToDictionary(a => a.Key, a => new MessageAttributeValue { DataType = a.Value.DataType, StringValue = a.Value.StringValue, BinaryValue = a.Value.BinaryValue });
            if (carried.Count > 0)
            {
                copy.MessageAttributes = carried;
            }

            await sqs.SendMessageAsync(copy, cancellationToken).ConfigureAwait(false);
            if (environment.AfterRedriveCopy is { } afterCopy)
            {
                await afterCopy(message.MessageId, cancellationToken).ConfigureAwait(false);
            }

            await sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = deadLetterUrl, ReceiptHandle = message.ReceiptHandle }, cancellationToken).ConfigureAwait(false);
            deleted = true;
        }
        finally
        {
            if (!deleted)
            {
                await ReleaseAsync(message.ReceiptHandle).ConfigureAwait(false);
            }
        }
    }

    private async Task ReleaseAsync(string receiptHandle)
    {
        // Make the original visible again at once, so the next redrive finds it without waiting out the timeout.
        try
        {
            await sqs.ChangeMessageVisibilityAsync(
                new ChangeMessageVisibilityRequest { QueueUrl = deadLetterUrl, ReceiptHandle = receiptHandle, VisibilityTimeout = 0 },
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (AmazonSQSException)
        {
            // It becomes visible again after MoveVisibilityTimeoutSeconds anyway.
        }
    }

    private async Task<IReadOnlyList<ListMessageMoveTasksResultEntry>> ListTasksAsync(CancellationToken cancellationToken) =>
        (await sqs.ListMessageMoveTasksAsync(new ListMessageMoveTasksRequest { SourceArn = deadLetterArn, MaxResults = 10 }, cancellationToken).ConfigureAwait(false)).Results
        ?? [];

    private async Task<int?> DepthAsync(CancellationToken cancellationToken)
    {
        var attributes = (await sqs.GetQueueAttributesAsync(
            new GetQueueAttributesRequest { QueueUrl = deadLetterUrl, AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] },
            cancellationToken).ConfigureAwait(false)).Attributes ?? [];
        return attributes.Values.Sum(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0);
    }

    private static string Reason(Exception error) => error switch
    {
        OperationCanceledException => "cancelled",
        AmazonSQSException sqsError => $"{sqsError.ErrorCode}: {sqsError.Message}",
        _ => error.Message,
    };
}

/// <summary>A redrive stopped before it finished; the message says what was moved and how to go on.</summary>
public sealed class RedriveInterruptedException(string message, Exception inner) : Exception(message, inner);
