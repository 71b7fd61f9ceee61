using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace CostNotifier.TestSupport;

/// <summary>
/// The Lambda Runtime API (<c>/2018-06-01/runtime/…</c>, as AWS documents it for custom runtimes) on a free loopback
/// port, so a packaged function can run as Lambda runs it: point <c>AWS_LAMBDA_RUNTIME_API</c> at
/// <see cref="Address"/>, queue events with <see cref="InvokeAsync"/> and await what the function posts back.
/// </summary>
/// <remarks>
/// Unlike <see cref="LoopbackHttpServer"/>, requests are served concurrently, by a <see cref="ConcurrentHttpListener"/>:
/// <c>invocation/next</c> blocks until an event is queued (a long poll, as on Lambda) while the function's other calls
/// are answered at once. Every request is recorded with a <see cref="Stopwatch"/> timestamp, so a caller can measure
/// from its own start of the process.
/// </remarks>
internal sealed class RuntimeApiServer : IAsyncDisposable
{
    /// <summary>The largest answer Lambda accepts from a synchronously invoked function: 6 MB.</summary>
    public const int MaxResponseBytes = 6 * 1024 * 1024;

    private const string Prefix = "/2018-06-01/runtime/";
    private const string InvocationPrefix = Prefix + "invocation/";

    private readonly Channel<PendingInvocation> _events = Channel.CreateUnbounded<PendingInvocation>();
    private readonly ConcurrentDictionary<string, PendingInvocation> _unanswered = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RuntimeApiRequest> _requests = new();
    private readonly TaskCompletionSource<long> _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<RuntimeInitError> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentHttpListener _http;

    private RuntimeApiServer(string functionName)
    {
        FunctionName = functionName;
        FunctionArn = $"arn:aws:lambda:us-east-1:000000000000:function:{functionName}";
        _http = ConcurrentHttpListener.Start(AnswerAsync);
        Address = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{_http.Port}");
    }

    /// <summary>The value for <c>AWS_LAMBDA_RUNTIME_API</c>: <c>127.0.0.1:port</c>, no scheme.</summary>
    public string Address { get; }

    /// <summary>The function name the events are addressed to.</summary>
    public string FunctionName { get; }

    /// <summary>The ARN sent as <c>Lambda-Runtime-Invoked-Function-Arn</c>.</summary>
    public string FunctionArn { get; }

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RuntimeApiRequest> Requests => [.. _requests];

    /// <summary>
    /// The <see cref="Stopwatch.GetTimestamp"/> of the first <c>invocation/next</c>, when the function finished
    /// initialising; null until then.
    /// </summary>
    public long? FirstNextTimestamp => _firstNext.Task.IsCompletedSuccessfully ? _firstNext.Task.Result : null;

