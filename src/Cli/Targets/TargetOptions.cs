using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace CostNotifier.Cli.Targets;

/// <summary>
/// The options that choose what a command operates on: the embedded data directory (<c>--target local</c>, the
/// default) or a deployed stack (<c>--target aws</c>), with the AWS CLI's <c>--profile</c>, <c>--region</c> and
/// <c>--endpoint-url</c>, and the stack's resources named by <c>--stack</c> or one by one.
/// </summary>
public sealed partial class TargetOptions
{
    /// <summary>The embedded default.</summary>
    public const string Local = "local";

    /// <summary>A deployed stack.</summary>
    public const string Aws = "aws";

    /// <summary>Creates the options; <paramref name="dataDir"/> is the embedded default's <c>--data-dir</c>.</summary>
    public TargetOptions(Option<string?> dataDir)
    {
        DataDir = dataDir;
        Target.AcceptOnlyFromAmong(Local, Aws);
        AwsOnly = [Profile, Region, EndpointUrl, Stack, CollectorQueueUrl, CollectorDlqUrl, NotifierQueueUrl, NotifierDlqUrl, Table, ReportsFile];
    }

    /// <summary><c>--data-dir</c> (local only).</summary>
    public Option<string?> DataDir { get; }

    /// <summary><c>--target local|aws</c>.</summary>
    public Option<string> Target { get; } = new("--target")
    {
        Description = "What to operate on: 'local' (the embedded data directory, default) or 'aws' (a deployed stack).",
        DefaultValueFactory = _ => Local,
    };

    /// <summary><c>--profile</c>.</summary>
    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = "[aws] Named profile from ~/.aws/config or ~/.aws/credentials (default: $AWS_PROFILE, else the standard credential chain).",
    };

    /// <summary><c>--region</c>.</summary>
    public Option<string?> Region { get; } = new("--region")
    {
        Description = "[aws] Region of the stack (default: $AWS_REGION, $AWS_DEFAULT_REGION, else the profile's region).",
    };

    /// <summary><c>--endpoint-url</c>.</summary>
    public Option<string?> EndpointUrl { get; } = new("--endpoint-url")
    {
        Description = "[aws] Send every AWS request to this URL (an AWS-compatible emulator, a VPC endpoint). AWS_ENDPOINT_URL_<SERVICE> variables override it per service.",
    };

    /// <summary><c>--stack</c>.</summary>
    public Option<string?> Stack { get; } = new("--stack")
    {
        Description = "[aws] The stack's name prefix (Terraform's name_prefix): queues P-collector, P-collector-dlq, P-notifier, P-notifier-dlq, table P-events, functions P-scheduler|collector|notifier (default: $COSTNOTIFIER_STACK).",
    };

    /// <summary><c>--collector-queue-url</c>.</summary>
    public Option<string?> CollectorQueueUrl { get; } = new("--collector-queue-url")
    {
        Description = "[aws] Collector queue URL instead of the one named by --stack (default: $COSTNOTIFIER_COLLECTOR_QUEUE_URL).",
    };

    /// <summary><c>--collector-dlq-url</c>.</summary>
    public Option<string?> CollectorDlqUrl { get; } = new("--collector-dlq-url")
    {
        Description = "[aws] Collector dead-letter queue URL (default: $COSTNOTIFIER_COLLECTOR_DLQ_URL).",
    };

    /// <summary><c>--notifier-queue-url</c>.</summary>
    public Option<string?> NotifierQueueUrl { get; } = new("--notifier-queue-url")
    {
        Description = "[aws] Notifier queue URL (default: $COSTNOTIFIER_NOTIFIER_QUEUE_URL).",
    };

    /// <summary><c>--notifier-dlq-url</c>.</summary>
    public Option<string?> NotifierDlqUrl { get; } = new("--notifier-dlq-url")
    {
        Description = "[aws] Notifier dead-letter queue URL (default: $COSTNOTIFIER_NOTIFIER_DLQ_URL).",
    };

    /// <summary><c>--table</c>.</summary>
    public Option<string?> Table { get; } = new("--table")
    {
        Description = "[aws] DynamoDB event table instead of P-events (default: $COSTNOTIFIER_EVENTS_TABLE).",
    };

    /// <summary><c>--reports-file</c>.</summary>
    public Option<string?> ReportsFile { get; } = new("--reports-file")
    {
        Description = "[aws] The stack's report definitions: the JSON the functions read from COSTNOTIFIER_REPORTS (default: $COSTNOTIFIER_REPORTS). Needed for --all-reports; --report ID works without it.",
    };

    /// <summary>The options that mean something only with <c>--target aws</c>.</summary>
    public IReadOnlyList<Option<string?>> AwsOnly { get; }

    /// <summary>Adds every target option to <paramref name="command"/>, with the rules that tie them together.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Target);
        command.Options.Add(DataDir);
        foreach (var option in AwsOnly)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(Validate);
    }

    /// <summary>Whether the command line asks for a deployed stack.</summary>
    public bool IsAws(ParseResult parsed) => parsed?.GetValue(Target) == Aws;

    /// <summary>Whether <paramref name="name"/> is a valid stack name: Terraform's rule for name_prefix.</summary>
    public static bool IsValidStackName(string? name) =>
        name is { Length: >= 2 and <= 24 } && StackNamePattern().IsMatch(name);

    private void Validate(CommandResult result)
    {
        var isAws = result.GetValue(Target) == Aws;
        if (isAws && result.GetValue(DataDir) is not null)
        {
            result.AddError("--data-dir applies only to --target local; a deployed stack is named with --stack.");
        }

        if (!isAws)
        {
            foreach (var option in AwsOnly)
            {
                if (result.GetResult(option) is { Implicit: false })
                {
                    result.AddError($"{option.Name} applies only to --target aws.");
                }
            }

            return;
        }

        if (result.GetValue(Stack) is { } stack && !IsValidStackName(stack))
        {
            result.AddError($"--stack '{stack}' is not a stack name: Terraform's name_prefix is 2-24 lowercase letters, digits and '-', starting with a letter.");
        }

        foreach (var option in new[] { EndpointUrl, CollectorQueueUrl, CollectorDlqUrl, NotifierQueueUrl, NotifierDlqUrl })
        {
            if (result.GetValue(option) is { } url
                && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
            {
                result.AddError($"{option.Name} '{url}' is not an http(s) URL.");
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex StackNamePattern();
}
