using CostNotifier.InfrastructureTests.Hcl;
using CostNotifier.InfrastructureTests.Invariants;

namespace CostNotifier.InfrastructureTests;

public sealed class DeclarationInvariantsTests
{
    [Fact]
    public void EveryTerraformFile_ParsesWithHashiCorpsHclParser() =>
        Assert.NotEmpty(TerraformUnderTest.Configuration.Modules["."].Declarations);

    [Fact]
    public void TheConfiguration_HasARootModuleAPipelineModuleAndAMonitoringModule() =>
        Assert.Equal([".", "modules/monitoring", "modules/pipeline"], TerraformUnderTest.Configuration.Modules.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void EveryVariable_HasATypeAndADescription() =>
        Violations.AssertNone(InfrastructureInvariants.VariablesAreTypedAndDocumented(TerraformUnderTest.Configuration));

    [Fact]
    public void EveryOutput_HasADescription() =>
        Violations.AssertNone(InfrastructureInvariants.OutputsAreDescribed(TerraformUnderTest.Configuration));

    [Fact]
    public void EveryResourceName_DerivesFromNamePrefixAndFitsAwsLimitsAtTheLongestPrefix() =>
        Violations.AssertNone(InfrastructureInvariants.NamesDeriveFromNamePrefix(TerraformUnderTest.Stack, TerraformUnderTest.NamePrefix));

    [Fact]
    public void TheExampleTfvars_SetsEveryRequiredRootVariableAndNothingUndeclared()
    {
        var declared = TerraformUnderTest.Configuration.RootModule.OfKind("variable").ToList();
        var required = declared.Where(v => !v.Body.TryGetProperty("default", out _)).Select(v => v.Name);

        Assert.Empty(required.Except(TerraformUnderTest.ExampleInputs.Keys));
        Assert.Empty(TerraformUnderTest.ExampleInputs.Keys.Except(declared.Select(v => v.Name)));
    }

    [Fact]
    public void TheProvider_IsPinnedAndTagsEveryResourceWithApplicationAndStack()
    {
        var root = TerraformUnderTest.Configuration.RootModule;
        var terraform = Assert.Single(root.OfKind("terraform")).Body;
        Assert.StartsWith(">= 1.6", terraform.GetProperty("required_version").GetString(), StringComparison.Ordinal);
        var aws = terraform.GetProperty("required_providers")[0].GetProperty("aws");
        Assert.Equal("hashicorp/aws", aws.GetProperty("source").GetString());
        Assert.StartsWith("~> 6.", aws.GetProperty("version").GetString(), StringComparison.Ordinal);

        var provider = Assert.Single(root.OfKind("provider"), p => p.Name == "aws");
        var tags = TerraformUnderTest.Stack.Root.Evaluate(provider.Body.GetProperty("default_tags")[0].GetProperty("tags")) as HclObject;
        Assert.Equal("CostNotifier", tags?["Application"].Text());
        Assert.Equal(TerraformUnderTest.NamePrefix, tags?["Stack"].Text());
        Assert.Equal("platform-team", tags?["Owner"].Text());

        var children = TerraformUnderTest.Configuration.Modules.Values.Where(m => m.Directory != ".");
        Assert.All(children, m => Assert.Empty(m.OfKind("provider")));
    }
}
