using System.Collections.Concurrent;
using System.Net;
using CostNotifier.TestSupport;

namespace CostNotifier.ScaleBench;

/// <summary>
/// Forwards every request to one service's endpoint unchanged, answering many at once (an SQS long poll must not
/// hold up the others), and counts what passes: requests per operation (<c>X-Amz-Target</c>, or the REST path for
/// SES v2), request bytes, and the time of the last successful <c>SendEmail</c>.
/// </summary>
internal sealed class CountingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Connection", "Expect", "Transfer-Encoding", "Keep-Alive",
    };

    private readonly string _target;
    private readonly HttpClient _client;
    private readonly ConcurrentHttpListener _listener;
    private readonly ConcurrentDictionary<string, int> _operations = new(StringComparer.Ordinal);
    private long _requestBytes;
    private long _lastEmailAcceptedUnixMs;
    private int _emailsAccepted;

    public CountingProxy(string service, string target)
    {
        Service = service;
        _target = target.TrimEnd('/');
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 64 })
        {
            Timeout = TimeSpan.FromSeconds(120),
        };
        _listener = ConcurrentHttpListener.Start(ForwardAsync);
    }

    /// <summary>What the proxy stands in front of, for the report: DynamoDB, SQS, SES or Cost Explorer.</summary>
    public string Service { get; }

    public string Url => _listener.Url;

    /// <summary>Requests forwarded so far, per operation.</summary>
    public IReadOnlyDictionary<string, int> Operations => new Dictionary<string, int>(_operations, StringComparer.Ordinal);

    public int Requests => _operations.Values.Sum();

    public long RequestBytes => Interlocked.Read(ref _requestBytes);

    /// <summary>SendEmail requests the server accepted (status 2xx).</summary>
    public int EmailsAccepted => Volatile.Read(ref _emailsAccepted);

    /// <summary>When the last accepted SendEmail was answered, in Unix milliseconds; 0 before the first.</summary>
    public long LastEmailAcceptedUnixMs => Interlocked.Read(ref _lastEmailAcceptedUnixMs);

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        _client.Dispose();
    }

    private static string OperationOf(HttpListenerRequest request)
    {
        if (request.Headers["X-Amz-Target"] is { Length: > 0 } target)
        {
            var dot = target.LastIndexOf('.');
            return dot >= 0 ? target[(dot + 1)..] : target;
        }

        var path = request.Url?.AbsolutePath ?? "/";
        return path.EndsWith("/outbound-emails", StringComparison.Ordinal) ? "SendEmail" : $"{request.HttpMethod} {path}";
    }

    private async Task ForwardAsync(HttpListenerContext context, CancellationToken stopping)
    {
        var request = context.Request;
        var operation = OperationOf(request);
        _operations.AddOrUpdate(operation, 1, (_, count) => count + 1);

        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body, stopping);
        Interlocked.Add(ref _requestBytes, body.Length);

        using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), _target + request.RawUrl)
        {
            Content = new ByteArrayContent(body.ToArray()),
        };
        if (request.ContentType is { } contentType)
        {
            forward.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        foreach (var name in request.Headers.AllKeys.OfType<string>().Where(n => !HopByHop.Contains(n)))
        {
            forward.Headers.TryAddWithoutValidation(name, request.Headers[name]);
        }

        HttpResponseMessage answer;
        try
        {
            answer = await _client.SendAsync(forward, stopping);
        }
        catch (HttpRequestException ex)
        {
            // The service is gone or refused: answer, so the client sees an error rather than a hang.
            var failure = System.Text.Encoding.UTF8.GetBytes($"The counting proxy could not reach {_target}: {ex.Message}");
            context.Response.StatusCode = 502;
            context.Response.ContentLength64 = failure.Length;
            await context.Response.OutputStream.WriteAsync(failure, stopping);
            context.Response.Close();
            return;
        }

        using var answered = answer;
        var bytes = await answer.Content.ReadAsByteArrayAsync(stopping);
        if (operation == "SendEmail" && answer.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref _emailsAccepted);
            Interlocked.Exchange(ref _lastEmailAcceptedUnixMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }

        var response = context.Response;
        response.StatusCode = (int)answer.StatusCode;
        if (answer.Content.Headers.ContentType is { } answerType)
        {
            response.ContentType = answerType.ToString();
        }

        foreach (var (name, values) in answer.Headers.Where(h => !HopByHop.Contains(h.Key)))
        {
            response.Headers[name] = string.Join(",", values);
        }

        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes, stopping);
        response.Close();
    }
}
