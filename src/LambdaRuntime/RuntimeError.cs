using System.Text.Json.Serialization;

namespace CostNotifier.LambdaRuntime;

/// <summary>
/// The error body the Runtime API takes on <c>init/error</c> and <c>invocation/{id}/error</c>. Lambda shows
/// <see cref="ErrorType"/> and <see cref="ErrorMessage"/> to whoever invoked the function.
/// </summary>
public sealed class RuntimeError
{
    /// <summary>Why it failed, for a person.</summary>
    [JsonPropertyName("errorMessage")]
    public required string ErrorMessage { get; init; }

    /// <summary>What failed: the exception's type name.</summary>
    [JsonPropertyName("errorType")]
    public required string ErrorType { get; init; }

    /// <summary>Where it failed, one frame a line.</summary>
    [JsonPropertyName("stackTrace")]
    public IReadOnlyList<string> StackTrace { get; init; } = [];

    /// <summary>The error for <paramref name="exception"/>, its inner exceptions' messages included.</summary>
    public static RuntimeError From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!message.Contains(inner.Message, StringComparison.Ordinal))
            {
                message += " ---> " + inner.Message;
            }
        }

        return new RuntimeError
        {
            ErrorMessage = message,
            ErrorType = exception.GetType().Name,
            StackTrace = (exception.StackTrace ?? string.Empty)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }
}

/// <summary>Source-generated JSON for the Runtime API's error body.</summary>
[JsonSerializable(typeof(RuntimeError))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
