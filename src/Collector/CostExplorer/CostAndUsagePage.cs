using System.Globalization;
using System.Text.Json;
using CostNotifier.CostData;
using CostNotifier.Domain;

namespace CostNotifier.Collector.CostExplorer;

/// <summary>
/// One page of a <c>GetCostAndUsage</c> answer, read from its documented JSON shape
/// (<c>ResultsByTime[].TimePeriod/Estimated/Groups[].Keys/Metrics.{metric}.Amount/Unit</c>, <c>NextPageToken</c>,
/// <c>DimensionValueAttributes[].Value/Attributes</c>).
/// </summary>
/// <param name="Days">
/// The results on this page: one per usage day, or one per calendar month (dated its first day) for a MONTHLY query.
/// A result's groups may continue on the next page. For a query by account, every group carries its account.
/// </param>
/// <param name="NextPageToken">The token for the next page; null on the last page.</param>
internal sealed record CostAndUsagePage(IReadOnlyList<DailyCost> Days, string? NextPageToken)
{
    /// <summary>
    /// The names this page gives the linked accounts it mentions (<c>DimensionValueAttributes</c>, attribute
    /// <c>description</c>), by account id; empty when it gives none.
    /// </summary>
    public IReadOnlyDictionary<string, string> AccountNames { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    private const NumberStyles AmountStyles =
        NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>
    /// Reads a page whose groups carry <paramref name="metric"/>, answering a query of <paramref name="granularity"/>:
    /// each result must cover exactly one day (DAILY) or exactly one calendar month (MONTHLY). For a query
    /// <paramref name="byAccount"/>, each group's keys must be exactly the account and the group key, in that order.
    /// </summary>
    /// <exception cref="CostSourceException">
    /// The body is not a page of the documented shape, a result spans another period, or a group of a query by
    /// account does not have two keys; names the day or month and group at fault.
    /// </exception>
    public static CostAndUsagePage Parse(ReadOnlyMemory<byte> body, string metric, CostGranularity granularity, bool byAccount = false)
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
                    days.Add(ReadResult(result, metric, granularity, byAccount));
                }
            }

            return new CostAndUsagePage(days, string.IsNullOrEmpty(token) ? null : token)
            {
                AccountNames = ReadAccountNames(root),
            };
        }
    }

    /// <summary>
    /// Merges pages into one <see cref="DailyCost"/> per day of <paramref name="period"/> (per calendar month for a
    /// monthly <paramref name="granularity"/>) that Cost Explorer has data for, in date order. Groups of a result spread
    /// over several pages are joined; a result is estimated if any page says so. A day or month it did not return, or
    /// returned estimated and without a single group (its answer before the data lands), is left out and listed in
    /// <paramref name="pending"/>: it is not yet known, not a period without cost. A final one without groups is a
    /// period without cost.
    /// </summary>
    /// <remarks>
    /// Groups are joined by account and key together: in an answer by account, one service appears once per account,
    /// and only the same service of the same account is one group.
    /// </remarks>
    /// <exception cref="CostSourceException">
    /// A page holds a result outside the period (or, for months, not on a month of it), or one group in two currencies.
    /// </exception>
    public static IReadOnlyList<DailyCost> Merge(
        DateRange period,
        CostGranularity granularity,
        IEnumerable<CostAndUsagePage> pages,
        out IReadOnlyList<ReportPeriod> pending)
    {
        ArgumentNullException.ThrowIfNull(pages);
        var slots = Slots(period, granularity);
        var bySlot = new Dictionary<ReportDate, (bool Estimated, Dictionary<(string? Account, string Key), GroupCost> Groups)>();
        foreach (var day in pages.SelectMany(p => p.Days))
        {
            if (!period.Contains(day.Date))
            {
                throw new CostSourceException(
                    $"Cost Explorer returned a result for {day.Date}, which is outside the requested period {period}.",
                    isTransient: false);
            }

            if (granularity == CostGranularity.Monthly && day.Date != day.Date.MonthStart)
            {
                throw new CostSourceException(
                    $"Cost Explorer returned a result for {day.Date}, which does not start a calendar month of the requested period {period}.",
                    isTransient: false);
            }

            if (!bySlot.TryGetValue(day.Date, out var merged))
            {
                merged = (false, new Dictionary<(string? Account, string Key), GroupCost>());
            }

            foreach (var group in day.Groups)
            {
                var id = (group.Account, group.Key);
                merged.Groups[id] = merged.Groups.TryGetValue(id, out var earlier)
                    ? Add(Label(day.Date, granularity), earlier, group)
                    : group;
            }

            bySlot[day.Date] = (merged.Estimated || day.Estimated, merged.Groups);
        }

        var missing = new List<ReportPeriod>();
        var results = new List<DailyCost>(slots.Count);
        foreach (var slot in slots)
        {
            if (bySlot.TryGetValue(slot, out var merged) && !(merged.Estimated && merged.Groups.Count == 0))
            {
                results.Add(new DailyCost(slot, merged.Estimated, [.. merged.Groups.Values]));
            }
            else
            {
                missing.Add(Label(slot, granularity));
            }
        }

        pending = missing;
        return results;
    }

    /// <summary>
    /// The account names of every page together; a page names the accounts on it, so later pages add to earlier ones
    /// (and, should two disagree, the later name is kept).
    /// </summary>
    public static IReadOnlyDictionary<string, string> MergeAccountNames(IEnumerable<CostAndUsagePage> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (account, name) in pages.SelectMany(page => page.AccountNames))
        {
            names[account] = name;
        }

        return names;
    }

    // The dates a complete answer has one result for: each day, or the first day of each month starting in the period.
    private static List<ReportDate> Slots(DateRange period, CostGranularity granularity)
    {
        if (granularity != CostGranularity.Monthly)
        {
            return [.. period.EachDay()];
        }

        var months = new List<ReportDate>();
        var first = period.Start.MonthStart < period.Start ? NextMonth(period.Start.MonthStart) : period.Start;
        for (var month = first; month < period.End; month = NextMonth(month))
        {
            months.Add(month);
        }

        return months;
    }

    private static ReportDate NextMonth(ReportDate monthStart) => new(monthStart.Day.AddMonths(1));

    // How errors and pending entries name a result: the day, or the month (2024-02) for a monthly query.
    private static ReportPeriod Label(ReportDate date, CostGranularity granularity) =>
        granularity == CostGranularity.Monthly ? ReportPeriod.Month(date.Day.Year, date.Day.Month) : ReportPeriod.Day(date);

    // "on 2024-03-01" for a day, "in 2024-02" for a month.
    private static string At(ReportPeriod period) => period.Cadence == Cadence.Daily ? $"on {period}" : $"in {period}";

    private static GroupCost Add(ReportPeriod period, GroupCost earlier, GroupCost later) =>
        string.Equals(earlier.Currency, later.Currency, StringComparison.Ordinal)
            ? earlier with { Amount = earlier.Amount + later.Amount }
            : throw new CostSourceException(
                $"Cost Explorer returned group '{later.Key}'{OfAccount(later.Account)} {At(period)} in two currencies ({earlier.Currency} and {later.Currency}).",
                isTransient: false);

    private static string OfAccount(string? account) => account is null ? string.Empty : $" of account {account}";

    // DimensionValueAttributes: [{ "Value": "<account id>", "Attributes": { "description": "<name>", ... } }]. An entry
    // without a description names nothing; one of another shape makes the page unreadable like any other part.
    private static Dictionary<string, string> ReadAccountNames(JsonElement root)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("DimensionValueAttributes", out var entries) || entries.ValueKind == JsonValueKind.Null)
        {
            return names;
        }

        if (entries.ValueKind != JsonValueKind.Array)
        {
            throw Malformed("DimensionValueAttributes is not an array");
        }

        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("an entry of DimensionValueAttributes is not an object");
            }

            var value = OptionalString(entry, "Value", "an entry of DimensionValueAttributes");
            if (string.IsNullOrEmpty(value))
            {
                throw Malformed("an entry of DimensionValueAttributes has no Value");
            }

            if (!entry.TryGetProperty("Attributes", out var attributes) || attributes.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (attributes.ValueKind != JsonValueKind.Object)
            {
                throw Malformed($"the Attributes of '{value}' in DimensionValueAttributes are not an object");
            }

            var description = OptionalString(attributes, "description", $"the Attributes of '{value}'");
            if (!string.IsNullOrWhiteSpace(description))
            {
                names[value] = description;
            }
        }

        return names;
    }

    private static DailyCost ReadResult(JsonElement result, string metric, CostGranularity granularity, bool byAccount)
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

        // A DAILY result is one day, a MONTHLY one a whole calendar month; any other span would be taken as the cost of
        // that day or month and distort every figure built on it.
        var end = OptionalString(period, "End", $"the TimePeriod of {date}");
        if (!ReportDate.TryParse(end, out var endDate))
        {
            throw Malformed($"the TimePeriod of {date} has End '{end}', which is not a yyyy-MM-dd date");
        }

        if (granularity == CostGranularity.Monthly)
        {
            if (date != date.MonthStart || endDate != NextMonth(date))
            {
                throw Malformed($"the result for the period [{date}, {endDate}) is not one calendar month, as MONTHLY granularity asks for");
            }
        }
        else if (endDate != date.AddDays(1))
        {
            throw Malformed($"the result for the period [{date}, {endDate}) is not one day, as DAILY granularity asks for");
        }

        var label = Label(date, granularity);

        var estimated = false;
        if (result.TryGetProperty("Estimated", out var flag))
        {
            estimated = flag.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False or JsonValueKind.Null => false,
                _ => throw Malformed($"the Estimated flag of {label} is not a boolean"),
            };
        }

        var groups = new List<GroupCost>();
        if (result.TryGetProperty("Groups", out var groupArray) && groupArray.ValueKind != JsonValueKind.Null)
        {
            if (groupArray.ValueKind != JsonValueKind.Array)
            {
                throw Malformed($"the Groups of {label} are not an array");
            }

            foreach (var group in groupArray.EnumerateArray())
            {
                groups.Add(ReadGroup(group, label, metric, byAccount));
            }
        }

        return new DailyCost(date, estimated, groups);
    }

    private static GroupCost ReadGroup(JsonElement group, ReportPeriod period, string metric, bool byAccount)
    {
        if (group.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"a group of {period} is not an object");
        }

        if (!group.TryGetProperty("Keys", out var keys) || keys.ValueKind != JsonValueKind.Array || keys.GetArrayLength() == 0)
        {
            throw Malformed($"a group of {period} has no Keys");
        }

        var parts = new List<string>(keys.GetArrayLength());
        foreach (var part in keys.EnumerateArray())
        {
            parts.Add(part.ValueKind == JsonValueKind.String
                ? Text(part, $"a group key of {period}")
                : throw Malformed($"a group key of {period} is not a string"));
        }

        // By account, Keys is [account, key] as the two group-bys were sent; any other count would put one account's
        // cost under another's or a service under an account id.
        if (byAccount && parts.Count != 2)
        {
            throw Malformed(string.Create(
                CultureInfo.InvariantCulture,
                $"group '{string.Join(" / ", parts)}' {At(period)} has {parts.Count} keys where a query by account expects two (the account, then the group)"));
        }

        // Errors name the group by all its keys, so the account at fault is named too.
        var key = string.Join(" / ", parts);
        if (byAccount && string.IsNullOrEmpty(parts[0]))
        {
            throw Malformed($"group '{key}' {At(period)} has an empty account key");
        }

        if (!group.TryGetProperty("Metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"group '{key}' {At(period)} has no Metrics");
        }

        if (!metrics.TryGetProperty(metric, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"group '{key}' {At(period)} has no {metric} metric");
        }

        var amountText = value.TryGetProperty("Amount", out var amount)
            ? amount.ValueKind switch
            {
                JsonValueKind.String => Text(amount, $"the {metric} Amount of group '{key}' {At(period)}"),
                JsonValueKind.Number => amount.GetRawText(),
                _ => null,
            }
            : null;
        if (string.IsNullOrWhiteSpace(amountText))
        {
            throw Malformed($"group '{key}' {At(period)} has no {metric} Amount");
        }

        if (!decimal.TryParse(amountText, AmountStyles, CultureInfo.InvariantCulture, out var parsed))
        {
            throw Malformed($"group '{key}' {At(period)} has a non-numeric {metric} Amount '{amountText}'");
        }

        var unit = OptionalString(value, "Unit", $"group '{key}' {At(period)}");
        if (string.IsNullOrWhiteSpace(unit))
        {
            throw Malformed($"group '{key}' {At(period)} has no {metric} Unit");
        }

        return byAccount
            ? new GroupCost(parts[1], parsed, unit) { Account = parts[0] }
            : new GroupCost(key, parsed, unit);
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
