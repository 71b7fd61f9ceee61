using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace CostNotifier.Aws.Protocol;

/// <summary>
/// The pipeline step that chooses SigV4 for every operation, so the SDK resolves credentials (explicit ones, or
/// its default chain) and signs with its own SigV4 signer.
/// </summary>
public sealed class SigV4AuthSchemeHandler : BaseAuthResolverHandler
{
    /// <inheritdoc />
    protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext) =>
        AuthSchemeOption.DEFAULT_SIGV4;
}
