using System.Text;
using CostNotifier.Collector.CostExplorer;
using CostNotifier.CostData;
using CostNotifier.Domain;

namespace CostNotifier.UnitTests.Aws.CostExplorer;

public sealed class CostAndUsagePageTests
{
    [Fact]
    public void Parse_ADocumentedPage_ReadsDaysGroupsAmountsAndTheToken()
    {
        var page = Parse("""
            {
              "GroupDefinitions": [{"Type": "DIMENSION", "Key": "SERVICE"}],
              "ResultsByTime": [
                {"TimePeriod": {"Start": "2024-02-28", "End": "2024-02-29"}, "Total": {},
                 "Groups": [
                   {"Keys": ["Amazon Elastic Compute Cloud - Compute"], "Metrics": {"UnblendedCost": {"Amount": "12.3456789012", "Unit": "USD"}}},
                   {"Keys": ["Tax"], "Metrics": {"UnblendedCost": {"Amount": "-0.0000001", "Unit": "USD"}}}
                 ], "Estimated": false},
                {"TimePeriod": {"Start": "2024-02-29", "End": "2024-03-01"}, "Total": {}, "Groups": [], "Estimated": true}
              ],
              "NextPageToken": "page-2",
              "DimensionValueAttributes": []
            }
            """);

        Assert.Equal("page-2", page.NextPageToken);
        Assert.Equal(2, page.Days.Count);
        Assert.Equal(new ReportDate(2024, 2, 28), page.Days[0].Date);
        Assert.False(page.Days[0].Estimated);
        Assert.Equal(new GroupCost("Amazon Elastic Compute Cloud - Compute", 12.3456789012m, "USD"), page.Days[0].Groups[0]);
        Assert.Equal(-0.0000001m, page.Days[0].Groups[1].Amount);
        Assert.Equal(new ReportDate(2024, 2, 29), page.Days[1].Date);
        Assert.True(page.Days[1].Estimated);
        Assert.Empty(page.Days[1].Groups);
    }

    [Fact]
    public void Parse_AnAmountInExponentNotation_ReadsItExactly()
    {
        var page = Parse(Day("2024-03-01", "Amazon S3", "\"1.5E-7\""));

        Assert.Equal(0.00000015m, page.Days[0].Groups[0].Amount);
    }

