using System.Globalization;
using System.Text;

namespace CostNotifier.Cli.Output;

/// <summary>Prints rows as an aligned text table or as RFC 4180 CSV.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Adds a row; values are formatted with the invariant culture.</summary>
    public TextTable Add(params object?[] cells)
    {
        _rows.Add(cells.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture) ?? string.Empty).ToArray());
        return this;
    }

    /// <summary>Writes the aligned table. Numbers are right-aligned.</summary>
    public void WriteTable(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => Clean(r[i]).Length))).ToArray();
        output.WriteLine(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in _rows)
        {
            var cells = row.Select((c, i) =>
            {
                var text = Clean(c);
                return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _) ? text.PadLeft(widths[i]) : text.PadRight(widths[i]);
            });
            output.WriteLine(string.Join("  ", cells).TrimEnd());
        }
    }

    /// <summary>Writes CSV with a header line.</summary>
    public void WriteCsv(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(string.Join(',', headers.Select(Quote)));
        foreach (var row in _rows)
        {
            output.WriteLine(string.Join(',', row.Select(Quote)));
        }
    }

    // Data can hold anything (tag values, service names); keep a table on one line per row.
    private static string Clean(string text) =>
        new(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());

    private static string Quote(string text)
    {
        // A leading = + - @ would be read as a formula by spreadsheets; prefix it so data stays data.
        if (text.Length > 0 && "=+-@".Contains(text[0], StringComparison.Ordinal) && !decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
