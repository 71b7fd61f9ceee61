using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CostNotifier.TestSupport;

namespace CostNotifier.FunctionBench;

/// <summary>
/// A loopback HTTP server answering Cost Explorer's <c>GetCostAndUsage</c> in its documented JSON 1.1 shape: one
/// page with a result per day of the requested period (per calendar month, the days added up, for a MONTHLY
/// request), grouped by service, the last result estimated. Cost Explorer
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

    private readonly LoopbackHttpServer _server;
    private int _requests;

    private CostExplorerStub() => _server = LoopbackHttpServer.Start(Answer);

    /// <summary>The base URL, for <c>AWS_ENDPOINT_URL_COST_EXPLORER</c>.</summary>
    public string Url => _server.Url;

    /// <summary>GetCostAndUsage requests answered so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static CostExplorerStub Start() => new();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private LoopbackResponse Answer(LoopbackRequest received)
    {
        try
        {
            using var request = JsonDocument.Parse(received.Body);
            var body = Page(request.RootElement);
            Interlocked.Increment(ref _requests);
            return CostExplorerResponses.Answer(200, body);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return CostExplorerResponses.Answer(400, JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["__type"] = "com.amazonaws.awsinsightsindexservice#ValidationException",
                ["message"] = ex.Message,
            }));
        }
    }

    private static string Page(JsonElement request)
    {
        var spans = CostExplorerResponses.RequestedSpans(request);
        var metric = request.GetProperty("Metrics")[0].GetString()!;
        var groupBy = request.GetProperty("GroupBy")[0];
        var page = CostExplorerResponses.Page(spans.Select(span => CostExplorerResponses.Result(
            span,
            estimated: span == spans[^1],
            CostExplorerResponses.SumOver(span, day => Services.Select(s => (s.Service, Amount(s.DailyUsd, day.DayOfWeek))))
                .Select(g => (g.Key, g.Amount.ToString("0.0000000000", CultureInfo.InvariantCulture))),
            metric)));
        page["GroupDefinitions"] = new JsonArray(new JsonObject
        {
            ["Type"] = groupBy.GetProperty("Type").GetString(),
            ["Key"] = groupBy.GetProperty("Key").GetString(),
        });
        return page.ToJsonString();
    }

    // A steady weekly rhythm, so the email has changes to show. Rounded to the ten places the answer is written with,
    // so a month is exactly the sum of the days as they would be sent.
    private static decimal Amount(decimal dailyUsd, DayOfWeek dayOfWeek) =>
        Math.Round(dailyUsd * (1m + (((int)dayOfWeek - 3) * 0.04m)), 10, MidpointRounding.ToEven);
}
