using System.Globalization;
using CostNotifier.Aws.Hosting;
using CostNotifier.Configuration;
using CostNotifier.Domain;

namespace CostNotifier.UnitTests.Config;

public sealed class ReportConfigurationTests
{
    public static TheoryData<string> FilterableDimensions => [.. CostExplorerDimensions.Filterable];

    private static string Report(string id = "costs", string filter = "[]", string recipients = """["ops@example.com"]""", string extra = "") =>
        $$"""[{ "id": "{{id}}", "name": "Costs", "recipients": {{recipients}}, "groupBy": "SERVICE", "filter": {{filter}}{{extra}} }]""";

    private static string Refusal(string json) => Assert.Throws<FormatException>(() => ReportConfiguration.Parse(json)).Message;

    [Theory]
    [MemberData(nameof(FilterableDimensions))]
    public void FilterDimension_AnyCostExplorerFilterDimension_IsAccepted(string dimension)
    {
        var catalog = ReportConfiguration.Parse(Report(filter: $$"""[{ "dimension": "{{dimension}}", "values": ["x"] }]"""));

        Assert.Equal(dimension, Assert.Single(Assert.Single(catalog.Reports).Filter).Dimension);
    }

    [Fact]
    public void FilterDimension_InLowerCase_IsRefusedWithTheExactSpelling()
    {
        var message = Refusal(Report(id: "by-region", filter: """[{ "dimension": "region", "values": ["eu-west-1"] }]"""));

        Assert.Contains("report 'by-region': filter[0].dimension 'region' is not a Cost Explorer dimension; did you mean REGION?", message, StringComparison.Ordinal);
    }

