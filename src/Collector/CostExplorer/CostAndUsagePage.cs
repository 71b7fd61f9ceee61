using System.Globalization;
using System.Text.Json;
using CostNotifier.CostData;
using CostNotifier.Domain;

namespace CostNotifier.Collector.CostExplorer;

/// <summary>
/// One page of a <c>GetCostAndUsage</c> answer, read from its documented JSON shape
/// (<c>ResultsByTime[].TimePeriod/Estimated/Groups[].Keys/Metrics.{metric}.Amount/Unit</c>, <c>NextPageToken</c>).
/// </summary>
/// <param name="Days">The days on this page; a day's groups may continue on the next page.</param>
/// <param name="NextPageToken">The token for the next page; null on the last page.</param>
internal sealed record CostAndUsagePage(IReadOnlyList<DailyCost> Days, string? NextPageToken)
{
    private const NumberStyles AmountStyles =
        NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Reads a page whose groups carry <paramref name="metric"/>.</summary>
    /// <exception cref="CostSourceException">The body is not a page of the documented shape; names the day and group at fault.</exception>
    public static CostAndUsagePage Parse(ReadOnlyMemory<byte> body, string metric)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw Malformed($"its body is not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("its body is not a JSON object");
            }

            var token = OptionalString(root, "NextPageToken", "the response");
            var days = new List<DailyCost>();
            if (root.TryGetProperty("ResultsByTime", out var results) && results.ValueKind != JsonValueKind.Null)
            {
                if (results.ValueKind != JsonValueKind.Array)
                {
                    throw Malformed("ResultsByTime is not an array");
                }

                foreach (var result in results.EnumerateArray())
                {
                    days.Add(ReadDay(result, metric));
                }
            }

