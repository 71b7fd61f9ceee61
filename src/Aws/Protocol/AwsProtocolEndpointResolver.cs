using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Util;

namespace CostNotifier.Aws.Protocol;

/// <summary>
/// The pipeline step that maps the client configuration to endpoint parameters (region, override, FIPS,
/// dual-stack) and lets <see cref="AwsProtocolEndpointProvider"/> pick the endpoint and signing scope.
/// </summary>
public sealed class AwsProtocolEndpointResolver : BaseEndpointResolver
{
    /// <summary>The endpoint parameters for <paramref name="config"/>, as the generated SDK resolvers build them.</summary>
    public static EndpointParameters ParametersFor(IClientConfig config, RegionEndpoint? alternateEndpoint)
    {
        ArgumentNullException.ThrowIfNull(config);
        var region = alternateEndpoint?.SystemName ?? config.RegionEndpoint?.SystemName;
        if (config.RegionEndpoint is null && !string.IsNullOrEmpty(config.ServiceURL) && alternateEndpoint is null)
        {
            region = !string.IsNullOrEmpty(config.AuthenticationRegion)
                ? config.AuthenticationRegion
                : AWSSDKUtils.DetermineRegion(config.ServiceURL);
        }

        var parameters = new EndpointParameters();
        parameters["Region"] = region == "us-east-1-regional" ? "us-east-1" : region;
        parameters["UseDualStack"] = config.UseDualstackEndpoint;
        parameters["UseFIPS"] = config.UseFIPSEndpoint;
        parameters["Endpoint"] = config.ServiceURL;
        return parameters;
    }

    /// <inheritdoc />
    protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext)
    {
        ArgumentNullException.ThrowIfNull(requestContext);
        return ParametersFor(requestContext.ClientConfig, requestContext.Request.AlternateEndpoint);
    }
}
