using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using CostNotifier.Aws;
using CostNotifier.Aws.Protocol;
using CostNotifier.Cli.Output;

namespace CostNotifier.Cli.Targets.Aws;

/// <summary>
/// Looks up the stack's functions with Lambda's <c>GetFunctionConfiguration</c> (REST-JSON), sent through the
/// same SDK pipeline as every other client (credentials, SigV4 for <c>lambda</c>, retries).
/// </summary>
public sealed class LambdaFunctions : IDisposable
{
    /// <summary>AWS Lambda as the SDK addresses it.</summary>
    public static readonly AwsServiceSpec Service = new()
    {
        ServiceId = "Lambda",
        EndpointOverrideKey = AwsConnection.Services.Lambda,
        SigningName = "lambda",
        EndpointPrefix = "lambda",
        ApiVersion = "2015-03-31",
    };

    private readonly AwsProtocolClient _client;

    /// <summary>Creates the client for <paramref name="connection"/>.</summary>
    public LambdaFunctions(AwsConnection connection) => _client = new AwsProtocolClient(connection, Service);

    /// <summary>
    /// Whether function <paramref name="name"/> exists and its state. A failure other than "not found" (no
    /// permission for <c>lambda:GetFunctionConfiguration</c>, an endpoint without Lambda) leaves existence unknown.
    /// </summary>
    public async Task<FunctionView> ProbeAsync(string role, string name, CancellationToken cancellationToken)
    {
        var operation = AwsOperation.RestJson("GetFunctionConfiguration", "GET", $"/2015-03-31/functions/{Uri.EscapeDataString(name)}/configuration");
        try
        {
            var response = await _client.SendAsync(new AwsJsonRequest(operation, []), cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(response.Body);
            var root = document.RootElement;
            var state = root.TryGetProperty("State", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            var update = root.TryGetProperty("LastUpdateStatus", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            return new FunctionView(role, name, Exists: true, update is null or "Successful" ? state ?? "Active" : $"{state}, last update {update}");
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode == "ResourceNotFoundException" || ex.StatusCode == HttpStatusCode.NotFound)
        {
            return new FunctionView(role, name, Exists: false, "does not exist");
        }
        catch (AmazonServiceException ex)
        {
            return new FunctionView(role, name, Exists: null, $"not checked: {ex.ErrorCode ?? ex.StatusCode.ToString()} {ex.Message}".Trim());
        }
        catch (JsonException)
        {
            return new FunctionView(role, name, Exists: null, "not checked: the endpoint's answer is not Lambda's");
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or IOException)
        {
            return new FunctionView(role, name, Exists: null, $"not checked: {ex.Message}");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
