using System.Collections.Concurrent;
using System.Text.Json;
using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.CostExplorer;

/// <summary>
/// An HTTP server on a free loopback port that records every request and answers each with the next scripted
/// response, standing in for an AWS service that has no emulator. The real SDK clients talk to it over HTTP.
/// </summary>
internal sealed class ScriptedAwsServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ScriptedResponse> _script = new();
    private readonly LoopbackHttpServer _server;

    private ScriptedAwsServer() => _server = LoopbackHttpServer.Start(Answer);

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:43121</c>.</summary>
    public string Url => _server.Url;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests =>
        [.. _server.Requests.Select(r => new RecordedRequest(r.Method, r.PathAndQuery, r.Headers, r.Body))];

    public static ScriptedAwsServer Start() => new();

    /// <summary>Queues the responses to give, in order, to the next requests.</summary>
    public ScriptedAwsServer Then(params ScriptedResponse[] responses)
    {
        foreach (var response in responses)
        {
            _script.Enqueue(response);
        }

        return this;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private LoopbackResponse Answer(LoopbackRequest request)
    {
        // 418 is not retried by the SDK, so a missing script line fails the test at once.
        var scripted = _script.TryDequeue(out var next)
            ? next
            : ScriptedResponse.Json("""{"message":"no scripted response left for this request"}""", 418);
        var headers = new Dictionary<string, string> { ["x-amzn-RequestId"] = Guid.NewGuid().ToString() };
        foreach (var (name, value) in scripted.Headers)
        {
            headers[name] = value;
        }

        return LoopbackResponse.Text(scripted.Status, scripted.ContentType, scripted.Body) with { Headers = headers };
    }
}

/// <summary>A request as the server saw it.</summary>
internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Header(string name) =>
        Headers.TryGetValue(name, out var value) ? value : throw new Xunit.Sdk.XunitException($"The request has no {name} header.");

    public JsonDocument Json() => JsonDocument.Parse(Body);
}

/// <summary>One scripted answer.</summary>
internal sealed record ScriptedResponse(int Status, string Body, string ContentType, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>A JSON body with <paramref name="status"/>.</summary>
    public static ScriptedResponse Json(string body, int status = 200) =>
        new(status, body, "application/json", new Dictionary<string, string>());

    /// <summary>An AWS JSON 1.1 error: the code in <c>__type</c>, as Cost Explorer sends it.</summary>
    public static ScriptedResponse Json11Error(string code, string message, int status = 400) =>
        new(status, JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = "com.amazonaws.awsinsightsindexservice#" + code, ["message"] = message }),
            "application/x-amz-json-1.1", new Dictionary<string, string>());

    /// <summary>A REST-JSON error: the code in <c>x-amzn-ErrorType</c>, as SES v2 sends it.</summary>
    public static ScriptedResponse RestJsonError(string code, string message, int status) =>
        new(status, JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message }),
            "application/json", new Dictionary<string, string> { ["x-amzn-ErrorType"] = code + ":http://internal.amazon.com/coral/com.amazonaws.sesv2/" });
}
