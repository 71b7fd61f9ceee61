using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CostNotifier.IntegrationTests.Cli;

/// <summary>One request the scripted endpoint received.</summary>
internal sealed record ScriptedCall(string Operation, JsonNode Body);

/// <summary>
/// An SQS endpoint (AWS JSON 1.0) on a loopback port whose answers a test writes, for what fauxqs cannot do:
/// message move tasks, and SQS refusing some entries of a batch.
/// </summary>
internal sealed class ScriptedSqsEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<ScriptedCall, int, (int Status, JsonObject Body)> _script;
    private readonly ConcurrentQueue<ScriptedCall> _calls = new();
    private readonly Task _serving;

    /// <param name="script">Given a call and how many calls of that operation came before it, the answer.</param>
    public ScriptedSqsEndpoint(Func<ScriptedCall, int, (int Status, JsonObject Body)> script)
    {
        _script = script;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        probe.Stop();
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

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

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
            // Stopping the listener ends the pending accept this way.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var text = await reader.ReadToEndAsync();
            var operation = (context.Request.Headers["X-Amz-Target"] ?? string.Empty).Replace("AmazonSQS.", string.Empty, StringComparison.Ordinal);
            var call = new ScriptedCall(operation, JsonNode.Parse(string.IsNullOrEmpty(text) ? "{}" : text)!);
            var before = _calls.Count(c => c.Operation == operation);
            _calls.Enqueue(call);
            var (status, body) = _script(call, before);
            var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(new JsonSerializerOptions()));
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/x-amz-json-1.0";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
