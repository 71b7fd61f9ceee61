namespace CostNotifier.Testing.Faults;

/// <summary>A transient failure injected at a seam (what is left of a 5xx after the SDK's retries).</summary>
public sealed class InjectedTransientException(Seam seam, string operation)
    : Exception($"Injected transient failure at {seam} ({operation}).")
{
    /// <summary>Where it was injected.</summary>
    public Seam Seam { get; } = seam;
}

/// <summary>A throttling refusal injected at a seam (what is left of a 429 after the SDK's retries).</summary>
public sealed class InjectedThrottlingException(Seam seam, string operation)
    : Exception($"Injected throttling at {seam} ({operation}): rate exceeded.")
{
    /// <summary>Where it was injected.</summary>
    public Seam Seam { get; } = seam;
}
