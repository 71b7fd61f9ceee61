using System.Diagnostics;
using System.Globalization;

namespace CostNotifier.ScaleBench;

/// <summary>
/// A child process whose standard output is read line by line as it comes (<see cref="FunctionRole"/>'s protocol)
/// and whose peak memory (VmHWM) is read while it is alive.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<string> _errors = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _peakKilobytes;
    private int _batches;
    private int _records;
    private int _failures;
    private int _disposed;

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Received(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (_errors)
                {
                    _errors.Add(line);
                }
            }
        };
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"{Name} exited before it was ready.{Tail()}"));
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Invocations answered, the records they held, and the records they failed (or that a throw left).</summary>
    public (int Batches, int Records, int Failures) Work
    {
        get
        {
            lock (_lines)
            {
                return (_batches, _records, _failures);
            }
        }
    }

    /// <summary>Lines the child wrote that start with <paramref name="prefix"/>, the prefix removed.</summary>
    public IReadOnlyList<string> Lines(string prefix)
    {
        lock (_lines)
        {
            return [.. _lines.Where(l => l.StartsWith(prefix + " ", StringComparison.Ordinal)).Select(l => l[(prefix.Length + 1)..])];
        }
    }

    /// <summary>Starts <c>dotnet BENCH.dll --role ROLE</c> with <paramref name="environment"/> on top of this process's.</summary>
    public static ChildProcess Start(string name, string role, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var entry = typeof(ChildProcess).Assembly.Location;
        if (!Path.GetFileNameWithoutExtension(start.FileName).Equals(Path.GetFileNameWithoutExtension(entry), StringComparison.Ordinal))
        {
            // Run as `dotnet ScaleBench.dll`: start the same host on the same assembly.
            start.ArgumentList.Add(entry);
        }

        start.ArgumentList.Add("--role");
        start.ArgumentList.Add(role);
        foreach (var (variable, value) in environment)
        {
            start.Environment[variable] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until the child has built its function and said <c>ready</c>.</summary>
    public Task WaitReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>The peak resident memory seen so far, in bytes: read from /proc while alive, or as the child reported it.</summary>
    public long PeakBytes()
    {
        if (!_process.HasExited)
        {
            _peakKilobytes = Math.Max(_peakKilobytes, FunctionRole.PeakKilobytes(_process.Id));
        }

        foreach (var reported in Lines("peak"))
        {
            _peakKilobytes = Math.Max(_peakKilobytes, long.Parse(reported, CultureInfo.InvariantCulture));
        }

        return _peakKilobytes * 1024;
    }

    /// <summary>The last lines of its standard error and output, to explain a failure.</summary>
    public string Tail()
    {
        List<string> lines;
        lock (_errors)
        {
            lines = [.. _errors.TakeLast(10)];
        }

        lock (_lines)
        {
            lines.AddRange(_lines.Where(l => l.StartsWith("error ", StringComparison.Ordinal)).TakeLast(5));
        }

        return lines.Count == 0 ? string.Empty : Environment.NewLine + "    " + string.Join(Environment.NewLine + "    ", lines);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
            if (line.StartsWith("batch ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                _batches++;
                _records += int.Parse(parts[1], CultureInfo.InvariantCulture);
                _failures += int.Parse(parts[2], CultureInfo.InvariantCulture);
            }
        }

        if (line == "ready")
        {
            _ready.TrySetResult();
        }
    }
}
