using System.Collections.Frozen;

namespace CostNotifier.Aws.Protocol;

/// <summary>
/// What a client must know about one AWS service to reach it: the SDK service id, the SigV4 signing name, the
/// endpoint host prefix, the API version and, for services served from one region per partition (Cost Explorer),
/// which region that is.
/// </summary>
public sealed record AwsServiceSpec
{
    /// <summary>The SDK service id, e.g. <c>Cost Explorer</c>; it also names the SDK's own endpoint variables.</summary>
    public required string ServiceId { get; init; }

    /// <summary>The key of <see cref="AwsConnection.EndpointFor"/>, e.g. <see cref="AwsConnection.Services.CostExplorer"/>.</summary>
    public required string EndpointOverrideKey { get; init; }

    /// <summary>The SigV4 signing name, e.g. <c>ce</c> or <c>ses</c>.</summary>
    public required string SigningName { get; init; }

    /// <summary>The endpoint host prefix, e.g. <c>ce</c> or <c>email</c>.</summary>
    public required string EndpointPrefix { get; init; }

    /// <summary>The API version, e.g. <c>2017-10-25</c>.</summary>
    public required string ApiVersion { get; init; }

    /// <summary>
    /// Partition name (<c>aws</c>, <c>aws-cn</c>) → the one region that serves and signs for the whole partition.
    /// Empty for regional services.
    /// </summary>
    public IReadOnlyDictionary<string, string> PartitionRegions { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>The region requests are signed for when the caller runs in <paramref name="region"/>.</summary>
    public string SigningRegionFor(string region)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        var partition = Amazon.Runtime.Internal.Endpoints.StandardLibrary.Fn.Partition(region);
        return partition is not null && PartitionRegions.TryGetValue(partition.name, out var home) ? home : region;
    }
}
