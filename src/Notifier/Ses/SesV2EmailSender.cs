using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using CostNotifier.Aws;
using CostNotifier.Aws.Protocol;
using CostNotifier.EmailSending;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Notifier.Ses;

/// <summary>
/// Sends report emails with SES v2 <c>SendEmail</c> (simple content, HTML and text parts), called through
/// AWSSDK.Core's pipeline: default credential chain, SigV4 for <c>ses</c>, standard retries. Throttling
/// (<c>TooManyRequestsException</c>, <c>LimitExceededException</c>) and server errors are retried by the SDK;
/// refusals that no retry can fix surface as <see cref="EmailRejectedException"/> and are never retried.
/// Create one per process: it owns the SDK client and its connections.
/// </summary>
public sealed class SesV2EmailSender : IEmailSender, IDisposable
{
    /// <summary>SES v2 as the SDK addresses it: REST-JSON at <c>email.{region}</c>, signed as <c>ses</c>.</summary>
    public static readonly AwsServiceSpec Service = new()
    {
        ServiceId = "SESv2",
        EndpointOverrideKey = AwsConnection.Services.SesV2,
        SigningName = "ses",
        EndpointPrefix = "email",
        ApiVersion = "2019-09-27",
    };

    /// <summary>SES error codes that mean this email will never be accepted as it stands.</summary>
    public static readonly IReadOnlySet<string> RejectionCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "MessageRejected",
        "SendingPausedException",
        "MailFromDomainNotVerifiedException",
        "AccountSuspendedException",
        "NotFoundException",
        "BadRequestException",
    };

    /// <summary>
    /// Access refusals: the sandbox's answer for an unverified recipient, or a role without <c>ses:SendEmail</c>.
    /// Final for this email either way.
    /// </summary>
    public static readonly IReadOnlySet<string> AccessDeniedCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "AccessDenied",
        "AccessDeniedException",
    };

    private static readonly AwsOperation SendEmail = AwsOperation.RestJson("SendEmail", "POST", "/v2/email/outbound-emails");

    private readonly AwsProtocolClient _client;
    private readonly SesV2Options _options;
    private readonly ILogger<SesV2EmailSender> _logger;

    /// <summary>Creates the sender.</summary>
    /// <param name="connection">Region, profile, endpoint override (<c>AWS_ENDPOINT_URL_SESV2</c>) and credentials.</param>
    /// <param name="options">The configuration set to send with.</param>
    /// <param name="logger">Where accepted and refused sends are reported.</param>
    public SesV2EmailSender(AwsConnection connection, SesV2Options options, ILogger<SesV2EmailSender> logger)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _logger = logger;
        _client = new AwsProtocolClient(connection, Service);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">An address or the subject contains CR or LF, or an address is empty.</exception>
    /// <exception cref="EmailRejectedException">
    /// SES refused the email with one of <see cref="RejectionCodes"/> or <see cref="AccessDeniedCodes"/>.
    /// </exception>
    public async Task<string> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        RejectHeaderInjection(email);
        var body = SendEmailRequestWriter.Write(email, _options.ConfigurationSetName);

        AwsJsonResponse response;
        try
        {
            response = await _client.SendAsync(new AwsJsonRequest(SendEmail, body), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode is not null && RejectionCodes.Contains(ex.ErrorCode))
        {
            var reason = string.Create(
                CultureInfo.InvariantCulture,
                $"SES v2 refused the email with {ex.ErrorCode} (HTTP {(int)ex.StatusCode}): {ex.Message}");
            _logger.LogWarning("SES v2 refused an email with {ErrorCode}; it will not be retried", ex.ErrorCode);
            throw new EmailRejectedException(reason, ex);
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode is not null && AccessDeniedCodes.Contains(ex.ErrorCode))
        {
            // In the sandbox SES can answer an unverified recipient with AccessDenied rather than MessageRejected.
            // Either way no retry of this email can succeed until someone acts, so say what to do.
            var status = ((int)ex.StatusCode).ToString(CultureInfo.InvariantCulture);
            var reason = $"SES v2 refused the email to {email.To} with {ex.ErrorCode} (HTTP {status}): {ex.Message}. "
                + $"If the account is in the SES sandbox, every recipient must be a verified identity: verify {email.To} "
                + "or request production access. Otherwise the notifier's role lacks ses:SendEmail on the sender identity or configuration set.";
            _logger.LogWarning("SES v2 denied access for an email ({ErrorCode}); it will not be retried", ex.ErrorCode);
            throw new EmailRejectedException(reason, ex);
        }

        var messageId = ReadMessageId(response.Body);
        _logger.LogInformation("SES v2 accepted an email as {MessageId}", messageId);
        return messageId;
    }

    /// <summary>Releases the SDK client and its HTTP connections.</summary>
    public void Dispose() => _client.Dispose();

    private static void RejectHeaderInjection(OutgoingEmail email)
    {
        Check(email.From, nameof(email.From), allowEmpty: false);
        Check(email.To, nameof(email.To), allowEmpty: false);
        Check(email.Subject, nameof(email.Subject), allowEmpty: true);

        static void Check(string? value, string field, bool allowEmpty)
        {
            if (!allowEmpty && string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"The email's {field} is empty.", nameof(email));
            }

            if (value is not null && value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new ArgumentException($"The email's {field} contains a line break (CR or LF), which could inject mail headers.", nameof(email));
            }
        }
    }

    private static string ReadMessageId(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("MessageId", out var id)
                && id.ValueKind == JsonValueKind.String
                && !string.IsNullOrEmpty(id.GetString()))
            {
                return id.GetString()!;
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("SES v2 accepted the email but its response is not valid JSON.", ex);
        }

        throw new InvalidDataException("SES v2 accepted the email but its response has no MessageId.");
    }
}
