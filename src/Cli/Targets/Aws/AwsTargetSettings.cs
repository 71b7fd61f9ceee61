using System.CommandLine;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using CostNotifier.Aws;
using CostNotifier.Aws.Sqs;
using CostNotifier.Configuration;
using CostNotifier.Domain;

namespace CostNotifier.Cli.Targets.Aws;

/// <summary>Where a resource's name or URL came from, for messages that tell the operator what to change.</summary>
/// <param name="Role">What the resource is for.</param>
/// <param name="Url">The queue URL given explicitly; null when only a name is known.</param>
/// <param name="Name">The queue or table name.</param>
/// <param name="Origin">The option or variable that named it, e.g. <c>--stack costs-prod</c>.</param>
/// <param name="ByConvention">Whether the name was derived from the stack name.</param>
public sealed record ResourceRef(StackRole Role, string? Url, string Name, string Origin, bool ByConvention);

/// <summary>
/// How the CLI reaches a deployed stack: the AWS connection (profile, region, endpoint, credentials) and each
/// resource, named explicitly, by environment variable, or by the stack's naming convention. Precedence, most
/// specific first: an explicit option, then <c>--stack</c>, then the functions' environment variables, then
/// <c>$COSTNOTIFIER_STACK</c>.
/// </summary>
public sealed class AwsTargetSettings
{
    /// <summary>Environment variable naming the stack.</summary>
    public const string StackVariable = "COSTNOTIFIER_STACK";

    /// <summary>Environment variable naming the event table.</summary>
    public const string TableVariable = "COSTNOTIFIER_EVENTS_TABLE";

    /// <summary>Environment variable holding the report definitions.</summary>
    public const string ReportsVariable = "COSTNOTIFIER_REPORTS";

    private readonly CliEnvironment _environment;
    private readonly Dictionary<StackRole, ResourceRef> _resources;

    private AwsTargetSettings(
        AwsConnection connection, CliEnvironment environment, string? stack, Dictionary<StackRole, ResourceRef> resources, ReportCatalog? reports, string? reportsSource)
    {
        Connection = connection;
        _environment = environment;
        StackName = stack;
        _resources = resources;
        Reports = reports;
        ReportsSource = reportsSource;
    }

    /// <summary>The connection every client starts from.</summary>
    public AwsConnection Connection { get; }

    /// <summary>The region.</summary>
    public string Region => Connection.Region!;

    /// <summary>The stack name, when one was given.</summary>
    public string? StackName { get; }

    /// <summary>The reports, when known.</summary>
    public ReportCatalog? Reports { get; }

    /// <summary>Where <see cref="Reports"/> came from.</summary>
    public string? ReportsSource { get; }

    /// <summary>The resource of <paramref name="role"/>, or null when nothing names it.</summary>
    public ResourceRef? Resource(StackRole role) => _resources.TryGetValue(role, out var resource) ? resource : null;

    /// <summary>The services whose <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> this run's environment can set.</summary>
    public static IReadOnlyList<string> Services { get; } =
        [AwsConnection.Services.Sqs, AwsConnection.Services.DynamoDb, AwsConnection.Services.Lambda];

    /// <summary>The endpoint override in effect for <paramref name="service"/>, or null.</summary>
    public string? EndpointFor(string service) => Connection.EndpointFor(service);

    /// <summary>Reads the settings from the command line and environment. Bad input throws <see cref="ArgumentException"/>.</summary>
    public static AwsTargetSettings Resolve(ParseResult parsed, TargetOptions options, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);

        var stackOption = parsed.GetValue(options.Stack);
        var stackVariable = environment.Get(StackVariable);
        if (stackOption is null && stackVariable is not null && !TargetOptions.IsValidStackName(stackVariable))
        {
            throw new ArgumentException($"{StackVariable} '{stackVariable}' is not a stack name: Terraform's name_prefix is 2-24 lowercase letters, digits and '-'.");
        }

        var stack = stackOption ?? stackVariable;
        var resources = new Dictionary<StackRole, ResourceRef>();
        void Queue(StackRole role, Option<string?> option, string variable)
        {
            var explicitUrl = parsed.GetValue(option);
            var fromVariable = environment.Get(variable);
            ResourceRef? resource =
                explicitUrl is not null ? new(role, explicitUrl, NameOf(explicitUrl), option!.Name, false)
                : stackOption is not null ? new(role, null, role.ConventionalName(stackOption), $"--stack {stackOption}", true)
                : fromVariable is not null ? new(role, fromVariable, NameOf(fromVariable), variable, false)
                : stackVariable is not null ? new(role, null, role.ConventionalName(stackVariable), $"{StackVariable}={stackVariable}", true)
                : null;
            if (resource is not null)
            {
                resources[role] = resource;
            }
        }

        Queue(StackRole.Collector, options.CollectorQueueUrl, SqsQueueUrls.CollectorVariable);
        Queue(StackRole.CollectorDeadLetter, options.CollectorDlqUrl, SqsQueueUrls.CollectorDeadLetterVariable);
        Queue(StackRole.Notifier, options.NotifierQueueUrl, SqsQueueUrls.NotifierVariable);
        Queue(StackRole.NotifierDeadLetter, options.NotifierDlqUrl, SqsQueueUrls.NotifierDeadLetterVariable);
        if (stack is not null)
        {
            foreach (var role in new[] { StackRole.SchedulerDeadLetter, StackRole.SchedulerFailures, StackRole.Delivery, StackRole.DeliveryDeadLetter })
            {
                resources[role] = new(role, null, role.ConventionalName(stack), Origin(stackOption, stack), true);
            }
        }

