namespace CostNotifier.Notifier.Email;

/// <summary>
/// Where the month stands against a monthly budget, by the simplest reading of the month's projection: the cost still
/// to come is spread evenly over the days left, and the budget is crossed on the first day the running total reaches
/// it. Kept on its own so a richer budget computation can replace it without touching the email.
/// </summary>
/// <param name="Budget">The monthly budget.</param>
/// <param name="Projected">The projected month total.</param>
/// <param name="ProjectedHigh">The high end of the projection's range.</param>
/// <param name="MonthToDate">Cost so far, up to and including the report day.</param>
/// <param name="CrossingDay">The first day the running total reaches the budget, when that is after the report day and within the month.</param>
internal sealed record BudgetRunRate(decimal Budget, decimal Projected, decimal ProjectedHigh, decimal MonthToDate, DateOnly? CrossingDay)
{
    /// <summary>Month to date has already reached the budget.</summary>
    public bool AlreadyOver => MonthToDate >= Budget;

    /// <summary>The projection ends the month above the budget.</summary>
    public bool ProjectedOver => Projected > Budget;

    /// <summary>How far the projection ends above the budget; negative when below it.</summary>
    public decimal ProjectedOverrun => Projected - Budget;

    /// <summary>
    /// The outlook for a month, or null when there is no usable budget or no projection of the report day's month.
    /// </summary>
    /// <param name="day">The report day; month to date runs up to and includes it.</param>
    /// <param name="monthToDate">Cost from the first of the month up to and including <paramref name="day"/>.</param>
    /// <param name="forecastMonth">The month the projection is for, yyyy-MM.</param>
    /// <param name="expected">The projected month total.</param>
    /// <param name="high">The high end of the projection's range.</param>
    /// <param name="budget">The monthly budget; null or not positive means none.</param>
    public static BudgetRunRate? Project(DateOnly day, decimal monthToDate, string? forecastMonth, decimal expected, decimal high, decimal? budget)
    {
        if (budget is not { } limit || limit <= 0 || !IsMonthOf(day, forecastMonth))
        {
            return null;
        }

        return new BudgetRunRate(limit, expected, high, monthToDate, CrossingDayOf(day, monthToDate, expected, limit));
    }

    private static DateOnly? CrossingDayOf(DateOnly day, decimal monthToDate, decimal expected, decimal budget)
    {
        var daysLeft = DateTime.DaysInMonth(day.Year, day.Month) - day.Day;
        var toCome = expected - monthToDate;
        if (monthToDate >= budget || daysLeft <= 0 || toCome <= 0)
        {
            return null;
        }

        // Multiplying before dividing keeps the last day's running total exactly the projection.
        for (var i = 1; i <= daysLeft; i++)
        {
            if (monthToDate + (toCome * i / daysLeft) >= budget)
            {
                return day.AddDays(i);
            }
        }

        return null;
    }

    private static bool IsMonthOf(DateOnly day, string? month) =>
        string.Equals(month, day.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