            return new CostAndUsagePage(days, string.IsNullOrEmpty(token) ? null : token);
        }
    }

    /// <summary>
    /// Merges pages into one <see cref="DailyCost"/> per day of <paramref name="period"/> that Cost Explorer has data
    /// for, in date order. Groups of a day spread over several pages are joined; a day is estimated if any page says
    /// so. A day it did not return, or returned estimated and without a single group (its answer before the day's
    /// data lands), is left out and listed in <paramref name="pendingDays"/>: it is not yet known, not a day without
    /// cost. A final day without groups is a day without cost.
    /// </summary>
    /// <exception cref="CostSourceException">A page holds a day outside the period, or one group in two currencies.</exception>
    public static IReadOnlyList<DailyCost> Merge(DateRange period, IEnumerable<CostAndUsagePage> pages, out IReadOnlyList<ReportDate> pendingDays)
    {
        ArgumentNullException.ThrowIfNull(pages);
        var byDay = new Dictionary<ReportDate, (bool Estimated, Dictionary<string, GroupCost> Groups)>();
        foreach (var day in pages.SelectMany(p => p.Days))
        {
            if (!period.Contains(day.Date))
            {
                throw new CostSourceException(
                    $"Cost Explorer returned a result for {day.Date}, which is outside the requested period {period}.",
                    isTransient: false);
            }

            if (!byDay.TryGetValue(day.Date, out var merged))
            {
                merged = (false, new Dictionary<string, GroupCost>(StringComparer.Ordinal));
            }

            foreach (var group in day.Groups)
            {
                merged.Groups[group.Key] = merged.Groups.TryGetValue(group.Key, out var earlier)
                    ? Add(day.Date, earlier, group)
                    : group;
            }

            byDay[day.Date] = (merged.Estimated || day.Estimated, merged.Groups);
        }

        var pending = new List<ReportDate>();
        var days = new List<DailyCost>(period.Days);
        foreach (var date in period.EachDay())
        {
            if (byDay.TryGetValue(date, out var merged) && !(merged.Estimated && merged.Groups.Count == 0))
            {
                days.Add(new DailyCost(date, merged.Estimated, [.. merged.Groups.Values]));
            }
            else
            {
                pending.Add(date);
            }
        }

        pendingDays = pending;
        return days;
    }

    private static GroupCost Add(ReportDate date, GroupCost earlier, GroupCost later) =>
        string.Equals(earlier.Currency, later.Currency, StringComparison.Ordinal)
            ? earlier with { Amount = earlier.Amount + later.Amount }
            : throw new CostSourceException(
                $"Cost Explorer returned group '{later.Key}' on {date} in two currencies ({earlier.Currency} and {later.Currency}).",
                isTransient: false);

    private static DailyCost ReadDay(JsonElement result, string metric)
    {
        if (result.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("an entry of ResultsByTime is not an object");
        }

        if (!result.TryGetProperty("TimePeriod", out var period) || period.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("an entry of ResultsByTime has no TimePeriod");
        }

        var start = OptionalString(period, "Start", "a TimePeriod");
        if (!ReportDate.TryParse(start, out var date))
        {
            throw Malformed($"a TimePeriod.Start '{start}' is not a yyyy-MM-dd date");
        }

        // DAILY results are one day each; anything else would be taken as one day's cost and distort every figure.
        var end = OptionalString(period, "End", $"the TimePeriod of {date}");
        if (!ReportDate.TryParse(end, out var endDate))
        {
            throw Malformed($"the TimePeriod of {date} has End '{end}', which is not a yyyy-MM-dd date");
        }

        if (endDate != date.AddDays(1))
        {
            throw Malformed($"the result for the period [{date}, {endDate}) is not one day, as DAILY granularity asks for");
        }

        var estimated = false;
        if (result.TryGetProperty("Estimated", out var flag))
        {
            estimated = flag.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False or JsonValueKind.Null => false,
                _ => throw Malformed($"the Estimated flag of {date} is not a boolean"),
            };
        }

        var groups = new List<GroupCost>();
        if (result.TryGetProperty("Groups", out var groupArray) && groupArray.ValueKind != JsonValueKind.Null)
        {
            if (groupArray.ValueKind != JsonValueKind.Array)
            {
                throw Malformed($"the Groups of {date} are not an array");
            }

            foreach (var group in groupArray.EnumerateArray())
            {
                groups.Add(ReadGroup(group, date, metric));
            }
        }

        return new DailyCost(date, estimated, groups);
    }

    private static GroupCost ReadGroup(JsonElement group, ReportDate date, string metric)
    {
        if (group.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"a group of {date} is not an object");
        }

        if (!group.TryGetProperty("Keys", out var keys) || keys.ValueKind != JsonValueKind.Array || keys.GetArrayLength() == 0)
        {
            throw Malformed($"a group of {date} has no Keys");
        }

        var parts = new List<string>(keys.GetArrayLength());
        foreach (var part in keys.EnumerateArray())
        {
            parts.Add(part.ValueKind == JsonValueKind.String
                ? Text(part, $"a group key of {date}")
                : throw Malformed($"a group key of {date} is not a string"));
        }

        var key = string.Join(" / ", parts);
        if (!group.TryGetProperty("Metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"group '{key}' on {date} has no Metrics");
        }

        if (!metrics.TryGetProperty(metric, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"group '{key}' on {date} has no {metric} metric");
        }

        var amountText = value.TryGetProperty("Amount", out var amount)
            ? amount.ValueKind switch
            {
                JsonValueKind.String => Text(amount, $"the {metric} Amount of group '{key}' on {date}"),
                JsonValueKind.Number => amount.GetRawText(),
                _ => null,
            }
            : null;
        if (string.IsNullOrWhiteSpace(amountText))
        {
            throw Malformed($"group '{key}' on {date} has no {metric} Amount");
        }

        if (!decimal.TryParse(amountText, AmountStyles, CultureInfo.InvariantCulture, out var parsed))
        {
            throw Malformed($"group '{key}' on {date} has a non-numeric {metric} Amount '{amountText}'");
        }

        var unit = OptionalString(value, "Unit", $"group '{key}' on {date}");
        if (string.IsNullOrWhiteSpace(unit))
        {
            throw Malformed($"group '{key}' on {date} has no {metric} Unit");
        }

        return new GroupCost(key, parsed, unit);
    }

    private static string? OptionalString(JsonElement element, string property, string where) =>
        !element.TryGetProperty(property, out var value)
            ? null
            : value.ValueKind switch
            {
                JsonValueKind.String => Text(value, $"{property} of {where}"),
                JsonValueKind.Null => null,
                _ => throw Malformed($"{property} of {where} is not a string"),
            };

    // A \u escape may name half of a surrogate pair: the JSON parses, but the string is not text and cannot be read.
    // That fails the same way on every retry, so it is refused for good like any other malformed part.
    private static string Text(JsonElement value, string where)
    {
        try
        {
            return value.GetString()!;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw Malformed($"{where} is not valid UTF-16 text ({ex.Message})", ex);
        }
    }

    private static CostSourceException Malformed(string problem, Exception? inner = null) =>
        new($"Cost Explorer returned a GetCostAndUsage page that cannot be used: {problem}.", isTransient: false, inner);
}
