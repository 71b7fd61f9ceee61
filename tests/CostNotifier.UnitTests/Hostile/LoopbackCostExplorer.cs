using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CostNotifier.Domain;

namespace CostNotifier.UnitTests.Hostile;

/// <summary>
/// Answers every GetCostAndUsage request on a loopback port with one scripted body, its date tokens
/// (<c>{day}</c>, <c>{day-1}</c>, <c>{day+1}</c>, <c>{outside}</c>, <c>{outside+1}</c>) filled in from the request's
/// own TimePeriod, so the real CostExplorerClient (SigV4, the SDK pipeline, its parser) meets hostile responses.
/// </summary>
internal sealed class LoopbackCostExplorer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<string> _body;
    private readonly string _contentType;
    private readonly Task _loop;

    public LoopbackCostExplorer(Func<string> body, string contentType = "application/x-amz-json-1.1")
    {
        _body = body;
        _contentType = contentType;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public int Requests { get; private set; }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
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

            Requests++;
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            using var request = JsonDocument.Parse(await reader.ReadToEndAsync());
            var end = ReportDate.Parse(request.RootElement.GetProperty("TimePeriod").GetProperty("End").GetString());
            var day = end.AddDays(-1);
            var body = _body()
                .Replace("{day}", day.ToString(), StringComparison.Ordinal)
                .Replace("{day-1}", day.AddDays(-1).ToString(), StringComparison.Ordinal)
                .Replace("{day+1}", end.ToString(), StringComparison.Ordinal)
                .Replace("{outside}", end.ToString(), StringComparison.Ordinal)
                .Replace("{outside+1}", end.AddDays(1).ToString(), StringComparison.Ordinal);
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = 200;
            context.Response.ContentType = _contentType;
            context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    /// <summary>A one-day response with one group per (key, amount).</summary>
    public static string OneDay(IEnumerable<(string Key, decimal Amount)> groups) => JsonSerializer.Serialize(new
    {
        ResultsByTime = new[]
        {
            new
            {
                TimePeriod = new { Start = "{day}", End = "{day+1}" },
                Estimated = false,
                Groups = groups.Select(g => new
                {
                    Keys = new[] { g.Key },
                    Metrics = new { UnblendedCost = new { Amount = g.Amount.ToString(CultureInfo.InvariantCulture), Unit = "USD" } },
                }),
            },
        },
    });
}
