using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using CostNotifier.Domain;
using CostNotifier.TestSupport;

namespace CostNotifier.UnitTests.Hostile;

/// <summary>
/// Answers every GetCostAndUsage request on a loopback port with one scripted body, its date tokens
/// (<c>{day}</c>, <c>{day-1}</c>, <c>{day+1}</c>, <c>{outside}</c>, <c>{outside+1}</c>) filled in from the request's
/// own TimePeriod, so the real CostExplorerClient (SigV4, the SDK pipeline, its parser) meets hostile responses.
/// </summary>
internal sealed class LoopbackCostExplorer : IAsyncDisposable
{
    // The default encoder writes '+' as \u002B, which would hide the {day+1} token from the replacement.
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Func<string> _body;
    private readonly string _contentType;
    private readonly LoopbackHttpServer _server;

    public LoopbackCostExplorer(Func<string> body, string contentType = CostExplorerResponses.ContentType)
    {
        _body = body;
        _contentType = contentType;
        _server = LoopbackHttpServer.Start(Answer);
    }

    public string Url => _server.Url;

    public int Requests => _server.Requests.Count;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>A one-day response with one group per (key, amount).</summary>
    public static string OneDay(IEnumerable<(string Key, decimal Amount)> groups) =>
        CostExplorerResponses.Page(
        [
            CostExplorerResponses.Result(
                "{day}", "{day+1}", estimated: false, groups.Select(g => (g.Key, g.Amount.ToString(CultureInfo.InvariantCulture)))),
        ]).ToJsonString(Unescaped);

    private LoopbackResponse Answer(LoopbackRequest request)
    {
        using var document = JsonDocument.Parse(request.Body);
        var end = ReportDate.Parse(document.RootElement.GetProperty("TimePeriod").GetProperty("End").GetString());
        var day = end.AddDays(-1);
        var body = _body()
            .Replace("{day}", day.ToString(), StringComparison.Ordinal)
            .Replace("{day-1}", day.AddDays(-1).ToString(), StringComparison.Ordinal)
            .Replace("{day+1}", end.ToString(), StringComparison.Ordinal)
            .Replace("{outside}", end.ToString(), StringComparison.Ordinal)
            .Replace("{outside+1}", end.AddDays(1).ToString(), StringComparison.Ordinal);
        return CostExplorerResponses.Answer(200, body) with { ContentType = _contentType };
    }
}
