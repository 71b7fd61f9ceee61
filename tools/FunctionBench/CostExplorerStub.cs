using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CostNotifier.Domain;
using CostNotifier.TestSupport;

namespace CostNotifier.FunctionBench;

/// <summary>
/// A loopback HTTP server answering Cost Explorer's <c>GetCostAndUsage</c> in its documented JSON 1.1 shape: one
/// page with a result per day of the requested period (per calendar month, the days added up, for a MONTHLY
/// request), grouped by service, the last result estimated. Cost Explorer
/// has no emulator; this lets the collector's real client run over HTTP, SigV4 signing included. A request grouped by
/// <c>LINKED_ACCOUNT</c> and then by service is answered by account: every service split over
/// <see cref="Accounts"/>, the accounts named in <c>DimensionValueAttributes</c>, still on one page.
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

    /// <summary>The linked accounts of an answer by account, with the names it gives them.</summary>
    public static readonly IReadOnlyList<(string Account, string Name)> Accounts =
    [
        ("111122223333", "payments-prod"),
        ("444455556666", "search-prod"),
        ("777788889999", "platform-shared"),
        ("123456789012", "sandbox"),
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
        if (request.GetProperty("GroupBy").GetArrayLength() != 1)
        {
            return PageByAccount(request, spans, metric);
        }

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

    private static string PageByAccount(JsonElement request, IReadOnlyList<DateRange> spans, string metric)
    {
        if (!CostExplorerResponses.AsksByAccount(request))
        {
            throw new InvalidOperationException("Two group-bys must be LINKED_ACCOUNT first and another dimension second.");
        }

        var accounts = Accounts.Select(a => a.Account).ToList();
        var page = CostExplorerResponses.Page(
            spans.Select(span => CostExplorerResponses.ResultOf(
                span,
                estimated: span == spans[^1],
                CostExplorerResponses.SumOver(span, day => CostExplorerResponses.SplitOverAccounts(Services.Select(s => (s.Service, Amount(s.DailyUsd, day.DayOfWeek))), accounts))
                    .Select(g => CostExplorerResponses.Group([g.Account, g.Key], g.Amount.ToString("0.0000000000", CultureInfo.InvariantCulture), metric)))),
            accountNames: Accounts);
        page["GroupDefinitions"] = JsonNode.Parse(request.GetProperty("GroupBy").GetRawText());
        return page.ToJsonString();
    }

    // A steady weekly rhythm, so the email has changes to show. Rounded to the ten places the answer is written with,
    // so a month is exactly the sum of the days as they would be sent.
    private static decimal Amount(decimal dailyUsd, DayOfWeek dayOfWeek) =>
        Math.Round(dailyUsd * (1m + (((int)dayOfWeek - 3) * 0.04m)), 10, MidpointRounding.ToEven);
}