    /// <summary>Starts serving on a free loopback port; a port taken between choosing and binding it is retried.</summary>
    /// <param name="functionName">The function's name, for its ARN.</param>
    public static RuntimeApiServer Start(string functionName = "costnotifier-function")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(functionName);
        return new RuntimeApiServer(functionName);
    }

    /// <summary>
    /// Queues an event for the next <c>invocation/next</c> and completes when the function answers it (a response or
    /// an error), or when the function reports an initialisation error instead. Cancelling stops waiting only: the
    /// event stays queued or handed out, as on Lambda.
    /// </summary>
    /// <param name="payload">The event, sent as the body of <c>invocation/next</c>.</param>
    /// <param name="deadline">Sent as <c>Lambda-Runtime-Deadline-Ms</c>; the emulator itself enforces nothing.</param>
    /// <param name="traceId">Sent as <c>Lambda-Runtime-Trace-Id</c>; a fresh X-Ray header when null.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    public Task<InvocationOutcome> InvokeAsync(
        byte[] payload, DateTimeOffset deadline, string? traceId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ObjectDisposedException.ThrowIf(_http.Stopping.IsCancellationRequested, this);
        var invocation = new PendingInvocation(Guid.NewGuid().ToString(), payload, deadline, traceId ?? NewTraceId());
        _unanswered[invocation.RequestId] = invocation;
        if (_initError.Task.IsCompletedSuccessfully)
        {
            invocation.FailWith(_initError.Task.Result);
        }
        else if (!_events.Writer.TryWrite(invocation))
        {
            throw new InvalidOperationException("The Runtime API emulator is stopping and takes no more events.");
        }

        return invocation.Outcome.WaitAsync(cancellationToken);
    }

    /// <summary>Completes with the <see cref="Stopwatch.GetTimestamp"/> of the first <c>invocation/next</c>.</summary>
    public Task<long> FirstNextAsync(CancellationToken cancellationToken = default) => _firstNext.Task.WaitAsync(cancellationToken);

    /// <summary>Completes when the function posts <c>init/error</c>.</summary>
    public Task<RuntimeInitError> InitErrorAsync(CancellationToken cancellationToken = default) => _initError.Task.WaitAsync(cancellationToken);

    /// <summary>Stops serving; a pending <c>invocation/next</c> is cut off, as when Lambda ends the sandbox.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_http.Stopping.IsCancellationRequested)
        {
            return;
        }

        // Cancelling comes first: a pending invocation/next must end cancelled, not with the channel closed.
        await _http.DisposeAsync();
        _events.Writer.TryComplete();
        foreach (var invocation in _unanswered.Values)
        {
            invocation.Abandon();
        }
    }

    /// <summary>An X-Ray trace header in the form Lambda sends.</summary>
    private static string NewTraceId()
    {
        var epoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture);
        var random = Guid.NewGuid().ToString("N");
        return $"Root=1-{epoch}-{random[..24]};Parent={Guid.NewGuid().ToString("N")[..16]};Sampled=0;Lineage=1:{random[24..32]}:0";
    }

    /// <summary>
    /// Answers one request on a task of its own, so a waiting <c>invocation/next</c> does not hold up the answers;
    /// stopping (a sandbox that ends cuts its connections) or a function that went away mid-request cuts it off.
    /// </summary>
    private async Task AnswerAsync(HttpListenerContext context, CancellationToken stopping)
    {
        var request = await ReadAsync(context.Request);
        _requests.Enqueue(request);
        await RouteAsync(request, context.Response, stopping);
    }

    private static async Task<RuntimeApiRequest> ReadAsync(HttpListenerRequest request)
    {
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        var headers = request.Headers.AllKeys
            .OfType<string>()
            .ToDictionary(name => name, name => request.Headers[name] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        var path = request.Url?.AbsolutePath ?? request.RawUrl ?? "/";
        return new RuntimeApiRequest(request.HttpMethod, path, headers, body.ToArray(), DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());
    }

    private async Task RouteAsync(RuntimeApiRequest request, HttpListenerResponse response, CancellationToken stopping)
    {
        var path = request.Path;
        if (request.Method == "GET" && path == InvocationPrefix + "next")
        {
            await NextAsync(request, response, stopping);
        }
        else if (request.Method == "POST" && path == Prefix + "init/error")
        {
            await InitErrorAsync(request, response);
        }
        else if (request.Method == "POST" && path.StartsWith(InvocationPrefix, StringComparison.Ordinal)
            && path[InvocationPrefix.Length..].Split('/') is [var id, var kind] && kind is "response" or "error")
        {
            await AnswerInvocationAsync(request, Uri.UnescapeDataString(id), kind == "response", response);
        }
        else
        {
            await WriteAsync(response, 404, ErrorJson("InvalidRequest", $"{request.Method} {path} is not part of the Runtime API."));
        }
    }

    private async Task NextAsync(RuntimeApiRequest request, HttpListenerResponse response, CancellationToken stopping)
    {
        _firstNext.TrySetResult(request.Timestamp);
        PendingInvocation invocation;
        do
        {
            // An event the init error already failed is skipped, as Lambda never hands it out.
            invocation = await _events.Reader.ReadAsync(stopping);
        }
        while (invocation.Outcome.IsCompleted);

        invocation.HandedOut();
        response.Headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
        response.Headers["Lambda-Runtime-Deadline-Ms"] =
            invocation.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
        response.Headers["Lambda-Runtime-Trace-Id"] = invocation.TraceId;
        await WriteAsync(response, 200, invocation.Payload);
    }

    private async Task InitErrorAsync(RuntimeApiRequest request, HttpListenerResponse response)
    {
        var error = RuntimeInitError.From(request);
        if (!_initError.TrySetResult(error))
        {
            await WriteAsync(response, 403, ErrorJson("InvalidStateTransition", "init/error was already reported."));
            return;
        }

        // Lambda fails the invocation that started the sandbox with the init error; so does the emulator, every one.
        foreach (var invocation in _unanswered.Values)
        {
            invocation.FailWith(error);
        }

        _unanswered.Clear();
        await WriteAsync(response, 202, """{"status":"OK"}"""u8.ToArray());
    }

    private async Task AnswerInvocationAsync(RuntimeApiRequest request, string requestId, bool succeeded, HttpListenerResponse response)
    {
        if (!_unanswered.TryGetValue(requestId, out var invocation) || !invocation.WasHandedOut)
        {
            await WriteAsync(response, 400, ErrorJson("InvalidRequestID", $"Invocation {requestId} is not waiting for an answer."));
            return;
        }

        if (succeeded && request.Body.Length > MaxResponseBytes)
        {
            await WriteAsync(
                response,
                413,
                ErrorJson("RequestEntityTooLarge", string.Create(CultureInfo.InvariantCulture, $"The response is {request.Body.Length} bytes; the limit is {MaxResponseBytes}.")));
            return;
        }

        if (!_unanswered.TryRemove(requestId, out _))
        {
            await WriteAsync(response, 400, ErrorJson("InvalidRequestID", $"Invocation {requestId} was already answered."));
            return;
        }

        invocation.Complete(new InvocationOutcome(
            requestId,
            succeeded ? InvocationAnswer.Response : InvocationAnswer.Error,
            request.Body,
            succeeded ? null : request.Header("Lambda-Runtime-Function-Error-Type"),
            request.ReceivedAt,
            request.Timestamp));
        await WriteAsync(response, 202, """{"status":"OK"}"""u8.ToArray());
    }

    private static byte[] ErrorJson(string type, string message) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["errorType"] = type, ["errorMessage"] = message });

    private static async Task WriteAsync(HttpListenerResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }

    /// <summary>An event queued or handed out, until the function answers it.</summary>
    private sealed class PendingInvocation(string requestId, byte[] payload, DateTimeOffset deadline, string traceId)
    {
        private readonly TaskCompletionSource<InvocationOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _handedOut;

        public string RequestId => requestId;

        public byte[] Payload => payload;

        public DateTimeOffset Deadline => deadline;

        public string TraceId => traceId;

        public Task<InvocationOutcome> Outcome => _outcome.Task;

        public bool WasHandedOut => Volatile.Read(ref _handedOut) == 1;

        public void HandedOut() => Volatile.Write(ref _handedOut, 1);

        public void Complete(InvocationOutcome outcome) => _outcome.TrySetResult(outcome);

        public void Abandon() =>
            _outcome.TrySetException(new InvalidOperationException($"The Runtime API emulator stopped before the function answered invocation {requestId}."));

        public void FailWith(RuntimeInitError error) =>
            _outcome.TrySetResult(new InvocationOutcome(
                requestId, InvocationAnswer.InitError, Encoding.UTF8.GetBytes(error.Body), error.ErrorTypeHeader, error.ReportedAt, error.Timestamp));
    }
}

