using CostNotifier.Domain;

namespace CostNotifier.InsightsBench;

/// <summary>
/// The label of a report day, from the generator's hidden process only (never from what a detector says).
/// <para>
/// The normal amount of a day is the noise-free level of the series averaged over the seven days before it, times
/// the day's weekday factor, plus the group's monthly charge when the day is a 1st and the group had the charge a
/// month before. Its normal range is that usage ± <see cref="Deviations"/> standard deviations of the noise, plus the
/// charge ± its monthly variation; on an incomplete estimated day the low end is multiplied by the lowest share of
/// its final amount such a day may show. A day is anomalous when its amount, as the cost source shows it, lies
/// outside the normal range by at least the report's minimum impact: both the absolute one and the relative one
/// (a share of the normal amount). A group with no cost before has a normal amount and range of zero, so it is
/// anomalous when its amount reaches the absolute minimum.
/// </para>
/// </summary>
internal static class Truth
{
    /// <summary>Half the width of the normal range, in standard deviations of the daily noise (99.7% of normal days).</summary>
    public const double Deviations = 3;

    /// <summary>The normal range of one group (or several, summed) on the report day of <paramref name="account"/>.</summary>
    public static NormalRange RangeOf(Account account, IEnumerable<GroupModel> groups)
    {
        var day = account.Day;
        double usage = 0, variance = 0, chargeLow = 0, chargeHigh = 0, charge = 0;
        foreach (var group in groups)
        {
            var level = Enumerable.Range(1, 7).Average(back => group.LevelOn(day.AddDays(-back)));
            var groupUsage = level * group.WeekdayFactors[(int)day.DayOfWeek];
            usage += groupUsage;
            variance += groupUsage * group.Cv * groupUsage * group.Cv;
            var groupCharge = group.LevelOn(day.AddMonths(-1)) > 0 || group.Kind != Injected.NewGroup ? group.TypicalChargeOn(day) : 0;
            charge += groupCharge;
            var a = groupCharge * (1 - GroupModel.ChargeVariation);
            var b = groupCharge * (1 + GroupModel.ChargeVariation);
            chargeLow += Math.Min(a, b);
            chargeHigh += Math.Max(a, b);
        }

        var deviation = Math.Sqrt(variance);
        var low = usage - (Deviations * deviation) + chargeLow;
        if (low > 0)
        {
            low *= account.DayCompletenessFloor;
        }

        return new NormalRange((decimal)low, (decimal)(usage + (Deviations * deviation) + chargeHigh), (decimal)(usage + charge));
    }

    /// <summary>Whether <paramref name="amount"/> is anomalous against <paramref name="range"/> under <paramref name="thresholds"/>.</summary>
    public static bool IsAnomalous(decimal amount, NormalRange range, AnomalyThresholds thresholds)
    {
        var margin = Math.Max(thresholds.MinimumImpact, thresholds.MinimumRelativeImpact * Math.Abs(range.Normal));
        return amount > range.High + margin || amount < range.Low - margin;
    }
}

/// <summary>The normal range of a day and its normal (centre) amount.</summary>
internal sealed record NormalRange(decimal Low, decimal High, decimal Normal);