        const StackRole events = StackRole.Events;
        var table = parsed.GetValue(options.Table) is { } explicitTable ? new ResourceRef(events, null, explicitTable, options.Table.Name, false)
            : stackOption is not null ? new ResourceRef(events, null, events.ConventionalName(stackOption), $"--stack {stackOption}", true)
            : environment.Get(TableVariable) is { } tableVariable ? new ResourceRef(events, null, tableVariable, TableVariable, false)
            : stackVariable is not null ? new ResourceRef(events, null, events.ConventionalName(stackVariable), $"{StackVariable}={stackVariable}", true)
            : null;
        if (table is not null)
        {
            resources[events] = table;
        }

        if (resources.Count == 0)
        {
            throw new ArgumentException(
                "say which stack to operate: --stack NAME (Terraform's name_prefix, also $COSTNOTIFIER_STACK), or the resources one by one (--collector-queue-url, --table, ...).");
        }

        var (reports, reportsSource) = ReadReports(parsed.GetValue(options.ReportsFile), environment);
        return new AwsTargetSettings(Connect(parsed, options, environment, Services), environment, stack, resources, reports, reportsSource);
    }

    /// <summary>The queue name at the end of an SQS queue URL.</summary>
    public static string NameOf(string queueUrl) =>
        Uri.TryCreate(queueUrl, UriKind.Absolute, out var uri) && uri.Segments.Length > 0
            ? uri.Segments[^1].TrimEnd('/')
            : queueUrl;

    private static string Origin(string? stackOption, string stack) => stackOption is not null ? $"--stack {stack}" : $"{StackVariable}={stack}";

    private static (ReportCatalog? Catalog, string? Source) ReadReports(string? file, CliEnvironment environment)
    {
        if (file is not null)
        {
            var json = OptionFile.ReadAllText(file, "--reports-file");

            try
            {
                return (ReportConfiguration.Parse(json), Path.GetFullPath(file));
            }
            catch (FormatException ex)
            {
                throw new ArgumentException($"--reports-file '{file}': {ex.Message}", ex);
            }
        }

        if (environment.Get(ReportsVariable) is { } variable)
        {
            try
            {
                return (ReportConfiguration.Parse(variable), ReportsVariable);
            }
            catch (FormatException ex)
            {
                throw new ArgumentException($"{ReportsVariable}: {ex.Message}", ex);
            }
        }

        return (null, null);
    }

    /// <summary>
    /// The connection the command line names (<c>--profile</c>, <c>--region</c>, <c>--endpoint-url</c>) or the
    /// environment does, as the AWS CLI resolves them; <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> is read for each of
    /// <paramref name="services"/>.
    /// </summary>
    internal static AwsConnection Connect(ParseResult parsed, TargetOptions options, CliEnvironment environment, IReadOnlyList<string> services)
    {
        var profileOption = parsed.GetValue(options.Profile);
        var profileName = profileOption ?? environment.Get("AWS_PROFILE");
        CredentialProfile? profile = null;
        // The SDK finds the config file beside the credentials file (or at AWS_CONFIG_FILE).
        var profiles = environment.Get("AWS_SHARED_CREDENTIALS_FILE") is { } credentialsFile
            ? new CredentialProfileStoreChain(credentialsFile)
            : new CredentialProfileStoreChain();
        if (profileName is not null && !profiles.TryGetProfile(profileName, out profile))
        {
            throw new ArgumentException(
                $"{(profileOption is not null ? "--profile" : "AWS_PROFILE")} '{profileName}' is not a profile in ~/.aws/config or ~/.aws/credentials; 'aws configure list-profiles' shows them.");
        }

        if (profile is null && profiles.TryGetProfile("default", out var defaultProfile))
        {
            // Only for its region: without a named profile the SDK's default chain picks the credentials.
            profile = defaultProfile;
        }

        var region = parsed.GetValue(options.Region)
            ?? environment.Get("AWS_REGION")
            ?? environment.Get("AWS_DEFAULT_REGION")
            ?? profile?.Region?.SystemName
            ?? throw new ArgumentException("no AWS region: pass --region, set AWS_REGION, or give the profile a region ('aws configure set region ...').");

        AWSCredentials? credentials = null;
        if (profileName is not null)
        {
            if (!profiles.TryGetAWSCredentials(profileName, out credentials))
            {
                throw new ArgumentException($"profile '{profileName}' has no usable credentials; check it with 'aws sts get-caller-identity --profile {profileName}'.");
            }
        }
        else if (environment.Get("AWS_ACCESS_KEY_ID") is { } accessKey && environment.Get("AWS_SECRET_ACCESS_KEY") is { } secretKey)
        {
            credentials = environment.Get("AWS_SESSION_TOKEN") is { } token
                ? new SessionAWSCredentials(accessKey, secretKey, token)
                : new BasicAWSCredentials(accessKey, secretKey);
        }

        // AWS_ENDPOINT_URL_<SERVICE> beats --endpoint-url, which beats AWS_ENDPOINT_URL, as in the AWS CLI.
        var endpoint = parsed.GetValue(options.EndpointUrl) ?? environment.Get("AWS_ENDPOINT_URL");
        var perService = services
            .Select(service => (service, url: environment.Get("AWS_ENDPOINT_URL_" + service)))
            .Where(e => e.url is not null)
            .ToDictionary(e => e.service, e => e.url!, StringComparer.Ordinal);
        return new AwsConnection(region, Profile: null, endpoint, credentials, perService.Count > 0 ? perService : null);
    }
}
