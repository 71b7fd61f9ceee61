using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CostNotifier.LambdaRuntime;

/// <summary>
/// The process a function runs as: initialises the function once, then answers events from the Runtime API one at a
/// time until Lambda freezes or ends the sandbox. A function's <c>Main</c> is one call to <see cref="RunAsync(Func{InvocationHandler})"/>.
/// </summary>
/// <remarks>
/// Each event's handler gets a token cancelled <see cref="RuntimeSettings.DeadlineMargin"/> before the invocation's
/// deadline, so an SQS batch can stop and answer which records it did not finish instead of being killed.
/// An initialisation failure (a missing or invalid setting) is posted to <c>init/error</c> with the exception's
/// message, which names the setting, and the process exits.
/// </remarks>
public static class LambdaRuntimeHost
{
    /// <summary>The variable Lambda sets on every function with the invocation's X-Ray trace header.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>Runs the function built by <paramref name="initialize"/> against the environment's Runtime API.</summary>
    /// <returns>
    /// The process exit code, always non-zero: the loop ends only when initialisation failed or the Runtime API went
    /// away. Lambda normally freezes and ends the process while it waits for the next event.
    /// </returns>
    public static async Task<int> RunAsync(Func<InvocationHandler> initialize)
    {
        ArgumentNullException.ThrowIfNull(initialize);
        var runtimeApi = Environment.GetEnvironmentVariable(RuntimeSettings.RuntimeApiVariable);
        if (string.IsNullOrWhiteSpace(runtimeApi))
        {
            WriteLog("Error", $"{RuntimeSettings.RuntimeApiVariable} is not set: this program runs inside AWS Lambda (or a Runtime API emulator).");
            return 2;
        }

        using var client = new RuntimeApiClient(runtimeApi);
        return await RunAsync(client, initialize, Environment.GetEnvironmentVariable, TimeProvider.System).ConfigureAwait(false);
    }

    /// <summary>The loop over an explicit client, environment and clock (tests). Ends only when the Runtime API fails.</summary>
    internal static async Task<int> RunAsync(
        RuntimeApiClient client, Func<InvocationHandler> initialize, Func<string, string?> environment, TimeProvider time)
    {
        InvocationHandler handler;
        RuntimeSettings settings;
        try
        {
            settings = RuntimeSettings.From(environment);
            handler = initialize();
        }
        catch (Exception ex)
        {
            WriteLog("Error", "The function could not initialise: " + Describe(ex));
            await TryAsync(() => client.SendInitErrorAsync("Runtime.InitError", RuntimeError.From(Unwrap(ex)), CancellationToken.None)).ConfigureAwait(false);
            return 1;
        }

        while (true)
        {
            RuntimeInvocation invocation;
            try
            {
                invocation = await client.NextInvocationAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Without the Runtime API there is nothing to answer; Lambda starts a new process if it needs one.
                WriteLog("Error", "The Runtime API did not hand out an event: " + Describe(ex));
                return 1;
            }

            await InvokeAsync(client, handler, invocation, settings, time).ConfigureAwait(false);
        }
    }

    private static async Task InvokeAsync(
        RuntimeApiClient client, InvocationHandler handler, RuntimeInvocation invocation, RuntimeSettings settings, TimeProvider time)
    {
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
        using var deadline = new CancellationTokenSource(settings.WorkingTime(invocation.Deadline, time.GetUtcNow()), time);
        Stream response;
        try
        {
            using var payload = new MemoryStream(invocation.Payload, writable: false);
            response = await handler(payload, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            WriteLog("Error", $"Invocation {invocation.RequestId} failed: {Describe(ex)}");
            await TryAsync(() => client.SendInvocationErrorAsync(
                invocation.RequestId, "Function." + Unwrap(ex).GetType().Name, RuntimeError.From(Unwrap(ex)), CancellationToken.None)).ConfigureAwait(false);
            return;
        }

        await using (response.ConfigureAwait(false))
        {
            try
            {
                await client.SendResponseAsync(invocation.RequestId, response, CancellationToken.None).ConfigureAwait(false);
            }
            catch (RuntimeApiException ex)
            {
                // Refused (an answer over Lambda's 6 MB, say): say why instead of leaving the invocation to time out.
                WriteLog("Error", $"The answer to invocation {invocation.RequestId} was refused: {ex.Message}");
                await TryAsync(() => client.SendInvocationErrorAsync(
                    invocation.RequestId, "Runtime.ResponseRefused", RuntimeError.From(ex), CancellationToken.None)).ConfigureAwait(false);
            }
        }
    }

    private static async Task TryAsync(Func<Task> post)
    {
        try
        {
            await post().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            WriteLog("Error", "The Runtime API refused an error report: " + Describe(ex));
        }
    }

    private static Exception Unwrap(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;

    private static string Describe(Exception exception) => $"{Unwrap(exception).GetType().Name}: {RuntimeError.From(Unwrap(exception)).ErrorMessage}";

    /// <summary>One JSON line on standard error, the same shape as the functions' own logs.</summary>
    private static void WriteLog(string level, string message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("level", level);
            json.WriteString("category", typeof(LambdaRuntimeHost).FullName);
            json.WriteString("message", message);
            json.WriteEndObject();
        }

        Console.Error.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
