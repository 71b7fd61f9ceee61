using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace CostNotifier.TestSupport;

/// <summary>
/// One emulator server (<c>tools/emulators/serve.mjs</c>) running as a child process on a free loopback port, for
/// the integration tests' <c>EmulatorFixture</c> and for FunctionBench. The child also exits when its standard input
/// closes, so a test host or benchmark that dies leaves no server behind.
/// </summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 200;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(3);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private EmulatorProcess(string service, int port, Process process)
    {
        Service = service;
        Port = port;
        _process = process;
    }

    /// <summary>The service name passed to serve.mjs: dynamodb, sqs or ses.</summary>
    public string Service { get; }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Its base URL.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>
    /// Starts <paramref name="service"/> and waits until <paramref name="healthPath"/> answers. A port taken between
    /// choosing and binding it is retried with another port; any other failure throws with the server's output.
    /// </summary>
    public static async Task<EmulatorProcess> StartAsync(
        EmulatorInstallation installation, string service, string healthPath, CancellationToken cancellationToken)
    {
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var emulator = Launch(installation, service, LoopbackPorts.Next());
            try
            {
                await emulator.WaitUntilHealthyAsync(healthPath, cancellationToken);
                return emulator;
            }
            catch (EmulatorStartException ex) when (ex.PortInUse && attempt < attempts)
            {
                await emulator.DisposeAsync();
            }
            catch
            {
                await emulator.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>The last lines the server wrote to stdout and stderr.</summary>
    public string RecentOutput() => string.Join(Environment.NewLine, _output);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // Closing stdin asks serve.mjs to stop; the kill covers a server that does not.
                _process.StandardInput.Close();
                using var grace = new CancellationTokenSource(StopGracePeriod);
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // The process was never started or is already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static EmulatorProcess Launch(EmulatorInstallation installation, string service, int port)
    {
        var start = new ProcessStartInfo(installation.NodePath)
        {
            WorkingDirectory = installation.Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--no-warnings");
        start.ArgumentList.Add(installation.ServeScript);
        start.ArgumentList.Add(service);
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The SES server would relay every email to this SMTP server if it were set.
        start.Environment.Remove("SMTP_TRANSPORT");
        start.Environment.Remove("NODE_OPTIONS");

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var emulator = new EmulatorProcess(service, port, process);
        process.OutputDataReceived += (_, e) => emulator.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => emulator.Keep(e.Data);
        if (!process.Start())
        {
            throw new EmulatorStartException($"Could not start {installation.NodePath} for the {service} emulator.", portInUse: false);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return emulator;
    }

    private async Task WaitUntilHealthyAsync(string healthPath, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                // Let the output readers drain what the process wrote before it died.
                await _process.WaitForExitAsync(cancellationToken);
                var output = RecentOutput();
                throw new EmulatorStartException(
                    $"The {Service} emulator exited with code {_process.ExitCode} before answering on {Url}. Its output:{Environment.NewLine}{output}",
                    portInUse: output.Contains("EADDRINUSE", StringComparison.Ordinal));
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Url + healthPath), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // One probe timed out; the overall deadline decides.
            }

            if (waited.Elapsed > StartTimeout)
            {
                throw new EmulatorStartException(
                    $"The {Service} emulator did not answer GET {Url}{healthPath} within {StartTimeout.TotalSeconds:0} s. Its output:{Environment.NewLine}{RecentOutput()}",
                    portInUse: false);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
    }

}

/// <summary>An emulator did not start; the message carries its output.</summary>
public sealed class EmulatorStartException(string message, bool portInUse) : Exception(message)
{
    /// <summary>Whether it failed because its port was taken in the meantime.</summary>
    public bool PortInUse { get; } = portInUse;
}
