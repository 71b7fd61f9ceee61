using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CostNotifier.LambdaRuntime;
using CostNotifier.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.LambdaRuntime;

/// <summary>
/// The Runtime API loop over real HTTP against a loopback server that answers as the Runtime API documents:
/// events out of <c>invocation/next</c>, answers and errors posted back, and an init error when the function cannot
/// be built. The server answers 500 once its events run out, which ends the loop as a vanished Runtime API would.
/// </summary>
public sealed class LambdaRuntimeHostTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private readonly ConcurrentQueue<(string RequestId, string Payload, string? TraceId)> _events = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _deadlines = new(StringComparer.Ordinal);
    private readonly FakeTimeProvider _time = new(Now);
    private LoopbackHttpServer _server = null!;

    public Task InitializeAsync()
    {
        _server = LoopbackHttpServer.Start(Answer);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Run_AnswersEveryEventInOneProcess_WithTheHandlersResponse()
    {
        Queue("req-1", """{"n":1}""");
        Queue("req-2", """{"n":2}""");
        var initialisations = 0;

        var exitCode = await RunAsync(() =>
        {
            initialisations++;
            return async (payload, _) => new MemoryStream(Encoding.UTF8.GetBytes("echo " + await new StreamReader(payload).ReadToEndAsync()));
        });

        Assert.Equal(1, initialisations);
        Assert.Equal(1, exitCode);
        Assert.Equal(
            [("/2018-06-01/runtime/invocation/req-1/response", """echo {"n":1}"""), ("/2018-06-01/runtime/invocation/req-2/response", """echo {"n":2}""")],
            Posts().Select(p => (p.PathAndQuery, Encoding.UTF8.GetString(p.Body))));
    }

    [Fact]
    public async Task Run_WhenTheFunctionCannotInitialise_PostsAnInitErrorThatNamesTheSettingAndAsksForNoEvent()
    {
        Queue("req-1", "{}");

        var exitCode = await RunAsync(() => throw new InvalidOperationException("Environment variable COSTNOTIFIER_REPORTS is not set."));

        Assert.Equal(1, exitCode);
        var post = Assert.Single(_server.Requests);
        Assert.Equal("/2018-06-01/runtime/init/error", post.PathAndQuery);
        Assert.Equal("Runtime.InitError", post.Header("Lambda-Runtime-Function-Error-Type"));
        using var body = JsonDocument.Parse(post.Body);
        Assert.Equal("Environment variable COSTNOTIFIER_REPORTS is not set.", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal("InvalidOperationException", body.RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Run_WhenTheDeadlineMarginSettingIsInvalid_PostsAnInitErrorNamingIt()
    {
        var exitCode = await RunAsync(() => (_, _) => Task.FromResult<Stream>(new MemoryStream()), margin: "soon");

        Assert.Equal(1, exitCode);
        var post = Assert.Single(_server.Requests);
        Assert.Equal("/2018-06-01/runtime/init/error", post.PathAndQuery);
        using var body = JsonDocument.Parse(post.Body);
        Assert.StartsWith("COSTNOTIFIER_DEADLINE_MARGIN_MS 'soon'", body.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhenAnInvocationFails_PostsItsErrorAndAnswersTheNextEvent()
    {
        Queue("bad", "{}");
        Queue("good", "{}");

        await RunAsync(() => (_, _) => _events.IsEmpty
            ? Task.FromResult<Stream>(new MemoryStream("ok"u8.ToArray()))
            : throw new InvalidDataException("The scheduler payload is not valid JSON."));

        var posts = Posts();
        Assert.Equal(
            ["/2018-06-01/runtime/invocation/bad/error", "/2018-06-01/runtime/invocation/good/response"],
            posts.Select(p => p.PathAndQuery));
        Assert.Equal("Function.InvalidDataException", posts[0].Header("Lambda-Runtime-Function-Error-Type"));
        using var body = JsonDocument.Parse(posts[0].Body);
        Assert.Equal("The scheduler payload is not valid JSON.", body.RootElement.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task Run_SetsTheTraceIdOfEachInvocationForTheHandler()
    {
        Queue("req-1", "{}", traceId: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        Queue("req-2", "{}", traceId: null);
        var seen = new List<string?>();

        await RunAsync(() => (_, _) =>
        {
            seen.Add(Environment.GetEnvironmentVariable(LambdaRuntimeHost.TraceIdVariable));
            return Task.FromResult<Stream>(new MemoryStream());
        });

        Assert.Equal(["Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", null], seen);
    }

    [Fact]
    public async Task Run_CancelsTheHandlersTokenTheMarginBeforeTheDeadline()
    {
        Queue("req-1", "{}", deadline: Now.AddSeconds(30));
        var cancelledBeforeMargin = true;
        var cancelledAtMargin = false;

        await RunAsync(
            () => (_, token) =>
            {
                _time.Advance(TimeSpan.FromSeconds(27.9));
                cancelledBeforeMargin = token.IsCancellationRequested;
                _time.Advance(TimeSpan.FromSeconds(0.1));
                cancelledAtMargin = token.IsCancellationRequested;
                return Task.FromResult<Stream>(new MemoryStream());
            },
            margin: "2000");

        Assert.False(cancelledBeforeMargin);
        Assert.True(cancelledAtMargin);
    }

    [Fact]
    public async Task Run_WhenTheResponseIsRefused_ReportsItAsAnInvocationError()
    {
        Queue("big", "{}");

        await RunAsync(() => (_, _) => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes("too large"))));

        Assert.Equal(
            ["/2018-06-01/runtime/invocation/big/response", "/2018-06-01/runtime/invocation/big/error"],
            Posts().Select(p => p.PathAndQuery));
        Assert.Equal("Runtime.ResponseRefused", Posts()[1].Header("Lambda-Runtime-Function-Error-Type"));
    }

    private async Task<int> RunAsync(Func<InvocationHandler> initialize, string? margin = null)
    {
        using var client = new RuntimeApiClient(_server.Url["http://".Length..]);
        return await LambdaRuntimeHost.RunAsync(
            client, initialize, name => name == RuntimeSettings.DeadlineMarginVariable ? margin : null, _time);
    }

    private void Queue(string requestId, string payload, string? traceId = null, DateTimeOffset? deadline = null)
    {
        _events.Enqueue((requestId, payload, traceId));
        _deadlines[requestId] = deadline ?? Now.AddMinutes(1);
    }

    private List<LoopbackRequest> Posts() => _server.Requests.Where(r => r.Method == "POST").ToList();

    private LoopbackResponse Answer(LoopbackRequest request)
    {
        if (request.Method == "GET" && request.PathAndQuery == "/2018-06-01/runtime/invocation/next")
        {
            if (!_events.TryDequeue(out var next))
            {
                return LoopbackResponse.Text(500, "text/plain", "no more events");
            }

            var response = LoopbackResponse.Text(200, "application/json", next.Payload)
                .WithHeader("Lambda-Runtime-Aws-Request-Id", next.RequestId)
                .WithHeader("Lambda-Runtime-Deadline-Ms", _deadlines[next.RequestId].ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))
                .WithHeader("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:costnotifier-scheduler");
            return next.TraceId is null ? response : response.WithHeader("Lambda-Runtime-Trace-Id", next.TraceId);
        }

        // Lambda refuses an answer over 6 MB with 413; "too large" stands in for one here.
        return Encoding.UTF8.GetString(request.Body) == "too large"
            ? LoopbackResponse.Text(413, "application/json", """{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}""")
            : LoopbackResponse.Text(202, "application/json", """{"status":"OK"}""");
    }
}
