using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Util.Internal;

namespace CostNotifier.Aws.Protocol;

/// <summary>
/// The SDK client configuration of one service described by an <see cref="AwsServiceSpec"/>: service id, signing
/// name and endpoint rules, with the SDK's standard defaults modes (timeouts, standard retry mode).
/// </summary>
public sealed class AwsProtocolConfig : ClientConfig
{
    private static readonly string SdkVersion =
        typeof(AwsProtocolConfig).Assembly.GetName().Version?.ToString() ?? "1.0.0.0";

    private readonly string _userAgent;

    /// <summary>Creates the configuration for <paramref name="spec"/>; region or endpoint are set afterwards.</summary>
    public AwsProtocolConfig(AwsServiceSpec spec)
        : base(new DefaultConfigurationProvider(DefaultsModes))
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        ServiceId = spec.ServiceId;
        AuthenticationServiceName = spec.SigningName;
        EndpointProvider = new AwsProtocolEndpointProvider(spec);
        _userAgent = InternalSDKUtils.BuildUserAgentString(spec.ServiceId.Replace(" ", string.Empty, StringComparison.Ordinal), SdkVersion);
    }

    /// <summary>The service this configuration reaches.</summary>
    public AwsServiceSpec Spec { get; }

    /// <inheritdoc />
    public override string RegionEndpointServiceName => Spec.EndpointPrefix;

    /// <inheritdoc />
    public override string ServiceVersion => Spec.ApiVersion;

    /// <inheritdoc />
    public override string UserAgent => _userAgent;

    /// <inheritdoc />
    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return EndpointProvider.ResolveEndpoint(AwsProtocolEndpointResolver.ParametersFor(this, parameters.AlternateEndpoint));
    }

    // The same values the generated SDK clients ship: standard retry mode, tighter connect timeouts in-region.
    private static IEnumerable<IDefaultConfiguration> DefaultsModes =>
    [
        Mode(DefaultConfigurationMode.Standard, 3100),
        Mode(DefaultConfigurationMode.InRegion, 1100),
        Mode(DefaultConfigurationMode.CrossRegion, 3100),
        Mode(DefaultConfigurationMode.Mobile, 30000),
        Mode(DefaultConfigurationMode.Auto, 1100),
    ];

    private static DefaultConfiguration Mode(DefaultConfigurationMode name, int connectTimeoutMs) => new()
    {
        Name = name,
        RetryMode = RequestRetryMode.Standard,
        S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
        ConnectTimeout = TimeSpan.FromMilliseconds(connectTimeoutMs),
        TlsNegotiationTimeout = TimeSpan.FromMilliseconds(connectTimeoutMs),
    };
}
