namespace CostNotifier.Notifications;

/// <summary>
/// Reads a secret (a webhook URL, a bot token) by the name of the parameter that holds it: SSM Parameter Store in
/// AWS. Values are read once per process and kept; a failed read is not kept, so the next call tries again.
/// </summary>
/// <remarks>
/// A value is never written to a log, an exception message or a metric, by the source or by its callers. Errors name
/// the parameter and the problem only.
/// </remarks>
public interface ISecretSource
{
    /// <summary>
    /// The parameter's value. Throws <see cref="ChatRejectedException"/> when it cannot be read as things stand (it
    /// does not exist, access or decryption is denied, it is empty); any other exception is transient.
    /// </summary>
    ValueTask<string> GetAsync(string parameterName, CancellationToken cancellationToken);

    /// <summary>
    /// Drops a kept value, so the next <see cref="GetAsync"/> reads the parameter again: called when a service says
    /// the secret was revoked, so a value rotated since it was read is picked up without a new process.
    /// </summary>
    void Forget(string parameterName)
    {
    }
}

/// <summary>
/// A secret could not be read this time (throttling, a server error, a timeout); retrying later can succeed. The
/// message names the parameter and the error, never a value.
/// </summary>
public sealed class SecretUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
