namespace CostNotifier.Aws.Protocol;

/// <summary>How one API operation travels over HTTP: method, path, and the protocol's content type and target.</summary>
/// <param name="Name">The operation name, e.g. <c>GetCostAndUsage</c>.</param>
/// <param name="HttpMethod">The HTTP method.</param>
/// <param name="RequestUri">The request path, e.g. <c>/</c> or <c>/v2/email/outbound-emails</c>.</param>
/// <param name="Target">The <c>X-Amz-Target</c> header of the AWS JSON protocols; null for REST-JSON.</param>
/// <param name="ContentType">The request content type.</param>
public sealed record AwsOperation(string Name, string HttpMethod, string RequestUri, string? Target, string ContentType)
{
    /// <summary>An AWS JSON 1.1 operation: <c>POST /</c> with <c>X-Amz-Target: {targetPrefix}.{name}</c>.</summary>
    public static AwsOperation Json11(string targetPrefix, string name) =>
        new(name, "POST", "/", targetPrefix + "." + name, "application/x-amz-json-1.1");

    /// <summary>A REST-JSON operation at <paramref name="requestUri"/>.</summary>
    public static AwsOperation RestJson(string name, string httpMethod, string requestUri) =>
        new(name, httpMethod, requestUri, null, "application/json");
}
