using System.Globalization;
using System.Text;
using CostNotifier.TestSupport;

namespace CostNotifier.FunctionBench;

/// <summary>The medians of one function and package kind.</summary>
internal sealed record SummaryRow(
    string Function,
    string Kind,
    long ZipBytes,
    int Runs,
    double InitMs,
    double AnsweredMs,
    double AnsweredMinMs,
    double AnsweredMaxMs,
    double ColdInvokeMs,
    double WarmInvokeMs,
    double PeakMb,
    KindTargets Targets);

/// <summary>The targets a package kind is held to; null where it has none.</summary>
internal sealed record KindTargets(double? ColdStartMs, double? PeakMb, double? ZipMb)
{
    public static KindTargets For(string kind) => kind switch
    {
        PackagedFunction.NativeAot => new(ColdStartMs: 50, PeakMb: 40, ZipMb: 10),
        PackagedFunction.ReadyToRun => new(ColdStartMs: 250, PeakMb: null, ZipMb: 5),
        _ => new(null, null, null),
    };
}

/// <summary>Medians per function and kind, the targets, and the two renderings (terminal and Markdown).</summary>
internal static class ResultTable
{
    public const double Mebibyte = 1024 * 1024;

    private static readonly string[] Headers =
    [
        "function", "package", "zip MB", "init ms", "first answered ms (cold)", "cold min–max", "1st invoke ms", "warm invoke ms",
        "peak MB", "cold-start target", "peak target", "zip target",
    ];

    public static IReadOnlyList<SummaryRow> Summarize(
        IReadOnlyList<MeasuredRun> runs,
        IReadOnlyDictionary<(string Function, string Kind), long> zipBytes,
        IReadOnlyList<FunctionPackage> functions,
        IReadOnlyList<string> kinds)
    {
        var rows = new List<SummaryRow>();
        foreach (var function in functions)
        {
            foreach (var kind in kinds)
            {
                var these = runs.Where(r => r.Function == function.Name && r.Kind == kind).ToList();
                if (these.Count == 0)
                {
                    continue;
                }

                rows.Add(new SummaryRow(
                    function.Name,
                    kind,
                    zipBytes[(function.Name, kind)],
                    these.Count,
                    Median(these.Select(r => r.InitMs)),
                    Median(these.Select(r => r.AnsweredMs)),
                    these.Min(r => r.AnsweredMs),
                    these.Max(r => r.AnsweredMs),
                    Median(these.Select(r => r.ColdInvokeMs)),
                    Median(these.Select(r => r.WarmInvokeMs)),
                    Median(these.Select(r => r.PeakBytes / Mebibyte)),
                    KindTargets.For(kind)));
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
            Medians of {options.Runs} runs per function and package kind ({options.Warmup} warm-up round(s) discarded), {options.Architecture} packages from {options.Artifacts}{extra}.
            Taken {machine.TakenAt:yyyy-MM-dd HH:mm} UTC on {machine.Cpu}, {machine.Cores} cores, {machine.Os}, {machine.Runtime}.
            Load average (1/5/15 min) before: {machine.LoadAverageBefore}; after: {machine.LoadAverageAfter}.
            Times are in ms from the start of the process, launched as Lambda's runtime launches the package (dotnet exec <Assembly>.dll, or bootstrap).
            "init" is until its first invocation/next; "first answered" is until it posted the cold event's response: the cold-start proxy.
            "1st invoke" and "warm invoke" run from handing the event out to its answer. Peak is the process's VmHWM after the warm answer.
            A missed target is reported, not failed.{Busy(machine)}

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
        row.Kind,
        Format(row.ZipBytes / Mebibyte, "0.00"),
        Format(row.InitMs),
        Format(row.AnsweredMs),
        $"{Format(row.AnsweredMinMs)}–{Format(row.AnsweredMaxMs)}",
        Format(row.ColdInvokeMs),
        Format(row.WarmInvokeMs),
        Format(row.PeakMb),
        Verdict(row.AnsweredMs, row.Targets.ColdStartMs, "ms"),
        Verdict(row.PeakMb, row.Targets.PeakMb, "MB"),
        Verdict(row.ZipBytes / Mebibyte, row.Targets.ZipMb, "MB"),
    ];

    private static string Verdict(double value, double? target, string unit) =>
        target is { } limit ? $"{(value <= limit ? "PASS" : "FAIL")} (≤ {Format(limit, "0")} {unit})" : "n/a";

    private static string Format(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
