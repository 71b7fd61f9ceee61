using System.Globalization;
using CostNotifier.Configuration;
using CostNotifier.Domain;

namespace CostNotifier.UnitTests.Domain;

public sealed class DomainValueTests
{
    [Theory]
    [InlineData("daily")]
    [InlineData("by-account-2")]
    [InlineData("a")]
    public void ReportId_WhenWellFormed_Parses(string text) => Assert.Equal(text, ReportId.Parse(text).Value);

    [Theory]
    [InlineData("Daily")]
    [InlineData("-daily")]
    [InlineData("daily#1")]
    [InlineData("da ily")]
    [InlineData("")]
    [InlineData("x123456789012345678901234567890123456789012345678901234567890123")]
    public void ReportId_WhenMalformed_ThrowsNamingTheRule(string text)
    {
        var error = Assert.Throws<FormatException>(() => ReportId.Parse(text));

        Assert.Contains("lowercase", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SERVICE", GroupingKind.Service, null)]
    [InlineData("LINKED_ACCOUNT", GroupingKind.LinkedAccount, null)]
    [InlineData("TAG:team", GroupingKind.Tag, "team")]
    [InlineData("TAG:cost center", GroupingKind.Tag, "cost center")]
    public void GroupBy_Parses_AndPrintsBack(string text, GroupingKind kind, string? tag)
    {
        var groupBy = GroupBy.Parse(text);

        Assert.Equal(kind, groupBy.Kind);
        Assert.Equal(tag, groupBy.TagKey);
        Assert.Equal(text, groupBy.ToString());
    }

    [Theory]
    [InlineData("service")]
    [InlineData("TAG:")]
    [InlineData("REGION")]
    public void GroupBy_WhenUnknown_Throws(string text) => Assert.Throws<FormatException>(() => GroupBy.Parse(text));

    [Theory]
    [InlineData("0.005", "0.01")]
    [InlineData("-0.005", "-0.01")]
    [InlineData("1.004999", "1.00")]
    [InlineData("1234.565", "1234.57")]
    public void RoundToCents_RoundsHalfAwayFromZero(string amount, string expected)
    {
        var value = decimal.Parse(amount, CultureInfo.InvariantCulture);

        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), Money.RoundToCents(value));
    }

    [Theory]
    [InlineData("ops@example.com", true)]
    [InlineData("first.last+cost@sub.example.org", true)]
    [InlineData("Ops <ops@example.com>", false)]
    [InlineData("ops@example.com\r\nBcc: evil@example.com", false)]
    [InlineData("ops@localhost", false)]
    [InlineData("not-an-address", false)]
    [InlineData("a@b.com, c@d.com", false)]
    public void IsValidEmailAddress_AcceptsOnlyOnePlainAddress(string address, bool valid) =>
        Assert.Equal(valid, ReportConfiguration.IsValidEmailAddress(address));

    [Fact]
    public void ReportConfiguration_WhenValid_BuildsTheCatalog()
    {
        const string json = """
            [{ "id": "daily", "name": "Daily", "recipients": ["ops@example.com"], "groupBy": "TAG:team", "top": 5,
               "filter": [{ "dimension": "LINKED_ACCOUNT", "values": ["111122223333"] }, { "tag": "env", "values": ["dev"], "exclude": true }] }]
            """;

        var catalog = ReportConfiguration.Parse(json);

        var report = Assert.Single(catalog.Reports);
        Assert.Equal("daily", report.Id.Value);
        Assert.Equal(GroupingKind.Tag, report.GroupBy.Kind);
        Assert.Equal(5, report.Top);
        Assert.Equal(2, report.Filter.Count);
        Assert.True(report.Filter[1].Exclude);
    }

    [Fact]
    public void ReportConfiguration_WhenInvalid_ListsEveryProblem()
    {
        const string json = """
            [{ "id": "Bad Id", "recipients": [], "groupBy": "REGION" },
             { "id": "ok", "recipients": ["x@example.com", "bad\r\naddress"], "groupBy": "SERVICE", "top": 0 },
             { "id": "dup", "recipients": ["x@example.com"], "groupBy": "SERVICE" },
             { "id": "dup", "recipients": ["x@example.com"], "groupBy": "SERVICE" }]
            """;

        var error = Assert.Throws<FormatException>(() => ReportConfiguration.Parse(json));

        Assert.Contains("reports[0].id 'Bad Id'", error.Message, StringComparison.Ordinal);
        Assert.Contains("groupBy 'REGION'", error.Message, StringComparison.Ordinal);
        Assert.Contains("recipients must list 1 to 50", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not a valid email address", error.Message, StringComparison.Ordinal);
        Assert.Contains("top 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("'dup' is configured 2 times", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportConfiguration_WhenUnknownField_Refuses()
    {
        var error = Assert.Throws<FormatException>(() => ReportConfiguration.Parse("""[{ "id": "a", "recipient": "x@example.com", "groupBy": "SERVICE" }]"""));

        Assert.Contains("recipient", error.Message, StringComparison.Ordinal);
    }
}
