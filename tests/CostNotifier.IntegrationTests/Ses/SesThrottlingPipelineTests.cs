using CostNotifier.Aws;
using CostNotifier.Events;
using CostNotifier.IntegrationTests.CostExplorer;
using CostNotifier.IntegrationTests.Emulators;
using CostNotifier.IntegrationTests.EndToEnd;

namespace CostNotifier.IntegrationTests.Ses;

/// <summary>
/// SES answering "too many requests" is a busy provider, not a refused email: the deployed notifier (real SQS and
/// DynamoDB on the emulators, SES v2 on a scripted server) hands the message back to its queue for a later
/// delivery, records no failure and moves nothing to the dead-letter queue.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class SesThrottlingPipelineTests(EmulatorFixture emulators) : IAsyncLifetime
{
    // The SDK's standard retry mode: the first attempt and two retries.
    private const int SdkAttempts = 3;

    private static readonly DateTimeOffset ScheduledTime = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly ScriptedAwsServer _ses = ScriptedAwsServer.Start();
    private EmulatedPipeline _pipeline = null!;

    public async Task InitializeAsync() => _pipeline = await EmulatedPipeline.CreateAsync(emulators, ScheduledTime, maxReceiveCount: 3);

    public async Task DisposeAsync()
    {
        await _pipeline.DisposeAsync();
        await _ses.DisposeAsync();
    }

    [Theory]
    [InlineData("TooManyRequestsException", 429)]
    [InlineData("LimitExceededException", 400)]
    [InlineData("Throttling", 400)]
    public async Task ASendThrottledThroughEverySdkRetry_IsDeliveredAgainLater_NeverDeadLetteredOrRecordedAsFailed(string code, int status)
    {
        var report = $"throttled-{_suffix}";
        var functions = _pipeline.Functions(
            $$"""[{"id":"{{report}}","name":"Throttled","recipients":["sre-{{_suffix}}@example.com"],"groupBy":"SERVICE"}]""",
            endpoints: new Dictionary<string, string> { [AwsConnection.Services.SesV2] = _ses.Url });
        await EmulatedPipeline.InvokeAsync(functions.Scheduler.HandleAsync, EmulatedPipeline.ScheduledEvent(ScheduledTime));
        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(60), functions.Collector);

        _ses.Then([.. Enumerable.Repeat(ScriptedResponse.RestJsonError(code, "Maximum sending rate exceeded.", status), SdkAttempts)]);
        Assert.Equal(1, await functions.Notifier.PollOnceAsync(CancellationToken.None));

        // Answered as a batch item failure: SQS keeps the message and delivers it again after the visibility timeout.
        Assert.Equal(1, functions.Notifier.Failures);
        Assert.Equal(SdkAttempts, _ses.Requests.Count);
        Assert.Equal(1, await _pipeline.DepthAsync(_pipeline.Queues.Notifier));
        Assert.Equal(0, await _pipeline.DepthAsync(_pipeline.Queues.NotifierDeadLetter));
        var afterThrottling = await _pipeline.EventsOfAsync(report, "2026-11-24");
        Assert.DoesNotContain(afterThrottling, e => e is NotificationFailed or NotificationSent);

        // SES has room again by the next delivery. In AWS that comes after the queue's visibility timeout, which
        // outlasts the throttled attempt's claim on the recipient (twice the function timeout); so it does here.
        _pipeline.Time.Advance(TimeSpan.FromMinutes(6));
        _ses.Then(ScriptedResponse.Json("""{"MessageId":"sent-after-throttling"}"""));
        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(30), functions.Notifier);

        Assert.Equal(SdkAttempts + 1, _ses.Requests.Count);
        Assert.Equal(0, await _pipeline.DepthAsync(_pipeline.Queues.NotifierDeadLetter));
        var events = await _pipeline.EventsOfAsync(report, "2026-11-24");
        Assert.Equal("sent-after-throttling", Assert.Single(events.OfType<NotificationSent>()).ProviderMessageId);
        Assert.DoesNotContain(events, e => e is NotificationFailed);
    }
}
