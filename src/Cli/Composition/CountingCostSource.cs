using CostNotifier.CostData;

namespace CostNotifier.Cli.Composition;

/// <summary>Counts the billable requests a cost source reports making, so a command can say what it spent.</summary>
internal sealed class CountingCostSource(ICostSource inner) : ICostSource
{
    private int _requests;

    /// <summary>Requests (pages) made so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <inheritdoc />
    public async Task<CostQueryResult> GetCostAsync(CostQuery query, CancellationToken cancellationToken)
    {
        var result = await inner.GetCostAsync(query, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _requests, result.Requests);
        return result;
    }
}
