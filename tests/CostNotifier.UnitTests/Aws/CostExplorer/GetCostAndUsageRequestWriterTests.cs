using System.Text;
using System.Text.Json;
using CostNotifier.Collector.CostExplorer;
using CostNotifier.CostData;
using CostNotifier.Domain;

namespace CostNotifier.UnitTests.Aws.CostExplorer;

public sealed class GetCostAndUsageRequestWriterTests
{
    private static readonly DateRange LeapWindow = DateRange.Inclusive(new ReportDate(2024, 2, 27), new ReportDate(2024, 3, 1));

    [Fact]
    public void Write_ForAPeriod_SendsDailyGranularityAndAnExclusiveEnd()
    {
        var query = new CostQuery(LeapWindow, GroupBy.Service, [], "UnblendedCost");

        using var body = Parse(GetCostAndUsageRequestWriter.Write(query, nextPageToken: null));

        var root = body.RootElement;
        Assert.Equal("2024-02-27", root.GetProperty("TimePeriod").GetProperty("Start").GetString());
        Assert.Equal("2024-03-02", root.GetProperty("TimePeriod").GetProperty("End").GetString());
        Assert.Equal("DAILY", root.GetProperty("Granularity").GetString());
        Assert.Equal(["UnblendedCost"], root.GetProperty("Metrics").EnumerateArray().Select(m => m.GetString()));
        Assert.False(root.TryGetProperty("Filter", out _));
        Assert.False(root.TryGetProperty("NextPageToken", out _));
    }

    [Fact]
    public void Write_ForAMonthlyQuery_SendsMonthlyGranularityAndTheMonthsAsTheTimePeriod()
    {
        var months = DateRange.Inclusive(new ReportDate(2024, 1, 1), new ReportDate(2024, 2, 29));
        var query = new CostQuery(months, GroupBy.Service, [], "UnblendedCost") { Granularity = CostGranularity.Monthly };

        using var body = Parse(GetCostAndUsageRequestWriter.Write(query, nextPageToken: null));

        var root = body.RootElement;
        Assert.Equal("MONTHLY", root.GetProperty("Granularity").GetString());
        Assert.Equal("2024-01-01", root.GetProperty("TimePeriod").GetProperty("Start").GetString());
        Assert.Equal("2024-03-01", root.GetProperty("TimePeriod").GetProperty("End").GetString());
        Assert.Equal("SERVICE", root.GetProperty("GroupBy")[0].GetProperty("Key").GetString());
    }

    [Fact]
    public void Write_ForAQueryWithoutAGranularity_SendsDaily()
    {
        var query = new CostQuery(DateRange.Single(new ReportDate(2024, 2, 29)), GroupBy.Service, [], "UnblendedCost");

        using var body = Parse(GetCostAndUsageRequestWriter.Write(query, null));

        Assert.Equal(CostGranularity.Daily, query.Granularity);
        Assert.Equal("DAILY", body.RootElement.GetProperty("Granularity").GetString());
    }

    [Fact]
    public void Write_ForTheLastDayOfAYear_EndsOnTheFirstDayOfTheNext()
    {
        var query = new CostQuery(DateRange.Single(new ReportDate(2025, 12, 31)), GroupBy.Service, [], "AmortizedCost");

        using var body = Parse(GetCostAndUsageRequestWriter.Write(query, null));

        Assert.Equal("2025-12-31", body.RootElement.GetProperty("TimePeriod").GetProperty("Start").GetString());
        Assert.Equal("2026-01-01", body.RootElement.GetProperty("TimePeriod").GetProperty("End").GetString());
        Assert.Equal("AmortizedCost", body.RootElement.GetProperty("Metrics")[0].GetString());
    }

    [Theory]
    [InlineData("SERVICE", "DIMENSION", "SERVICE")]
    [InlineData("LINKED_ACCOUNT", "DIMENSION", "LINKED_ACCOUNT")]
    [InlineData("TAG:team", "TAG", "team")]
    public void Write_ForAGrouping_SendsOneGroupDefinition(string groupBy, string expectedType, string expectedKey)
    {
        var query = new CostQuery(LeapWindow, GroupBy.Parse(groupBy), [], "UnblendedCost");

        using var body = Parse(GetCostAndUsageRequestWriter.Write(query, null));

        var group = Assert.Single(body.RootElement.GetProperty("GroupBy").EnumerateArray());
        Assert.Equal(expectedType, group.GetProperty("Type").GetString());
        Assert.Equal(expectedKey, group.GetProperty("Key").GetString());
    }

    [Fact]
    public void Write_ForAQueryByAccount_SendsLinkedAccountFirstThenTheQuerysGrouping()
    {
        var query = new CostQuery(LeapWindow, GroupBy.Service, [new FilterClause("REGION", null, ["eu-west-1"])], "UnblendedCost") { ByAccount = true };

        var body = Encoding.UTF8.GetString(GetCostAndUsageRequestWriter.Write(query, "page-2"));

        Assert.Equal(
            """{"TimePeriod":{"Start":"2024-02-27","End":"2024-03-02"},"Granularity":"DAILY","Metrics":["UnblendedCost"],"GroupBy":[{"Type":"DIMENSION","Key":"LINKED_ACCOUNT"},{"Type":"DIMENSION","Key":"SERVICE"}],"Filter":{"Dimensions":{"Key":"REGION","Values":["eu-west-1"]}},"NextPageToken":"page-2"}""",
            body);
    }

