using System.Globalization;
using System.Text;
using Bogus;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Insights;

namespace CostNotifier.InsightsBench;

/// <summary>One labelled series on its report day and what each method said.</summary>
/// <param name="Kind">The injected event ("total" for an account's total).</param>
/// <param name="Anomalous">The label.</param>
/// <param name="Ours">Whether <see cref="AnomalyDetector"/> flagged it.</param>
/// <param name="OursWrongWay">Whether it flagged a rise as a fall or the reverse.</param>
/// <param name="Rule">Whether the previous-day rule flagged it (impact: the whole change).</param>
/// <param name="RuleBeyondBand">Whether the previous-day rule flagged it with the impact measured beyond its ±20% band.</param>
/// <param name="Patterns">The benign patterns the series has.</param>
/// <param name="Detail">The amounts behind the verdicts, for listing the misjudged series.</param>
internal sealed record Scored(string Kind, bool Anomalous, bool Ours, bool OursWrongWay, bool Rule, bool RuleBeyondBand, IReadOnlyList<string> Patterns, string Detail);

/// <summary>Precision and recall of the anomaly flags on generated accounts, beside a fixed-percentage rule.</summary>
internal static class AnomalyBench
{
    /// <summary>The fixed-percentage rule: the day differs from the previous day by more than this share.</summary>
    public const decimal RuleChange = 0.20m;

    public const double TargetPrecision = 0.90, TargetRecall = 0.90;

    private static string Verdict(bool met) => met ? "PASS" : "FAIL";

    public static IReadOnlyList<Scored> Run(int seed, int accounts, AnomalyThresholds thresholds)
    {
        var random = new Randomizer(seed);
        var scored = new List<Scored>();
        for (var i = 0; i < accounts; i++)
        {
            var account = Accounts.ForDetection(random);
            var day = new ReportDate(account.Day);
            var anomalies = AnomalyDetector.Detect(day, account.Window(), thresholds);
            foreach (var group in account.Groups)
            {
                scored.Add(Score(account, [group], group.Key, group.Kind.ToString(), anomalies, thresholds));
            }

            scored.Add(Score(account, account.Groups, null, "total", anomalies, thresholds));
        }

        return scored;
    }

