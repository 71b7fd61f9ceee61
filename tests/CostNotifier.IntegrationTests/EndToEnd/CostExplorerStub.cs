using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CostNotifier.Domain;
using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.EndToEnd;

/// <summary>
/// Answers GetCostAndUsage on a loopback port with responses in Cost Explorer's documented shape, computed from the
/// request's own TimePeriod, Granularity and GroupBy (so any window works; a MONTHLY result is the month's daily
/// amounts added up; the last result is estimated). A group-by on a tag answers <c>DataUnavailableException</c>, which
/// the client treats as transient: a report that can never succeed.
/// </summary>
/// <remarks>
/// A request grouped by one thing is answered over two pages, split between results. A request grouped by
/// <c>LINKED_ACCOUNT</c> and then by service is answered by account: every service of <see cref="GroupsOf"/> split
/// over <see cref="Accounts"/> (see <see cref="ByAccountGroupsOf"/>), with the accounts' names in
/// <c>DimensionValueAttributes</c>, on one page unless <see cref="MaxGroupsPerPage"/> cuts it into several.
/// </remarks>
internal sealed class CostExplorerStub : IAsyncDisposable
{
    /// <summary>The linked accounts an answer by account has unless the stub is given others.</summary>
    public static readonly IReadOnlyList<string> DefaultAccounts = ["111122223333", "444455556666", "777788889999"];

    private readonly LoopbackHttpServer _server;

    /// <summary>Starts the stub.</summary>
    /// <param name="accounts">The linked accounts of an answer by account; null for <see cref="DefaultAccounts"/>.</param>
    /// <param name="maxGroupsPerPage">The most groups one page of an answer by account holds; null for no limit (one page).</param>
    public CostExplorerStub(IReadOnlyList<string>? accounts = null, int? maxGroupsPerPage = null)
    {
        if (accounts is { Count: 0 })
        {
            throw new ArgumentException("An answer by account needs at least one account.", nameof(accounts));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxGroupsPerPage ?? 1, 1, nameof(maxGroupsPerPage));
        Accounts = accounts ?? DefaultAccounts;
        MaxGroupsPerPage = maxGroupsPerPage;
        _server = LoopbackHttpServer.Start(Answer);
    }

    public string Url => _server.Url;

    /// <summary>The requests received, each one a billable page.</summary>
    public int Requests => _server.Requests.Count;

    /// <summary>The requests received, in order.</summary>
    public IReadOnlyList<LoopbackRequest> Received => _server.Requests;

    /// <summary>The linked accounts of an answer by account.</summary>
    public IReadOnlyList<string> Accounts { get; }

    /// <summary>The most groups one page of an answer by account holds; null for all of them on one page.</summary>
    public int? MaxGroupsPerPage { get; }

    /// <summary>The day's amounts the stub serves: EC2 grows by a dollar a day, a steady S3 line and a credit.</summary>
    public static IReadOnlyList<(string Key, decimal Amount)> GroupsOf(ReportDate day) =>
    [
        ("Amazon Elastic Compute Cloud - Compute", 10.123456m + day.Day.Day),
        ("Amazon Simple Storage Service", 2.5m),
        ("Credits", -1.25m),
    ];

    /// <summary>The name <c>DimensionValueAttributes</c> gives an account.</summary>
    public static string NameOf(string account) => $"team-{account}";

    /// <summary>
    /// The day's amounts by account: each of <see cref="GroupsOf"/> split over <see cref="Accounts"/>, the first
    /// account the largest share, account after account; the parts of a service add up to its amount exactly.
    /// </summary>
    public IReadOnlyList<(string Account, string Key, decimal Amount)> ByAccountGroupsOf(ReportDate day) =>
        CostExplorerResponses.SplitOverAccounts(GroupsOf(day), Accounts);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private LoopbackResponse Answer(LoopbackRequest received)
    {
        using var document = JsonDocument.Parse(received.Body);
        var request = document.RootElement;
        var groupBy = request.GetProperty("GroupBy");
        if (groupBy[groupBy.GetArrayLength() - 1].GetProperty("Type").GetString() == "TAG")
        {
            return CostExplorerResponses.Answer(400, """{"__type":"DataUnavailableException","Message":"Data is not available yet."}""");
        }

        if (groupBy.GetArrayLength() == 2)
        {
            return CostExplorerResponses.AsksByAccount(request)
                ? AnswerByAccount(request)
                : CostExplorerResponses.Answer(400, """{"__type":"ValidationException","Message":"Group by LINKED_ACCOUNT first, and by another dimension second."}""");
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

    private LoopbackResponse AnswerByAccount(JsonElement request)
    {
        try
        {
            var page = CostExplorerResponses.PageByAccount(request, ByAccountGroupsOf, MaxGroupsPerPage, NameOf);
            return CostExplorerResponses.Answer(200, page.ToJsonString());
        }
        catch (FormatException ex)
        {
            return CostExplorerResponses.Answer(400, JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["__type"] = "InvalidNextTokenException",
                ["Message"] = ex.Message,
            }));
        }
    }
}