    [Fact]
    public void Parse_ANonNumericAmount_ThrowsNamingTheDayAndTheGroup()
    {
        var error = Assert.Throws<CostSourceException>(() => Parse(Day("2024-03-01", "Amazon S3", "\"N/A\"")));

        Assert.False(error.IsTransient);
        Assert.Contains("2024-03-01", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Amazon S3'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'N/A'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AnAmountInAGroupingCulturesFormat_IsRefusedRatherThanMisread()
    {
        var error = Assert.Throws<CostSourceException>(() => Parse(Day("2024-03-01", "Amazon S3", "\"1.234,56\"")));

        Assert.Contains("non-numeric", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Keys": ["Amazon S3"]}""", "has no Metrics")]
    [InlineData("""{"Keys": ["Amazon S3"], "Metrics": {"BlendedCost": {"Amount": "1", "Unit": "USD"}}}""", "has no UnblendedCost metric")]
    [InlineData("""{"Keys": ["Amazon S3"], "Metrics": {"UnblendedCost": {"Unit": "USD"}}}""", "has no UnblendedCost Amount")]
    [InlineData("""{"Keys": ["Amazon S3"], "Metrics": {"UnblendedCost": {"Amount": "1"}}}""", "has no UnblendedCost Unit")]
    public void Parse_AGroupWithoutItsMetric_ThrowsNamingTheDayAndTheGroup(string group, string expected)
    {
        var json = $$"""{"ResultsByTime": [{"TimePeriod": {"Start": "2024-03-01", "End": "2024-03-02"}, "Groups": [{{group}}], "Estimated": false}]}""";

        var error = Assert.Throws<CostSourceException>(() => Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("'Amazon S3' on 2024-03-01", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"ResultsByTime": {}}""")]
    [InlineData("""{"ResultsByTime": [{"TimePeriod": {"Start": "2024-02-30", "End": "2024-03-01"}}]}""")]
    public void Parse_ABodyOfTheWrongShape_ThrowsANonTransientError(string json)
    {
        var error = Assert.Throws<CostSourceException>(() => Parse(json));

        Assert.False(error.IsTransient);
        Assert.StartsWith("Cost Explorer returned a GetCostAndUsage page that cannot be used", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024-03-01", "2024-03-03")]
    [InlineData("2024-03-01", "2024-04-01")]
    [InlineData("2024-03-01", "2024-03-01")]
    [InlineData("2024-03-01", "2024-02-29")]
    public void Parse_AResultSpanningOtherThanOneDay_IsRefusedNamingThePeriod(string start, string end)
    {
        var json = $$"""{"ResultsByTime": [{"TimePeriod": {"Start": "{{start}}", "End": "{{end}}"}, "Groups": [], "Estimated": false}]}""";

        var error = Assert.Throws<CostSourceException>(() => Parse(json));

        Assert.False(error.IsTransient);
        Assert.Contains($"[{start}, {end})", error.Message, StringComparison.Ordinal);
        Assert.Contains("not one day", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Start": "2024-03-01"}""", "End ''")]
    [InlineData("""{"Start": "2024-03-01", "End": "tomorrow"}""", "End 'tomorrow'")]
    public void Parse_AResultWithoutAReadableEnd_IsRefused(string period, string expected)
    {
        var json = $$"""{"ResultsByTime": [{"TimePeriod": {{period}}, "Groups": []}]}""";

        var error = Assert.Throws<CostSourceException>(() => Parse(json));

        Assert.False(error.IsTransient);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    // JSON lets a \u escape name half of a surrogate pair; such a string parses but is not text. It fails the same
    // way on every retry, so it must be refused for good, saying where it is.
    [Theory]
    [InlineData("""{"Keys": ["Amazon S3\uD800"], "Metrics": {"UnblendedCost": {"Amount": "1", "Unit": "USD"}}}""", "a group key of 2024-03-01")]
    [InlineData("""{"Keys": ["\uDC00"], "Metrics": {"UnblendedCost": {"Amount": "1", "Unit": "USD"}}}""", "a group key of 2024-03-01")]
    [InlineData("""{"Keys": ["Amazon S3"], "Metrics": {"UnblendedCost": {"Amount": "1", "Unit": "US\uD83D"}}}""", "Unit of group 'Amazon S3' on 2024-03-01")]
    [InlineData("""{"Keys": ["Amazon S3"], "Metrics": {"UnblendedCost": {"Amount": "1\uD800", "Unit": "USD"}}}""", "Amount of group 'Amazon S3' on 2024-03-01")]
    public void Parse_ALoneSurrogateEscape_IsRefusedForGoodNamingTheDayAndGroup(string group, string expected)
    {
        var json = $$"""{"ResultsByTime": [{"TimePeriod": {"Start": "2024-03-01", "End": "2024-03-02"}, "Groups": [{{group}}], "Estimated": false}]}""";

        var error = Assert.Throws<CostSourceException>(() => Parse(json));

        Assert.False(error.IsTransient);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("UTF-16", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"ResultsByTime": [{"TimePeriod": {"Start": "2024-03-01\uD800", "End": "2024-03-02"}, "Groups": []}]}""", "Start of a TimePeriod")]
    [InlineData("""{"ResultsByTime": [], "NextPageToken": "page\uDBFF"}""", "NextPageToken of the response")]
    [InlineData("""{"ResultsByTime": [{"TimePeriod": {"Start": "2024-03-01", "End": "2024-03-02"}, "Groups": [{"Keys\uD800": ["S3"]}]}]}""", "has no Keys")]
    public void Parse_ALoneSurrogateEscapeOutsideAGroup_IsRefusedForGood(string json, string expected)
    {
        var error = Assert.Throws<CostSourceException>(() => Parse(json));

        Assert.False(error.IsTransient);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AnEscapeThatIsNotHex_IsRefusedForGood()
    {
        var error = Assert.Throws<CostSourceException>(() => Parse(Day("2024-03-01", "Amazon S3\\uZZZZ", "\"1\"")));

        Assert.False(error.IsTransient);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_GroupsOfOneDayOnTwoPages_JoinsThemAndKeepsTheEstimatedFlag()
    {
        var period = DateRange.Inclusive(new ReportDate(2025, 12, 31), new ReportDate(2026, 1, 1));
        var first = Parse(Day("2025-12-31", "Amazon S3", "\"1.10\"", estimated: true));
        var second = Parse(Day("2025-12-31", "AWS Lambda", "\"2.20\""));

        var days = CostAndUsagePage.Merge(period, CostGranularity.Daily, [first, second], out var pending);

        var day = Assert.Single(days);
        Assert.True(day.Estimated);
        Assert.Equal(["Amazon S3", "AWS Lambda"], day.Groups.Select(g => g.Key));
        Assert.Equal([ReportPeriod.Day(new ReportDate(2026, 1, 1))], pending);
    }

    [Fact]
    public void Merge_ADayNotReturnedOrEstimatedWithoutCost_IsLeftOutAsPending_AndAFinalDayWithoutCostIsKept()
    {
        var period = DateRange.Inclusive(new ReportDate(2026, 11, 21), new ReportDate(2026, 11, 24));
        var page = Parse("""
            {"ResultsByTime": [
              {"TimePeriod": {"Start": "2026-11-21", "End": "2026-11-22"}, "Groups": [], "Estimated": false},
              {"TimePeriod": {"Start": "2026-11-23", "End": "2026-11-24"}, "Groups": [
                {"Keys": ["AWS Lambda"], "Metrics": {"UnblendedCost": {"Amount": "0.02", "Unit": "USD"}}}], "Estimated": true},
              {"TimePeriod": {"Start": "2026-11-24", "End": "2026-11-25"}, "Total": {}, "Groups": [], "Estimated": true}
            ]}
            """);

        var days = CostAndUsagePage.Merge(period, CostGranularity.Daily, [page], out var pending);

        Assert.Equal(["2026-11-21", "2026-11-23"], days.Select(d => d.Date.ToString()));
        Assert.Empty(days[0].Groups);
        Assert.False(days[0].Estimated);
        Assert.Equal(["2026-11-22", "2026-11-24"], pending.Select(d => d.ToString()));
    }

    [Fact]
    public void Merge_TheSameGroupTwiceOnADay_AddsTheAmounts()
    {
        var period = DateRange.Single(new ReportDate(2024, 2, 29));

        var days = CostAndUsagePage.Merge(
            period,
            CostGranularity.Daily,
            [Parse(Day("2024-02-29", "team$payments", "\"1.25\"")), Parse(Day("2024-02-29", "team$payments", "\"-0.25\""))],
            out _);

        Assert.Equal(new GroupCost("team$payments", 1.00m, "USD"), Assert.Single(days[0].Groups));
    }

    [Fact]
    public void Merge_ADayOutsideThePeriod_ThrowsNamingTheDay()
    {
        var period = DateRange.Single(new ReportDate(2024, 2, 29));

        var error = Assert.Throws<CostSourceException>(() => CostAndUsagePage.Merge(period, CostGranularity.Daily, [Parse(Day("2024-03-01", "Amazon S3", "\"1\""))], out _));

        Assert.Contains("2024-03-01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AMonthlyPage_ReadsOneResultPerCalendarMonthDatedItsFirstDay()
    {
        var page = ParseMonthly("""
            {
              "GroupDefinitions": [{"Type": "DIMENSION", "Key": "SERVICE"}],
              "ResultsByTime": [
                {"TimePeriod": {"Start": "2024-01-01", "End": "2024-02-01"}, "Total": {},
                 "Groups": [{"Keys": ["AWS Lambda"], "Metrics": {"UnblendedCost": {"Amount": "31.0000000031", "Unit": "USD"}}}],
                 "Estimated": false},
                {"TimePeriod": {"Start": "2024-02-01", "End": "2024-03-01"}, "Total": {},
                 "Groups": [
                   {"Keys": ["AWS Lambda"], "Metrics": {"UnblendedCost": {"Amount": "29.5", "Unit": "USD"}}},
                   {"Keys": ["Credits"], "Metrics": {"UnblendedCost": {"Amount": "-12.75", "Unit": "USD"}}}
                 ], "Estimated": true}
              ],
              "DimensionValueAttributes": []
            }
            """);

        Assert.Null(page.NextPageToken);
        Assert.Equal(["2024-01-01", "2024-02-01"], page.Days.Select(d => d.Date.ToString()));
        Assert.Equal([false, true], page.Days.Select(d => d.Estimated));
        Assert.Equal(new GroupCost("AWS Lambda", 31.0000000031m, "USD"), Assert.Single(page.Days[0].Groups));
        Assert.Equal([29.5m, -12.75m], page.Days[1].Groups.Select(g => g.Amount));
    }

    [Theory]
    [InlineData("2024-02-01", "2024-02-02")]
    [InlineData("2024-02-01", "2024-02-29")]
    [InlineData("2024-02-01", "2024-04-01")]
    [InlineData("2024-02-15", "2024-03-01")]
    [InlineData("2024-02-15", "2024-03-15")]
    [InlineData("2024-02-01", "2024-02-01")]
    public void Parse_AMonthlyResultSpanningOtherThanOneCalendarMonth_IsRefusedNamingThePeriod(string start, string end)
    {
        var json = $$"""{"ResultsByTime": [{"TimePeriod": {"Start": "{{start}}", "End": "{{end}}"}, "Groups": [], "Estimated": false}]}""";

        var error = Assert.Throws<CostSourceException>(() => ParseMonthly(json));

        Assert.False(error.IsTransient);
        Assert.Contains($"[{start}, {end})", error.Message, StringComparison.Ordinal);
        Assert.Contains("not one calendar month", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ADailyPageHoldingAWholeMonth_IsStillRefusedAsNotOneDay()
    {
        var error = Assert.Throws<CostSourceException>(() => Parse(Month("2024-02-01", "Amazon S3", "\"1\"")));

        Assert.Contains("[2024-02-01, 2024-03-01)", error.Message, StringComparison.Ordinal);
        Assert.Contains("not one day, as DAILY granularity asks for", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AMonthlyGroupWithoutItsMetric_ThrowsNamingTheMonthAndTheGroup()
    {
        var json = """{"ResultsByTime": [{"TimePeriod": {"Start": "2024-02-01", "End": "2024-03-01"}, "Groups": [{"Keys": ["Amazon S3"], "Metrics": {}}]}]}""";

        var error = Assert.Throws<CostSourceException>(() => ParseMonthly(json));

        Assert.Contains("group 'Amazon S3' in 2024-02 has no UnblendedCost metric", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_MonthlyPages_JoinsAMonthSplitOverPagesAndLeavesOutAMonthWithoutDataYetAsPending()
    {
        var period = DateRange.Inclusive(new ReportDate(2024, 1, 1), new ReportDate(2024, 3, 31));
        var first = ParseMonthly(Month("2024-01-01", "Amazon S3", "\"40.10\""));
        var second = ParseMonthly(Month("2024-01-01", "Amazon S3", "\"0.05\""));
        var third = ParseMonthly(Month("2024-02-01", "AWS Lambda", "\"29\"", estimated: true));
        var withoutCost = ParseMonthly("""{"ResultsByTime": [{"TimePeriod": {"Start": "2024-03-01", "End": "2024-04-01"}, "Groups": [], "Estimated": true}]}""");

        var months = CostAndUsagePage.Merge(period, CostGranularity.Monthly, [first, second, third, withoutCost], out var pending);

        Assert.Equal(["2024-01-01", "2024-02-01"], months.Select(m => m.Date.ToString()));
        Assert.Equal(new GroupCost("Amazon S3", 40.15m, "USD"), Assert.Single(months[0].Groups));
        Assert.False(months[0].Estimated);
        Assert.True(months[1].Estimated);
        Assert.Equal([ReportPeriod.Month(2024, 3)], pending);
        Assert.Equal("2024-03", pending[0].ToString());
    }

    [Fact]
    public void Merge_AFinalMonthWithoutGroups_IsKeptAsAMonthWithoutCost()
    {
        var period = DateRange.Inclusive(new ReportDate(2025, 12, 1), new ReportDate(2025, 12, 31));
        var page = ParseMonthly("""{"ResultsByTime": [{"TimePeriod": {"Start": "2025-12-01", "End": "2026-01-01"}, "Groups": [], "Estimated": false}]}""");

        var months = CostAndUsagePage.Merge(period, CostGranularity.Monthly, [page], out var pending);

        Assert.Empty(Assert.Single(months).Groups);
        Assert.Empty(pending);
    }

    [Fact]
    public void Merge_AMonthOutsideThePeriod_ThrowsNamingIt()
    {
        var period = DateRange.Inclusive(new ReportDate(2024, 1, 1), new ReportDate(2024, 1, 31));

        var error = Assert.Throws<CostSourceException>(
            () => CostAndUsagePage.Merge(period, CostGranularity.Monthly, [ParseMonthly(Month("2024-02-01", "Amazon S3", "\"1\""))], out _));

        Assert.Contains("2024-02-01", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside the requested period", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_OneGroupOfAMonthInTwoCurrencies_ThrowsNamingTheMonth()
    {
        var period = DateRange.Inclusive(new ReportDate(2024, 2, 1), new ReportDate(2024, 2, 29));
        var euros = ParseMonthly(Month("2024-02-01", "Amazon S3", "\"1\"").Replace("USD", "EUR", StringComparison.Ordinal));

        var error = Assert.Throws<CostSourceException>(
            () => CostAndUsagePage.Merge(period, CostGranularity.Monthly, [ParseMonthly(Month("2024-02-01", "Amazon S3", "\"1\"")), euros], out _));

        Assert.Contains("'Amazon S3' in 2024-02 in two currencies", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_APageByAccount_ReadsTheAccountAndTheKeyOfEachGroupAndTheAccountNames()
    {
        var page = ParseByAccount("""
            {
              "GroupDefinitions": [{"Type": "DIMENSION", "Key": "LINKED_ACCOUNT"}, {"Type": "DIMENSION", "Key": "SERVICE"}],
              "ResultsByTime": [
                {"TimePeriod": {"Start": "2024-02-29", "End": "2024-03-01"}, "Total": {},
                 "Groups": [
                   {"Keys": ["111122223333", "Amazon Simple Storage Service"], "Metrics": {"UnblendedCost": {"Amount": "1.2345678901", "Unit": "USD"}}},
                   {"Keys": ["444455556666", "Amazon Simple Storage Service"], "Metrics": {"UnblendedCost": {"Amount": "-0.5", "Unit": "USD"}}}
                 ], "Estimated": true}
              ],
              "DimensionValueAttributes": [
                {"Value": "111122223333", "Attributes": {"description": "payments-prod"}},
                {"Value": "444455556666", "Attributes": {"description": "search / staging"}}
              ]
            }
            """);

        var day = Assert.Single(page.Days);
        Assert.Equal(
            [
                new GroupCost("Amazon Simple Storage Service", 1.2345678901m, "USD") { Account = "111122223333" },
                new GroupCost("Amazon Simple Storage Service", -0.5m, "USD") { Account = "444455556666" },
            ],
            day.Groups);
        Assert.Equal(
            new Dictionary<string, string> { ["111122223333"] = "payments-prod", ["444455556666"] = "search / staging" },
            page.AccountNames);
        Assert.Null(page.NextPageToken);
    }

    [Fact]
    public void Parse_APageNotByAccount_LeavesTheAccountOfEveryGroupUnset()
    {
        var page = Parse(Day("2024-03-01", "Amazon S3", "\"1\""));

        Assert.Null(Assert.Single(page.Days[0].Groups).Account);
        Assert.Empty(page.AccountNames);
    }

    [Fact]
    public void Parse_APlainLinkedAccountPage_ReadsTheAccountNamesToo()
    {
        var page = Parse("""
            {"ResultsByTime": [{"TimePeriod": {"Start": "2024-03-01", "End": "2024-03-02"}, "Groups": [
               {"Keys": ["111122223333"], "Metrics": {"UnblendedCost": {"Amount": "3", "Unit": "USD"}}}], "Estimated": false}],
             "DimensionValueAttributes": [{"Value": "111122223333", "Attributes": {"description": "payments-prod", "status": "ACTIVE"}}]}
            """);

        Assert.Equal(new GroupCost("111122223333", 3m, "USD"), Assert.Single(page.Days[0].Groups));
        Assert.Equal("payments-prod", page.AccountNames["111122223333"]);
    }

    [Theory]
    [InlineData("""["Amazon S3"]""", "group 'Amazon S3' on 2024-03-01 has 1 keys")]
    [InlineData("""["111122223333", "Amazon S3", "eu-west-1"]""", "group '111122223333 / Amazon S3 / eu-west-1' on 2024-03-01 has 3 keys")]
    [InlineData("""["", "Amazon S3"]""", "group ' / Amazon S3' on 2024-03-01 has an empty account key")]
    public void Parse_AGroupOfAPageByAccountWithoutExactlyAnAccountAndAKey_IsRefusedForGoodNamingTheGroup(string keys, string expected)
    {
        var group = "{\"Keys\": " + keys + ", \"Metrics\": {\"UnblendedCost\": {\"Amount\": \"1\", \"Unit\": \"USD\"}}}";
        var json = $$"""{"ResultsByTime": [{"TimePeriod": {"Start": "2024-03-01", "End": "2024-03-02"}, "Groups": [{{group}}], "Estimated": false}]}""";

        var error = Assert.Throws<CostSourceException>(() => ParseByAccount(json));

        Assert.False(error.IsTransient);
        Assert.Contains("cannot be used", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AGroupWithTwoKeysNotByAccount_KeepsJoiningThemIntoOneKey()
    {
        var json = """{"ResultsByTime": [{"TimePeriod": {"Start": "2024-03-01", "End": "2024-03-02"}, "Groups": [{"Keys": ["a", "b"], "Metrics": {"UnblendedCost": {"Amount": "1", "Unit": "USD"}}}], "Estimated": false}]}""";

        var group = Assert.Single(Parse(json).Days[0].Groups);

        Assert.Equal("a / b", group.Key);
        Assert.Null(group.Account);
    }

    [Theory]
    [InlineData("""{"DimensionValueAttributes": {}}""", "DimensionValueAttributes is not an array")]
    [InlineData("""{"DimensionValueAttributes": [1]}""", "an entry of DimensionValueAttributes is not an object")]
    [InlineData("""{"DimensionValueAttributes": [{"Attributes": {"description": "x"}}]}""", "has no Value")]
    [InlineData("""{"DimensionValueAttributes": [{"Value": "111122223333", "Attributes": []}]}""", "the Attributes of '111122223333' in DimensionValueAttributes are not an object")]
    [InlineData("""{"DimensionValueAttributes": [{"Value": "111122223333", "Attributes": {"description": 7}}]}""", "description of the Attributes of '111122223333' is not a string")]
    public void Parse_DimensionValueAttributesOfTheWrongShape_AreRefusedForGood(string json, string expected)
    {
        var error = Assert.Throws<CostSourceException>(() => ParseByAccount(json));

        Assert.False(error.IsTransient);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AnAccountWithoutADescription_IsLeftUnnamed()
    {
        var page = ParseByAccount("""
            {"DimensionValueAttributes": [{"Value": "111122223333", "Attributes": {}}, {"Value": "444455556666"}, {"Value": "777788889999", "Attributes": {"description": "data"}}]}
            """);

        Assert.Equal(["777788889999"], page.AccountNames.Keys);
    }

    [Fact]
    public void MergeAccountNames_OverPages_KeepsEveryPagesNamesAndTheLaterOfTwoForOneAccount()
    {
        var first = ParseByAccount("""{"DimensionValueAttributes": [{"Value": "1", "Attributes": {"description": "one"}}, {"Value": "2", "Attributes": {"description": "two (old)"}}]}""");
        var second = ParseByAccount("""{"DimensionValueAttributes": [{"Value": "2", "Attributes": {"description": "two"}}, {"Value": "3", "Attributes": {"description": "three"}}]}""");
        var third = ParseByAccount("""{"ResultsByTime": []}""");

        var names = CostAndUsagePage.MergeAccountNames([first, second, third]);

        Assert.Equal(new Dictionary<string, string> { ["1"] = "one", ["2"] = "two", ["3"] = "three" }, names);
    }

    [Fact]
    public void Merge_ADayByAccountSplitOverTwoPages_JoinsGroupsByAccountAndKeyNotKeyAlone()
    {
        var period = DateRange.Single(new ReportDate(2024, 2, 29));
        var first = ParseByAccount(DayByAccount(
            "2024-02-29",
            estimated: false,
            ("111122223333", "Amazon S3", "1.10"),
            ("111122223333", "AWS Lambda", "0.40"),
            ("444455556666", "Amazon S3", "2.00")));
        var second = ParseByAccount(DayByAccount(
            "2024-02-29",
            estimated: true,
            ("444455556666", "Amazon S3", "0.25"),
            ("444455556666", "AWS Lambda", "0.05"),
            ("777788889999", "Amazon S3", "9.99")));

        var days = CostAndUsagePage.Merge(period, CostGranularity.Daily, [first, second], out var pending);

        var day = Assert.Single(days);
        Assert.Empty(pending);
        Assert.True(day.Estimated);
        Assert.Equal(
            [
                ("111122223333", "Amazon S3", 1.10m),
                ("111122223333", "AWS Lambda", 0.40m),
                ("444455556666", "Amazon S3", 2.25m),
                ("444455556666", "AWS Lambda", 0.05m),
                ("777788889999", "Amazon S3", 9.99m),
            ],
            day.Groups.Select(g => (g.Account, g.Key, g.Amount)));
    }

    [Fact]
    public void Merge_OneAccountsGroupInTwoCurrencies_ThrowsNamingTheAccount()
    {
        var period = DateRange.Single(new ReportDate(2024, 2, 29));
        var dollars = ParseByAccount(DayByAccount("2024-02-29", false, ("111122223333", "Amazon S3", "1")));
        var euros = ParseByAccount(DayByAccount("2024-02-29", false, ("111122223333", "Amazon S3", "1")).Replace("USD", "EUR", StringComparison.Ordinal));

        var error = Assert.Throws<CostSourceException>(() => CostAndUsagePage.Merge(period, CostGranularity.Daily, [dollars, euros], out _));

        Assert.Contains("'Amazon S3' of account 111122223333 on 2024-02-29 in two currencies", error.Message, StringComparison.Ordinal);
    }

    private static CostAndUsagePage Parse(string json) => CostAndUsagePage.Parse(Encoding.UTF8.GetBytes(json), "UnblendedCost", CostGranularity.Daily);

    private static CostAndUsagePage ParseMonthly(string json) =>
        CostAndUsagePage.Parse(Encoding.UTF8.GetBytes(json), "UnblendedCost", CostGranularity.Monthly);

    private static string Day(string start, string key, string amount, bool estimated = false) =>
        Result(start, ReportDate.Parse(start).AddDays(1).ToString(), key, amount, estimated);

    private static string Month(string start, string key, string amount, bool estimated = false) =>
        Result(start, new ReportDate(ReportDate.Parse(start).Day.AddMonths(1)).ToString(), key, amount, estimated);

    private static string Result(string start, string end, string key, string amount, bool estimated)
    {
        var group = "{\"Keys\": [\"" + key + "\"], \"Metrics\": {\"UnblendedCost\": {\"Amount\": " + amount + ", \"Unit\": \"USD\"}}}";
        return "{\"ResultsByTime\": [{\"TimePeriod\": {\"Start\": \"" + start + "\", \"End\": \"" + end + "\"}, \"Total\": {}, "
            + "\"Groups\": [" + group + "], \"Estimated\": " + (estimated ? "true" : "false") + "}]}";
    }

    private static CostAndUsagePage ParseByAccount(string json) =>
        CostAndUsagePage.Parse(Encoding.UTF8.GetBytes(json), "UnblendedCost", CostGranularity.Daily, byAccount: true);

    private static string DayByAccount(string start, bool estimated, params (string Account, string Key, string Amount)[] groups)
    {
        var written = groups.Select(g =>
            "{\"Keys\": [\"" + g.Account + "\", \"" + g.Key + "\"], \"Metrics\": {\"UnblendedCost\": {\"Amount\": \"" + g.Amount + "\", \"Unit\": \"USD\"}}}");
        return "{\"ResultsByTime\": [{\"TimePeriod\": {\"Start\": \"" + start + "\", \"End\": \"" + ReportDate.Parse(start).AddDays(1) + "\"}, "
            + "\"Groups\": [" + string.Join(", ", written) + "], \"Estimated\": " + (estimated ? "true" : "false") + "}]}";
    }
}
