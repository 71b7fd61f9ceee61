using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.Cli;

/// <summary>One request the scripted endpoint received.</summary>
internal sealed record ScriptedCall(string Operation, JsonNode Body);

/// <summary>
/// An SQS endpoint (AWS JSON 1.0) on a loopback port whose answers a test writes, for what fauxqs cannot do:
/// message move tasks, and SQS refusing some entries of a batch.
/// </summary>
internal sealed class ScriptedSqsEndpoint : IAsyncDisposable
{
    private readonly Func<ScriptedCall, int, (int Status, JsonObject Body)> _script;
    private readonly ConcurrentQueue<ScriptedCall> _calls = new();
    private readonly LoopbackHttpServer _server;

    /// <param name="script">Given a call and how many calls of that operation came before it, the answer.</param>
    public ScriptedSqsEndpoint(Func<ScriptedCall, int, (int Status, JsonObject Body)> script)
    {
        _script = script;
        _server = LoopbackHttpServer.Start(Answer);
    }

    public string Url => _server.Url;

    public string QueueUrl(string name) => $"{Url}/000000000000/{name}";

    public static string Arn(string name) => $"arn:aws:sqs:us-east-1:000000000000:{name}";

    public IReadOnlyList<ScriptedCall> Calls => [.. _calls];

    public IReadOnlyList<ScriptedCall> CallsOf(string operation) => Calls.Where(c => c.Operation == operation).ToList();

    /// <summary>The body SQS sends for an accepted batch entry, with the digest the SDK checks.</summary>
    public static JsonObject Accepted(string id, string body, string messageId) => new()
    {
        ["Id"] = id,
        ["MessageId"] = messageId,
        ["MD5OfMessageBody"] = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body))),
    };

    public static (int, JsonObject) Ok(JsonObject body) => (200, body);

    public static (int, JsonObject) Error(string code, string message, int status = 400) =>
        (status, new JsonObject { ["__type"] = "com.amazonaws.sqs#" + code, ["message"] = message });

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private LoopbackResponse Answer(LoopbackRequest request)
    {
        var operation = (request.Header("X-Amz-Target") ?? string.Empty).Replace("AmazonSQS.", string.Empty, StringComparison.Ordinal);
        var call = new ScriptedCall(operation, request.Body.Length == 0 ? new JsonObject() : JsonNode.Parse(request.Body)!);
        var before = _calls.Count(c => c.Operation == operation);
        _calls.Enqueue(call);
        var (status, body) = _script(call, before);
        return LoopbackResponse.Text(status, "application/x-amz-json-1.0", body.ToJsonString(new JsonSerializerOptions()));
    }
}