/// <summary>How the function answered an invocation.</summary>
internal enum InvocationAnswer
{
    /// <summary>It posted <c>invocation/{id}/response</c>.</summary>
    Response,

    /// <summary>It posted <c>invocation/{id}/error</c>.</summary>
    Error,

    /// <summary>It never got the event: it posted <c>init/error</c>, and Lambda fails the invocation with that.</summary>
    InitError,
}

/// <summary>What the function answered one invocation with.</summary>
/// <param name="RequestId">The invocation's <c>Lambda-Runtime-Aws-Request-Id</c>.</param>
/// <param name="Answer">A response, an error, or the init error the invocation failed with.</param>
/// <param name="Body">The posted body: the function's response, or the error JSON.</param>
/// <param name="ErrorType">The <c>Lambda-Runtime-Function-Error-Type</c> header of an error; null for a response.</param>
/// <param name="AnsweredAt">When the answer arrived.</param>
/// <param name="AnsweredTimestamp">The <see cref="Stopwatch.GetTimestamp"/> at which the answer arrived.</param>
internal sealed record InvocationOutcome(
    string RequestId, InvocationAnswer Answer, byte[] Body, string? ErrorType, DateTimeOffset AnsweredAt, long AnsweredTimestamp)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The body parsed as JSON; the caller disposes it.</summary>
    public JsonDocument Json() => JsonDocument.Parse(Body);

    /// <inheritdoc />
    public override string ToString() => $"{Answer} to {RequestId} at {AnsweredAt:O}{(ErrorType is null ? "" : $" ({ErrorType})")}: {Text}";
}

