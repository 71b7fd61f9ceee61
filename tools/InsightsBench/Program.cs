using System.Globalization;
using CostNotifier.Domain;

namespace CostNotifier.InsightsBench;

/// <summary>
/// Measures the anomaly flags and the month-end forecast on seeded, labelled synthetic accounts and prints the figures
/// (scripts/measure-insights.sh; the method and the labels are described in docs/REPORTS.md).
/// </summary>
internal static class Program
{
    /// <summary>The seed of the reported figures.</summary>
    public const int DefaultSeed = 20251130;

    public static int Main(string[] args)
    {
        var seed = DefaultSeed;
        var accounts = 400;
        var months = 500;
        var listErrors = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seed" when i + 1 < args.Length:
                    seed = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--accounts" when i + 1 < args.Length:
                    accounts = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--months" when i + 1 < args.Length:
                    months = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--list-errors":
                    listErrors = true;
                    break;
                default:
                    Console.Error.WriteLine("usage: InsightsBench [--seed N] [--accounts N] [--months N] [--list-errors]");
                    return 2;
            }
        }

        var thresholds = AnomalyThresholds.Default;
        var scored = AnomalyBench.Run(seed, accounts, thresholds);
        Console.WriteLine(AnomalyBench.Report(scored, seed, accounts, thresholds));
        if (listErrors)
        {
            Console.WriteLine(AnomalyBench.Errors(scored));
        }

        var cases = ForecastBench.Run(seed + 1, months);
        Console.WriteLine(ForecastBench.Report(cases, seed + 1, months));
        return 0;
    }
}
