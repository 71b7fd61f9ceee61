using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace CostNotifier.Aws.Protocol;

/// <summary>
/// An SDK service client for a service without a generated SDK package. Requests run through AWSSDK.Core's own
/// runtime pipeline: credential resolution (explicit credentials or the default chain), endpoint resolution,
/// SigV4 signing, error unmarshalling, and the standard retry policy with its throttling back-off.
/// Thread-safe; create one per process and reuse it.
/// </summary>
public sealed class AwsProtocolClient : AmazonServiceClient
{
    private IServiceMetadata? _metadata;

    /// <summary>Creates a client for <paramref name="spec"/> reached through <paramref name="connection"/>.</summary>
    /// <param name="connection">Region, profile, endpoint override and credentials.</param>
    /// <param name="spec">The service.</param>
    /// <param name="signingRegion">Signs for this region instead of the one the service's rules choose.</param>
    public AwsProtocolClient(AwsConnection connection, AwsServiceSpec spec, string? signingRegion = null)
        : base(connection?.Credentials, CreateConfig(connection, spec, signingRegion))
    {
    }

    /// <summary>The resolved configuration (region, endpoint, signing scope, retries).</summary>
    public AwsProtocolConfig ProtocolConfig => (AwsProtocolConfig)Config;

    /// <inheritdoc />
    protected override IServiceMetadata ServiceMetadata => _metadata ??= new AwsProtocolMetadata(ProtocolConfig.Spec.ServiceId);

    /// <summary>
    /// Sends <paramref name="request"/> and returns the response body. Throttling, 5xx and network errors are
    /// retried by the SDK; what is left surfaces as <see cref="AmazonServiceException"/> (with the service's
    /// error code) or <see cref="AmazonClientException"/>.
    /// </summary>
    public Task<AwsJsonResponse> SendAsync(AwsJsonRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new InvokeOptions
        {
            RequestMarshaller = AwsJsonRequestMarshaller.Instance,
            ResponseUnmarshaller = AwsJsonResponseUnmarshaller.Instance,
        };
        return InvokeAsync<AwsJsonResponse>(request, options, cancellationToken);
    }

    /// <inheritdoc />
    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        pipeline.RemoveHandler<EndpointResolver>();
        pipeline.AddHandlerAfter<Marshaller>(new AwsProtocolEndpointResolver());
        pipeline.AddHandlerAfter<Marshaller>(new SigV4AuthSchemeHandler());
    }

    private static AwsProtocolConfig CreateConfig(AwsConnection? connection, AwsServiceSpec spec, string? signingRegion)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(spec);
        var config = new AwsProtocolConfig(spec);
        connection.Apply(config, spec.EndpointOverrideKey);
        if (!string.IsNullOrWhiteSpace(signingRegion))
        {
            config.AuthenticationRegion = signingRegion;
        }
        else if (!string.IsNullOrEmpty(config.ServiceURL))
        {
            // An overridden endpoint has no rules to name its signing scope: sign as the real service would.
            config.AuthenticationRegion = spec.SigningRegionFor(connection.RegionName());
        }

        return config;
    }

    private sealed class AwsProtocolMetadata(string serviceId) : IServiceMetadata
    {
        public string ServiceId => serviceId;

        public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>(0);
    }
}
