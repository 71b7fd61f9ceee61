namespace CostNotifier.LambdaRuntime;

/// <summary>One event handed out by the Runtime API's <c>invocation/next</c>.</summary>
/// <param name="RequestId">The invocation's id (<c>Lambda-Runtime-Aws-Request-Id</c>); the key of its answer.</param>
/// <param name="Deadline">When Lambda stops the invocation (<c>Lambda-Runtime-Deadline-Ms</c>).</param>
/// <param name="FunctionArn">The invoked function's ARN (<c>Lambda-Runtime-Invoked-Function-Arn</c>), if given.</param>
/// <param name="TraceId">The X-Ray trace header (<c>Lambda-Runtime-Trace-Id</c>), if given.</param>
/// <param name="Payload">The event, as sent.</param>
public sealed record RuntimeInvocation(
    string RequestId,
    DateTimeOffset Deadline,
    string? FunctionArn,
    string? TraceId,
    byte[] Payload);

/// <summary>What a function answers one event with; throwing reports an invocation error instead.</summary>
/// <param name="payload">The event.</param>
/// <param name="cancellationToken">Cancelled shortly before the invocation's deadline.</param>
public delegate Task<Stream> InvocationHandler(Stream payload, CancellationToken cancellationToken);
