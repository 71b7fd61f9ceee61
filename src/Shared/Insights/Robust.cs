namespace CostNotifier.Insights;

/// <summary>Order statistics on decimals: the median and the median absolute deviation, both unmoved by a few outliers.</summary>
internal static class Robust
{
    /// <summary>
    /// The scale that turns a median absolute deviation into a standard deviation when the bulk of the values is
    /// normally distributed (1 / the 75th percentile of the standard normal).
    /// </summary>
    public const decimal MadToStandardDeviation = 1.4826m;

    /// <summary>The median of <paramref name="values"/>; zero when there are none.</summary>
    public static decimal Median(IEnumerable<decimal> values)
    {
        var sorted = values.ToArray();
        if (sorted.Length == 0)
        {
            return 0m;
        }

        Array.Sort(sorted);
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2m;
    }

    /// <summary>A standard deviation estimated from the median absolute deviation; zero when there are no values.</summary>
    public static decimal Spread(IReadOnlyCollection<decimal> values)
    {
        var median = Median(values);
        return MadToStandardDeviation * Median(values.Select(v => Math.Abs(v - median)));
    }

    /// <summary>The square root of a non-negative decimal, to double precision.</summary>
    public static decimal Sqrt(decimal value) => value <= 0m ? 0m : (decimal)Math.Sqrt((double)value);
}
