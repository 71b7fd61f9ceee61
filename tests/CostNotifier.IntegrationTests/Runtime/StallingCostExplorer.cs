using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.Runtime;

/// <summary>
/// A Cost Explorer on a loopback port that answers the first <c>GetCostAndUsage</c> normally (one page covering the
/// requested period) and never answers a later one: a dependency that hangs in the middle of a batch. A stalled
/// request's connection is cut when the stub is disposed. (<see cref="LoopbackHttpServer"/> answers one request at a
/// time and waits for the one in hand when it stops, so it cannot hold a request for ever.)
/// </summary>
internal sealed class StallingCostExplorer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _answering = new();
    private readonly Task _serving;
    private int _requests;

    public StallingCostExplorer()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}");
        }

        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = Task.Run(AcceptAsync);
    }

    public string Url { get; }

    /// <summary>Requests received, the stalled ones included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _serving;
        await Task.WhenAll(_answering.Keys);
        _listener.Close();
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var answering = Task.Run(() => AnswerAsync(context));
            _answering[answering] = 0;
            _ = answering.ContinueWith(done => _answering.TryRemove(done, out _), TaskScheduler.Default);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body, _stopping.Token);
            if (Interlocked.Increment(ref _requests) > 1)
            {
                await Task.Delay(Timeout.Infinite, _stopping.Token);
            }

            using var document = JsonDocument.Parse(body.ToArray());
            var days = CostExplorerResponses.RequestedDays(document.RootElement);
            var results = days.Select(day => CostExplorerResponses.Day(
                day, estimated: day == days[^1], [("Amazon Elastic Compute Cloud - Compute", "12.34"), ("Amazon Simple Storage Service", "1.50")]));
            var answer = CostExplorerResponses.Answer(200, CostExplorerResponses.Page(results).ToJsonString());
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType;
            foreach (var (name, value) in answer.Headers)
            {
                context.Response.Headers[name] = value;
            }

            context.Response.ContentLength64 = answer.Body.Length;
            await context.Response.OutputStream.WriteAsync(answer.Body, _stopping.Token);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // Stopping, or the client gave up on the request: cut the connection.
            try
            {
                context.Response.Abort();
            }
            catch (ObjectDisposedException)
            {
                // Already closed with the listener.
            }
        }
    }
}
