using CostNotifier.TestSupport;

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

    private readonly HttpClient _client = new();
    private readonly string _target;
    private readonly LoopbackHttpServer _server;

    public CountingProxy(string target)
    {
        _target = target.TrimEnd('/');
        _server = LoopbackHttpServer.Start(ForwardAsync);
    }

    public string Url => _server.Url;

    /// <summary>Runs before each request is forwarded, e.g. to change the emulator's state under a command in flight.</summary>
    public Func<LoopbackRequest, Task>? BeforeForward { get; set; }

    /// <summary>Operations forwarded so far, e.g. <c>DynamoDB_20120810.Query</c>.</summary>
    public IReadOnlyList<string> Operations => [.. _server.Requests.Select(r => r.Header("X-Amz-Target") ?? r.Method)];

    public int Count(string operationSuffix) => Operations.Count(o => o.EndsWith("." + operationSuffix, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _client.Dispose();
    }

    private async Task<LoopbackResponse> ForwardAsync(LoopbackRequest request)
    {
        if (BeforeForward is { } hook)
        {
            await hook(request);
        }

        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), _target + request.PathAndQuery)
        {
            Content = new ByteArrayContent(request.Body),
        };
        if (request.Header("Content-Type") is { } contentType)
        {
            forward.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        foreach (var (name, value) in request.Headers.Where(h => !Unforwarded.Contains(h.Key)))
        {
            forward.Headers.TryAddWithoutValidation(name, value);
        }

        using var answer = await _client.SendAsync(forward);
        var headers = answer.Headers
            .Where(h => h.Key.StartsWith("x-am", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value));
        return new LoopbackResponse((int)answer.StatusCode, answer.Content.Headers.ContentType?.ToString(), await answer.Content.ReadAsByteArrayAsync())
        {
            Headers = headers,
        };
    }
}
