using System.Net;
using Amazon.Runtime;

namespace CostNotifier.Cli.Targets.Aws;

/// <summary>Turns what the AWS SDK throws into one line saying what is wrong and what to do about it.</summary>
public static class AwsErrorText
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "RequestThrottled", "AWS.SimpleQueueService.RequestThrottled", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "RequestLimitExceeded", "LimitExceededException", "KmsThrottled",
    };

    private static readonly HashSet<string> BadCredentialCodes = new(StringComparer.Ordinal)
    {
        "UnrecognizedClientException", "InvalidClientTokenId", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidSignatureException",
        "IncompleteSignature", "MissingAuthenticationToken", "AuthFailure",
    };

    /// <summary>The line to print for <paramref name="error"/>.</summary>
    public static string Describe(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var text = error switch
        {
            AmazonServiceException { ErrorCode: { } code } service when ThrottlingCodes.Contains(code) =>
                $"AWS is throttling these requests ({code}) even after the SDK's retries: wait a minute and run the command again (a redrive can be slowed with --max-per-second). {service.Message}",
            AmazonServiceException { ErrorCode: "ExpiredToken" or "ExpiredTokenException" or "RequestExpired" } service =>
                $"the AWS credentials have expired ({service.ErrorCode}): refresh them (e.g. 'aws sso login --profile NAME') and run the command again.",
            AmazonServiceException { ErrorCode: { } code } service when BadCredentialCodes.Contains(code) =>
                $"AWS rejected the credentials ({code}): check --profile / AWS_PROFILE or AWS_ACCESS_KEY_ID, and that they belong to the stack's account. {service.Message}",
            AmazonServiceException { ErrorCode: "AccessDenied" or "AccessDeniedException" or "AWS.SimpleQueueService.AccessDenied" } service =>
                $"access denied: the credentials may not do this ({service.ErrorCode}); grant the permission named here or use another profile. {service.Message}",
            AmazonServiceException { StatusCode: HttpStatusCode.Forbidden } service =>
                $"access denied ({service.ErrorCode ?? "HTTP 403"}): the credentials may not do this. {service.Message}",
            AmazonServiceException service =>
                $"AWS answered {service.ErrorCode ?? ((int)service.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {service.Message}",
            AmazonClientException client when IsMissingCredentials(client) =>
                "no AWS credentials found: pass --profile NAME, set AWS_PROFILE, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (for SSO profiles, run 'aws sso login' first).",
            AmazonClientException client when Inner<HttpRequestException>(client) is { } http =>
                $"could not reach AWS: {http.Message}; check --region and --endpoint-url, and the network.",
            HttpRequestException http =>
                $"could not reach AWS: {http.Message}; check --region and --endpoint-url, and the network.",
            _ => error.Message,
        };
        return text.ReplaceLineEndings(" ");
    }

    private static bool IsMissingCredentials(AmazonClientException error) =>
        error.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase)
        && (error.Message.Contains("resolve", StringComparison.OrdinalIgnoreCase)
            || error.Message.Contains("Unable to find", StringComparison.OrdinalIgnoreCase)
            || error.Message.Contains("must be set", StringComparison.OrdinalIgnoreCase));

    private static T? Inner<T>(Exception error)
        where T : Exception
    {
        for (var current = error.InnerException; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }
}
