using Amazon.Runtime;

namespace CostNotifier.Aws.Protocol;

/// <summary>A successful response: its raw UTF-8 JSON body, parsed by the caller that knows its shape.</summary>
public sealed class AwsJsonResponse : AmazonWebServiceResponse
{
    /// <summary>The UTF-8 JSON body; empty when the service sent none.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }
}
