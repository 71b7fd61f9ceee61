namespace CostNotifier.Cli.Output;

/// <summary>What <c>stack</c> resolved and found. Field names are the stable JSON contract (docs/CLI.md).</summary>
/// <param name="Target"><c>local</c> or <c>aws</c>.</param>
/// <param name="Stack">The stack name (aws), or null.</param>
/// <param name="Region">The region (aws), or null.</param>
/// <param name="Endpoint">The endpoint override in effect, or null for AWS's own endpoints.</param>
/// <param name="DataDirectory">The data directory (local), or null.</param>
/// <param name="Queues">The work queues and dead-letter queues.</param>
/// <param name="Table">The event store.</param>
/// <param name="Functions">The functions, where their names are known.</param>
/// <param name="Reports">The report ids the CLI knows, and from where.</param>
/// <param name="Problems">Everything missing or miswired, one line each; empty when all is well.</param>
public sealed record StackView(
    string Target,
    string? Stack,
    string? Region,
    string? Endpoint,
    string? DataDirectory,
    IReadOnlyList<QueueView> Queues,
    TableView Table,
    IReadOnlyList<FunctionView> Functions,
    ReportsView Reports,
    IReadOnlyList<string> Problems);

/// <summary>One queue.</summary>
/// <param name="Role"><c>collector</c>, <c>collector-dlq</c>, <c>notifier</c>, <c>notifier-dlq</c>, <c>scheduler-dlq</c> or <c>scheduler-failures</c>.</param>
/// <param name="Name">The queue's name.</param>
/// <param name="Url">Its URL (aws), or null.</param>
/// <param name="Exists">Whether it exists.</param>
/// <param name="Visible">Messages waiting (approximate on SQS).</param>
/// <param name="InFlight">Messages received and not yet deleted (approximate on SQS).</param>
/// <param name="DeadLetterQueue">For a work queue, the name of the queue its redrive policy dead-letters to.</param>
public sealed record QueueView(string Role, string Name, string? Url, bool Exists, int? Visible, int? InFlight, string? DeadLetterQueue);

/// <summary>The event table.</summary>
/// <param name="Name">Table name (aws) or database file (local).</param>
/// <param name="Exists">Whether it exists.</param>
/// <param name="Status">DynamoDB's table status, e.g. <c>ACTIVE</c>; <c>sqlite</c> locally.</param>
/// <param name="ItemCount">DynamoDB's approximate item count (updated about every six hours), or null.</param>
/// <param name="HasReportIndex">Whether the by-report-date index that snapshot queries use exists.</param>
public sealed record TableView(string Name, bool Exists, string? Status, long? ItemCount, bool? HasReportIndex);

/// <summary>A function.</summary>
/// <param name="Role"><c>scheduler</c>, <c>collector</c> or <c>notifier</c>.</param>
/// <param name="Name">The function name.</param>
/// <param name="Exists">Whether it exists; null when it could not be checked.</param>
/// <param name="State">Lambda's state (e.g. <c>Active</c>) or why it could not be checked.</param>
public sealed record FunctionView(string Role, string Name, bool? Exists, string? State);

/// <summary>The report list the CLI uses.</summary>
/// <param name="Source">Where it came from: a file path, <c>COSTNOTIFIER_REPORTS</c>, the data directory, or null when unknown.</param>
/// <param name="Ids">The report ids; empty when unknown.</param>
public sealed record ReportsView(string? Source, IReadOnlyList<string> Ids);

/// <summary>What <c>redrive</c> did (or, with <c>--dry-run</c>, would do).</summary>
/// <param name="Source">The work queue messages go back to.</param>
/// <param name="DeadLetterQueue">The dead-letter queue they come from.</param>
/// <param name="Method"><c>local</c>, <c>message-move-task</c> or <c>receive-send-delete</c>.</param>
/// <param name="DryRun">Whether nothing was moved.</param>
/// <param name="Waiting">Messages in the dead-letter queue before the move (approximate on SQS).</param>
/// <param name="Moved">Messages moved (approximate for a message move task).</param>
/// <param name="Remaining">Messages left in the dead-letter queue afterwards, when known.</param>
/// <param name="Status">Final status: <c>COMPLETED</c>, <c>FAILED</c>, <c>CANCELLED</c>, <c>RUNNING</c> (still going) or <c>DRY-RUN</c>.</param>
/// <param name="TaskHandle">The SQS message move task handle, when one was used.</param>
/// <param name="FailureReason">Why a move task failed, when it did.</param>
public sealed record RedriveSummary(
    string Source,
    string DeadLetterQueue,
    string Method,
    bool DryRun,
    int? Waiting,
    int Moved,
    int? Remaining,
    string Status,
    string? TaskHandle,
    string? FailureReason);
