using System.Text.Json;
using System.Text.Json.Nodes;
using CostNotifier.Domain;

namespace CostNotifier.TestSupport;

/// <summary>
/// <c>GetCostAndUsage</c> answers in Cost Explorer's documented JSON 1.1 shape (<c>ResultsByTime[].TimePeriod</c>,
/// <c>Total</c>, <c>Groups[].Keys/Metrics.{metric}.Amount/Unit</c>, <c>Estimated</c>; <c>NextPageToken</c>), for the
/// servers that stand in for Cost Explorer, which has no emulator.
/// </summary>
internal static class CostExplorerResponses
{
    /// <summary>The content type of every Cost Explorer answer.</summary>
    public const string ContentType = "application/x-amz-json-1.1";

    /// <summary>Every day of the request's <c>TimePeriod</c>: <c>Start</c> included, <c>End</c> not.</summary>
    public static IReadOnlyList<ReportDate> RequestedDays(JsonElement request)
    {
        var period = request.GetProperty("TimePeriod");
        var start = ReportDate.Parse(period.GetProperty("Start").GetString());
        var end = ReportDate.Parse(period.GetProperty("End").GetString());
        var days = new List<ReportDate>();
        for (var day = start; day < end; day = day.AddDays(1))
        {
            days.Add(day);
        }

        return days;
    }

    /// <summary>Whether the request asks for <c>MONTHLY</c> results; <c>DAILY</c> (or no <c>Granularity</c>) otherwise.</summary>
    public static bool AsksForMonths(JsonElement request) =>
        request.TryGetProperty("Granularity", out var granularity) && granularity.GetString() == "MONTHLY";

    /// <summary>
    /// The span of each result Cost Explorer answers the request with, in order: every day of its <c>TimePeriod</c>
    /// for <c>DAILY</c>; every calendar month it touches for <c>MONTHLY</c>, the first and last cut to the
    /// <c>TimePeriod</c> as Cost Explorer cuts them.
    /// </summary>
    public static IReadOnlyList<DateRange> RequestedSpans(JsonElement request)
    {
        var days = RequestedDays(request);
        if (!AsksForMonths(request))
        {
            return [.. days.Select(DateRange.Single)];
        }

        return [.. days.GroupBy(day => day.MonthStart).Select(month => DateRange.Inclusive(month.First(), month.Last()))];
    }

    /// <summary>
    /// Each group's amount over the days of <paramref name="span"/>, added up, keys in the order they first appear:
    /// what a MONTHLY result holds when <paramref name="groupsOf"/> gives the DAILY figures.
    /// </summary>
    public static IReadOnlyList<(string Key, decimal Amount)> SumOver(DateRange span, Func<ReportDate, IEnumerable<(string Key, decimal Amount)>> groupsOf)
    {
        ArgumentNullException.ThrowIfNull(groupsOf);
        var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var keys = new List<string>();
        foreach (var (key, amount) in span.EachDay().SelectMany(groupsOf))
        {
            if (totals.TryGetValue(key, out var total))
            {
                totals[key] = total + amount;
            }
            else
            {
                totals[key] = amount;
                keys.Add(key);
            }
        }

        return [.. keys.Select(key => (key, totals[key]))];
    }

    /// <summary>The result for <paramref name="day"/>: each group's amount, in USD, under <paramref name="metric"/>.</summary>
    public static JsonObject Day(ReportDate day, bool estimated, IEnumerable<(string Key, string Amount)> groups, string metric = "UnblendedCost") =>
        Result(day.ToString(), day.AddDays(1).ToString(), estimated, groups, metric);

    /// <summary>The result for the days of <paramref name="span"/> (a day or a month): each group's amount, in USD.</summary>
    public static JsonObject Result(DateRange span, bool estimated, IEnumerable<(string Key, string Amount)> groups, string metric = "UnblendedCost") =>
        Result(span.Start.ToString(), span.End.ToString(), estimated, groups, metric);

    /// <summary>
    /// A result whose <c>TimePeriod</c> is written as given, so a test can also send one Cost Explorer never would.
    /// </summary>
    public static JsonObject Result(string start, string end, bool estimated, IEnumerable<(string Key, string Amount)> groups, string metric = "UnblendedCost") =>
        new()
        {
            ["TimePeriod"] = new JsonObject { ["Start"] = start, ["End"] = end },
            ["Total"] = new JsonObject(),
            ["Groups"] = new JsonArray([.. groups.Select(group => new JsonObject
            {
                ["Keys"] = new JsonArray(group.Key),
                ["Metrics"] = new JsonObject { [metric] = new JsonObject { ["Amount"] = group.Amount, ["Unit"] = "USD" } },
            })]),
            ["Estimated"] = estimated,
        };

    /// <summary>A page of <paramref name="results"/>; <paramref name="nextPageToken"/>, when given, says another page follows.</summary>
    public static JsonObject Page(IEnumerable<JsonObject> results, string? nextPageToken = null)
    {
        var page = new JsonObject
        {
            ["ResultsByTime"] = new JsonArray([.. results]),
            ["DimensionValueAttributes"] = new JsonArray(),
        };
        if (nextPageToken is not null)
        {
            page["NextPageToken"] = nextPageToken;
        }

        return page;
    }

    /// <summary>An answer as Cost Explorer sends one: AWS JSON 1.1 with a request id.</summary>
    public static LoopbackResponse Answer(int status, string body) =>
        LoopbackResponse.Text(status, ContentType, body).WithHeader("x-amzn-RequestId", Guid.NewGuid().ToString());
}