/// <summary>What the function posted to <c>init/error</c>.</summary>
/// <param name="ErrorTypeHeader">The <c>Lambda-Runtime-Function-Error-Type</c> header.</param>
/// <param name="ErrorType">The body's <c>errorType</c>, if it was JSON with one.</param>
/// <param name="ErrorMessage">The body's <c>errorMessage</c>, if it was JSON with one.</param>
/// <param name="StackTrace">The body's <c>stackTrace</c> lines, if any.</param>
/// <param name="Body">The body as sent.</param>
/// <param name="ReportedAt">When it arrived.</param>
/// <param name="Timestamp">The <see cref="Stopwatch.GetTimestamp"/> at which it arrived.</param>
internal sealed record RuntimeInitError(
    string? ErrorTypeHeader,
    string? ErrorType,
    string? ErrorMessage,
    IReadOnlyList<string> StackTrace,
    string Body,
    DateTimeOffset ReportedAt,
    long Timestamp)
{
    /// <summary>Reads the error from the request that posted it; a body that is not the documented JSON is kept as text.</summary>
    public static RuntimeInitError From(RuntimeApiRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = Encoding.UTF8.GetString(request.Body);
        string? type = null;
        string? message = null;
        var stackTrace = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(request.Body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                type = root.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                message = root.TryGetProperty("errorMessage", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                if (root.TryGetProperty("stackTrace", out var s) && s.ValueKind == JsonValueKind.Array)
                {
                    stackTrace.AddRange(s.EnumerateArray().Select(line => line.ToString()));
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text says what it is.
        }

        return new RuntimeInitError(
            request.Header("Lambda-Runtime-Function-Error-Type"), type, message, stackTrace, text, request.ReceivedAt, request.Timestamp);
    }
}

/// <summary>A request as the Runtime API emulator received it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path without query, e.g. <c>/2018-06-01/runtime/invocation/next</c>.</param>
/// <param name="Headers">The headers by case-insensitive name.</param>
/// <param name="Body">The body's bytes.</param>
/// <param name="ReceivedAt">When its body had been read.</param>
/// <param name="Timestamp">The <see cref="Stopwatch.GetTimestamp"/> at which its body had been read.</param>
internal sealed record RuntimeApiRequest(
    string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset ReceivedAt, long Timestamp)
{
    /// <summary>The header's value, or null when the request has none.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <inheritdoc />
    public override string ToString() => $"{Method} {Path} ({Body.Length} bytes) at {ReceivedAt:O}";
}
