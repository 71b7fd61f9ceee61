using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CostNotifier.IntegrationTests.CostExplorer;

/// <summary>
/// Checks a received request's SigV4 <c>Authorization</c> header by recomputing the signature from what arrived
/// on the wire, with the published algorithm and nothing but System.Security.Cryptography.
/// </summary>
internal static partial class SigV4Check
{
    /// <summary>The parsed header after checking its shape, scope and signature; throws when any is wrong.</summary>
    public static SigV4Authorization Verify(RecordedRequest request, string accessKey, string secretKey, string region, string service)
    {
        var header = request.Header("Authorization");
        var match = AuthorizationPattern().Match(header);
        Assert.True(match.Success, $"Authorization header has the wrong shape: {header}");
        var amzDate = request.Header("X-Amz-Date");
        Assert.Matches("^[0-9]{8}T[0-9]{6}Z$", amzDate);
        var scope = $"{amzDate[..8]}/{region}/{service}/aws4_request";
        Assert.Equal($"{accessKey}/{scope}", match.Groups["credential"].Value);

        var signedHeaders = match.Groups["signed"].Value.Split(';');
        Assert.Contains("host", signedHeaders);
        Assert.Contains("x-amz-date", signedHeaders);
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(request.Body));
        Assert.Equal(payloadHash, request.Header("X-Amz-Content-SHA256"));

        var canonical = new StringBuilder()
            .Append(request.Method).Append('\n')
            .Append(request.Path.Split('?')[0]).Append('\n')
            .Append('\n');
        foreach (var name in signedHeaders)
        {
            var value = string.Join(' ', request.Header(name).Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        canonical.Append('\n').Append(match.Groups["signed"].Value).Append('\n').Append(payloadHash);
        var stringToSign = string.Join(
            '\n', "AWS4-HMAC-SHA256", amzDate, scope, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()))));
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), amzDate[..8]);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var expected = Convert.ToHexStringLower(Hmac(key, stringToSign));
        Assert.Equal(expected, match.Groups["signature"].Value);

        return new SigV4Authorization(
            match.Groups["credential"].Value,
            signedHeaders,
            DateTime.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    [GeneratedRegex("^AWS4-HMAC-SHA256 Credential=(?<credential>[^,]+), SignedHeaders=(?<signed>[a-z0-9;-]+), Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationPattern();
}

/// <summary>What a verified <c>Authorization</c> header said.</summary>
internal sealed record SigV4Authorization(string Credential, IReadOnlyList<string> SignedHeaders, DateTime SignedAt);
