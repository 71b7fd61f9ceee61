using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CostNotifier.Domain;
using CostNotifier.TestSupport;

namespace CostNotifier.ScaleBench;

/// <summary>
/// A loopback stand-in for Cost Explorer's <c>GetCostAndUsage</c>, answering a request grouped by
/// <c>LINKED_ACCOUNT</c> and then by service in the documented JSON 1.1 shape: a result per requested day (per
/// calendar month for MONTHLY), each holding every account's services, the accounts named in
/// <c>DimensionValueAttributes</c>, the last result estimated. One page unless <c>maxGroupsPerPage</c> cuts it, as
/// Cost Explorer pages a long answer. Requests are counted, as is the time spent building answers (the stand-in
/// runs on the same cores as everything else, so that time is part of the measured wall time).
/// </summary>
internal sealed class CostExplorerStub : IAsyncDisposable
{
    /// <summary>The services each account has, with a daily amount before the account's own factor.</summary>
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

    private readonly IReadOnlyList<string> _accounts;
    private readonly int? _maxGroupsPerPage;
    private readonly LoopbackHttpServer _server;
    private int _requests;
    private long _answeringTicks;

    public CostExplorerStub(IReadOnlyList<string> accounts, int? maxGroupsPerPage)
    {
        _accounts = accounts;
        _maxGroupsPerPage = maxGroupsPerPage;
        _server = LoopbackHttpServer.Start(Answer);
    }

    /// <summary>The services of every account: the groups per account and day of an answer.</summary>
    public static int ServicesPerAccount => Services.Length;

    /// <summary>The base URL, for <c>AWS_ENDPOINT_URL_COST_EXPLORER</c>.</summary>
    public string Url => _server.Url;

    /// <summary>GetCostAndUsage requests answered (each one a billable page).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Time spent building and writing answers.</summary>
    public TimeSpan Answering => TimeSpan.FromTicks(Interlocked.Read(ref _answeringTicks));

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    public static string NameOf(string account) => "team-" + account;

    private LoopbackResponse Answer(LoopbackRequest received)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var document = JsonDocument.Parse(received.Body);
            var request = document.RootElement;
            if (!CostExplorerResponses.AsksByAccount(request))
            {
                return Refuse("ValidationException", "This stand-in answers only requests grouped by LINKED_ACCOUNT and then by another dimension.");
            }

            Interlocked.Increment(ref _requests);
            return CostExplorerResponses.Answer(200, PageByAccount(request));
        }
        catch (FormatException ex)
        {
            return Refuse("InvalidNextTokenException", ex.Message);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Refuse("ValidationException", ex.Message);
        }
        finally
        {
            Interlocked.Add(ref _answeringTicks, Stopwatch.GetElapsedTime(started).Ticks);
        }
    }

    private string PageByAccount(JsonElement request) =>
        CostExplorerResponses.PageByAccount(request, GroupsOf, _maxGroupsPerPage, NameOf, "0.0000000000").ToJsonString();

    // Every account has every service; account i spends (0.5 + (i mod 10) / 10) times the base amounts, on a steady
    // weekly rhythm, rounded to the ten places the answer is written with.
    private IEnumerable<(string Account, string Key, decimal Amount)> GroupsOf(ReportDate day)
    {
        var rhythm = 1m + (((int)day.Day.DayOfWeek - 3) * 0.04m);
        for (var i = 0; i < _accounts.Count; i++)
        {
            var factor = 0.5m + (i % 10 / 10m);
            foreach (var (service, daily) in Services)
            {
                yield return (_accounts[i], service, Math.Round(daily * factor * rhythm, 10, MidpointRounding.ToEven));
            }
        }
    }

    private static LoopbackResponse Refuse(string type, string message) =>
        CostExplorerResponses.Answer(400, JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = type, ["Message"] = message }));
}
