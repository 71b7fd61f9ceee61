using System.Globalization;
using System.Text;
using Bogus;
using CostNotifier.Domain;
using CostNotifier.Insights;

namespace CostNotifier.InsightsBench;

/// <summary>One forecast against the month's settled total.</summary>
internal sealed record ForecastCase(int Day, decimal Actual, decimal? Expected, decimal? Low, decimal? High, decimal RunRate);

/// <summary>The error of the month-end forecast made on the 10th and the 20th, beside a run-rate projection.</summary>
internal static class ForecastBench
{
    public static readonly int[] Days = [10, 20];

    public static IReadOnlyList<ForecastCase> Run(int seed, int accounts)
    {
        var random = new Randomizer(seed);
        var cases = new List<ForecastCase>();
        for (var i = 0; i < accounts; i++)
        {
            var month = new DateOnly(random.Int(2024, 2025), random.Int(1, 12), 1);
            var groups = Accounts.ForForecast(random, month);
            var monthDays = DateTime.DaysInMonth(month.Year, month.Month);
            var actual = Enumerable.Range(0, monthDays).Sum(d => groups.Sum(g => Math.Round((decimal)g.SettledOn(month.AddDays(d)), 6)));
            foreach (var dayOfMonth in Days)
            {
                var account = new Account(random, month.AddDays(dayOfMonth - 1), groups);
                var day = new ReportDate(account.Day);
                var window = account.Window();
                var forecast = MonthForecaster.Forecast(day, window);
                var monthToDate = window.Where(d => d.Date >= day.MonthStart).Sum(d => d.Groups.Sum(g => g.Amount));
                cases.Add(new ForecastCase(dayOfMonth, actual, forecast?.Expected, forecast?.Low, forecast?.High, monthToDate / dayOfMonth * monthDays));
            }
        }

        return cases;
    }

    public static string Report(IReadOnlyList<ForecastCase> cases, int seed, int accounts)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Month-end forecast: seed {seed}, {accounts:N0} account-months, forecast on the 10th and the 20th against the settled month total");
        text.AppendLine();
        var table = new Table("forecast", "made on", "cases", "no forecast", "median APE", "90th pct APE", "mean error", "range holds actual", "median range width");
        foreach (var day in Days)
        {
            var made = cases.Where(c => c.Day == day && c.Expected is not null && c.Actual != 0m).ToList();
            var ape = made.Select(c => Math.Abs(c.Expected!.Value - c.Actual) / Math.Abs(c.Actual)).ToList();
            var bias = made.Select(c => (c.Expected!.Value - c.Actual) / Math.Abs(c.Actual)).ToList();
            var held = made.Count(c => c.Low <= c.Actual && c.Actual <= c.High);
            var width = made.Select(c => (c.High!.Value - c.Low!.Value) / Math.Abs(c.Actual)).ToList();
            table.Add("MonthForecaster", $"day {day}", made.Count, cases.Count(c => c.Day == day && c.Expected is null),
                Percent(Quantile(ape, 0.5)), Percent(Quantile(ape, 0.9)), Percent(bias.Average()), Percent((decimal)held / made.Count), Percent(Quantile(width, 0.5)));

            var all = cases.Where(c => c.Day == day && c.Actual != 0m).ToList();
            var runApe = all.Select(c => Math.Abs(c.RunRate - c.Actual) / Math.Abs(c.Actual)).ToList();
            var runBias = all.Select(c => (c.RunRate - c.Actual) / Math.Abs(c.Actual)).ToList();
            table.Add("run rate (MTD / days × month)", $"day {day}", all.Count, 0, Percent(Quantile(runApe, 0.5)), Percent(Quantile(runApe, 0.9)), Percent(runBias.Average()), "-", "-");
        }

        text.Append(table);
        text.AppendLine("APE: |forecast − actual| / actual; mean error: the mean of (forecast − actual) / actual; range width: (high − low) / actual.");
        return text.ToString();
    }

    private static string Percent(decimal value) => value.ToString("0.0%", CultureInfo.InvariantCulture);

    private static decimal Quantile(IReadOnlyList<decimal> values, double q)
    {
        if (values.Count == 0)
        {
            return 0m;
        }

        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(q * sorted.Count))];
    }
}
