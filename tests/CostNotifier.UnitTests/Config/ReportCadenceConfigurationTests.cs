using CostNotifier.Cli.Composition;
using CostNotifier.Configuration;
using CostNotifier.Domain;

namespace CostNotifier.UnitTests.Config;

public sealed class ReportCadenceConfigurationTests
{
    private static string Report(string id = "costs", string extra = "") =>
        $$"""[{ "id": "{{id}}", "name": "Costs", "recipients": ["ops@example.com"], "groupBy": "SERVICE"{{extra}} }]""";

    private static string Refusal(string json) => Assert.Throws<FormatException>(() => ReportConfiguration.Parse(json)).Message;

    [Theory]
    [InlineData("")]
    [InlineData(""", "cadence": null""")]
    public void Cadence_WhenLeftOut_IsDaily(string extra)
    {
        var report = Assert.Single(ReportConfiguration.Parse(Report(extra: extra)).Reports);

        Assert.Equal(Cadence.Daily, report.Cadence);
    }

    [Theory]
    [InlineData("daily", Cadence.Daily)]
    [InlineData("weekly", Cadence.Weekly)]
    [InlineData("monthly", Cadence.Monthly)]
    public void Cadence_WhenNamed_IsLoaded(string name, Cadence cadence)
    {
        var report = Assert.Single(ReportConfiguration.Parse(Report(extra: $", \"cadence\": \"{name}\"")).Reports);

        Assert.Equal(cadence, report.Cadence);
    }

    [Theory]
    [InlineData("hourly")]
    [InlineData("Weekly")]
    [InlineData("MONTHLY")]
    [InlineData("week")]
    [InlineData(" daily")]
    [InlineData("")]
    public void Cadence_ThatIsNotOneOfTheThree_IsRefusedNamingReportAndField(string name)
    {
        var message = Refusal(Report(id: "by-service", extra: $", \"cadence\": \"{name}\""));

        Assert.Contains($"report 'by-service': cadence '{name}' must be one of daily, weekly, monthly", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cadence_ThatIsNotText_IsRefusedNamingTheField()
    {
        var message = Refusal(Report(extra: """, "cadence": 7"""));

        Assert.Contains("cadence", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cadence_RefusedInOneReport_IsListedWithTheOtherReportsProblems()
    {
        var message = Refusal("""
            [{ "id": "a", "cadence": "fortnightly", "name": "A", "recipients": ["ops@example.com"], "groupBy": "SERVICE" },
             { "id": "b", "cadence": "yearly", "name": "B", "recipients": ["ops@example.com"], "groupBy": "REGION" }]
            """);

        Assert.Contains("report 'a': cadence 'fortnightly' must be one of daily, weekly, monthly", message, StringComparison.Ordinal);
        Assert.Contains("report 'b': groupBy 'REGION'", message, StringComparison.Ordinal);
        Assert.Contains("report 'b': cadence 'yearly' must be one of daily, weekly, monthly", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_KeepsEachReportsCadence_AndLeavesDailyOut()
    {
        var catalog = ReportConfiguration.Parse("""
            [{ "id": "d", "name": "D", "recipients": ["ops@example.com"], "groupBy": "SERVICE" },
             { "id": "explicit-daily", "cadence": "daily", "name": "E", "recipients": ["ops@example.com"], "groupBy": "SERVICE" },
             { "id": "w", "cadence": "weekly", "name": "W", "recipients": ["ops@example.com"], "groupBy": "SERVICE" },
             { "id": "m", "cadence": "monthly", "name": "M", "recipients": ["ops@example.com"], "groupBy": "SERVICE" }]
            """);

        var json = ReportConfiguration.Serialize(catalog);
        var again = ReportConfiguration.Parse(json);

        Assert.Equal(
            [Cadence.Daily, Cadence.Daily, Cadence.Weekly, Cadence.Monthly],
            again.Reports.Select(r => r.Cadence));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(json, "\"cadence\"").Count);
        Assert.Contains("\"cadence\": \"weekly\"", json, StringComparison.Ordinal);
        Assert.Contains("\"cadence\": \"monthly\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void EmbeddedDefault_HasDailyReportsAWeeklyAndAMonthlyDigest_ThatSurviveBeingWrittenOut()
    {
        var defaults = EmbeddedStack.DefaultReports;

        var again = ReportConfiguration.Parse(ReportConfiguration.Serialize(defaults));

        Assert.Equal(Cadence.Weekly, defaults.Get(ReportId.Parse("weekly-by-service")).Cadence);
        Assert.Equal(Cadence.Monthly, defaults.Get(ReportId.Parse("monthly-by-service")).Cadence);
        Assert.Equal(3, defaults.Reports.Count(r => r.Cadence == Cadence.Daily));
        Assert.Equal(defaults.Reports.Select(r => (r.Id, r.Cadence)), again.Reports.Select(r => (r.Id, r.Cadence)));
    }

    [Theory]
    [InlineData("daily", Cadence.Daily)]
    [InlineData("weekly", Cadence.Weekly)]
    [InlineData("monthly", Cadence.Monthly)]
    public void Cadences_ParseTheirOwnWireName(string name, Cadence cadence)
    {
        Assert.Equal(cadence, Cadences.Parse(name));
        Assert.Equal(name, cadence.ToWireName());
    }

    [Fact]
    public void Cadences_ParseOfNothing_ThrowsListingTheChoices()
    {
        var error = Assert.Throws<FormatException>(() => Cadences.Parse(null));

        Assert.Equal("'' must be one of daily, weekly, monthly", error.Message);
    }
}
