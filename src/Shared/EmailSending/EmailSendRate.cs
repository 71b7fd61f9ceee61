using System.Globalization;

namespace CostNotifier.EmailSending;

/// <summary>
/// The settings that keep email sending within SES's per-second quota, and how their text is read. The quota is
/// the account's; the notifier's event source mapping runs at most <see cref="MaxConcurrencyVariable"/>
/// containers at once, so each container may send the quota divided by that many emails per second.
/// </summary>
public static class EmailSendRate
{
    /// <summary>The account's SES sending quota in emails per second (SES v2 <c>GetAccount</c>: <c>MaxSendRate</c>).</summary>
    public const string MaxSendRateVariable = "COSTNOTIFIER_SES_MAX_SEND_RATE";

    /// <summary>The most notifier invocations Lambda runs at once for the work queue (the mapping's maximum concurrency).</summary>
    public const string MaxConcurrencyVariable = "COSTNOTIFIER_NOTIFIER_MAX_CONCURRENCY";

    /// <summary>The quota of most production accounts when they leave the sandbox.</summary>
    public const decimal DefaultMaxSendRate = 14m;

    /// <summary>The highest send rate accepted, as Terraform's <c>ses_max_send_rate</c> validation allows.</summary>
    public const decimal HighestMaxSendRate = 1000m;

    /// <summary>Terraform's default for <c>notifier_max_concurrency</c>, and the least an SQS event source mapping allows.</summary>
    public const int DefaultMaxConcurrency = 2;

    /// <summary>The most an SQS event source mapping allows.</summary>
    public const int HighestMaxConcurrency = 1000;

    /// <summary>Reads a send rate: a plain decimal number greater than 0 and at most <see cref="HighestMaxSendRate"/>.</summary>
    /// <exception cref="InvalidOperationException">The text is not such a number; the message names the variable.</exception>
    public static decimal ParseMaxSendRate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) && rate > 0 && rate <= HighestMaxSendRate
            ? rate
            : throw new InvalidOperationException(
                $"{MaxSendRateVariable} '{text}' must be the SES sending quota in emails per second: a number greater than 0 and at most {HighestMaxSendRate} (e.g. 14, or 1 in the sandbox).");
    }

    /// <summary>Reads the notifier's maximum concurrency: a whole number from 2 to 1000.</summary>
    /// <exception cref="InvalidOperationException">The text is not such a number; the message names the variable.</exception>
    public static int ParseMaxConcurrency(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var concurrency)
            && concurrency is >= DefaultMaxConcurrency and <= HighestMaxConcurrency
            ? concurrency
            : throw new InvalidOperationException(
                $"{MaxConcurrencyVariable} '{text}' must be a whole number from {DefaultMaxConcurrency} to {HighestMaxConcurrency}: the maximum concurrency of the notifier's SQS event source mapping.");
    }

    /// <summary>The rate one process may send at when <paramref name="processes"/> of them share <paramref name="maxSendRate"/>.</summary>
    public static decimal PerProcess(decimal maxSendRate, int processes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSendRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(processes);
        return maxSendRate / processes;
    }
}
