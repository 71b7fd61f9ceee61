using System.Text;
using Amazon.DynamoDBv2.Model;

namespace CostNotifier.ScaleBench;

/// <summary>
/// An item's size as DynamoDB counts it for storage and write units: per attribute, the name's UTF-8 length plus
/// the value's size — a string its UTF-8 length, a number about one byte per two significant digits plus one, a
/// binary its length, a boolean or null one byte, a list or map three bytes plus one per element plus the
/// elements (a map's element names included), a set the sum of its elements.
/// </summary>
internal static class ItemSize
{
    public static long Of(IReadOnlyDictionary<string, AttributeValue> item) =>
        item.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + ValueSize(a.Value));

    private static long ValueSize(AttributeValue value)
    {
        if (value.S is not null)
        {
            return Encoding.UTF8.GetByteCount(value.S);
        }

        if (value.N is not null)
        {
            return NumberSize(value.N);
        }

        if (value.B is not null)
        {
            return value.B.Length;
        }

        if (value.M is not null)
        {
            return 3 + value.M.Sum(e => 1 + Encoding.UTF8.GetByteCount(e.Key) + ValueSize(e.Value));
        }

        if (value.L is not null)
        {
            return 3 + value.L.Sum(e => 1 + ValueSize(e));
        }

        if (value.SS is { Count: > 0 })
        {
            return value.SS.Sum(s => (long)Encoding.UTF8.GetByteCount(s));
        }

        if (value.NS is { Count: > 0 })
        {
            return value.NS.Sum(NumberSize);
        }

        if (value.BS is { Count: > 0 })
        {
            return value.BS.Sum(b => b.Length);
        }

        // BOOL or NULL.
        return 1;
    }

    private static long NumberSize(string number)
    {
        var digits = number.TrimStart('-').Replace(".", string.Empty, StringComparison.Ordinal).Trim('0').Length;
        return (Math.Max(digits, 1) + 1) / 2 + 1;
    }
}
