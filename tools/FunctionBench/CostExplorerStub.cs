using System.Globalization;
using System.Net;
using System.Text.Json;

namespace CostNotifier.FunctionBench;

/// <summary>
/// A loopback HTTP server answering Cost Explorer's <c>GetCostAndUsage</c> in its documented JSON 1.1 shape: one
/// page with a result per day of the requested period, grouped by service, the last day estimated. Cost Explorer
/// has no emulator; this lets the collector's real client run over HTTP, SigV4 signing included.
/// </summary>
internal sealed class CostExplorerStub : IAsyncDisposable
{
    private static readonly (string Service, decimal DailyUsd)[] Services =
    [
        ("Amazon Elastic Compute Cloud - Compute", 182.40m),
        ("Amazon Relational Database Service", 96.15m),
        ("Amazon Simple Storage Service", 41.72m),
        ("Amazon DynamoDB", 18.09m),
        ("AWS Lambda", 7.31m),
        ("Amazon CloudWatch", 6.88m),
        ("Amazon Simple Queue Service", 0.42m),
        ("Tax", 0m),
    ];

    private readonly HttpListener listener;
    private readonly Task loop;
    private int requests;

    private CostExplorerStub(HttpListener listener, string url)
    {
        this.listener = listener;
        Url = url;
        loop = Task.Run(ServeAsync);
    }

    /// <summary>The base URL, for <c>AWS_ENDPOINT_URL_COST_EXPLORER</c>.</summary>
    public string Url { get; }

    /// <summary>GetCostAndUsage requests answered so far.</summary>
    public int Requests => Volatile.Read(ref requests);

    public static CostExplorerStub Start()
    {
        for (var attempt = 1; ; attempt++)
        {
            var url = $"http://127.0.0.1:{EmulatorServer.FreeLoopbackPort()}";
            var listener = new HttpListener();
            listener.Prefixes.Add(url + "/");
            try
            {
                listener.Start();
                return new CostExplorerStub(listener, url);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        try
        {
            await loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop with one of these.
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            byte[] body;
            int status;
            try
            {
                using var request = await JsonDocument.ParseAsync(context.Request.InputStream);
                body = Answer(request.RootElement);
                status = 200;
                Interlocked.Increment(ref requests);
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
                {
                    ["__type"] = "com.amazonaws.awsinsightsindexservice#ValidationException",
                    ["message"] = ex.Message,
                });
                status = 400;
            }

            context.Response.StatusCode = status;
            context.Response.ContentType = "application/x-amz-json-1.1";
            context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private static byte[] Answer(JsonElement request)
    {
        var period = request.GetProperty("TimePeriod");
        var start = DateOnly.ParseExact(period.GetProperty("Start").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var end = DateOnly.ParseExact(period.GetProperty("End").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var metric = request.GetProperty("Metrics")[0].GetString()!;
        var groupBy = request.GetProperty("GroupBy")[0];

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("GroupDefinitions");
            json.WriteStartObject();
            json.WriteString("Type", groupBy.GetProperty("Type").GetString());
            json.WriteString("Key", groupBy.GetProperty("Key").GetString());
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartArray("ResultsByTime");
            for (var day = start; day < end; day = day.AddDays(1))
            {
                json.WriteStartObject();
                json.WriteStartObject("TimePeriod");
                json.WriteString("Start", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                json.WriteString("End", day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                json.WriteEndObject();
                json.WriteStartObject("Total");
                json.WriteEndObject();
                json.WriteStartArray("Groups");
                foreach (var (service, dailyUsd) in Services)
                {
                    // A steady weekly rhythm, so the email has changes to show.
                    var amount = dailyUsd * (1m + (((int)day.DayOfWeek - 3) * 0.04m));
                    json.WriteStartObject();
                    json.WriteStartArray("Keys");
                    json.WriteStringValue(service);
                    json.WriteEndArray();
                    json.WriteStartObject("Metrics");
                    json.WriteStartObject(metric);
                    json.WriteString("Amount", amount.ToString("0.0000000000", CultureInfo.InvariantCulture));
                    json.WriteString("Unit", "USD");
                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteBoolean("Estimated", day.AddDays(1) == end);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("DimensionValueAttributes");
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
