using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CostNotifier.Domain;

namespace CostNotifier.IntegrationTests.EndToEnd;

/// <summary>
/// Answers GetCostAndUsage on a loopback port with responses in Cost Explorer's documented shape, computed from the
/// request's own TimePeriod and GroupBy (so any window works), split over two pages. A group-by on a tag answers
/// <c>DataUnavailableException</c>, which the client treats as transient: a report that can never succeed.
/// </summary>
internal sealed class CostExplorerStub : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _requests;

    public CostExplorerStub()
    {
        var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public int Requests => _requests;

    /// <summary>The day's amounts the stub serves: EC2 grows by a dollar a day, a steady S3 line and a credit.</summary>
    public static IReadOnlyList<(string Key, decimal Amount)> GroupsOf(ReportDate day) =>
    [
        ("Amazon Elastic Compute Cloud - Compute", 10.123456m + day.Day.Day),
        ("Amazon Simple Storage Service", 2.5m),
        ("Credits", -1.25m),
    ];

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
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

            Interlocked.Increment(ref _requests);
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            using var request = JsonDocument.Parse(await reader.ReadToEndAsync());
            var (status, body) = Answer(request.RootElement);
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/x-amz-json-1.1";
            context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static (int Status, string Body) Answer(JsonElement request)
    {
        if (request.GetProperty("GroupBy")[0].GetProperty("Type").GetString() == "TAG")
        {
            return (400, """{"__type":"DataUnavailableException","Message":"Data is not available yet."}""");
        }

        var start = ReportDate.Parse(request.GetProperty("TimePeriod").GetProperty("Start").GetString());
        var end = ReportDate.Parse(request.GetProperty("TimePeriod").GetProperty("End").GetString());
        var days = DateRange.Inclusive(start, end.AddDays(-1)).EachDay().ToList();
        var secondPage = request.TryGetProperty("NextPageToken", out var token) && token.GetString() == "page-2";
        var half = days.Count / 2;
        var pageDays = secondPage ? days.Skip(half) : days.Take(half);

        var results = pageDays.Select(day => new
        {
            TimePeriod = new { Start = day.ToString(), End = day.AddDays(1).ToString() },
            Total = new { },
            Groups = GroupsOf(day).Select(g => new
            {
                Keys = new[] { g.Key },
                Metrics = new { UnblendedCost = new { Amount = g.Amount.ToString(CultureInfo.InvariantCulture), Unit = "USD" } },
            }),
            Estimated = day == end.AddDays(-1),
        });
        var response = secondPage
            ? JsonSerializer.Serialize(new { ResultsByTime = results, DimensionValueAttributes = Array.Empty<object>() })
            : JsonSerializer.Serialize(new { ResultsByTime = results, DimensionValueAttributes = Array.Empty<object>(), NextPageToken = "page-2" });
        return (200, response);
    }
}
