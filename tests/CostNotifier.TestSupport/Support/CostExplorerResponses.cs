using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CostNotifier.Domain;

namespace CostNotifier.TestSupport;

/// <summary>
/// <c>GetCostAndUsage</c> answers in Cost Explorer's documented JSON 1.1 shape (<c>ResultsByTime[].TimePeriod</c>,
/// <c>Total</c>, <c>Groups[].Keys/Metrics.{metric}.Amount/Unit</c>, <c>Estimated</c>; <c>NextPageToken</c>,
/// <c>DimensionValueAttributes</c>), for the servers that stand in for Cost Explorer, which has no emulator. Answers
/// by account have two keys per group, the account first.
/// </summary>
internal static class CostExplorerResponses
{
    /// <summary>The content type of every Cost Explorer answer.</summary>
    public const string ContentType = "application/x-amz-json-1.1";

    private const string GroupsToken = "groups-";

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
    /// Whether the request groups by <c>LINKED_ACCOUNT</c> first and by something else second: an answer by account.
    /// </summary>
    public static bool AsksByAccount(JsonElement request) =>
        request.TryGetProperty("GroupBy", out var groupBy)
        && groupBy.GetArrayLength() == 2
        && IsLinkedAccount(groupBy[0])
        && !IsLinkedAccount(groupBy[1]);

    /// <summary>Whether one of the request's group definitions is <c>DIMENSION</c> <c>LINKED_ACCOUNT</c>.</summary>
    public static bool IsLinkedAccount(JsonElement groupDefinition) =>
        groupDefinition.GetProperty("Type").GetString() == "DIMENSION" && groupDefinition.GetProperty("Key").GetString() == "LINKED_ACCOUNT";

