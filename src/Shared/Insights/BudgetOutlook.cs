using System.Globalization;
using CostNotifier.Domain;
using CostNotifier.Events;

namespace CostNotifier.Insights;

/// <summary>Where a month stands against its budget.</summary>
public enum BudgetStatus
{
    /// <summary>The projected month total is within the budget.</summary>
    WithinBudget,

    /// <summary>The month to date is within the budget, the projected total is not.</summary>
    OnTrackToExceed,

    /// <summary>The month to date already exceeds the budget.</summary>
    Exceeded,
}

/// <summary>
/// A month's projection against its budget, as numbers and a date for whoever renders it, e.g. "on track to exceed
/// the $8,000 budget by $640, around the 26th" or "within budget".
/// </summary>
/// <param name="Budget">The monthly budget.</param>
/// <param name="Status">Within the budget, on track to exceed it, or already over it.</param>
/// <param name="Projected">The projected month total (the forecast's expected amount).</param>
/// <param name="Overrun">By how much the projection exceeds the budget; negative when it stays under (the headroom).</param>
/// <param name="CrossingDate">
/// When <see cref="BudgetStatus.OnTrackToExceed"/>: the first day whose cumulative projected spend exceeds the budget.
/// Null otherwise.
/// </param>
public sealed record BudgetOutlook(decimal Budget, BudgetStatus Status, decimal Projected, decimal Overrun, ReportDate? CrossingDate)
{
    /// <summary>
    /// Compares <paramref name="forecast"/>, made on <paramref name="day"/> with <paramref name="monthToDate"/> spent
    /// so far, with <paramref name="budget"/>. The rest of the projection is spread evenly over the remaining days, so
    /// the crossing date is approximate (a weekday pattern moves it by a day or so); everything the email stores
    /// (month to date and forecast) is enough to compute it.
    /// </summary>
    public static BudgetOutlook Assess(ReportDate day, decimal monthToDate, MonthForecast forecast, decimal budget)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budget);
        var month = day.Day.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        if (forecast.Month != month)
        {
            throw new ArgumentException($"The forecast is for {forecast.Month}, not for the month of {day} ({month}).", nameof(forecast));
        }

        var overrun = forecast.Expected - budget;
        if (monthToDate > budget)
        {
            return new BudgetOutlook(budget, BudgetStatus.Exceeded, forecast.Expected, overrun, null);
        }

        if (overrun <= 0m)
        {
            return new BudgetOutlook(budget, BudgetStatus.WithinBudget, forecast.Expected, overrun, null);
        }

        var remainingDays = day.MonthStart.Day.AddMonths(1).DayNumber - day.Day.DayNumber - 1;
        if (remainingDays == 0)
        {
            return new BudgetOutlook(budget, BudgetStatus.OnTrackToExceed, forecast.Expected, overrun, day);
        }

        var perDay = (forecast.Expected - monthToDate) / remainingDays;
        var daysToCross = (int)Math.Floor((budget - monthToDate) / perDay) + 1;
        return new BudgetOutlook(budget, BudgetStatus.OnTrackToExceed, forecast.Expected, overrun, day.AddDays(Math.Min(daysToCross, remainingDays)));
    }
}
