using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CostNotifier.BatchProcessing;

namespace CostNotifier.Embedded.Queues;

/// <summary>
/// Shapes received local messages as the SQS event a Lambda event source mapping delivers, so the same
/// <see cref="SqsBatchProcessor"/> runs on the embedded queues as on AWS.
/// </summary>
public static class LocalSqsEvents
{
    /// <summary>The region that appears in local queue ARNs.</summary>
    public const string Region = "local";

    /// <summary>The account id that appears in local queue ARNs and as the sender.</summary>
    public const string AccountId = "000000000000";

    /// <summary>An SQS event holding <paramref name="messages"/> in order.</summary>
    public static SqsEvent Create(IEnumerable<ReceivedMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return new SqsEvent { Records = messages.Select(ToSqsMessage).ToList() };
    }

    /// <summary>One record of an SQS event, as Lambda shapes it.</summary>
    public static SqsMessage ToSqsMessage(ReceivedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new SqsMessage
        {
            MessageId = message.MessageId,
            ReceiptHandle = message.ReceiptHandle,
            Body = message.Body,
            Attributes = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["ApproximateReceiveCount"] = message.ReceiveCount.ToString(CultureInfo.InvariantCulture),
                ["SentTimestamp"] = message.SentAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                ["SenderId"] = AccountId,
                ["ApproximateFirstReceiveTimestamp"] = message.FirstReceivedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            },
            MessageAttributes = new Dictionary<string, SqsMessageAttribute>(StringComparer.Ordinal),
            Md5OfBody = Md5Hex(message.Body),
            EventSource = "aws:sqs",
            EventSourceArn = message.Queue.Arn,
            AwsRegion = Region,
        };
    }

    // SQS's integrity checksum of the body, not a security measure.
#pragma warning disable CA5351
    private static string Md5Hex(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));
#pragma warning restore CA5351
}
