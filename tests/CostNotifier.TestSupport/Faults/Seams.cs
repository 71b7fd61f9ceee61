namespace CostNotifier.Testing.Faults;

/// <summary>An external call of the pipeline where a fault can be injected.</summary>
public enum Seam
{
    /// <summary><c>ICostSource.GetCostAsync</c> (Cost Explorer).</summary>
    CostSource,

    /// <summary><c>IEventStore.ReadStreamAsync</c> / <c>IReportHistory.ReadReportAsync</c>.</summary>
    StoreRead,

    /// <summary><c>IEventStore.AppendAsync</c>.</summary>
    StoreAppend,

    /// <summary><c>IClaimStore.TryAcquireAsync</c>.</summary>
    ClaimAcquire,

    /// <summary><c>IClaimStore.ReleaseAsync</c>.</summary>
    ClaimRelease,

    /// <summary><c>IMessagePublisher.PublishAsync</c> (SQS SendMessageBatch).</summary>
    Publish,

    /// <summary><c>IDeadLetterSink.SendAsync</c>.</summary>
    DeadLetter,

    /// <summary><c>IEmailSender.SendAsync</c> (SES v2 SendEmail).</summary>
    EmailSend,

    /// <summary>The event source mapping deleting a processed message.</summary>
    QueueDelete,
}

/// <summary>What goes wrong at a seam.</summary>
public enum FaultKind
{
    /// <summary>The call fails before it takes effect with an error a retry may cure (a 5xx, a dropped connection).</summary>
    Transient,

    /// <summary>The call is refused before it takes effect because of rate limiting, after the SDK's own retries.</summary>
    Throttling,

    /// <summary>The call times out before it takes effect (<see cref="TimeoutException"/> or <see cref="OperationCanceledException"/>).</summary>
    Timeout,

    /// <summary>The call takes effect, then the caller is told it timed out: the response was lost.</summary>
    AmbiguousTimeout,

    /// <summary>
    /// The call takes effect, then the worker dies: its flow stops there for good, no <c>finally</c> block runs, no
    /// further record of the batch is processed and nothing is deleted from the queue.
    /// </summary>
    Crash,
}
