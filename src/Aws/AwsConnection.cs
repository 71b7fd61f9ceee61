using Amazon;
using Amazon.Runtime;

namespace CostNotifier.Aws;

/// <summary>
/// How every AWS client of a process reaches AWS: region, optional named profile, optional endpoint override and
/// optional fixed credentials. Endpoint overrides follow the AWS CLI's conventions:
/// <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> wins over an explicit <see cref="EndpointUrl"/>, which wins over
/// <c>AWS_ENDPOINT_URL</c>. Without credentials the SDK's default chain resolves them.
/// </summary>
/// <param name="Region">The region, e.g. <c>eu-west-1</c>; null to let the SDK resolve it.</param>
/// <param name="Profile">A named profile from the shared config files; null for the default chain.</param>
/// <param name="EndpointUrl">An endpoint for every service (an emulator, a VPC endpoint); null for AWS's.</param>
/// <param name="Credentials">Fixed credentials (tests); null for the default chain.</param>
/// <param name="ServiceEndpoints">Endpoints per service id (<see cref="Services"/>), winning over everything else;
/// lets one process talk to several emulators without touching its environment.</param>
public sealed record AwsConnection(
    string? Region = null,
    string? Profile = null,
    string? EndpointUrl = null,
    AWSCredentials? Credentials = null,
    IReadOnlyDictionary<string, string>? ServiceEndpoints = null)
{
    /// <summary>Service ids used in <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> variables.</summary>
    public static class Services
    {
        /// <summary>Amazon SQS.</summary>
        public const string Sqs = "SQS";

        /// <summary>Amazon DynamoDB.</summary>
        public const string DynamoDb = "DYNAMODB";

        /// <summary>AWS Cost Explorer.</summary>
        public const string CostExplorer = "COST_EXPLORER";

        /// <summary>Amazon SES v2.</summary>
        public const string SesV2 = "SESV2";

        /// <summary>AWS Lambda.</summary>
        public const string Lambda = "LAMBDA";

        /// <summary>AWS Systems Manager (Parameter Store).</summary>
        public const string Ssm = "SSM";
    }

    /// <summary>
    /// The endpoint to use for <paramref name="service"/>, or null for AWS's own: <see cref="ServiceEndpoints"/>, then
    /// <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, then <see cref="EndpointUrl"/>, then <c>AWS_ENDPOINT_URL</c>.
    /// </summary>
    public string? EndpointFor(string service) =>
        (ServiceEndpoints is not null && ServiceEndpoints.TryGetValue(service, out var configured) ? NonEmpty(configured) : null)
        ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_" + service))
        ?? NonEmpty(EndpointUrl)
        ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"));

    /// <summary>The region name, resolved from this connection or the environment; <paramref name="fallback"/> when neither says.</summary>
    public string RegionName(string fallback = "us-east-1") =>
        NonEmpty(Region)
        ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_REGION"))
        ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"))
        ?? fallback;

    /// <summary>
    /// Points <paramref name="config"/> at the region and, when overridden, the endpoint for <paramref name="service"/>.
    /// </summary>
    public void Apply(ClientConfig config, string service)
    {
        ArgumentNullException.ThrowIfNull(config);
        var region = RegionName();
        if (EndpointFor(service) is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        if (NonEmpty(Profile) is { } profile)
        {
            config.Profile = new Profile(profile);
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