    /// <summary>
    /// Each group's amount split over <paramref name="accounts"/>, account by account: the first account weighs as
    /// many as there are accounts, each next one less, down to 1; every part is rounded to
    /// <paramref name="decimals"/> places and the last account takes what is left, so the parts of a group add up to
    /// its amount exactly.
    /// </summary>
    public static IReadOnlyList<(string Account, string Key, decimal Amount)> SplitOverAccounts(
        IEnumerable<(string Key, decimal Amount)> groups,
        IReadOnlyList<string> accounts,
        int decimals = 10)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentOutOfRangeException.ThrowIfZero(accounts.Count);
        var list = groups.ToList();
        var weights = accounts.Count * (accounts.Count + 1) / 2;
        var parts = list.Select(group =>
        {
            var amounts = new decimal[accounts.Count];
            for (var a = 0; a < accounts.Count - 1; a++)
            {
                amounts[a] = Math.Round(group.Amount * (accounts.Count - a) / weights, decimals, MidpointRounding.ToEven);
            }

            amounts[^1] = group.Amount - amounts[..^1].Sum();
            return amounts;
        }).ToList();
        var keys = list.Select(g => g.Key).ToList();
        return [.. accounts.SelectMany((account, a) => keys.Select((key, k) => (account, key, parts[k][a])))];
    }

    /// <summary>
    /// Each account's group's amount over the days of <paramref name="span"/>, added up, in the order they first
    /// appear: what a MONTHLY result by account holds when <paramref name="groupsOf"/> gives the DAILY figures.
    /// </summary>
    public static IReadOnlyList<(string Account, string Key, decimal Amount)> SumOver(
        DateRange span,
        Func<ReportDate, IEnumerable<(string Account, string Key, decimal Amount)>> groupsOf)
    {
        ArgumentNullException.ThrowIfNull(groupsOf);
        var totals = new Dictionary<(string, string), decimal>();
        var order = new List<(string Account, string Key)>();
        foreach (var (account, key, amount) in span.EachDay().SelectMany(groupsOf))
        {
            if (totals.TryGetValue((account, key), out var total))
            {
                totals[(account, key)] = total + amount;
            }
            else
            {
                totals[(account, key)] = amount;
                order.Add((account, key));
            }
        }

        return [.. order.Select(id => (id.Account, id.Key, totals[id]))];
    }

    /// <summary>One group: its keys (the account first in an answer by account) and its amount, in USD.</summary>
    public static JsonObject Group(IEnumerable<string> keys, string amount, string metric = "UnblendedCost") =>
        new()
        {
            ["Keys"] = new JsonArray([.. keys.Select(key => (JsonNode)JsonValue.Create(key))]),
            ["Metrics"] = new JsonObject { [metric] = new JsonObject { ["Amount"] = amount, ["Unit"] = "USD" } },
        };

    /// <summary>The result for the days of <paramref name="span"/> holding the groups given as written.</summary>
    public static JsonObject ResultOf(DateRange span, bool estimated, IEnumerable<JsonObject> groups) =>
        new()
        {
            ["TimePeriod"] = new JsonObject { ["Start"] = span.Start.ToString(), ["End"] = span.End.ToString() },
            ["Total"] = new JsonObject(),
            ["Groups"] = new JsonArray([.. groups]),
            ["Estimated"] = estimated,
        };

    /// <summary>
    /// The page after <paramref name="nextPageToken"/> of an answer holding at most <paramref name="maxGroups"/>
    /// groups, as Cost Explorer pages a long answer: a result whose groups do not all fit is cut, and the next page
    /// starts with the same <c>TimePeriod</c> and the groups left. The token is the number of groups already sent.
    /// </summary>
    /// <param name="results">Every result of the whole answer, with all its groups.</param>
    /// <param name="nextPageToken">The token of the request; null for the first page.</param>
    /// <param name="maxGroups">The most groups one page holds; null for all of them on one page.</param>
    /// <param name="next">The token for the page after this one; null when this is the last.</param>
    /// <exception cref="FormatException">The token is not one this method gave out.</exception>
    public static IReadOnlyList<JsonObject> PageOfGroups(
        IReadOnlyList<(DateRange Span, bool Estimated, IReadOnlyList<JsonObject> Groups)> results,
        string? nextPageToken,
        int? maxGroups,
        out string? next)
    {
        ArgumentNullException.ThrowIfNull(results);
        var skip = 0;
        if (nextPageToken is not null
            && (!nextPageToken.StartsWith(GroupsToken, StringComparison.Ordinal)
                || !int.TryParse(nextPageToken.AsSpan(GroupsToken.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out skip)))
        {
            throw new FormatException($"'{nextPageToken}' is not a page token of this answer.");
        }

        if (maxGroups < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxGroups), maxGroups, "A page holds at least one group.");
        }

        var total = results.Sum(r => r.Groups.Count);
        var end = maxGroups is null ? total : (int)Math.Min(total, (long)skip + maxGroups.Value);
        var last = end >= total;
        var page = new List<JsonObject>();
        var start = 0;
        foreach (var (span, estimated, groups) in results)
        {
            // The part of this result's groups that falls on the page; a result without groups goes on the page its
            // place in the answer falls on.
            var from = Math.Max(start, skip);
            var to = Math.Min(start + groups.Count, end);
            var onPage = groups.Count > 0 ? from < to : start >= skip && (start < end || last);
            if (onPage)
            {
                page.Add(ResultOf(span, estimated, groups.Skip(from - start).Take(Math.Max(0, to - from)).Select(g => g.DeepClone().AsObject())));
            }

            start += groups.Count;
        }

        next = last ? null : GroupsToken + end.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return page;
    }

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

    /// <summary>
    /// The page a request grouped by <c>LINKED_ACCOUNT</c> and then by a key asks for: every requested span (the last
    /// one estimated) with each account's groups, as <paramref name="groupsOf"/> gives them per day (added up for a
    /// MONTHLY span), cut into pages of <paramref name="maxGroupsPerPage"/> groups (<see cref="PageOfGroups"/>), the
    /// page naming the accounts it holds, as Cost Explorer does, and echoing the request's group definitions.
    /// </summary>
    /// <param name="request">The GetCostAndUsage request body.</param>
    /// <param name="groupsOf">Each account's amount per key on a day.</param>
    /// <param name="maxGroupsPerPage">The most groups one page holds; null for one page.</param>
    /// <param name="nameOf">An account's name.</param>
    /// <param name="amountFormat">How amounts are written, e.g. <c>G</c> or <c>0.0000000000</c>.</param>
    /// <exception cref="FormatException">The request's page token is not one this method gave out.</exception>
    public static JsonObject PageByAccount(
        JsonElement request,
        Func<ReportDate, IEnumerable<(string Account, string Key, decimal Amount)>> groupsOf,
        int? maxGroupsPerPage,
        Func<string, string> nameOf,
        string amountFormat = "G")
    {
        ArgumentNullException.ThrowIfNull(nameOf);
        var spans = RequestedSpans(request);
        var metric = request.GetProperty("Metrics")[0].GetString()!;
        var token = request.TryGetProperty("NextPageToken", out var sent) ? sent.GetString() : null;
        var whole = spans.Select(span => (
            span,
            span == spans[^1],
            (IReadOnlyList<JsonObject>)[.. SumOver(span, groupsOf)
                .Select(g => Group([g.Account, g.Key], g.Amount.ToString(amountFormat, CultureInfo.InvariantCulture), metric))]))
            .ToList();
        var results = PageOfGroups(whole, token, maxGroupsPerPage, out var next);
        var names = results
            .SelectMany(result => result["Groups"]!.AsArray())
            .Select(group => group!["Keys"]![0]!.GetValue<string>())
            .Distinct(StringComparer.Ordinal)
            .Select(account => (account, nameOf(account)));
        var page = Page(results, next, names);
        page["GroupDefinitions"] = JsonNode.Parse(request.GetProperty("GroupBy").GetRawText());
        return page;
    }

    /// <summary>
    /// A page of <paramref name="results"/>; <paramref name="nextPageToken"/>, when given, says another page follows.
    /// <paramref name="accountNames"/> become its <c>DimensionValueAttributes</c> (attribute <c>description</c>).
    /// </summary>
    public static JsonObject Page(
        IEnumerable<JsonObject> results,
        string? nextPageToken = null,
        IEnumerable<(string Account, string Name)>? accountNames = null)
    {
        var page = new JsonObject
        {
            ["ResultsByTime"] = new JsonArray([.. results]),
            ["DimensionValueAttributes"] = new JsonArray([.. (accountNames ?? []).Select(a => (JsonNode)new JsonObject
            {
                ["Value"] = a.Account,
                ["Attributes"] = new JsonObject { ["description"] = a.Name },
            })]),
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
