using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace CostNotifier.Aws.Protocol;

/// <summary>Turns an <see cref="AwsJsonRequest"/> into the SDK's HTTP request: method, path, headers and body.</summary>
public sealed class AwsJsonRequestMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
{
    /// <summary>The shared, stateless instance.</summary>
    public static AwsJsonRequestMarshaller Instance { get; } = new();

    /// <inheritdoc />
    public IRequest Marshall(AmazonWebServiceRequest input)
    {
        if (input is not AwsJsonRequest request)
        {
            throw new ArgumentException($"Expected an {nameof(AwsJsonRequest)}, got {input?.GetType().Name ?? "null"}.", nameof(input));
        }

        var operation = request.Operation;
        IRequest http = new DefaultRequest(request, operation.Name)
        {
            HttpMethod = operation.HttpMethod,
            ResourcePath = operation.RequestUri,
            Content = request.Body.ToArray(),
        };
        http.Headers["Content-Type"] = operation.ContentType;
        if (operation.Target is not null)
        {
            http.Headers["X-Amz-Target"] = operation.Target;
        }

        return http;
    }
}
