namespace CostNotifier.Collector.CostExplorer;

/// <summary>How the Cost Explorer client bounds and signs its calls.</summary>
/// <param name="MaxPages">
/// The most pages one query may fetch. Each page is a billable request ($0.01); a query that needs more is
/// refused rather than left to run up a bill.
/// </param>
/// <param name="SigningRegion">
/// Signs for this region instead of the partition's Cost Explorer region (<c>us-east-1</c> in the commercial
/// partition); null to follow AWS's endpoint rules.
/// </param>
public sealed record CostExplorerOptions(int MaxPages = CostExplorerOptions.DefaultMaxPages, string? SigningRegion = null)
{
    /// <summary>The page limit when none is configured.</summary>
    public const int DefaultMaxPages = 50;

    /// <summary>The defaults: <see cref="DefaultMaxPages"/> pages, AWS's signing region.</summary>
    public static CostExplorerOptions Default { get; } = new();
}
