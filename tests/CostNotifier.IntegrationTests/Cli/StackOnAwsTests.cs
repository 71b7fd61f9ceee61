using System.Text.Json;
using Amazon.SQS.Model;
using CostNotifier.Aws;
using CostNotifier.Cli;
using CostNotifier.IntegrationTests.Emulators;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.IntegrationTests.Cli;

/// <summary><c>stack --target aws</c>: what was resolved, what exists, and a non-zero exit when anything is missing.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class StackOnAwsTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));
    private EmulatorStack _stack = null!;
    private FakeLambdaEndpoint _lambda = null!;

    public async Task InitializeAsync()
    {
        _stack = await EmulatorStack.CreateAsync(emulators);
        _lambda = new FakeLambdaEndpoint(_stack.Name + "-scheduler", _stack.Name + "-collector", _stack.Name + "-notifier");
    }

    public async Task DisposeAsync() => await _lambda.DisposeAsync();

    [Fact]
    public async Task Stack_WhenEverythingExists_ShowsQueuesDepthsTableAndFunctions_AndExitsZero()
    {
        await emulators.Sqs.SendMessageAsync(new SendMessageRequest(_stack.NotifierDeadLetter, "waiting"));
        var reports = """[{"id":"by-service","name":"By service","recipients":["a@example.com"],"groupBy":"SERVICE"}]""";

        var result = await CliRunner.RunAsync(["stack", "--output", "json", .. _stack.Args], EmulatorStack.Environment(emulators, _lambda.Url, reports), _time);

        Assert.True(result.Exit == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal("aws", root.GetProperty("target").GetString());
        Assert.Equal(_stack.Name, root.GetProperty("stack").GetString());
        var queues = root.GetProperty("queues").EnumerateArray().ToDictionary(q => q.GetProperty("role").GetString()!);
        Assert.Equal(["collector", "collector-dlq", "notifier", "notifier-dlq", "scheduler-dlq", "scheduler-failures", "delivery", "delivery-dlq"], queues.Keys);
        Assert.Equal(_stack.Name + "-delivery-dlq", queues["delivery"].GetProperty("deadLetterQueue").GetString());
        Assert.All(queues.Values, q => Assert.True(q.GetProperty("exists").GetBoolean()));
        Assert.Equal(_stack.Collector, queues["collector"].GetProperty("url").GetString());
        Assert.Equal(_stack.Name + "-collector-dlq", queues["collector"].GetProperty("deadLetterQueue").GetString());
        Assert.Equal(1, queues["notifier-dlq"].GetProperty("visible").GetInt32());
        var table = root.GetProperty("table");
        Assert.Equal(_stack.Table, table.GetProperty("name").GetString());
        Assert.Equal("ACTIVE", table.GetProperty("status").GetString());
        Assert.True(table.GetProperty("hasReportIndex").GetBoolean());
        Assert.Equal(
            [(_stack.Name + "-scheduler", true), (_stack.Name + "-collector", true), (_stack.Name + "-notifier", true)],
            root.GetProperty("functions").EnumerateArray().Select(f => (f.GetProperty("name").GetString(), f.GetProperty("exists").GetBoolean())));
        Assert.Equal(["by-service"], root.GetProperty("reports").GetProperty("ids").EnumerateArray().Select(i => i.GetString()));
        Assert.Empty(root.GetProperty("problems").EnumerateArray());
    }

    [Fact]
    public async Task Stack_Table_PrintsEveryResourceWithItsState()
    {
        var result = await CliRunner.RunAsync(["stack", .. _stack.Args], EmulatorStack.Environment(emulators, _lambda.Url), _time);

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains($"Stack {_stack.Name} in us-east-1", result.Output, StringComparison.Ordinal);
        Assert.Contains(_stack.Name + "-notifier-dlq", result.Output, StringComparison.Ordinal);
        Assert.Contains(_stack.Table, result.Output, StringComparison.Ordinal);
        Assert.Contains("Active", result.Output, StringComparison.Ordinal);
        Assert.Contains("All resources found.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stack_ThatDoesNotExist_ListsEachMissingResourceAndExitsOne()
    {
        var result = await CliRunner.RunAsync(
            ["stack", "--target", "aws", "--stack", "nosuch-stack", "--region", EmulatorFixture.Region],
            EmulatorStack.Environment(emulators, _lambda.Url),
            _time);

        Assert.Equal(1, result.Exit);
        Assert.Contains("error: queue 'nosuch-stack-collector' (from --stack nosuch-stack) does not exist", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: table 'nosuch-stack-events' (from --stack nosuch-stack) does not exist", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: function 'nosuch-stack-notifier' does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stack_WithAWorkQueueThatDoesNotDeadLetterToItsDlq_ReportsTheMiswiring()
    {
        var unrelated = await emulators.CreateQueueAsync("plain");

        var result = await CliRunner.RunAsync(
            ["stack", .. _stack.Args, "--notifier-queue-url", unrelated],
            EmulatorStack.Environment(emulators, _lambda.Url),
            _time);

        Assert.Equal(1, result.Exit);
        Assert.Contains($"queue notifier does not dead-letter to {_stack.Name}-notifier-dlq (its redrive policy points at nothing)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stack_WithoutLambdaAtTheEndpoint_ShowsFunctionsAsNotChecked_WithoutFailing()
    {
        // fauxqs answers the Lambda API with an error that is not "not found": existence stays unknown.
        var environment = CliEnvironment.From(new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["AWS_ENDPOINT_URL_" + AwsConnection.Services.DynamoDb] = emulators.DynamoDbUrl,
            ["AWS_ENDPOINT_URL_" + AwsConnection.Services.Lambda] = emulators.DynamoDbUrl,
        });

        var result = await CliRunner.RunAsync(["stack", "--output", "json", .. _stack.Args, "--endpoint-url", emulators.SqsUrl], environment, _time);

        Assert.True(result.Exit == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        Assert.All(json.RootElement.GetProperty("functions").EnumerateArray(), f =>
        {
            Assert.False(f.TryGetProperty("exists", out _));
            Assert.StartsWith("not checked", f.GetProperty("state").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal(emulators.SqsUrl, json.RootElement.GetProperty("endpoint").GetString());
    }
}
