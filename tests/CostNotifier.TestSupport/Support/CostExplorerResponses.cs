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

    /// <summary>The result for <paramref name="day"/>: each group's amount, in USD, under <paramref name="metric"/>.</summary>
    public static JsonObject Day(ReportDate day, bool estimated, IEnumerable<(string Key, string Amount)> groups, string metric = "UnblendedCost") =>
        Result(day.ToString(), day.AddDays(1).ToString(), estimated, groups, metric);

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
