using System.Text;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using CostNotifier.Aws;
using CostNotifier.Aws.Protocol;
using CostNotifier.Collector.CostExplorer;
using CostNotifier.Notifier.Ses;

namespace CostNotifier.UnitTests.Aws;

/// <summary>
/// The SDK's SigV4 signer, which every request of the Cost Explorer and SES clients goes through, checked against
/// AWS's published SigV4 test suite (credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service "service")
/// and against an independent computation for the requests those clients build.
/// </summary>
public sealed class SigV4SigningTests
{
    private const string SuiteAccessKey = "AKIDEXAMPLE";
    private const string SuiteSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string EmptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static readonly DateTime SuiteTime = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    public static TheoryData<string, string, string, string, string, string> SuiteCases => new()
    {
        {
            "get-vanilla", "GET", "", "",
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptyBodyHash,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        },
        {
            "post-vanilla", "POST", "", "",
            "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptyBodyHash,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
        },
        {
            "post-x-www-form-urlencoded", "POST", "application/x-www-form-urlencoded", "Param1=value1",
            "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"
        },
    };

    [Theory]
    [MemberData(nameof(SuiteCases))]
    public void SdkSigner_OnSuiteCase_ProducesThePublishedCanonicalRequestAndAuthorization(
        string name, string method, string contentType, string body, string expectedCanonicalRequest, string expectedAuthorization)
    {
        var headers = new Dictionary<string, string>
        {
            ["Host"] = "example.amazonaws.com",
            ["X-Amz-Date"] = "20150830T123600Z",
        };
        if (contentType.Length > 0)
        {
            headers["Content-Type"] = contentType;
        }

        var canonical = SuiteSigner.Canonicalize(method, headers, SigV4Reference.Sha256Hex(body), out var signedHeaders);
        var result = AWS4Signer.ComputeSignature(SuiteAccessKey, SuiteSecretKey, "us-east-1", SuiteTime, "service", signedHeaders, canonical);

        Assert.True(expectedCanonicalRequest == canonical, $"{name}: canonical request differs:\n{canonical}");
        Assert.Equal(expectedAuthorization, result.ForAuthorizationHeader);
    }

    [Fact]
    public void ReferenceComputation_OnGetVanilla_MatchesThePublishedSignature()
    {
        var canonical = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptyBodyHash;

        var signature = SigV4Reference.Signature(SuiteSecretKey, "20150830T123600Z", "us-east-1", "service", canonical);

        Assert.Equal("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", signature);
    }

    [Fact]
    public void SignRequest_ForACostExplorerCall_SignsForCeInUsEast1AndMatchesAnIndependentSignature()
    {
        var connection = new AwsConnection(Region: "eu-west-1");
        var config = new AwsProtocolConfig(CostExplorerClient.Service);
        connection.Apply(config, AwsConnection.Services.CostExplorer);
        var body = """{"TimePeriod":{"Start":"2024-02-27","End":"2024-03-02"},"Granularity":"DAILY"}"""u8.ToArray();
        var request = AwsJsonRequestMarshaller.Instance.Marshall(
            new AwsJsonRequest(AwsOperation.Json11("AWSInsightsIndexService", "GetCostAndUsage"), body));
        request.Endpoint = new Uri(config.DetermineServiceOperationEndpoint(new(request.OriginalRequest)).URL);
        request.AuthenticationRegion = "us-east-1";
        var signedAt = new DateTime(2024, 3, 2, 6, 30, 0, DateTimeKind.Utc);

        var result = new AWS4Signer().SignRequest(request, config, null, "AKID", "SECRET", signedAt);

        Assert.Equal("https://ce.us-east-1.amazonaws.com/", request.Endpoint.ToString());
        Assert.Equal("20240302/us-east-1/ce/aws4_request", result.Scope);
        var signedHeaders = result.SignedHeaders.Split(';');
        Assert.Contains("x-amz-target", signedHeaders);
        Assert.Contains("x-amz-date", signedHeaders);
        Assert.Contains("host", signedHeaders);
        var canonical = SigV4Reference.CanonicalRequest("POST", "/", request.Headers.ToDictionary(), signedHeaders, SigV4Reference.Sha256Hex(body));
        Assert.Equal(SigV4Reference.Signature("SECRET", "20240302T063000Z", "us-east-1", "ce", canonical), result.Signature);
    }

    [Fact]
    public void SignRequest_ForAnSesSendEmail_SignsForSesInTheConnectionRegion()
    {
        var config = new AwsProtocolConfig(SesV2EmailSender.Service);
        new AwsConnection(Region: "eu-central-1").Apply(config, AwsConnection.Services.SesV2);
        var body = Encoding.UTF8.GetBytes("""{"FromEmailAddress":"costs@example.com"}""");
        var request = AwsJsonRequestMarshaller.Instance.Marshall(
            new AwsJsonRequest(AwsOperation.RestJson("SendEmail", "POST", "/v2/email/outbound-emails"), body));
        request.Endpoint = new Uri(config.DetermineServiceOperationEndpoint(new(request.OriginalRequest)).URL);
        var signedAt = new DateTime(2026, 11, 25, 7, 0, 0, DateTimeKind.Utc);

        var result = new AWS4Signer().SignRequest(request, config, null, "AKID", "SECRET", signedAt);

        Assert.Equal("https://email.eu-central-1.amazonaws.com/", request.Endpoint.ToString());
        Assert.Equal("20261125/eu-central-1/ses/aws4_request", result.Scope);
        var signedHeaders = result.SignedHeaders.Split(';');
        var canonical = SigV4Reference.CanonicalRequest(
            "POST", "/v2/email/outbound-emails", request.Headers.ToDictionary(), signedHeaders, SigV4Reference.Sha256Hex(body));
        Assert.Equal(SigV4Reference.Signature("SECRET", "20261125T070000Z", "eu-central-1", "ses", canonical), result.Signature);
    }

    /// <summary>Reaches the SDK signer's canonicalisation, which it exposes to subclasses.</summary>
    private sealed class SuiteSigner : AWS4Signer
    {
        public static string Canonicalize(string method, IDictionary<string, string> headers, string bodyHash, out string signedHeaders)
        {
            var sorted = SortAndPruneHeaders(headers);
            signedHeaders = CanonicalizeHeaderNames(sorted);
            return CanonicalizeRequest(new Uri("https://example.amazonaws.com"), "/", method, sorted, string.Empty, bodyHash);
        }
    }
}
