namespace CostNotifier.Notifier.Email;

/// <summary>
/// Rounds a set of amounts to cents so that they add up to a given rounded total (the largest-remainder method).
/// Rounding every line on its own can leave the printed lines a cent or more away from the printed total, e.g.
/// three lines of 0.335 print as 0.34 each (1.02) under a total of 1.01; here the cent goes to the lines whose
/// dropped fractions were largest, so no line moves by more than a cent from its own rounding.
/// </summary>
internal static class CentApportionment
{
    private const decimal Cent = 0.01m;

    /// <summary>
    /// The amounts in cents, adding up to <paramref name="target"/>. Amounts that are exactly zero stay zero unless every
    /// amount is zero, so a group with no cost never shows a stray cent.
    /// </summary>
    /// <param name="amounts">The amounts at full precision.</param>
    /// <param name="target">The total the result must add up to, already in cents.</param>
    public static decimal[] Apportion(IReadOnlyList<decimal> amounts, decimal target)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        var result = new decimal[amounts.Count];
        if (amounts.Count == 0)
        {
            return result;
        }

        var remainders = new decimal[amounts.Count];
        var floorSum = 0m;
        for (var i = 0; i < amounts.Count; i++)
        {
            result[i] = Math.Round(amounts[i], 2, MidpointRounding.ToNegativeInfinity);
            remainders[i] = amounts[i] - result[i];
            floorSum += result[i];
        }

        var adjustable = Enumerable.Range(0, amounts.Count).Where(i => amounts[i] != 0).ToList();
        if (adjustable.Count == 0)
        {
            adjustable = [.. Enumerable.Range(0, amounts.Count)];
        }

        // Whole cents still to hand out (negative: to take back). Normally between 0 and the number of lines; more only
        // when the target is not the rounded sum of the amounts, and then every line takes an equal share first.
        var cents = (target - floorSum) / Cent;
        var each = decimal.Truncate(cents / adjustable.Count);
        var left = (int)(cents - (each * adjustable.Count));
        if (each != 0)
        {
            foreach (var i in adjustable)
            {
                result[i] += each * Cent;
            }
        }

        if (left == 0)
        {
            return result;
        }

        // Cents go first to the lines that lost the most by rounding down; cents taken back come first from the lines
        // that lost the least. Ties go to the larger amount, then to the earlier line, so the result is deterministic.
        var order = left > 0
            ? adjustable.OrderByDescending(i => remainders[i]).ThenByDescending(i => Math.Abs(amounts[i])).ThenBy(i => i)
            : adjustable.OrderBy(i => remainders[i]).ThenByDescending(i => Math.Abs(amounts[i])).ThenBy(i => i);
        foreach (var i in order.Take(Math.Abs(left)))
        {
            result[i] += Math.Sign(left) * Cent;
        }

        return result;
    }
}
