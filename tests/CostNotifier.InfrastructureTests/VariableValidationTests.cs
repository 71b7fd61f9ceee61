using CostNotifier.Configuration;
using CostNotifier.InfrastructureTests.Hcl;
using CostNotifier.InfrastructureTests.Invariants;
using CostNotifier.InfrastructureTests.Terraform;

namespace CostNotifier.InfrastructureTests;

/// <summary>
/// terraform/variables.tf refuses what the functions would refuse at start (or what AWS would refuse every day), so
/// a bad value stops <c>terraform plan</c> instead of deploying a stack that fails on its first run.
/// </summary>
public sealed class VariableValidationTests
{
    public static TheoryData<string> FilterableDimensions => [.. CostExplorerDimensions.Filterable];

    /// <summary>The example's reports with one report written as JSON in place of the first.</summary>
    private static HclValue ReportsWith(string reportJson) =>
        new HclList([VariableValidation.FromJson(reportJson), .. TerraformUnderTest.ExampleInputs["reports"].Items().Skip(1)]);

    private static HclValue ReportFilteredBy(string dimension) => ReportsWith($$"""
        { "id": "by-service", "name": "Costs", "recipients": ["ops@example.com"], "group_by": "SERVICE",
          "filter": [{ "tag": "env", "values": ["prod"] }, { "dimension": "{{dimension}}", "values": ["x"] }] }
        """);

    [Fact]
    public void TheExampleInputs_PassEveryValidation()
    {
        foreach (var (name, value) in TerraformUnderTest.ExampleInputs)
        {
            Assert.Empty(VariableValidation.Failures(name, value));
        }
    }

    [Theory]
    [MemberData(nameof(FilterableDimensions))]
    public void Reports_AcceptEveryDimensionTheFunctionsAccept(string dimension) =>
        Assert.Empty(VariableValidation.Failures("reports", ReportFilteredBy(dimension)));

    [Theory]
    [InlineData("region")]
    [InlineData("ACCOUNT")]
    [InlineData("")]
    [InlineData("LINKED_ACCOUNT_NAME")]
    [InlineData("SERVICE_CODE")]
    [InlineData("ANOMALY_TOTAL_IMPACT_PERCENTAGE")]
    public void Reports_RefuseADimensionCostExplorerCannotFilterBy(string dimension)
    {
        Assert.NotNull(CostExplorerDimensions.FilterProblem(dimension));

        var failure = Assert.Single(VariableValidation.Failures("reports", ReportFilteredBy(dimension)));
        Assert.Contains("Cost Explorer dimension in upper case", failure, StringComparison.Ordinal);
    }
}
