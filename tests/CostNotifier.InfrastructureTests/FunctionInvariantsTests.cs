using System.Reflection;
using CostNotifier.Aws.Hosting;
using CostNotifier.Configuration;
using CostNotifier.Domain;
using CostNotifier.InfrastructureTests.Hcl;
using CostNotifier.InfrastructureTests.Invariants;
using CostNotifier.InfrastructureTests.Terraform;

namespace CostNotifier.InfrastructureTests;

public sealed class FunctionInvariantsTests
{
    public static readonly TheoryData<string, string> PackageLayouts = new()
    {
        { "ready-to-run", "x86_64" },
        { "ready-to-run", "arm64" },
        { "native-aot", "x86_64" },
        { "native-aot", "arm64" },
    };

    private static readonly string[] FunctionNames = ["scheduler", "collector", "notifier"];

    private static ResourceInstance Function(string name) => Function(TerraformUnderTest.Stack, name);

    private static ResourceInstance Function(TerraformStack stack, string name) =>
        stack.Resources("aws_lambda_function").SingleOrDefault(f => f.Name == name)
        ?? throw new InvalidOperationException($"terraform declares no aws_lambda_function \"{name}\".");

    private static TerraformStack StackFor(string packageKind, string architecture) =>
        TerraformUnderTest.StackWith(new Dictionary<string, HclValue>
        {
            ["package_kind"] = new HclString(packageKind),
            ["architecture"] = new HclString(architecture),
        });

    [Fact]
    public void EveryFunction_HasALogGroupWithRetention() =>
        Violations.AssertNone(InfrastructureInvariants.FunctionsHaveLogGroupsWithRetention(TerraformUnderTest.Stack));

