using System.CommandLine;
using System.Net;
using Amazon.Runtime;
using CostNotifier.Cli;
using CostNotifier.Cli.Output;
using CostNotifier.Cli.Targets;
using CostNotifier.Cli.Targets.Aws;

namespace CostNotifier.UnitTests.Cli;

/// <summary>How a stack's resources are named: explicit options, then --stack, then variables, then $COSTNOTIFIER_STACK.</summary>
public sealed class AwsTargetSettingsTests
{
    [Fact]
    public void Stack_NamesEveryResourceByTerraformsConvention()
    {
        var settings = Resolve(["--stack", "costs-prod"]);

        Assert.Equal("costs-prod-collector", settings.Resource(StackRole.Collector)!.Name);
        Assert.Equal("costs-prod-collector-dlq", settings.Resource(StackRole.CollectorDeadLetter)!.Name);
        Assert.Equal("costs-prod-notifier", settings.Resource(StackRole.Notifier)!.Name);
        Assert.Equal("costs-prod-notifier-dlq", settings.Resource(StackRole.NotifierDeadLetter)!.Name);
        Assert.Equal("costs-prod-scheduler-dlq", settings.Resource(StackRole.SchedulerDeadLetter)!.Name);
        Assert.Equal("costs-prod-scheduler-failures", settings.Resource(StackRole.SchedulerFailures)!.Name);
        Assert.Equal("costs-prod-events", settings.Resource(StackRole.Events)!.Name);
        Assert.All([StackRole.Collector, StackRole.Events], role => Assert.Equal("--stack costs-prod", settings.Resource(role)!.Origin));
    }

    [Fact]
    public void ExplicitOption_BeatsStack_WhichBeatsTheFunctionsVariables()
    {
        var settings = Resolve(
            ["--stack", "costs-prod", "--notifier-queue-url", "https://sqs.eu-west-1.amazonaws.com/123456789012/other-notifier"],
            ("COSTNOTIFIER_COLLECTOR_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/123456789012/from-variable"),
            ("COSTNOTIFIER_EVENTS_TABLE", "table-from-variable"));

        Assert.Equal("other-notifier", settings.Resource(StackRole.Notifier)!.Name);
        Assert.Equal("--notifier-queue-url", settings.Resource(StackRole.Notifier)!.Origin);
        Assert.Equal("costs-prod-collector", settings.Resource(StackRole.Collector)!.Name);
        Assert.Equal("costs-prod-events", settings.Resource(StackRole.Events)!.Name);
    }

    [Fact]
    public void WithoutStack_TheFunctionsVariablesBeatTheStackVariable()
    {
        var settings = Resolve(
            [],
            ("COSTNOTIFIER_STACK", "costs-dev"),
            ("COSTNOTIFIER_COLLECTOR_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/123456789012/from-variable"));

        Assert.Equal("from-variable", settings.Resource(StackRole.Collector)!.Name);
        Assert.Equal("COSTNOTIFIER_COLLECTOR_QUEUE_URL", settings.Resource(StackRole.Collector)!.Origin);
        Assert.Equal("costs-dev-notifier", settings.Resource(StackRole.Notifier)!.Name);
        Assert.Equal("COSTNOTIFIER_STACK=costs-dev", settings.Resource(StackRole.Notifier)!.Origin);
    }

    [Fact]
    public void ServiceEndpointVariables_BeatEndpointUrl()
    {
        var settings = Resolve(
            ["--stack", "costs-prod", "--endpoint-url", "http://127.0.0.1:4566"],
            ("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000"));

        Assert.Equal("http://127.0.0.1:8000", settings.EndpointFor("DYNAMODB"));
        Assert.Equal("http://127.0.0.1:4566", settings.EndpointFor("SQS"));
        Assert.Equal("eu-west-1", settings.Region);
    }

    [Theory]
    [InlineData("ThrottlingException", "AWS is throttling these requests (ThrottlingException)")]
    [InlineData("AWS.SimpleQueueService.RequestThrottled", "AWS is throttling these requests")]
    [InlineData("ExpiredTokenException", "the AWS credentials have expired")]
    [InlineData("InvalidClientTokenId", "AWS rejected the credentials (InvalidClientTokenId)")]
    [InlineData("AccessDeniedException", "access denied: the credentials may not do this (AccessDeniedException)")]
    public void ServiceErrors_BecomeOneLineSayingWhatToDo(string code, string start)
    {
        var error = new AmazonServiceException("line one\nline two", null, ErrorType.Sender, code, "request-1", HttpStatusCode.BadRequest);

        var text = AwsErrorText.Describe(error);

        Assert.StartsWith(start, text, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', text);
    }

    [Fact]
    public void MissingCredentials_SayHowToGiveThem()
    {
        var error = new AmazonClientException("Failed to resolve AWS credentials. The credential providers used to search for credentials returned the following errors: ...");

        Assert.Equal(
            "no AWS credentials found: pass --profile NAME, set AWS_PROFILE, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (for SSO profiles, run 'aws sso login' first).",
            AwsErrorText.Describe(error));
    }

    [Fact]
    public void Progress_OnATerminal_RewritesOneLine_ElsewherePrintsPlainLines()
    {
        using var terminal = new StringWriter();
        using var log = new StringWriter();
        var interactive = new ProgressReporter(terminal, interactive: true);
        var plain = new ProgressReporter(log, interactive: false);

        foreach (var reporter in new[] { interactive, plain })
        {
            reporter.Report("moved 1 of 2");
            reporter.Report("moved 2 of 2");
            reporter.Done();
        }

        Assert.Equal("\rmoved 1 of 2\rmoved 2 of 2" + Environment.NewLine, terminal.ToString());
        Assert.Equal("moved 1 of 2" + Environment.NewLine + "moved 2 of 2" + Environment.NewLine, log.ToString());
    }

    private static AwsTargetSettings Resolve(string[] args, params (string Name, string Value)[] variables)
    {
        var options = new TargetOptions(new Option<string?>("--data-dir"));
        var command = new RootCommand();
        options.AddTo(command);
        var parsed = command.Parse(["--target", "aws", "--region", "eu-west-1", .. args]);
        Assert.Empty(parsed.Errors);
        var environment = variables.ToDictionary(v => v.Name, v => (string?)v.Value);
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/credentials";
        return AwsTargetSettings.Resolve(parsed, options, CliEnvironment.From(environment));
    }
}
