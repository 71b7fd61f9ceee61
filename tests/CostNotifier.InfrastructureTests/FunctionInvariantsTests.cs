using System.Reflection;
using CostNotifier.Configuration;
using CostNotifier.InfrastructureTests.Hcl;
using CostNotifier.InfrastructureTests.Invariants;
using CostNotifier.InfrastructureTests.Terraform;

namespace CostNotifier.InfrastructureTests;

public sealed class FunctionInvariantsTests
{
    private static ResourceInstance Function(string name) =>
        TerraformUnderTest.Stack.Resources("aws_lambda_function").SingleOrDefault(f => f.Name == name)
        ?? throw new InvalidOperationException($"terraform declares no aws_lambda_function \"{name}\".");

    [Fact]
    public void EveryFunction_HasALogGroupWithRetention() =>
        Violations.AssertNone(InfrastructureInvariants.FunctionsHaveLogGroupsWithRetention(TerraformUnderTest.Stack));

    [Fact]
    public void ThePipeline_HasExactlyTheSchedulerCollectorAndNotifierFunctions() =>
        Assert.Equal(["collector", "notifier", "scheduler"], TerraformUnderTest.Stack.Resources("aws_lambda_function").Select(f => f.Name).Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("scheduler")]
    [InlineData("collector")]
    [InlineData("notifier")]
    public void EveryFunction_RunsItsPackagedArtifactOnDotnet10(string name)
    {
        var function = Function(name).Body;

        Assert.Equal("dotnet10", function["runtime"].Text());
        Assert.Equal(["x86_64"], function["architectures"].Texts());
        Assert.EndsWith($"/../artifacts/{name}.zip", function["filename"].Text(), StringComparison.Ordinal);
        Assert.StartsWith("filebase64sha256(", function["source_code_hash"].Display(), StringComparison.Ordinal);
        Assert.Equal(256m, function["memory_size"].Number());
    }