    [Fact]
    public void ThePipeline_HasExactlyTheSchedulerCollectorAndNotifierFunctions() =>
        Assert.Equal(["collector", "notifier", "scheduler"], TerraformUnderTest.Stack.Resources("aws_lambda_function").Select(f => f.Name).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(PackageLayouts))]
    public void EveryFunction_StartsTheWayItsPackageKindRuns(string packageKind, string architecture) =>
        Violations.AssertNone(InfrastructureInvariants.FunctionsStartTheWayTheirPackageRuns(StackFor(packageKind, architecture)));

    /// <summary><c>./build.sh package [--aot] [--arch A]</c> writes <c>artifacts/&lt;kind&gt;/&lt;architecture&gt;/&lt;fn&gt;.zip</c>; Terraform must read that file.</summary>
    [Theory]
    [MemberData(nameof(PackageLayouts))]
    public void EveryFunction_DeploysThePackageBuildShWritesForItsKindAndArchitecture(string packageKind, string architecture)
    {
        var stack = StackFor(packageKind, architecture);

        foreach (var name in FunctionNames)
        {
            var function = Function(stack, name).Body;
            var filename = function["filename"].Text();
            Assert.EndsWith($"/../artifacts/{packageKind}/{architecture}/{name}.zip", filename, StringComparison.Ordinal);
            Assert.Equal([architecture], function["architectures"].Texts());
            Assert.Equal($"filebase64sha256({filename})", function["source_code_hash"].Display());
            // The collector holds a message's shared answer (a per-account report's has a group per account, service
            // and day) and has its own, larger default.
            Assert.Equal(name == "collector" ? 512m : 256m, function["memory_size"].Number());
        }
    }

    [Fact]
    public void EveryFunction_ByDefault_IsAReadyToRunX8664PackageOnDotnet10()
    {
        var inputs = TerraformUnderTest.ExampleInputs.Where(i => i.Key is not ("package_kind" or "architecture")).ToDictionary();
        inputs["name_prefix"] = new HclString(TerraformUnderTest.NamePrefix);
        var defaults = new TerraformStack(TerraformUnderTest.Configuration, inputs);

        foreach (var name in FunctionNames)
        {
            var function = Function(defaults, name).Body;
            Assert.Equal("dotnet10", function["runtime"].Text());
            Assert.Equal(["x86_64"], function["architectures"].Texts());
            Assert.EndsWith($"/../artifacts/ready-to-run/x86_64/{name}.zip", function["filename"].Text(), StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The dotnet10 runtime runs <c>dotnet exec /var/task/&lt;handler&gt;.dll</c>: the handler is the assembly name of
    /// the function's own project, without <c>::</c>.
    /// </summary>
    [Theory]
    [InlineData("scheduler", "CostNotifier.Scheduler")]
    [InlineData("collector", "CostNotifier.Collector")]
    [InlineData("notifier", "CostNotifier.Notifier")]
    public void EveryReadyToRunFunction_IsStartedOnDotnet10ByItsOwnAssemblyName(string name, string assemblyName)
    {
        var function = Function(StackFor("ready-to-run", "x86_64"), name).Body;

        Assert.Equal("dotnet10", function["runtime"].Text());
        Assert.Equal(assemblyName, function["handler"].Text());
    }

    /// <summary>
    /// A ready-to-run handler names an assembly that must be an executable: its <c>Main</c> runs the Lambda Runtime
    /// API loop. A class library deploys fine and fails on its first invocation, so load the built assembly now.
    /// </summary>
    [Theory]
    [InlineData("scheduler")]
    [InlineData("collector")]
    [InlineData("notifier")]
    public void EveryReadyToRunHandler_NamesAnExecutableAssemblyWithAnEntryPoint(string name)
    {
        var handler = Function(StackFor("ready-to-run", "x86_64"), name).Body["handler"].Text();
        Assert.False(string.IsNullOrEmpty(handler) || handler.Contains("::", StringComparison.Ordinal), $"handler '{handler}' is not an assembly name.");

        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(handler));
        }
        catch (FileNotFoundException e)
        {
            throw new Xunit.Sdk.XunitException($"handler '{handler}': assembly {handler} is not in the test output (is its project referenced?): {e.Message}");
        }

        Assert.True(assembly.EntryPoint is not null,
            $"handler '{handler}': {assembly.GetName().Name} has no entry point; the function project must build an executable (OutputType Exe) whose Main runs the Lambda Runtime API loop.");
    }

    [Theory]
    [InlineData("scheduler")]
    [InlineData("collector")]
    [InlineData("notifier")]
    public void EveryNativeAotFunction_RunsItsBootstrapExecutableOnProvidedAl2023(string name)
    {
        var function = Function(StackFor("native-aot", "arm64"), name).Body;

        Assert.Equal("provided.al2023", function["runtime"].Text());
        Assert.Equal("bootstrap", function["handler"].Text());
    }

    /// <summary>The root module and the pipeline module both refuse a package layout build.sh does not write.</summary>
    [Theory]
    [InlineData("package_kind", "ready-to-run", true)]
    [InlineData("package_kind", "native-aot", true)]
    [InlineData("package_kind", "native_aot", false)]
    [InlineData("package_kind", "ReadyToRun", false)]
    [InlineData("package_kind", "", false)]
    [InlineData("architecture", "x86_64", true)]
    [InlineData("architecture", "arm64", true)]
    [InlineData("architecture", "x86-64", false)]
    [InlineData("architecture", "aarch64", false)]
    public void PackageVariables_AcceptExactlyTheLayoutsBuildShWrites(string variable, string value, bool accepted)
    {
        foreach (var module in new[] { ".", "modules/pipeline" })
        {
            var declaration = TerraformUnderTest.Configuration.Modules[module].Find("variable", variable)
                ?? throw new InvalidOperationException($"{module} declares no variable {variable}.");
            Assert.True(declaration.Body.TryGetProperty("validation", out var validations), $"{declaration.Location} has no validation.");

            var results = validations.EnumerateArray()
                .Select(v => ModuleInstance.Evaluate(v.GetProperty("condition"), new SingleVariable(variable, new HclString(value))))
                .ToList();

            Assert.True(accepted == results.All(r => r.IsTrue()), $"{declaration.Location}: \"{value}\" is {(accepted ? "refused" : "accepted")}.");
        }
    }

    [Fact]
    public void EveryFunction_ReceivesExactlyTheEnvironmentItsCodeReads()
    {
        string[] common = ["COSTNOTIFIER_LOG_LEVEL", "COSTNOTIFIER_REPORTS", "COSTNOTIFIER_REPORTS_SOURCE", "COSTNOTIFIER_STACK"];
        var expected = new Dictionary<string, string[]>
        {
            ["scheduler"] = [.. common, "COSTNOTIFIER_COLLECTOR_QUEUE_URL"],
            ["collector"] = [.. common, "COSTNOTIFIER_CLAIM_SECONDS", "COSTNOTIFIER_COLLECTOR_DLQ_URL", "COSTNOTIFIER_COST_METRIC", "COSTNOTIFIER_EVENTS_TABLE", "COSTNOTIFIER_MAX_RECEIVE_COUNT", "COSTNOTIFIER_NOTIFIER_QUEUE_URL"],
            ["notifier"] = [.. common, "COSTNOTIFIER_CLAIM_SECONDS", "COSTNOTIFIER_DELIVERY_DLQ_URL", "COSTNOTIFIER_DELIVERY_QUEUE_URL", "COSTNOTIFIER_EVENTS_TABLE", "COSTNOTIFIER_MAX_RECEIVE_COUNT", "COSTNOTIFIER_NOTIFIER_DLQ_URL", "COSTNOTIFIER_NOTIFIER_MAX_CONCURRENCY", "COSTNOTIFIER_SENDER_ADDRESS", "COSTNOTIFIER_SES_CONFIGURATION_SET", "COSTNOTIFIER_SES_MAX_SEND_RATE"],
        };

        foreach (var (name, variables) in expected)
        {
            var environment = Function(name).Body.Block("environment")?["variables"] as HclObject;
            Assert.True(environment is not null, $"aws_lambda_function.{name} has no environment variables.");
            Assert.Equal(variables.Order(StringComparer.Ordinal), environment.Fields.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(TerraformUnderTest.NamePrefix, environment["COSTNOTIFIER_STACK"].Text());
        }

        Assert.Equal("UnblendedCost", (Function("collector").Body.Block("environment")?["variables"] as HclObject)?["COSTNOTIFIER_COST_METRIC"].Text());
        var notifier = (HclObject)Function("notifier").Body.Block("environment")!["variables"];
        Assert.Equal("${aws_sqs_queue.delivery.url}", notifier[Aws.Sqs.SqsQueueUrls.DeliveryVariable].Display());
        Assert.Equal("${aws_sqs_queue.delivery_dlq.url}", notifier[Aws.Sqs.SqsQueueUrls.DeliveryDeadLetterVariable].Display());
    }

    private static TerraformStack TableModeStack(params string[] channelParameters) =>
        TerraformUnderTest.StackWith(new Dictionary<string, HclValue>
        {
            ["reports_source"] = new HclString("table"),
            ["reports"] = new HclList([]),
            ["channel_parameter_names"] = new HclList([.. channelParameters.Select(p => (HclValue)new HclString(p))]),
        });

    private static HclObject EnvironmentOf(TerraformStack stack, string name) =>
        Function(stack, name).Body.Block("environment")?["variables"] as HclObject
        ?? throw new InvalidOperationException($"aws_lambda_function.{name} has no environment variables.");

    [Fact]
    public void ReportsSource_ByDefault_IsTheVariable_AndEveryFunctionCarriesTheReports()
    {
        foreach (var name in FunctionNames)
        {
            var environment = EnvironmentOf(TerraformUnderTest.Stack, name);
            Assert.Equal("variable", environment[FunctionSettings.ReportsSourceVariable].Text());
            Assert.True(environment.Fields.ContainsKey(FunctionSettings.ReportsVariable), $"{name} lacks {FunctionSettings.ReportsVariable}.");
        }
    }

    [Fact]
    public void ReportsSource_Table_ReachesEveryFunctionFromTheOneVariable_WithTheTableAndWithoutTheReports()
    {
        var stack = TableModeStack();

        foreach (var name in FunctionNames)
        {
            var environment = EnvironmentOf(stack, name);
            Assert.Equal("table", environment[FunctionSettings.ReportsSourceVariable].Text());
            Assert.Equal("${aws_dynamodb_table.events.name}", environment["COSTNOTIFIER_EVENTS_TABLE"].Display());
            Assert.False(environment.Fields.ContainsKey(FunctionSettings.ReportsVariable), $"{name} still carries {FunctionSettings.ReportsVariable} in table mode.");
        }

        // What the functions read is exactly what the variable says: their own parser accepts it.
        Assert.Equal(ReportsSource.Table, FunctionSettings.From(EnvironmentOf(stack, "scheduler").Fields.ToDictionary(f => f.Key, f => f.Value.Text())).ReportsSource);
    }

    /// <summary>
    /// A claim outlives any live invocation (the function's timeout) and dies before the queue redelivers (its
    /// visibility timeout).
    /// </summary>
    [Fact]
    public void EveryConsumer_ClaimOutlivesItsInvocationAndExpiresBeforeRedelivery()
    {
        var consumers = InfrastructureInvariants.Consumers(TerraformUnderTest.Stack).ToList();
        Assert.Equal(["collector", "notifier", "notifier"], consumers.Select(c => c.Function?.Name).Order(StringComparer.Ordinal));

        foreach (var (_, queue, function) in consumers)
        {
            var timeout = function!.Body["timeout"].Number();
            var visibility = queue!.Body["visibility_timeout_seconds"].Number();
            var claim = (function.Body.Block("environment")?["variables"] as HclObject)?["COSTNOTIFIER_CLAIM_SECONDS"].Number();
            Assert.True(claim > timeout, $"{function}: claim {claim} s must outlive the {timeout} s timeout.");
            Assert.True(claim < visibility, $"{function}: claim {claim} s must expire before {queue}'s {visibility} s visibility timeout.");
        }
    }

    /// <summary>
    /// The functions' stdout lines are already JSON (logs) or EMF (metrics), written by our own process with no
    /// runtime library in between: Lambda must store them as written (Text), or CloudWatch cannot extract the
    /// metrics the alarms watch.
    /// </summary>
    [Fact]
    public void EveryFunction_KeepsItsLogLinesAsWrittenSoEmbeddedMetricsSurvive()
    {
        foreach (var name in new[] { "scheduler", "collector", "notifier" })
        {
            Assert.Equal("Text", Function(name).Body.Block("logging_config")?["log_format"].Text());
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
        Assert.Equal(expected.Select(r => r["cadence"].Text() ?? "daily"), catalog.Reports.Select(r => r.Cadence.ToWireName()));
        Assert.Contains(catalog.Reports, r => r.Cadence == Cadence.Weekly);
        Assert.Contains(catalog.Reports, r => r.Cadence == Cadence.Monthly);
        Assert.Equal(expected.Select(r => r["top"].Number() ?? 10m), catalog.Reports.Select(r => (decimal)r.Top));
        Assert.Contains(catalog.Reports, r => r.Filter.Any(f => f.Exclude && f.Dimension == "RECORD_TYPE"));
        Assert.Equal(expected.Select(r => r["monthly_budget"].Number()), catalog.Reports.Select(r => r.MonthlyBudget));
        Assert.Contains(catalog.Reports, r => r.MonthlyBudget is not null);
        Assert.Contains(catalog.Reports, r => r.Anomalies == AnomalyThresholds.Default);
        Assert.Contains(catalog.Reports, r => r.Anomalies != AnomalyThresholds.Default);
        foreach (var (report, definition) in expected.Zip(catalog.Reports))
        {
            if (report["anomalies"] is HclObject anomalies)
            {
                Assert.Equal(anomalies["minimum_impact"].Number() ?? AnomalyThresholds.Default.MinimumImpact, definition.Anomalies.MinimumImpact);
                Assert.Equal(anomalies["minimum_relative_impact"].Number() ?? AnomalyThresholds.Default.MinimumRelativeImpact, definition.Anomalies.MinimumRelativeImpact);
            }
        }
    }

    /// <summary>The example's channels reach the functions as the same destinations, in the shape their parser reads.</summary>
    [Fact]
    public void ReportsEnvironmentVariable_CarriesEachReportsChannels()
    {
        var json = (Function("notifier").Body.Block("environment")?["variables"] as HclObject)?["COSTNOTIFIER_REPORTS"].Text();

        var catalog = ReportConfiguration.Parse(json!);

        var expected = TerraformUnderTest.ExampleInputs["reports"].Items().Cast<HclObject>().ToList();
        Assert.Contains(expected, r => r["channels"].Items().Count > 0);
        Assert.Contains(expected, r => r["channels"].Items().Count == 0);
        foreach (var (report, definition) in expected.Zip(catalog.Reports))
        {
            var channels = report["channels"].Items().Cast<HclObject>();
            Assert.Equal(
                channels.Select(c => (c["name"].Text(), c["type"].Text(), c["parameter"].Text(), c["channel"].Text())),
                definition.Channels.Select(c => ((string?)c.Name, (string?)c.Kind.ToWireName(), (string?)c.SecretParameter, c.SlackChannel)));
        }
    }

    /// <summary>
    /// channels is left out of a report without any and channel out of a webhook destination, so the 4 KB of
    /// environment carries no empty values; a slack-bot destination keeps its channel id.
    /// </summary>
    [Fact]
    public void ReportsEnvironmentVariable_WritesChannelsInCamelCase_LeavingOutWhatIsEmpty()
    {
        var reports = VariableValidation.FromJson("""
            [{ "id": "chat-only", "name": "C", "recipients": [], "group_by": "SERVICE",
               "channels": [{ "name": "platform", "type": "slack", "parameter": "/costnotifier/slack/platform" },
                            { "name": "bot", "type": "slack-bot", "parameter": "/costnotifier/slack/bot", "channel": "C0123ABCD" },
                            { "name": "finops", "type": "teams", "parameter": "/costnotifier/teams/finops" }] },
             { "id": "email-only", "name": "E", "recipients": ["ops@example.com"], "group_by": "SERVICE" }]
            """);
        var stack = TerraformUnderTest.StackWith(new Dictionary<string, HclValue> { ["reports"] = reports });

        var json = (Function(stack, "notifier").Body.Block("environment")?["variables"] as HclObject)?["COSTNOTIFIER_REPORTS"].Text();
        using var document = System.Text.Json.JsonDocument.Parse(json!);
        var written = document.RootElement.EnumerateArray().ToList();

        Assert.Equal(
            """[{"name":"platform","parameter":"/costnotifier/slack/platform","type":"slack"},{"channel":"C0123ABCD","name":"bot","parameter":"/costnotifier/slack/bot","type":"slack-bot"},{"name":"finops","parameter":"/costnotifier/teams/finops","type":"teams"}]""",
            written[0].GetProperty("channels").GetRawText());
        Assert.False(written[1].TryGetProperty("channels", out _));
        var catalog = ReportConfiguration.Parse(json!);
        Assert.Empty(catalog.Reports[0].Recipients);
        Assert.Equal(["slack:platform", "slack:bot", "teams:finops"], catalog.Reports[0].Channels.Select(c => c.Key));
        Assert.Empty(catalog.Reports[1].Channels);
    }

    /// <summary>Thresholds left out in Terraform travel as null, so the functions' defaults apply to each one left out.</summary>
    [Fact]
    public void ReportsEnvironmentVariable_LeavesAnomalyDefaultsToTheFunctions()
    {
        var reports = VariableValidation.FromJson("""
            [{ "id": "partial", "name": "P", "recipients": ["ops@example.com"], "group_by": "SERVICE", "anomalies": { "minimum_impact": 0 } },
             { "id": "empty", "name": "E", "recipients": ["ops@example.com"], "group_by": "SERVICE", "anomalies": {} },
             { "id": "none", "name": "N", "recipients": ["ops@example.com"], "group_by": "SERVICE", "monthly_budget": 0.5 }]
            """);
        var stack = TerraformUnderTest.StackWith(new Dictionary<string, HclValue> { ["reports"] = reports });

        var json = (Function(stack, "notifier").Body.Block("environment")?["variables"] as HclObject)?["COSTNOTIFIER_REPORTS"].Text();
        var catalog = ReportConfiguration.Parse(json!);

        Assert.Equal([new(0m, 0.25m), AnomalyThresholds.Default, AnomalyThresholds.Default], catalog.Reports.Select(r => r.Anomalies));
        Assert.Equal([null, null, 0.5m], catalog.Reports.Select(r => r.MonthlyBudget));
    }

    /// <summary>Resolves one variable, as a variable's own validation block sees it.</summary>
    private sealed class SingleVariable(string name, HclValue value) : IHclScope
    {
        public HclValue Resolve(string root, IReadOnlyList<TraversalStep> steps, out int consumed)
        {
            consumed = 1;
            return root == "var" && steps is [AttributeStep { Name: var attribute }, ..] && attribute == name
                ? value
                : throw new InvalidOperationException($"A validation of var.{name} refers to {root}.");
        }
    }
}
