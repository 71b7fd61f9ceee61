using System.Globalization;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal.Endpoints.StandardLibrary;

namespace CostNotifier.Aws.Protocol;

/// <summary>
/// Endpoint rules for a service described by an <see cref="AwsServiceSpec"/>, following the shape of AWS's own
/// rule sets: an override is used as given; a partition-wide service (Cost Explorer) answers from its one region
/// and is signed for it; a regional service answers at <c>https://{prefix}.{region}.{dnsSuffix}</c>.
/// FIPS and dual-stack endpoints are not offered by these services' clients and are refused.
/// </summary>
public sealed class AwsProtocolEndpointProvider(AwsServiceSpec spec) : IEndpointProvider
{
    /// <inheritdoc />
    public Endpoint ResolveEndpoint(EndpointParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (Equals(parameters["UseFIPS"], true) || Equals(parameters["UseDualStack"], true))
        {
            throw new AmazonClientException(
                $"Invalid configuration: the {spec.ServiceId} client does not support FIPS or dual-stack endpoints.");
        }

        if (parameters["Endpoint"] is string endpoint && endpoint.Length > 0)
        {
            return new Endpoint(endpoint);
        }

        if (parameters["Region"] is not string region || region.Length == 0)
        {
            throw new AmazonClientException($"Invalid configuration: no region is set for {spec.ServiceId}.");
        }

        var partition = Fn.Partition(region)
            ?? throw new AmazonClientException($"Invalid configuration: '{region}' is not in any known AWS partition.");
        if (spec.PartitionRegions.TryGetValue(partition.name, out var home))
        {
            var url = string.Create(CultureInfo.InvariantCulture, $"https://{spec.EndpointPrefix}.{home}.{partition.dnsSuffix}");
            var authSchemes =
                $$"""{"authSchemes":[{"name":"sigv4","signingName":"{{spec.SigningName}}","signingRegion":"{{home}}"}]}""";
            return new Endpoint(url, authSchemes, null);
        }

        return new Endpoint(string.Create(CultureInfo.InvariantCulture, $"https://{spec.EndpointPrefix}.{region}.{partition.dnsSuffix}"));
    }
}