    private static Scored Score(Account account, IReadOnlyList<GroupModel> groups, string? key, string kind, IReadOnlyList<CostAnomaly> anomalies, AnomalyThresholds thresholds)
    {
        var amount = groups.Sum(g => account.ObservedOn(g, account.Day));
        var previous = groups.Sum(g => account.ObservedOn(g, account.Day.AddDays(-1)));
        var range = Truth.RangeOf(account, groups);
        var anomalous = Truth.IsAnomalous(amount, range, thresholds);
        var flag = anomalies.FirstOrDefault(a => a.Key == key);
        var wrongWay = flag is not null && anomalous && (flag.Impact > 0) != (amount > range.High);

        // The rule: more than ±20% from the previous day, and the same minimum impact (absolute, and relative to
        // the previous day, its expected amount), with the impact taken as the whole change or as the part beyond ±20%.
        var change = Math.Abs(amount - previous);
        var band = RuleChange * Math.Abs(previous);
        bool Passes(decimal impact) => impact >= thresholds.MinimumImpact && impact >= thresholds.MinimumRelativeImpact * Math.Abs(previous);
        var rule = change > band && Passes(change);
        var ruleBeyondBand = change > band && Passes(change - band);

        var patterns = new List<string>();
        if (groups.Any(g => g.HasWeekdayPattern))
        {
            patterns.Add(account.Day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday or DayOfWeek.Monday
                ? "weekday pattern, weekend or Monday" : "weekday pattern, midweek");
        }

        if (account.Day.Day == 1 && groups.Any(g => g.MonthlyCharge > 0))
        {
            patterns.Add("monthly charge due on the day");
        }

        if (account.Day.Day == 1 && groups.Any(g => g.MonthlyCharge < 0))
        {
            patterns.Add("monthly credit due on the day");
        }

        if (groups.Any(g => g.HasOneOffs))
        {
            patterns.Add("credits/corrections in the history");
        }

        if (account.TailDepth > 0)
        {
            patterns.Add("incomplete estimated tail");
        }

        if (account.MarksWholeMonth)
        {
            patterns.Add("whole month marked estimated");
        }

        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"{account.Day:yyyy-MM-dd} {account.Day.DayOfWeek,-9} {kind,-16} {Event(groups, account.Day),-18} amount {amount,10:0.00} normal {range.Normal,10:0.00} range [{range.Low:0.00}, {range.High:0.00}]; flagged: {(flag is null ? "no" : $"{flag.Kind} [{flag.ExpectedLow}, {flag.ExpectedHigh}] impact {flag.Impact:0.00}")}; tail {account.TailDepth}; {string.Join(", ", patterns)}");
        return new Scored(kind, anomalous, flag is not null, wrongWay, rule, ruleBeyondBand, patterns, detail);
    }

    /// <summary>When a single group's event began (days before the report day) and its size.</summary>
    private static string Event(IReadOnlyList<GroupModel> groups, DateOnly day) =>
        groups.Count != 1 || groups[0].Kind == Injected.None
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"(-{day.DayNumber - groups[0].EventDay.DayNumber}d, {groups[0].EventSize:0.00})");

    public static string Report(IReadOnlyList<Scored> scored, int seed, int accounts, AnomalyThresholds thresholds)
    {
        var text = new StringBuilder();
        var groups = scored.Where(s => s.Kind != "total").ToList();
        var totals = scored.Where(s => s.Kind == "total").ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"Anomaly flags: seed {seed}, {accounts:N0} accounts, {groups.Count:N0} group series + {totals.Count:N0} totals, minimum impact ${thresholds.MinimumImpact} and {thresholds.MinimumRelativeImpact * 100:0}%");
        text.AppendLine();

        var byKind = new Table("series (injected event)", "series", "anomalous", "ours TP", "ours FP", "ours FN", "rule TP", "rule FP", "rule FN");
        foreach (var kind in Enum.GetNames<Injected>().Append("total"))
        {
            var rows = scored.Where(s => s.Kind == kind).ToList();
            byKind.Add(
                kind, rows.Count, rows.Count(r => r.Anomalous),
                rows.Count(r => r.Anomalous && r.Ours), rows.Count(r => !r.Anomalous && r.Ours), rows.Count(r => r.Anomalous && !r.Ours),
                rows.Count(r => r.Anomalous && r.Rule), rows.Count(r => !r.Anomalous && r.Rule), rows.Count(r => r.Anomalous && !r.Rule));
        }

        text.Append(byKind);
        text.AppendLine();

        var summary = new Table("method", "scored", "anomalous", "flagged", "precision", "recall", "F1");
        (double Precision, double Recall) Summarise(string name, IReadOnlyList<Scored> rows, Func<Scored, bool> flagged)
        {
            var tp = rows.Count(r => r.Anomalous && flagged(r));
            var fp = rows.Count(r => !r.Anomalous && flagged(r));
            var fn = rows.Count(r => r.Anomalous && !flagged(r));
            var precision = tp + fp == 0 ? 1.0 : (double)tp / (tp + fp);
            var recall = tp + fn == 0 ? 1.0 : (double)tp / (tp + fn);
            summary.Add(name, rows.Count, tp + fn, tp + fp, precision, recall, 2 * precision * recall / (precision + recall));
            return (precision, recall);
        }

        Summarise("AnomalyDetector, groups", groups, r => r.Ours);
        Summarise("AnomalyDetector, totals", totals, r => r.Ours);
        var ours = Summarise("AnomalyDetector, all", scored, r => r.Ours);
        Summarise("prev-day ±20%, impact = change, all", scored, r => r.Rule);
        Summarise("prev-day ±20%, impact beyond ±20%, all", scored, r => r.RuleBeyondBand);
        text.Append(summary);
        text.AppendLine(CultureInfo.InvariantCulture, $"AnomalyDetector flags in the wrong direction among its true positives: {scored.Count(s => s.OursWrongWay)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Targets for AnomalyDetector, all: precision >= {TargetPrecision:0.00} {Verdict(ours.Precision >= TargetPrecision)}, recall >= {TargetRecall:0.00} {Verdict(ours.Recall >= TargetRecall)}");
        text.AppendLine();

        var benign = new Table("benign pattern (series labelled normal)", "series", "ours flagged", "rule flagged");
        foreach (var pattern in scored.SelectMany(s => s.Patterns).Distinct().Order(StringComparer.Ordinal))
        {
            var rows = scored.Where(s => !s.Anomalous && s.Patterns.Contains(pattern)).ToList();
            benign.Add(pattern, rows.Count, rows.Count(r => r.Ours), rows.Count(r => r.Rule));
        }

        text.Append(benign);
        return text.ToString();
    }

    /// <summary>The series the detector misjudged, one a line.</summary>
    public static string Errors(IReadOnlyList<Scored> scored)
    {
        var text = new StringBuilder();
        foreach (var s in scored.Where(s => s.Anomalous != s.Ours))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{(s.Ours ? "FP" : "FN")} {s.Detail}");
        }

        return text.ToString();
    }
}
