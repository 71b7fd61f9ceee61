using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace CostNotifier.IntegrationTests.CostExplorer;

/// <summary>
/// An HTTP server on a free loopback port that records every request and answers each with the next scripted
/// response, standing in for an AWS service that has no emulator. The real SDK clients talk to it over HTTP.
/// </summary>
internal sealed class ScriptedAwsServer : IAsyncDisposable
{
    private readonly HttpListener listener;
    private readonly ConcurrentQueue<ScriptedResponse> script = new();
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly Task loop;

    private ScriptedAwsServer(HttpListener listener, string url)
    {
        this.listener = listener;
        Url = url;
        loop = Task.Run(ServeAsync);
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:43121</c>.</summary>
    public string Url { get; }

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    public static ScriptedAwsServer Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var url = $"http://127.0.0.1:{FreePort()}";
            var listener = new HttpListener();
            listener.Prefixes.Add(url + "/");
            try
            {
                listener.Start();
                return new ScriptedAwsServer(listener, url);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Another process took the port between probing and binding; try another.
                listener.Close();
            }
        }
    }

    /// <summary>Queues the responses to give, in order, to the next requests.</summary>
    public ScriptedAwsServer Then(params ScriptedResponse[] responses)
    {
        foreach (var response in responses)
        {
            script.Enqueue(response);
        }

        return this;
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        try
        {
            await loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop with one of these.
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys
                .Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            requests.Enqueue(new RecordedRequest(
                context.Request.HttpMethod, context.Request.RawUrl ?? "/", headers, body.ToArray()));

            // 418 is not retried by the SDK, so a missing script line fails the test at once.
            var response = script.TryDequeue(out var next)
                ? next
                : ScriptedResponse.Json("""{"message":"no scripted response left for this request"}""", 418);
            context.Response.StatusCode = response.Status;
            context.Response.ContentType = response.ContentType;
            context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            foreach (var (name, value) in response.Headers)
            {
                context.Response.Headers[name] = value;
            }

            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
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
