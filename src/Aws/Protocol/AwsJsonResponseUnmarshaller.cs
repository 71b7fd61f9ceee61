using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

namespace CostNotifier.Aws.Protocol;

/// <summary>
/// Reads a successful JSON response into an <see cref="AwsJsonResponse"/> and an error response into an
/// <see cref="AmazonServiceException"/> carrying the service's error code, so the SDK's retry policy can tell
/// throttling and server errors from errors that retrying will not fix.
/// </summary>
/// <remarks>
/// Successful bodies are only buffered here; their shape is checked by the caller. A body that fails to
/// unmarshal inside the pipeline would be treated by the SDK as transient and re-requested, which for
/// Cost Explorer means paying again for an answer that will not change.
/// </remarks>
public sealed class AwsJsonResponseUnmarshaller : JsonResponseUnmarshaller
{
    /// <summary>The shared, stateless instance.</summary>
    public static AwsJsonResponseUnmarshaller Instance { get; } = new();

    /// <inheritdoc />
    public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var body = new MemoryStream();
        input.Stream.CopyTo(body);
        return new AwsJsonResponse { Body = body.ToArray() };
    }

    /// <inheritdoc />
    public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext input, Exception innerException, HttpStatusCode statusCode)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reader = new StreamingUtf8JsonReader(input.Stream, AWSConfigs.StreamingUtf8JsonReaderBufferSize ?? 4096, input.JsonMaxDepth);
        var error = JsonErrorResponseUnmarshaller.GetInstance().Unmarshall(input, ref reader);
        return new AmazonServiceException(error.Message, innerException, error.Type, error.Code, error.RequestId, statusCode);
    }
}
