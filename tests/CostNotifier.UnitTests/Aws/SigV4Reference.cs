using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CostNotifier.UnitTests.Aws;

/// <summary>
/// SigV4 computed from the published algorithm with nothing but System.Security.Cryptography, to check the SDK's
/// signer against an implementation that shares no code with it.
/// </summary>
internal static class SigV4Reference
{
    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    public static string Sha256Hex(byte[] data) => Hex(SHA256.HashData(data));

    public static string Sha256Hex(string data) => Sha256Hex(Encoding.UTF8.GetBytes(data));

    /// <summary>The canonical request of a request without query string, signing <paramref name="signedHeaders"/> in order.</summary>
    public static string CanonicalRequest(
        string method, string path, IReadOnlyDictionary<string, string> headers, IReadOnlyList<string> signedHeaders, string payloadHash)
    {
        var lookup = headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value, StringComparer.Ordinal);
        var builder = new StringBuilder()
            .Append(method).Append('\n')
            .Append(path).Append('\n')
            .Append('\n');
        foreach (var name in signedHeaders)
        {
            builder.Append(name).Append(':').Append(string.Join(' ', lookup[name].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))).Append('\n');
        }

        return builder.Append('\n')
            .Append(string.Join(';', signedHeaders)).Append('\n')
            .Append(payloadHash)
            .ToString();
    }

    /// <summary>The hex signature of <paramref name="canonicalRequest"/> for the scope date/region/service.</summary>
    public static string Signature(string secretKey, string amzDate, string region, string service, string canonicalRequest)
    {
        var date = amzDate[..8];
        var stringToSign = string.Join(
            '\n',
            "AWS4-HMAC-SHA256",
            amzDate,
            string.Create(CultureInfo.InvariantCulture, $"{date}/{region}/{service}/aws4_request"),
            Sha256Hex(canonicalRequest));
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return Hex(Hmac(key, stringToSign));
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
