using System.Globalization;
using System.Text;

namespace CostNotifier.FunctionBench;

/// <summary>The medians of one function and package variant.</summary>
internal sealed record SummaryRow(
    string Function,
    string Variant,
    bool Deployed,
    long ZipBytes,
    int Runs,
    double MainMs,
    double LoadedMs,
    double BuiltMs,
    double AnsweredMs,
    double AnsweredMinMs,
    double AnsweredMaxMs,
    double ColdInvokeMs,
    double WarmInvokeMs,
    double JitMethods,
    double JitMs,
    double PeakAfterColdMb,
    double PeakMb);

/// <summary>Medians per function and variant, the targets, and the two renderings (terminal and Markdown).</summary>
internal static class ResultTable
{
    public const double ColdStartTargetMs = 300;
    public const double ZipTargetMb = 5;
    public const double PeakTargetMb = 128;
    private const double Mebibyte = 1024 * 1024;

    private static readonly string[] Headers =
    [
        "function", "package", "zip MB", "runtime up ms", "assembly loaded ms", "container built ms", "first answered ms (cold)",
        "cold min–max", "1st invoke ms", "warm invoke ms", "JIT methods / ms", "peak MB 1st/2nd", "cold ≤ 300 ms", "zip ≤ 5 MB", "peak ≤ 128 MB",
    ];

    public static IReadOnlyList<SummaryRow> Summarize(
        IReadOnlyList<MeasuredRun> runs,
        IReadOnlyDictionary<(string Function, string Variant), long> zipBytes,
        IReadOnlyList<FunctionPackage> functions,
        IReadOnlyList<string> variants)
    {
        var rows = new List<SummaryRow>();
        foreach (var function in functions)
        {
            foreach (var variant in variants)
            {
                var these = runs.Where(r => r.Function == function.Name && r.Variant == variant).ToList();
                if (these.Count == 0)
                {
                    continue;
                }

                rows.Add(new SummaryRow(
                    function.Name,
                    variant,
                    variant == variants[0],
                    zipBytes[(function.Name, variant)],
                    these.Count,
                    Median(these.Select(r => r.MainMs)),
                    Median(these.Select(r => r.LoadedMs)),
                    Median(these.Select(r => r.BuiltMs)),
                    Median(these.Select(r => r.AnsweredMs)),
                    these.Min(r => r.AnsweredMs),
                    these.Max(r => r.AnsweredMs),
                    Median(these.Select(r => r.ColdInvokeMs)),
                    Median(these.Select(r => r.WarmInvokeMs)),
                    Median(these.Select(r => (double)r.JitMethods)),
                    Median(these.Select(r => r.JitMs)),
                    Median(these.Select(r => r.PeakAfterColdKb / 1024.0)),
                    Median(these.Select(r => r.PeakKb / 1024.0))));
            }
        }

        return rows;
    }

    public static string Text(IReadOnlyList<SummaryRow> rows, MachineDescription machine, BenchOptions options)
    {
        var cells = rows.Select(Cells).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var text = new StringBuilder();
        text.AppendLine(Heading(machine, options));
        text.AppendLine(string.Join("  ", Headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in cells)
        {
            text.AppendLine(string.Join("  ", row.Select((c, i) => i < 2 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))));
        }

        return text.ToString();
    }

    public static string Markdown(IReadOnlyList<SummaryRow> rows, MachineDescription machine, BenchOptions options)
    {
        var text = new StringBuilder();
        foreach (var line in Heading(machine, options).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries))
        {
            text.AppendLine("- " + line);
        }

        text.AppendLine();
        text.AppendLine("| " + string.Join(" | ", Headers) + " |");
        text.AppendLine("|" + string.Join("|", Headers.Select((_, i) => i < 2 ? "---" : "---:")) + "|");
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", Cells(row)) + " |");
        }

        return text.ToString();
    }

    private static string Heading(MachineDescription machine, BenchOptions options)
    {
        var extra = options.Environment.Count == 0
            ? string.Empty
            : "; extra environment: " + string.Join(", ", options.Environment.Select(e => $"{e.Key}={e.Value}"));
        var label = options.Label is null ? string.Empty : options.Label + Environment.NewLine;
        return label + string.Create(
            CultureInfo.InvariantCulture,
            $"""
            Medians of {options.Runs} runs per function and package ({options.Warmup} warm-up round(s) discarded){extra}.
            Taken {machine.TakenAt:yyyy-MM-dd HH:mm} UTC on {machine.Cpu}, {machine.Cores} cores, {machine.Os}, {machine.Runtime}.
            Load average (1/5/15 min) before: {machine.LoadAverageBefore}; after: {machine.LoadAverageAfter}.
            Times are from process start; "first answered" is the cold-start proxy.{Busy(machine)}

            """);
    }

    private static string Busy(MachineDescription machine)
    {
        static double OneMinute(string loadAverage) =>
            double.TryParse(loadAverage.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : 0;
        return Math.Max(OneMinute(machine.LoadAverageBefore), OneMinute(machine.LoadAverageAfter)) > machine.Cores * 0.5
            ? Environment.NewLine + "Note: other work was running on the machine (1-minute load above half the cores); expect inflated, noisier times."
            : string.Empty;
    }

    private static string[] Cells(SummaryRow row) =>
    [
        row.Function,
        row.Variant,
        Format(row.ZipBytes / Mebibyte, "0.00"),
        Format(row.MainMs),
        Format(row.LoadedMs),
        Format(row.BuiltMs),
        Format(row.AnsweredMs),
        $"{Format(row.AnsweredMinMs)}–{Format(row.AnsweredMaxMs)}",
        Format(row.ColdInvokeMs),
        Format(row.WarmInvokeMs),
        $"{Format(row.JitMethods, "0")} / {Format(row.JitMs, "0")}",
        $"{Format(row.PeakAfterColdMb)}/{Format(row.PeakMb)}",
        row.Deployed ? Verdict(row.AnsweredMs <= ColdStartTargetMs) : "n/a",
        Verdict(row.ZipBytes / Mebibyte <= ZipTargetMb),
        Verdict(row.PeakAfterColdMb <= PeakTargetMb),
    ];

    private static string Verdict(bool pass) => pass ? "PASS" : "FAIL";

    private static string Format(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
