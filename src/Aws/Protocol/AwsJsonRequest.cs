using Amazon.Runtime;

namespace CostNotifier.Aws.Protocol;

/// <summary>One call of an operation with its already-serialized JSON body.</summary>
public sealed class AwsJsonRequest : AmazonWebServiceRequest
{
    /// <summary>Creates the call of <paramref name="operation"/> with <paramref name="body"/> (UTF-8 JSON).</summary>
    public AwsJsonRequest(AwsOperation operation, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(body);
        Operation = operation;
        Body = body;
    }

    /// <summary>The operation called.</summary>
    public AwsOperation Operation { get; }

    /// <summary>The UTF-8 JSON body.</summary>
    public ReadOnlyMemory<byte> Body { get; }
}