    /// <summary>
    /// The managed .NET runtime loads <c>Assembly::Namespace.Type::Method</c>, creates the type with its public
    /// parameterless constructor (unless the method is static) and passes the raw event stream. A typo here
    /// deploys fine and fails on the first invocation, so resolve it now against the built assemblies.
    /// </summary>
    [Theory]
    [InlineData("scheduler")]
    [InlineData("collector")]
    [InlineData("notifier")]
    public void EveryFunctionHandler_ResolvesToAPublicStreamMethodInTheBuiltAssembly(string name)
    {
        var handler = Function(name).Body["handler"].Text();
        var parts = handler?.Split("::") ?? [];
        Assert.True(parts.Length == 3, $"handler '{handler}' is not Assembly::Namespace.Type::Method.");
        var (assemblyName, typeName, methodName) = (parts[0], parts[1], parts[2]);

        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(assemblyName));
        }
        catch (FileNotFoundException e)
        {
            throw new Xunit.Sdk.XunitException($"handler '{handler}': assembly {assemblyName} is not in the test output: {e.Message}");
        }

        var type = assembly.GetType(typeName, throwOnError: false);
        Assert.True(type is not null, $"handler '{handler}': {assemblyName} has no type {typeName}.");
        Assert.True(type.IsPublic && type.IsClass && !type.IsAbstract && !type.ContainsGenericParameters,
            $"handler '{handler}': {typeName} must be a public, non-abstract, non-generic class.");

        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Where(m => m.Name == methodName).ToList();
        Assert.True(methods.Count == 1, $"handler '{handler}': {typeName} has {methods.Count} public methods named {methodName}; Lambda needs exactly one.");
        var method = methods[0];
        Assert.True(method.IsStatic || type.GetConstructor(Type.EmptyTypes) is { IsPublic: true },
            $"handler '{handler}': {typeName} needs a public parameterless constructor, which Lambda uses to create it.");

        var parameters = method.GetParameters();
        Assert.True(parameters.Length >= 1 && parameters[0].ParameterType == typeof(Stream),
            $"handler '{handler}': the first parameter must be System.IO.Stream (the raw event).");
        Assert.True(parameters.Length == 1 || (parameters.Length == 2 && parameters[1].ParameterType.FullName == "Amazon.Lambda.Core.ILambdaContext"),
            $"handler '{handler}': Lambda passes only (Stream) or (Stream, ILambdaContext); found ({string.Join(", ", parameters.Select(p => p.ParameterType.Name))}).");
        Assert.True(method.ReturnType == typeof(Task<Stream>), $"handler '{handler}': must return Task<Stream>, returns {method.ReturnType}.");
    }

    [Fact]
    public void EveryFunction_ReceivesExactlyTheEnvironmentItsCodeReads()
    {
        string[] common = ["AWS_LAMBDA_HANDLER_LOG_FORMAT", "COSTNOTIFIER_LOG_LEVEL", "COSTNOTIFIER_REPORTS", "COSTNOTIFIER_STACK"];
        var expected = new Dictionary<string, string[]>
        {
            ["scheduler"] = [.. common, "COSTNOTIFIER_COLLECTOR_QUEUE_URL"],
            ["collector"] = [.. common, "COSTNOTIFIER_CLAIM_SECONDS", "COSTNOTIFIER_COLLECTOR_DLQ_URL", "COSTNOTIFIER_COST_METRIC", "COSTNOTIFIER_EVENTS_TABLE", "COSTNOTIFIER_NOTIFIER_QUEUE_URL"],
            ["notifier"] = [.. common, "COSTNOTIFIER_CLAIM_SECONDS", "COSTNOTIFIER_EVENTS_TABLE", "COSTNOTIFIER_NOTIFIER_DLQ_URL", "COSTNOTIFIER_SENDER_ADDRESS", "COSTNOTIFIER_SES_CONFIGURATION_SET"],
        };

        foreach (var (name, variables) in expected)
        {
            var environment = Function(name).Body.Block("environment")?["variables"] as HclObject;
            Assert.True(environment is not null, $"aws_lambda_function.{name} has no environment variables.");
            Assert.Equal(variables.Order(StringComparer.Ordinal), environment.Fields.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(TerraformUnderTest.NamePrefix, environment["COSTNOTIFIER_STACK"].Text());
        }

        Assert.Equal("UnblendedCost", (Function("collector").Body.Block("environment")?["variables"] as HclObject)?["COSTNOTIFIER_COST_METRIC"].Text());
    }

    /// <summary>
    /// A claim outlives any live invocation (twice the timeout) and dies before the queue redelivers (six times).
    /// </summary>
    [Fact]
    public void EveryConsumer_ClaimOutlivesItsInvocationAndExpiresBeforeRedelivery()
    {
        foreach (var name in new[] { "collector", "notifier" })
        {
            var function = Function(name).Body;
            var timeout = function["timeout"].Number();
            var claim = (function.Block("environment")?["variables"] as HclObject)?["COSTNOTIFIER_CLAIM_SECONDS"].Number();
            Assert.True(claim > timeout, $"{name}: claim {claim} s must outlive the {timeout} s timeout.");
            Assert.True(claim < 6 * timeout, $"{name}: claim {claim} s must expire before the 6 × {timeout} s visibility timeout.");
        }
    }

    /// <summary>
    /// The functions' stdout lines are already JSON (logs) or EMF (metrics): the runtime must pass them through
    /// unchanged, or CloudWatch cannot extract the metrics the alarms watch.
    /// </summary>
    [Fact]
    public void EveryFunction_WritesItsLogLinesUnformattedSoEmbeddedMetricsSurvive()
    {
        foreach (var name in new[] { "scheduler", "collector", "notifier" })
        {
            var function = Function(name).Body;
            var environment = function.Block("environment")?["variables"] as HclObject;
            Assert.Equal("Unformatted", environment?["AWS_LAMBDA_HANDLER_LOG_FORMAT"].Text());
            Assert.Equal("Text", function.Block("logging_config")?["log_format"].Text());
        }
    }

    /// <summary>Terraform writes the reports as JSON; the functions read them with Shared's parser. Both sides must agree.</summary>
    [Fact]
    public void ReportsEnvironmentVariable_IsReadByTheFunctionsReportParser()
    {
        var json = (Function("collector").Body.Block("environment")?["variables"] as HclObject)?["COSTNOTIFIER_REPORTS"].Text();
        Assert.NotNull(json);

        var catalog = ReportConfiguration.Parse(json);

        var expected = TerraformUnderTest.ExampleInputs["reports"].Items().Cast<HclObject>().ToList();
        Assert.Equal(expected.Select(r => r["id"].Text()), catalog.Reports.Select(r => r.Id.Value));
        Assert.Equal(expected.Select(r => r["recipients"].Texts().ToList()), catalog.Reports.Select(r => r.Recipients.ToList()));
        Assert.Equal(expected.Select(r => r["group_by"].Text()), catalog.Reports.Select(r => r.GroupBy.ToString()));
        Assert.Equal(expected.Select(r => r["top"].Number() ?? 10m), catalog.Reports.Select(r => (decimal)r.Top));
        Assert.Contains(catalog.Reports, r => r.Filter.Any(f => f.Exclude && f.Dimension == "RECORD_TYPE"));
    }
}
