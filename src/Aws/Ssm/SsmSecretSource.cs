using System.Collections.Concurrent;
using System.Globalization;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using CostNotifier.Notifications;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Aws.Ssm;

/// <summary>
/// Reads secrets from SSM Parameter Store with <c>GetParameter</c> (<c>WithDecryption</c>), once per process:
/// a value read is kept for the life of the container, callers asking at the same time share one request, and a
/// failed read is not kept. Throttling and server errors are retried by the SDK first.
/// </summary>
/// <remarks>
/// Refusals no retry can fix (no such parameter, access or KMS decryption denied, an invalid key, an empty value)
/// become <see cref="ChatRejectedException"/>; anything else <see cref="SecretUnavailableException"/>, which is
/// transient. Both name the parameter and the error code, never the value; neither does any log line.
/// </remarks>
public sealed class SsmSecretSource : ISecretSource
{
    /// <summary>Error codes after which reading the parameter cannot succeed until someone changes something.</summary>
    public static readonly IReadOnlySet<string> PermanentErrorCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "ParameterNotFound",
        "ParameterVersionNotFound",
        "InvalidKeyId",
        "AccessDeniedException",
        "AccessDenied",
        "ValidationException",
    };

    private readonly Lazy<IAmazonSimpleSystemsManagement> _client;
    private readonly ILogger<SsmSecretSource> _logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _reads = new(StringComparer.Ordinal);

    /// <summary>Creates the source over an SSM client the container owns.</summary>
    public SsmSecretSource(IAmazonSimpleSystemsManagement client, ILogger<SsmSecretSource> logger)
        : this(new Lazy<IAmazonSimpleSystemsManagement>(client ?? throw new ArgumentNullException(nameof(client))), logger)
    {
    }

    /// <summary>
    /// Creates the source over an SSM client made on the first read, so a function whose reports have no chat
    /// destination never loads the SSM SDK or builds its client during a cold start.
    /// </summary>
    public SsmSecretSource(Lazy<IAmazonSimpleSystemsManagement> client, ILogger<SsmSecretSource> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _logger = logger;
    }

    /// <inheritdoc />
    public ValueTask<string> GetAsync(string parameterName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parameterName);
        var read = _reads.GetOrAdd(parameterName, StartRead).Value;
        // The shared read is not tied to one caller's token: a caller that gives up stops waiting, and the others
        // (and the next invocation) still get the value.
        return read.IsCompletedSuccessfully ? ValueTask.FromResult(read.Result) : new ValueTask<string>(read.WaitAsync(cancellationToken));
    }

    /// <inheritdoc />
    public void Forget(string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parameterName);
        _reads.TryRemove(parameterName, out _);
    }

    private Lazy<Task<string>> StartRead(string parameterName)
    {
        Lazy<Task<string>>? read = null;
        read = new Lazy<Task<string>>(() => ReadAndForgetFailureAsync(parameterName, read!));
        return read;
    }

    private async Task<string> ReadAndForgetFailureAsync(string parameterName, Lazy<Task<string>> read)
    {
        try
        {
            return await ReadAsync(parameterName).ConfigureAwait(false);
        }
        catch
        {
            // Only this read's entry: one started after a Forget stays.
            _reads.TryRemove(KeyValuePair.Create(parameterName, read));
            throw;
        }
    }

    private async Task<string> ReadAsync(string parameterName)
    {
        GetParameterResponse response;
        try
        {
            response = await _client.Value.GetParameterAsync(
                new GetParameterRequest { Name = parameterName, WithDecryption = true }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AmazonServiceException ex) when (IsPermanent(ex.ErrorCode))
        {
            _logger.LogWarning(
                "SSM refused to read parameter {Parameter} with {ErrorCode} (HTTP {Status})", parameterName, ex.ErrorCode, (int)ex.StatusCode);
            throw new ChatRejectedException(
                string.Create(CultureInfo.InvariantCulture, $"SSM parameter {parameterName} cannot be read: {ex.ErrorCode} (HTTP {(int)ex.StatusCode}). {Hint(ex.ErrorCode)}"),
                ex);
        }
        catch (AmazonUnmarshallingException ex)
        {
            // This exception can carry the response body, which would hold the value: keep neither it nor its message.
            _logger.LogWarning("SSM answered reading parameter {Parameter} with a body that could not be read (HTTP {Status})", parameterName, (int)ex.StatusCode);
            throw new SecretUnavailableException(
                string.Create(CultureInfo.InvariantCulture, $"SSM parameter {parameterName}: the answer could not be read (HTTP {(int)ex.StatusCode}); it will be read again."));
        }
        catch (AmazonServiceException ex)
        {
            _logger.LogWarning(
                "Reading SSM parameter {Parameter} failed with {ErrorCode} (HTTP {Status}); it will be tried again", parameterName, ex.ErrorCode, (int)ex.StatusCode);
            throw new SecretUnavailableException(
                string.Create(CultureInfo.InvariantCulture, $"SSM parameter {parameterName} could not be read: {ex.ErrorCode ?? "no error code"} (HTTP {(int)ex.StatusCode}); it will be read again."),
                ex);
        }
        catch (AmazonClientException ex)
        {
            _logger.LogWarning("Reading SSM parameter {Parameter} failed before SSM answered; it will be tried again", parameterName);
            throw new SecretUnavailableException($"SSM parameter {parameterName} could not be read: {ex.GetType().Name}; it will be read again.", ex);
        }

        var parameter = response.Parameter;
        if (string.IsNullOrWhiteSpace(parameter?.Value))
        {
            _logger.LogWarning("SSM parameter {Parameter} is empty", parameterName);
            throw new ChatRejectedException($"SSM parameter {parameterName} is empty: store the webhook URL or bot token in it.");
        }

        if (parameter.Type != ParameterType.SecureString)
        {
            // Still usable, but a plain String parameter is stored unencrypted and readable with ssm:GetParameter alone.
            _logger.LogWarning("SSM parameter {Parameter} is a {Type}, not a SecureString", parameterName, parameter.Type?.Value);
        }

        _logger.LogDebug("Read SSM parameter {Parameter} version {Version}", parameterName, parameter.Version);
        return parameter.Value.Trim();
    }

    private static bool IsPermanent(string? errorCode) =>
        errorCode is not null && (PermanentErrorCodes.Contains(errorCode) || errorCode.StartsWith("KMS", StringComparison.Ordinal));

    private static string Hint(string errorCode) => errorCode switch
    {
        "ParameterNotFound" or "ParameterVersionNotFound" => "Create it (a SecureString) in this account and region, or correct the name in the report configuration.",
        "AccessDeniedException" or "AccessDenied" => "The notifier's role needs ssm:GetParameter on it and kms:Decrypt on its key.",
        "ValidationException" => "The name is not a valid parameter name.",
        _ => "Its KMS key cannot be used to decrypt it: check that the key exists, is enabled and allows kms:Decrypt to the notifier's role.",
    };
}
