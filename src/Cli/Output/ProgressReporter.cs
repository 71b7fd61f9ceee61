namespace CostNotifier.Cli.Output;

/// <summary>
/// Progress of a long operation on standard error: one line rewritten in place on a terminal, plain lines
/// otherwise (a log file, a pipe, CI), so redirected output stays readable.
/// </summary>
public sealed class ProgressReporter(TextWriter writer, bool interactive)
{
    private int _lastLength;

    /// <summary>A reporter that prints nothing.</summary>
    public static ProgressReporter None { get; } = new(TextWriter.Null, interactive: false);

    /// <summary>Whether lines are rewritten in place.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>The current state; replaces the previous one on a terminal.</summary>
    public void Report(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!Interactive)
        {
            writer.WriteLine(line);
            return;
        }

        writer.Write("\r" + line.PadRight(_lastLength));
        writer.Flush();
        _lastLength = line.Length;
    }

    /// <summary>A line that stays, e.g. a change of method; ends an in-place line first.</summary>
    public void Note(string line)
    {
        Done();
        writer.WriteLine(line);
    }

    /// <summary>Ends the in-place line, if any.</summary>
    public void Done()
    {
        if (Interactive && _lastLength > 0)
        {
            writer.WriteLine();
            _lastLength = 0;
        }
    }
}
