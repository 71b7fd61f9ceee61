using System.Globalization;

namespace CostNotifier.LambdaRuntime;

/// <summary>The runtime's own settings, read from the environment before the function initialises.</summary>
/// <param name="DeadlineMargin">
/// How long before an invocation's deadline its handler is cancelled, leaving time to stop cleanly and answer.
/// </param>
public sealed record RuntimeSettings(TimeSpan DeadlineMargin)
{
    /// <summary>Where Lambda publishes the Runtime API's <c>host:port</c>.</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>Overrides <see cref="DeadlineMargin"/>, in whole milliseconds from 0 to 60000.</summary>
    public const string DeadlineMarginVariable = "COSTNOTIFIER_DEADLINE_MARGIN_MS";

    /// <summary>The default margin: ample to finish one SQS or DynamoDB call and post the answer.</summary>
    public static readonly TimeSpan DefaultDeadlineMargin = TimeSpan.FromSeconds(2);

    /// <summary>The settings from <paramref name="environment"/>.</summary>
    /// <exception cref="InvalidOperationException">A setting is present but invalid; the message names it.</exception>
    public static RuntimeSettings From(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var text = environment(DeadlineMarginVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new RuntimeSettings(DefaultDeadlineMargin);
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds <= 60_000
            ? new RuntimeSettings(TimeSpan.FromMilliseconds(milliseconds))
            : throw new InvalidOperationException($"{DeadlineMarginVariable} '{text}' must be a whole number of milliseconds from 0 to 60000.");
    }

    /// <summary>
    /// How long a handler may work on an invocation with <paramref name="deadline"/>: the time left less the margin,
    /// but never less than half the time left, so a short invocation still gets to work.
    /// </summary>
    public TimeSpan WorkingTime(DateTimeOffset deadline, DateTimeOffset now)
    {
        var left = deadline - now;
        if (left <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var margin = DeadlineMargin < left / 2 ? DeadlineMargin : left / 2;
        return left - margin;
    }
}
