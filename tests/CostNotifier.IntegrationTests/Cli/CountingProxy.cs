using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CostNotifier.IntegrationTests.Cli;

/// <summary>
/// Forwards every request to an emulator unchanged and counts the AWS operations (<c>X-Amz-Target</c>) that pass,
/// so a test can prove how many calls a command made.
/// </summary>
internal sealed class CountingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> Unforwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Connection", "Expect", "Transfer-Encoding",
    };

    private readonly HttpListener _listener = new();
    private readonly HttpClient _client = new();
    private readonly string _target;
    private readonly ConcurrentQueue<string> _operations = new();
    private readonly Task _serving;

    public CountingProxy(string target)
    {
        _target = target.TrimEnd('/');
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        probe.Stop();
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>Operations forwarded so far, e.g. <c>DynamoDB_20120810.Query</c>.</summary>
    public IReadOnlyList<string> Operations => [.. _operations];

    public int Count(string operationSuffix) => _operations.Count(o => o.EndsWith("." + operationSuffix, StringComparison.Ordinal));

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

        _client.Dispose();
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

            _operations.Enqueue(context.Request.Headers["X-Amz-Target"] ?? context.Request.HttpMethod);
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            using var forward = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), _target + context.Request.Url!.PathAndQuery)
            {
                Content = new ByteArrayContent(body.ToArray()),
            };
            if (context.Request.ContentType is { } contentType)
            {
                forward.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            foreach (var name in context.Request.Headers.AllKeys.OfType<string>().Where(n => !Unforwarded.Contains(n)))
            {
                forward.Headers.TryAddWithoutValidation(name, context.Request.Headers[name]);
            }

            using var answer = await _client.SendAsync(forward);
            var bytes = await answer.Content.ReadAsByteArrayAsync();
            context.Response.StatusCode = (int)answer.StatusCode;
            foreach (var header in answer.Headers.Where(h => h.Key.StartsWith("x-am", StringComparison.OrdinalIgnoreCase)))
            {
                context.Response.Headers[header.Key] = string.Join(",", header.Value);
            }

            context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
