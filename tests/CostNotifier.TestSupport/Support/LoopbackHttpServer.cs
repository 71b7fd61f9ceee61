using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace CostNotifier.TestSupport;

/// <summary>
/// An HTTP server on a free loopback port that answers each request with what a handler returns and records every
/// request, for the AWS endpoints that have no emulator and for proxies in front of one. Requests are answered one
/// at a time, in arrival order, so a handler needs no locking of its own.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private const int StartAttempts = 5;

    private readonly HttpListener _listener;
    private readonly Func<LoopbackRequest, Task<LoopbackResponse>> _handler;
    private readonly ConcurrentQueue<LoopbackRequest> _requests = new();
    private readonly Task _serving;

    private LoopbackHttpServer(HttpListener listener, string url, Func<LoopbackRequest, Task<LoopbackResponse>> handler)
    {
        _listener = listener;
        _handler = handler;
        Url = url;
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The base URL without a trailing slash, e.g. <c>http://127.0.0.1:43121</c>.</summary>
    public string Url { get; }

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<LoopbackRequest> Requests => [.. _requests];

    /// <summary>Starts serving on a free port; a port taken between choosing and binding it is retried with another.</summary>
    public static LoopbackHttpServer Start(Func<LoopbackRequest, Task<LoopbackResponse>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        for (var attempt = 1; ; attempt++)
        {
            var url = $"http://127.0.0.1:{LoopbackPorts.Next()}";
            var listener = new HttpListener();
            listener.Prefixes.Add(url + "/");
            try
            {
                listener.Start();
                return new LoopbackHttpServer(listener, url, handler);
            }
            catch (HttpListenerException) when (attempt < StartAttempts)
            {
                listener.Close();
            }
        }
    }

    /// <inheritdoc cref="Start(Func{LoopbackRequest, Task{LoopbackResponse}})"/>
    public static LoopbackHttpServer Start(Func<LoopbackRequest, LoopbackResponse> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Start(request => Task.FromResult(handler(request)));
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
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
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // Stopping the listener ends the pending accept with one of these.
                return;
            }

            try
            {
                await AnswerAsync(context);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                // The client gave up on this answer, or the server is stopping; the loop condition tells which.
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var headers = context.Request.Headers.AllKeys
            .OfType<string>()
            .ToDictionary(name => name, name => context.Request.Headers[name] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        var request = new LoopbackRequest(context.Request.HttpMethod, context.Request.RawUrl ?? "/", headers, body.ToArray());
        _requests.Enqueue(request);

        LoopbackResponse response;
        try
        {
            response = await _handler(request);
        }
        catch (Exception ex)
        {
            // Answer instead of dropping the connection, so the test fails with the cause rather than a hang.
            response = LoopbackResponse.Text(500, "text/plain", $"The loopback handler failed: {ex}");
        }

        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentLength64 = response.Body.Length;
        await context.Response.OutputStream.WriteAsync(response.Body);
        context.Response.Close();
    }
}

/// <summary>A request as the loopback server received it.</summary>
/// <param name="Method">The HTTP method, e.g. <c>POST</c>.</param>
/// <param name="PathAndQuery">The path and query exactly as sent, e.g. <c>/2015-03-31/functions/x/configuration</c>.</param>
/// <param name="Headers">The headers by case-insensitive name; a repeated header's values joined by commas.</param>
/// <param name="Body">The body's bytes.</param>
internal sealed record LoopbackRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The header's value, or null when the request has none.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What the loopback server answers to one request.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="ContentType">The <c>Content-Type</c>; null sends none.</param>
/// <param name="Body">The body's bytes.</param>
internal sealed record LoopbackResponse(int Status, string? ContentType, byte[] Body)
{
    /// <summary>Further response headers, e.g. <c>x-amzn-RequestId</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>A UTF-8 text body.</summary>
    public static LoopbackResponse Text(int status, string contentType, string body) =>
        new(status, contentType, Encoding.UTF8.GetBytes(body));

    /// <summary>This response with one more header.</summary>
    public LoopbackResponse WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers) { [name] = value } };
}
