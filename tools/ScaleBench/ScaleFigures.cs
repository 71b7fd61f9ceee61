namespace CostNotifier.ScaleBench;

/// <summary>What one mode of the benchmark measured; null where the mode has no such figure.</summary>
internal sealed record ScaleFigures(string Mode)
{
    public int CostExplorerRequests { get; init; }

    public int? CollectorMessages { get; init; }

    /// <summary>Account shares collected, emailed and skipped, when the mode can tell.</summary>
    public (int Collected, int Emailed, int Skipped)? Shares { get; init; }

    public int EmailsDelivered { get; init; }

    public string EmailsWhere { get; init; } = string.Empty;

    public int? SesCalls { get; init; }

    public int? SqsRequests { get; init; }

    public string? SqsOperations { get; init; }

    public int? DynamoDbRequests { get; init; }

    public string? DynamoDbOperations { get; init; }

    public long StoredBytes { get; init; }

    public string StoredWhat { get; init; } = string.Empty;

    public int? LocalQueueMessages { get; init; }

    public int DeadLettered { get; init; }

    public string DeadLetterDetail { get; init; } = string.Empty;

    /// <summary>Peak resident memory per function or process, in bytes (the largest of its processes).</summary>
    public IReadOnlyList<(string Process, long Bytes)> PeakMemory { get; init; } = [];

    public double WallSeconds { get; init; }

    public string WallWhat { get; init; } = string.Empty;

    /// <summary>Notes on the figures (e.g. time the Cost Explorer stand-in spent answering).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Why the run itself failed; empty when it worked (a missed target is not a failure).</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];
}