    [Fact]
    public void Write_ForAMonthlyQueryByAccountAndTag_SendsLinkedAccountThenTheTag()
    {
        var months = DateRange.Inclusive(new ReportDate(2024, 1, 1), new ReportDate(2024, 2, 29));
        var query = new CostQuery(months, GroupBy.Parse("TAG:team"), [], "AmortizedCost") { Granularity = CostGranularity.Monthly, ByAccount = true };

        var body = Encoding.UTF8.GetString(GetCostAndUsageRequestWriter.Write(query, null));

        Assert.Equal(
            """{"TimePeriod":{"Start":"2024-01-01","End":"2024-03-01"},"Granularity":"MONTHLY","Metrics":["AmortizedCost"],"GroupBy":[{"Type":"DIMENSION","Key":"LINKED_ACCOUNT"},{"Type":"TAG","Key":"team"}]}""",
            body);
    }

    [Fact]
    public void Write_ForAQueryNotByAccount_SendsOnlyItsOwnGrouping()
    {
        var query = new CostQuery(LeapWindow, GroupBy.Service, [], "UnblendedCost") { ByAccount = false };

        var body = Encoding.UTF8.GetString(GetCostAndUsageRequestWriter.Write(query, null));

        Assert.EndsWith("""["UnblendedCost"],"GroupBy":[{"Type":"DIMENSION","Key":"SERVICE"}]}""", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ForAQueryByAccountGroupedByLinkedAccount_IsRefusedForGoodNamingTheProblem()
    {
        var query = new CostQuery(LeapWindow, GroupBy.LinkedAccount, [], "UnblendedCost") { ByAccount = true };

        var error = Assert.Throws<CostSourceException>(() => GetCostAndUsageRequestWriter.Write(query, null));

        Assert.False(error.IsTransient);
        Assert.False(error.IsDataPending);
        Assert.Contains("by account cannot also be grouped by LINKED_ACCOUNT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_WithOneClause_SendsItUnwrappedBecauseCostExplorerRejectsAOneElementAnd()
    {
        var query = new CostQuery(LeapWindow, GroupBy.Service, [new FilterClause("LINKED_ACCOUNT", null, ["111111111111", "222222222222"])], "UnblendedCost");

        using var body = Parse(GetCostAndUsageRequestWriter.Write(query, null));

        var filter = body.RootElement.GetProperty("Filter");
        Assert.False(filter.TryGetProperty("And", out _));
        Assert.Equal("LINKED_ACCOUNT", filter.GetProperty("Dimensions").GetProperty("Key").GetString());
        Assert.Equal(["111111111111", "222222222222"], filter.GetProperty("Dimensions").GetProperty("Values").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public void Write_WithSeveralClausesAndAnExclusion_SendsAnAndWithANot()
    {
        var query = new CostQuery(
            LeapWindow,
            GroupBy.Service,
            [new FilterClause("REGION", null, ["eu-west-1"]), new FilterClause(null, "team", ["payments"], Exclude: true)],
            "UnblendedCost");

        using var body = Parse(GetCostAndUsageRequestWriter.Write(query, null));

        var operands = body.RootElement.GetProperty("Filter").GetProperty("And").EnumerateArray().ToList();
        Assert.Equal(2, operands.Count);
        Assert.Equal("REGION", operands[0].GetProperty("Dimensions").GetProperty("Key").GetString());
        var excluded = operands[1].GetProperty("Not").GetProperty("Tags");
        Assert.Equal("team", excluded.GetProperty("Key").GetString());
        Assert.Equal("payments", excluded.GetProperty("Values")[0].GetString());
    }

    [Fact]
    public void Write_WithAPageToken_SendsItBack()
    {
        var query = new CostQuery(LeapWindow, GroupBy.Service, [], "UnblendedCost");

        using var body = Parse(GetCostAndUsageRequestWriter.Write(query, "token/with+odd=chars"));

        Assert.Equal("token/with+odd=chars", body.RootElement.GetProperty("NextPageToken").GetString());
    }

    [Theory]
    [InlineData("REGION", "team")]
    [InlineData(null, null)]
    public void Write_WithAClauseNamingBothOrNeitherDimensionAndTag_ThrowsNamingTheClause(string? dimension, string? tag)
    {
        var query = new CostQuery(LeapWindow, GroupBy.Service, [new FilterClause(dimension, tag, ["x"])], "UnblendedCost");

        var error = Assert.Throws<CostSourceException>(() => GetCostAndUsageRequestWriter.Write(query, null));

        Assert.False(error.IsTransient);
        Assert.Contains("exactly one of a dimension or a tag", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_WithAClauseWithoutValues_ThrowsNamingTheDimension()
    {
        var query = new CostQuery(LeapWindow, GroupBy.Service, [new FilterClause("REGION", null, [])], "UnblendedCost");

        var error = Assert.Throws<CostSourceException>(() => GetCostAndUsageRequestWriter.Write(query, null));

        Assert.Contains("'REGION'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_WithoutAMetric_Throws()
    {
        var query = new CostQuery(LeapWindow, GroupBy.Service, [], " ");

        var error = Assert.Throws<CostSourceException>(() => GetCostAndUsageRequestWriter.Write(query, null));

        Assert.False(error.IsTransient);
    }

    private static JsonDocument Parse(byte[] body) => JsonDocument.Parse(body);
}
