using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CostNotifier.LambdaRuntime;

/// <summary>
/// A client of the Lambda Runtime API (<c>http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/…</c>): asks for the
/// next event, posts its answer or error, and reports a failed initialisation. One per process.
/// </summary>
public sealed class RuntimeApiClient : IDisposable
{
    private const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    private const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    private const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    private const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;

    /// <summary>Creates a client of the Runtime API at <paramref name="runtimeApi"/> (<c>host:port</c>).</summary>
    public RuntimeApiClient(string runtimeApi)
        : this(runtimeApi, new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false })
    {
    }

    /// <summary>Creates a client over <paramref name="handler"/>, which it owns.</summary>
    public RuntimeApiClient(string runtimeApi, HttpMessageHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        if (!Uri.TryCreate($"http://{runtimeApi.Trim()}/2018-06-01/runtime/", UriKind.Absolute, out var baseAddress))
        {
            throw new ArgumentException($"AWS_LAMBDA_RUNTIME_API '{runtimeApi}' is not host:port.", nameof(runtimeApi));
        }

        // invocation/next waits as long as the sandbox stays frozen between events: no client-side timeout.
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Waits for the next event.</summary>
    /// <exception cref="RuntimeApiException">The Runtime API refused, or answered without a request id or deadline.</exception>
    public async Task<RuntimeInvocation> NextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("invocation/next", cancellationToken).ConfigureAwait(false);
        await EnsureAcceptedAsync(response, "invocation/next", cancellationToken).ConfigureAwait(false);

        var requestId = Header(response, RequestIdHeader)
            ?? throw new RuntimeApiException($"invocation/next answered without {RequestIdHeader}.");
        var deadlineText = Header(response, DeadlineHeader);
        if (!long.TryParse(deadlineText, NumberStyles.None, CultureInfo.InvariantCulture, out var deadlineMs))
        {
            throw new RuntimeApiException($"invocation/next answered {DeadlineHeader} '{deadlineText}', not milliseconds since the epoch.");
        }

        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new RuntimeInvocation(
            requestId,
            DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs),
            Header(response, FunctionArnHeader),
            Header(response, TraceIdHeader),
            payload);
    }

    /// <summary>Posts the answer to invocation <paramref name="requestId"/>.</summary>
    /// <exception cref="RuntimeApiException">The Runtime API refused it (e.g. 413 for an answer over 6 MB).</exception>
    public async Task SendResponseAsync(string requestId, Stream response, CancellationToken cancellationToken)
    {
        using var content = new StreamContent(response);
        content.Headers.ContentType = Json;
        var path = $"invocation/{Uri.EscapeDataString(requestId)}/response";
        using var answer = await _http.PostAsync(path, content, cancellationToken).ConfigureAwait(false);
        await EnsureAcceptedAsync(answer, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports that invocation <paramref name="requestId"/> failed.</summary>
    public Task SendInvocationErrorAsync(string requestId, string errorType, RuntimeError error, CancellationToken cancellationToken) =>
        PostErrorAsync($"invocation/{Uri.EscapeDataString(requestId)}/error", errorType, error, cancellationToken);

    /// <summary>Reports that the function could not initialise; Lambda then fails the pending invocation with it.</summary>
    public Task SendInitErrorAsync(string errorType, RuntimeError error, CancellationToken cancellationToken) =>
        PostErrorAsync("init/error", errorType, error, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task PostErrorAsync(string path, string errorType, RuntimeError error, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(error, RuntimeJsonContext.Default.RuntimeError));
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        using var answer = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureAcceptedAsync(answer, path, cancellationToken).ConfigureAwait(false);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && values.FirstOrDefault() is { Length: > 0 } value ? value : null;

    private static async Task EnsureAcceptedAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new RuntimeApiException(
            string.Create(CultureInfo.InvariantCulture, $"{path} answered HTTP {(int)response.StatusCode}: {Truncate(body)}"),
            response.StatusCode);
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "…";
}

/// <summary>The Runtime API refused a call or answered something the runtime cannot use.</summary>
public sealed class RuntimeApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RuntimeApiException(string message, HttpStatusCode? statusCode = null)
        : base(message) => StatusCode = statusCode;

    /// <summary>The Runtime API's status code, when it answered.</summary>
    public HttpStatusCode? StatusCode { get; }
}