    [Fact]
    public void FilterDimension_Unknown_IsRefusedListingTheValidOnes()
    {
        var message = Refusal(Report(filter: """[{ "tag": "env", "values": ["prod"] }, { "dimension": "ACCOUNT", "values": ["111122223333"] }]"""));

        Assert.Contains(
            "report 'costs': filter[1].dimension 'ACCOUNT' is not a Cost Explorer dimension; use one of AZ, INSTANCE_TYPE, LINKED_ACCOUNT, PAYER_ACCOUNT, OPERATION,",
            message,
            StringComparison.Ordinal);
        Assert.DoesNotContain("LINKED_ACCOUNT_NAME", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LINKED_ACCOUNT_NAME", "for cost category rules only")]
    [InlineData("SERVICE_CODE", "for cost category rules only")]
    [InlineData("ANOMALY_TOTAL_IMPACT_ABSOLUTE", "for anomaly subscriptions only")]
    [InlineData("service_code", "SERVICE_CODE is for cost category rules only")]
    public void FilterDimension_ReservedForOtherOperations_IsRefused(string dimension, string reason)
    {
        var message = Refusal(Report(filter: $$"""[{ "dimension": "{{dimension}}", "values": ["x"] }]"""));

        Assert.Contains($"report 'costs': filter[0].dimension '{dimension}' ", message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.Ordinal);
    }

    [Fact]
    public void FilterDimension_List_IsCostExplorersEnumWithoutTheValuesReservedElsewhere()
    {
        Assert.Equal(35, CostExplorerDimensions.All.Count);
        Assert.Equal(CostExplorerDimensions.All.Count, CostExplorerDimensions.All.Distinct(StringComparer.Ordinal).Count());
        Assert.All(CostExplorerDimensions.All, d => Assert.Matches("^[A-Z]+(_[A-Z]+)*$", d));
        Assert.Subset(CostExplorerDimensions.All.ToHashSet(StringComparer.Ordinal), CostExplorerDimensions.UsableOnlyElsewhere.Keys.ToHashSet(StringComparer.Ordinal));
        Assert.Equal(CostExplorerDimensions.All.Count - 4, CostExplorerDimensions.Filterable.Count);
        Assert.Contains("RECORD_TYPE", CostExplorerDimensions.Filterable);
    }

    [Fact]
    public void FilterClause_WithNeitherDimensionNorTag_NamesItsPosition()
    {
        var message = Refusal(Report(filter: """[{ "tag": "env", "values": ["prod"] }, { "values": ["x"] }]"""));

        Assert.Contains("report 'costs': filter[1] must name exactly one of dimension or tag", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recipient_WithANonAsciiLocalPart_IsRefusedNamingReportAndField()
    {
        var message = Refusal(Report(recipients: """["ops@example.com", "zoë@example.com"]"""));

        Assert.Contains("report 'costs': recipients[1] 'zoë@example.com' has a non-ASCII local part 'zoë'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("finance@bücher.example", "'finance@xn--bcher-kva.example'")]
    [InlineData("finance@BÜCHER.example", "'finance@xn--bcher-kva.example'")]
    [InlineData("finance@münchen.de", "'finance@xn--mnchen-3ya.de'")]
    [InlineData("finance@bu\u0308cher.example", "(xn--...)")]
    [InlineData("finance@ｂücher.example", "(xn--...)")]
    public void Recipient_WithANonAsciiDomain_IsRefusedWithItsPunycodeFormWhenThatIsCertain(string address, string hint)
    {
        var message = Refusal(Report(recipients: $$"""["{{address}}"]"""));

        Assert.Contains($"report 'costs': recipients[0] '{address}' has a non-ASCII domain", message, StringComparison.Ordinal);
        Assert.Contains(hint, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("finance@xn--bcher-kva.example", true)]
    [InlineData("o'brien+costs@example.co.uk", true)]
    [InlineData("a..b@example.com", false)]
    [InlineData(".a@example.com", false)]
    [InlineData("\"ops\"@example.com", false)]
    [InlineData("ops@-example.com", false)]
    [InlineData("ops@exa_mple.com", false)]
    [InlineData("ops@[192.0.2.1]", false)]
    [InlineData("zoë@example.com", false)]
    public void IsValidEmailAddress_TakesWhatSesTakes(string address, bool valid) =>
        Assert.Equal(valid, ReportConfiguration.IsValidEmailAddress(address));

    [Theory]
    [InlineData("zoë@example.com", "COSTNOTIFIER_SENDER_ADDRESS 'zoë@example.com' has a non-ASCII local part 'zoë'")]
    [InlineData("costs@bücher.example", "COSTNOTIFIER_SENDER_ADDRESS 'costs@bücher.example' has a non-ASCII domain 'bücher.example'")]
    public void SenderAddress_OutsideAscii_IsRefusedWhenTheFunctionReadsIt(string address, string expected)
    {
        var settings = FunctionSettings.From(new Dictionary<string, string?> { ["COSTNOTIFIER_SENDER_ADDRESS"] = address });

        var error = Assert.Throws<InvalidOperationException>(() => settings.SenderAddress);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BudgetAndAnomalies_WhenGiven_AreLoaded()
    {
        var catalog = ReportConfiguration.Parse(Report(extra: """, "monthlyBudget": 8000.50, "anomalies": { "minimumImpact": 25, "minimumRelativeImpact": 0.5 }"""));

        var report = Assert.Single(catalog.Reports);
        Assert.Equal(8000.50m, report.MonthlyBudget);
        Assert.Equal(new AnomalyThresholds(25m, 0.5m), report.Anomalies);
    }

    [Fact]
    public void BudgetAndAnomalies_WhenLeftOut_AreNoBudgetAndTheDefaultThresholds()
    {
        var report = Assert.Single(ReportConfiguration.Parse(Report(extra: """, "monthlyBudget": null, "anomalies": null""")).Reports);

        Assert.Null(report.MonthlyBudget);
        Assert.Equal(AnomalyThresholds.Default, report.Anomalies);
    }

    [Theory]
    [InlineData("""{ "minimumImpact": 0 }""", "0", "0.25")]
    [InlineData("""{ "minimumRelativeImpact": 10 }""", "10", "10")]
    [InlineData("""{ "minimumImpact": null, "minimumRelativeImpact": 0 }""", "10", "0")]
    [InlineData("{}", "10", "0.25")]
    public void Anomalies_ThatLeaveOutAValue_TakeItsDefault(string anomalies, string minimumImpact, string minimumRelativeImpact)
    {
        var report = Assert.Single(ReportConfiguration.Parse(Report(extra: $", \"anomalies\": {anomalies}")).Reports);

        Assert.Equal(decimal.Parse(minimumImpact, CultureInfo.InvariantCulture), report.Anomalies.MinimumImpact);
        Assert.Equal(decimal.Parse(minimumRelativeImpact, CultureInfo.InvariantCulture), report.Anomalies.MinimumRelativeImpact);
    }

    [Theory]
    [InlineData("""
        "monthlyBudget": 0
        """, "report 'costs': monthlyBudget 0 must be greater than 0")]
    [InlineData("""
        "monthlyBudget": -120.5
        """, "report 'costs': monthlyBudget -120.5 must be greater than 0")]
    [InlineData("""
        "anomalies": { "minimumImpact": -1 }
        """, "report 'costs': anomalies.minimumImpact -1 must be 0 or more")]
    [InlineData("""
        "anomalies": { "minimumRelativeImpact": 25 }
        """, "report 'costs': anomalies.minimumRelativeImpact 25 must be between 0 and 10")]
    [InlineData("""
        "anomalies": { "minimumRelativeImpact": -0.1 }
        """, "report 'costs': anomalies.minimumRelativeImpact -0.1 must be between 0 and 10")]
    [InlineData("""
        "monthlyBudget": "8000"
        """, "monthlyBudget")]
    [InlineData("""
        "anomalies": { "minimumImpactUsd": 5 }
        """, "minimumImpactUsd")]
    public void BudgetAndAnomalies_OutOfRange_AreRefusedNamingReportAndField(string field, string expected) =>
        Assert.Contains(expected, Refusal(Report(extra: ", " + field.Trim())), StringComparison.Ordinal);

    [Fact]
    public void Serialize_KeepsBudgetAndChangedThresholds_AndLeavesDefaultsOut()
    {
        var catalog = ReportConfiguration.Parse("""
            [{ "id": "a", "name": "A", "recipients": ["ops@example.com"], "groupBy": "SERVICE", "monthlyBudget": 8000, "anomalies": { "minimumImpact": 50 } },
             { "id": "b", "name": "B", "recipients": ["ops@example.com"], "groupBy": "SERVICE", "anomalies": { "minimumImpact": 10, "minimumRelativeImpact": 0.25 } }]
            """);

        var json = ReportConfiguration.Serialize(catalog);
        var again = ReportConfiguration.Parse(json);

        Assert.Equal(catalog.Reports, again.Reports, (x, y) => x.MonthlyBudget == y.MonthlyBudget && x.Anomalies == y.Anomalies);
        Assert.Equal(new AnomalyThresholds(50m, 0.25m), again.Reports[0].Anomalies);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(json, "\"anomalies\""));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(json, "\"monthlyBudget\""));
    }
}

