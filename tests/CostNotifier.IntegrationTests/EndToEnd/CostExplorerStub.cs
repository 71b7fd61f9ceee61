using System.Globalization;
using System.Text.Json;
using CostNotifier.Domain;
using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.EndToEnd;

/// <summary>
/// Answers GetCostAndUsage on a loopback port with responses in Cost Explorer's documented shape, computed from the
/// request's own TimePeriod, Granularity and GroupBy (so any window works; a MONTHLY result is the month's daily
/// amounts added up; the last result is estimated), split over two pages. A group-by on a tag answers
/// <c>DataUnavailableException</c>, which the client treats as transient: a report that can never succeed.
/// </summary>
internal sealed class CostExplorerStub : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server = LoopbackHttpServer.Start(Answer);

    public string Url => _server.Url;

    public int Requests => _server.Requests.Count;

    /// <summary>The day's amounts the stub serves: EC2 grows by a dollar a day, a steady S3 line and a credit.</summary>
    public static IReadOnlyList<(string Key, decimal Amount)> GroupsOf(ReportDate day) =>
    [
        ("Amazon Elastic Compute Cloud - Compute", 10.123456m + day.Day.Day),
        ("Amazon Simple Storage Service", 2.5m),
        ("Credits", -1.25m),
    ];

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static LoopbackResponse Answer(LoopbackRequest received)
    {
        using var document = JsonDocument.Parse(received.Body);
        var request = document.RootElement;
        if (request.GetProperty("GroupBy")[0].GetProperty("Type").GetString() == "TAG")
        {
            return CostExplorerResponses.Answer(400, """{"__type":"DataUnavailableException","Message":"Data is not available yet."}""");
        }

        var spans = CostExplorerResponses.RequestedSpans(request);
        var secondPage = request.TryGetProperty("NextPageToken", out var token) && token.GetString() == "page-2";
        var half = spans.Count / 2;
        var pageSpans = secondPage ? spans.Skip(half) : spans.Take(half);
        var results = pageSpans.Select(span => CostExplorerResponses.Result(
            span,
            estimated: span == spans[^1],
            CostExplorerResponses.SumOver(span, GroupsOf).Select(g => (g.Key, g.Amount.ToString(CultureInfo.InvariantCulture)))));
        return CostExplorerResponses.Answer(200, CostExplorerResponses.Page(results, secondPage ? null : "page-2").ToJsonString());
    }
}
