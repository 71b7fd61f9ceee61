using System.Text;
using Amazon.Runtime;
using CostNotifier.Aws;
using CostNotifier.Aws.Hosting;
using CostNotifier.Cli;
using CostNotifier.Collector;
using CostNotifier.IntegrationTests.Chat;
using CostNotifier.IntegrationTests.Cli;
using CostNotifier.IntegrationTests.Emulators;
using CostNotifier.IntegrationTests.EndToEnd;
using CostNotifier.Notifier;
using CostNotifier.Scheduler;
using CostNotifier.Testing.Faults;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.IntegrationTests.Reliability;

/// <summary>
/// No secret or credential is ever logged: a whole pipeline run with session credentials at Trace level, error
/// paths included (a poison message, throttled Cost Explorer, failed SDK calls); a run posting to Slack and Teams with
/// webhook URLs and a bot token from SSM, then refused by them; and the CLI with credentials from its environment,
/// failing as well as succeeding. The IAM side (least privilege, no wildcard actions or resources) is
/// checked on the Terraform in tests/CostNotifier.InfrastructureTests/IamInvariantsTests.cs.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class SecretsNeverLoggedTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private const string AccessKey = "ASIAQNZGKEXAMPLE7QRS";
    private static readonly DateTimeOffset ScheduledTime = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private readonly string _secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + Guid.NewGuid().ToString("N");
    private readonly string _sessionToken = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ" + Guid.NewGuid().ToString("N");
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly FakeTimeProvider _time = new(ScheduledTime);
    private readonly CostExplorerStub _costExplorer = new();
    private string _table = string.Empty;
    private PipelineQueues _queues = null!;

    public async Task InitializeAsync()
    {
        SdkFaultInjection.EnsureRegistered();
        _table = await emulators.CreateEventTableAsync();
        _queues = await emulators.CreatePipelineQueuesAsync(maxReceiveCount: 2, visibilityTimeoutSeconds: 1);
    }

    public async Task DisposeAsync() => await _costExplorer.DisposeAsync();

    [Fact]
    public async Task AWholePipelineRun_WithSessionCredentials_AtTraceLevel_NeverWritesTheSecretKeyOrSessionToken()
    {
        // Arrange: every function logs at Trace; a tag report Cost Explorer keeps refusing; a poison message; the
        // first email send and the first store append fail inside the SDK.
        var logs = new StringWriter();
        var output = TextWriter.Synchronized(logs);
        var settings = EmulatorFixture.FunctionSettings(
            "secrets",
            $$"""
                [{"id":"svc-{{_suffix}}","name":"By service","recipients":["finops-{{_suffix}}@example.com"],"groupBy":"SERVICE"},
                 {"id":"team-{{_suffix}}","name":"By team","recipients":["platform-{{_suffix}}@example.com"],"groupBy":"TAG:team"}]
                """,
            _table,
            _queues,
            new Dictionary<string, string?> { ["COSTNOTIFIER_LOG_LEVEL"] = "Trace" });
        var connection = emulators.Connection(_costExplorer.Url, new SessionAWSCredentials(AccessKey, _secretKey, _sessionToken));
        var faults = 0;
        var session = new FaultSession(1, FaultRates.None)
        {
            Tag = new SdkSeams(_ => false, (_, _) => { }),
            Exceptions = SdkFaultInjection.SdkException,
            Plan = (_, seam, _) => seam is Seam.EmailSend or Seam.StoreAppend && Interlocked.Increment(ref faults) <= 2 ? FaultKind.Transient : null,
        };
        var scheduler = new SchedulerFunction(SchedulerComposition.Build(settings, connection, _time, output));
        var collector = new CollectorFunction(CollectorComposition.Build(settings, connection, _time, output));
        var notifier = new NotifierFunction(NotifierComposition.Build(settings, connection, _time, output));
        await emulators.Sqs.SendMessageAsync(_queues.Collector, """{"type":"ReportRequested","version":1,"id":"x","correlationId":"c","occurredAt":"2026-11-25T08:00:00Z","payload":{"reportId":"nope","date":"2026-11-24","trigger":"replay","requestId":"r"}}""");

        // Act
        using (var input = new MemoryStream(Encoding.UTF8.GetBytes("""{"source":"eventbridge-scheduler","scheduledTime":"2026-11-25T08:00:00Z"}""")))
        {
            await using var _ = await scheduler.HandleAsync(input, CancellationToken.None);
        }

        await LambdaPoller.DrainAsync(
            TimeSpan.FromSeconds(60),
            new LambdaPoller(emulators.Sqs, _queues.Collector, (stream, token) => AsWorker(session, () => collector.HandleAsync(stream, token))),
            new LambdaPoller(emulators.Sqs, _queues.Notifier, (stream, token) => AsWorker(session, () => notifier.HandleAsync(stream, token))));

        // Assert: the run went through its error paths, and nothing it wrote anywhere holds the secrets.
        var written = logs.ToString();
        Assert.Contains("\"level\":\"Information\"", written, StringComparison.Ordinal);
        Assert.Contains("\"level\":\"Warning\"", written, StringComparison.Ordinal);
        Assert.Contains("\"level\":\"Error\"", written, StringComparison.Ordinal);
        Assert.Contains("injected at", written, StringComparison.OrdinalIgnoreCase);
        Assert.True(faults >= 2, "the injected SDK failures did not happen");
        var everything = new StringBuilder(written)
            .AppendLine((await emulators.ReadSentEmailsAsync()).GetRawText())
            .AppendLine(await emulators.QueueContentsAsync(_queues.CollectorDeadLetter))
            .AppendLine(await emulators.QueueContentsAsync(_queues.NotifierDeadLetter))
            .AppendLine(await emulators.TableContentsAsync(_table))
            .ToString();
        AssertNoSecret(everything);
        Assert.DoesNotContain("Signature=", written, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Amz-Security-Token", written, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheCli_WithCredentialsFromItsEnvironment_NeverPrintsTheSecretKeyOrSessionToken_EvenWhenAwsFails()
    {
        var environment = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = _secretKey,
            ["AWS_SESSION_TOKEN"] = _sessionToken,
            ["AWS_ENDPOINT_URL_" + AwsConnection.Services.DynamoDb] = emulators.DynamoDbUrl,
        };
        var unreachable = new Dictionary<string, string?>(environment) { ["AWS_ENDPOINT_URL_" + AwsConnection.Services.DynamoDb] = "http://127.0.0.1:9" };

        CliResult[] runs =
        [
            await CliRunner.RunAsync(["snapshots", "list", "--from", "2026-11-01", "--to", "2026-11-24", "--report", "by-service", "--target", "aws", "--table", _table, "--region", EmulatorFixture.Region], CliEnvironment.From(environment), _time),
            await CliRunner.RunAsync(["snapshots", "list", "--from", "2026-11-01", "--to", "2026-11-24", "--report", "by-service", "--target", "aws", "--table", "no-such-table", "--region", EmulatorFixture.Region], CliEnvironment.From(environment), _time),
            await CliRunner.RunAsync(["events", "--date", "2026-11-24", "--report", "nope", "--target", "aws", "--table", _table, "--region", EmulatorFixture.Region], CliEnvironment.From(unreachable), _time),
        ];

        Assert.True(runs[0].Exit == 0, runs[0].ToString());
        Assert.All(runs.Skip(1), run => Assert.NotEqual(0, run.Exit));
        Assert.All(runs, run => AssertNoSecret(run.ToString()));
    }

    [Fact]
    public async Task ARunWithChatDestinations_PostingAndThenRevoked_NeverShowsAWebhookUrlOrToken()
    {
        // Arrange: a report with a Slack webhook, a Slack bot and a Teams webhook, secrets in SSM; Trace level.
        await using var pipeline = await EmulatedPipeline.CreateAsync(emulators, ScheduledTime, maxReceiveCount: 2);
        await using var chat = ChatDestinationStubs.Start(pipeline.Time);
        var functions = pipeline.Functions(
            $$"""[{"id":"chat-{{_suffix}}","name":"By service","recipients":["finops-{{_suffix}}@example.com"],"groupBy":"SERVICE","channels":{{chat.ChannelsJson}}}]""",
            new Dictionary<string, string?>(chat.Settings) { ["COSTNOTIFIER_LOG_LEVEL"] = "Trace" },
            chat.Endpoints,
            new SessionAWSCredentials(AccessKey, _secretKey, _sessionToken));

        // Act: one day every destination takes its post; the next, the webhook is gone and the bot token revoked.
        await functions.RunScheduleAsync(ScheduledTime);
        chat.SlackWebhook.Then(ChatServiceStub.SlackWebhookAnswer(404, "no_service"));
        chat.SlackApi.Then(ChatServiceStub.SlackApiError("token_revoked"));
        pipeline.Time.SetUtcNow(ScheduledTime.AddDays(1));
        await functions.RunScheduleAsync(ScheduledTime.AddDays(1));

        // Assert: both days posted to every destination, the second ended in the DLQ, and no secret was written.
        Assert.Equal(2, chat.SlackWebhook.Requests.Count);
        Assert.Equal(2, chat.SlackApi.Requests.Count);
        Assert.Equal(2, chat.Teams.Requests.Count);
        var everything = await pipeline.EverythingLeftBehindAsync();
        Assert.Contains("\"level\":\"Debug\"", pipeline.Written, StringComparison.Ordinal);
        Assert.Contains("\"ReportsSent\":1", pipeline.Written, StringComparison.Ordinal);
        Assert.Contains("no_service", everything, StringComparison.Ordinal);
        Assert.Contains("token_revoked", everything, StringComparison.Ordinal);
        Assert.Contains("NotificationFailed", everything, StringComparison.Ordinal);
        Assert.All(chat.SecretsAndTheirParts(), secret => Assert.DoesNotContain(secret, everything, StringComparison.Ordinal));
        Assert.DoesNotContain("xoxb-", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", everything, StringComparison.OrdinalIgnoreCase);
        AssertNoSecret(everything);
    }

    private void AssertNoSecret(string text)
    {
        Assert.DoesNotContain(_secretKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_sessionToken, text, StringComparison.Ordinal);

        // Nor a recognisable piece of them (a truncated or wrapped copy).
        Assert.DoesNotContain(_secretKey[..20], text, StringComparison.Ordinal);
        Assert.DoesNotContain(_sessionToken[..24], text, StringComparison.Ordinal);
    }

    private static async Task<Stream> AsWorker(FaultSession session, Func<Task<Stream>> invoke)
    {
        var worker = new WorkerContext("lambda", session);
        Stream? answer = null;
        await WorkerContext.RunAsync(worker, async () => answer = await invoke());
        return answer!;
    }
}
