using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Insights;

namespace CostNotifier.Notifier.Email;

/// <summary>
/// Where the month stands against a monthly budget, as the email words it: the projection, its high end and the
/// day the month is expected to go over, which <see cref="BudgetOutlook"/> computes (the cost still to come spread
/// evenly over the days left).
/// </summary>
/// <param name="Budget">The monthly budget.</param>
/// <param name="Projected">The projected month total.</param>
/// <param name="ProjectedHigh">The high end of the projection's range.</param>
/// <param name="MonthToDate">Cost so far, up to and including the report day.</param>
/// <param name="CrossingDay">The day the running total goes over the budget, when that is after the report day and within the month.</param>
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

        // The crossing day is the insights' one, so the email and the CLI name the same day.
        var outlook = BudgetOutlook.Assess(new ReportDate(day), monthToDate, new MonthForecast(forecastMonth!, expected, expected, high, string.Empty), limit);
        DateOnly? crossing = outlook is { Status: BudgetStatus.OnTrackToExceed, CrossingDate: { } date } && date.Day > day ? date.Day : null;
        return new BudgetRunRate(limit, expected, high, monthToDate, crossing);
    }

    private static bool IsMonthOf(DateOnly day, string? month) =>
        string.Equals(month, day.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
