using CostNotifier.Domain;

namespace CostNotifier.Notifier.Email;

/// <summary>
/// How a figure moved against the one it is compared with. Both sides are rounded to cents first, so the
/// difference a reader works out from the printed amounts is the difference the email prints.
/// </summary>
/// <param name="Difference">Current minus baseline, in cents.</param>
/// <param name="Percent">The difference as a percentage of the baseline's size, one decimal; null when the baseline is zero.</param>
internal sealed record Comparison(decimal Difference, decimal? Percent)
{
    /// <summary>The comparison, or null when there is no baseline to compare with.</summary>
    public static Comparison? Between(decimal current, decimal? baseline)
    {
        if (baseline is not { } then)
        {
            return null;
        }

        var now = Money.RoundToCents(current);
        var before = Money.RoundToCents(then);
        var difference = now - before;
        return new Comparison(difference, PercentOf(difference, before));
    }

    /// <summary>
    /// <paramref name="part"/> as a percentage of <paramref name="whole"/>'s size, rounded to one decimal half away
    /// from zero. Dividing by the magnitude keeps the sign of the change even when the baseline is a net credit.
    /// Null when the whole is zero or the ratio is too large to mean anything.
    /// </summary>
    public static decimal? PercentOf(decimal part, decimal whole)
    {
        if (whole == 0)
        {
            return null;
        }

        try
        {
            return Math.Round(part / Math.Abs(whole) * 100m, 1, MidpointRounding.AwayFromZero);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>1 when cost went up, -1 when it went down, 0 when it stayed.</summary>
    public int Direction => Math.Sign(Difference);
}
