using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using CostNotifier.IntegrationTests.CostExplorer;
using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.Chat;

/// <summary>
/// SSM Parameter Store's <c>GetParameter</c> on a loopback port, answering in its documented AWS JSON 1.1 shapes:
/// <c>{"Parameter":{"Name","Type","Value","Version","ARN","DataType","LastModifiedDate"}}</c>, or an error as
/// <c>{"__type":"ParameterNotFound","message":...}</c> with HTTP 400. The real SDK client talks to it.
/// </summary>
internal sealed class SsmParameterServer : IAsyncDisposable
{
    private const string AccountArn = "arn:aws:ssm:us-east-1:123456789012:parameter";

    private readonly ConcurrentDictionary<string, (string Value, string Type)> _parameters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Code, string Message)> _failures = new(StringComparer.Ordinal);
    private readonly LoopbackHttpServer _server;
    private TaskCompletionSource _gate = Opened();

    private SsmParameterServer() => _server = LoopbackHttpServer.Start(AnswerAsync);

    /// <summary>The base URL, for <c>AWS_ENDPOINT_URL_SSM</c> or the connection's <c>SSM</c> endpoint.</summary>
    public string Url => _server.Url;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests =>
        [.. _server.Requests.Select(r => new RecordedRequest(r.Method, r.PathAndQuery, r.Headers, r.Body))];

    public static SsmParameterServer Start() => new();

    /// <summary>Stores a parameter (a SecureString unless told otherwise); it is answered from now on.</summary>
    public SsmParameterServer With(string name, string value, string type = "SecureString")
    {
        _parameters[name] = (value, type);
        _failures.TryRemove(name, out _);
        return this;
    }

    /// <summary>Answers every read of <paramref name="name"/> with this AWS error until <see cref="With"/> or <see cref="Heal"/>.</summary>
    public SsmParameterServer Failing(string name, string code, string message)
    {
        _failures[name] = (code, message);
        return this;
    }

    /// <summary>Stops failing reads of <paramref name="name"/>.</summary>
    public void Heal(string name) => _failures.TryRemove(name, out _);

    /// <summary>Holds every answer until <see cref="Release"/>, so callers can pile up on one request.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets held answers go.</summary>
    public void Release() => _gate.TrySetResult();

    public ValueTask DisposeAsync()
    {
        Release();
        return _server.DisposeAsync();
    }

    private static TaskCompletionSource Opened()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }

    private async Task<LoopbackResponse> AnswerAsync(LoopbackRequest request)
    {
        await _gate.Task;
        if (request.Header("X-Amz-Target") != "AmazonSSM.GetParameter")
        {
            return Error(400, "UnknownOperationException", $"Unexpected target {request.Header("X-Amz-Target")}");
        }

        using var body = JsonDocument.Parse(request.Body);
        var name = body.RootElement.GetProperty("Name").GetString()!;
        if (_failures.TryGetValue(name, out var failure))
        {
            return Error(failure.Code.StartsWith("Internal", StringComparison.Ordinal) ? 500 : 400, failure.Code, failure.Message);
        }

        if (!_parameters.TryGetValue(name, out var parameter))
        {
            // SSM's answer carries no message for a missing parameter.
            return Error(400, "ParameterNotFound", string.Empty);
        }

        var decrypted = body.RootElement.TryGetProperty("WithDecryption", out var decryption) && decryption.GetBoolean();
        var answer = new Dictionary<string, object>
        {
            ["Parameter"] = new Dictionary<string, object>
            {
                ["Name"] = name,
                ["Type"] = parameter.Type,
                // Without decryption SSM hands back the ciphertext, never the value.
                ["Value"] = decrypted || parameter.Type != "SecureString" ? parameter.Value : "AQICAHh-ciphertext-" + name.Length.ToString(CultureInfo.InvariantCulture),
                ["Version"] = 3,
                ["ARN"] = AccountArn + name,
                ["DataType"] = "text",
                ["LastModifiedDate"] = 1764547200.123,
            },
        };
        return LoopbackResponse.Text(200, "application/x-amz-json-1.1", JsonSerializer.Serialize(answer))
            .WithHeader("x-amzn-RequestId", Guid.NewGuid().ToString());
    }

    private static LoopbackResponse Error(int status, string code, string message) =>
        LoopbackResponse.Text(status, "application/x-amz-json-1.1", JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = code, ["message"] = message }))
            .WithHeader("x-amzn-RequestId", Guid.NewGuid().ToString());
}
