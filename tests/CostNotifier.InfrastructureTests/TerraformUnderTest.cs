using System.Text.RegularExpressions;
using CostNotifier.InfrastructureTests.Hcl;
using CostNotifier.InfrastructureTests.Terraform;

namespace CostNotifier.InfrastructureTests;

/// <summary>
/// The repository's terraform/ directory, parsed once per test run, and the stack it plans for the
/// example inputs with the longest name_prefix its validation allows (a recognisable probe value, so
/// every derived name can be traced back to it and measured against AWS's limits).
/// </summary>
public static partial class TerraformUnderTest
{
    private static readonly Lazy<TerraformConfiguration> LazyConfiguration =
        new(() => TerraformConfiguration.Load(RepositoryPaths.TerraformDirectory));

    private static readonly Lazy<IReadOnlyDictionary<string, HclValue>> LazyExampleInputs = new(LoadExampleInputs);

    private static readonly Lazy<string> LazyNamePrefix = new(LongestNamePrefix);

    private static readonly Lazy<TerraformStack> LazyStack = new(() => StackWith(new Dictionary<string, HclValue>()));

    public static string ExampleTfvarsPath => Path.Combine(RepositoryPaths.TerraformDirectory, "examples", "terraform.tfvars.example");

    public static TerraformConfiguration Configuration => LazyConfiguration.Value;

    /// <summary>The example tfvars, evaluated.</summary>
    public static IReadOnlyDictionary<string, HclValue> ExampleInputs => LazyExampleInputs.Value;

    /// <summary>The probe prefix: as long as name_prefix's validation allows.</summary>
    public static string NamePrefix => LazyNamePrefix.Value;

    public static TerraformStack Stack => LazyStack.Value;

    /// <summary>
    /// The stack planned for the example inputs and the probe prefix, with some inputs replaced or added, as
    /// <c>-var name=value</c> after <c>-var-file</c> would.
    /// </summary>
    public static TerraformStack StackWith(IReadOnlyDictionary<string, HclValue> overrides)
    {
        var inputs = new Dictionary<string, HclValue>(ExampleInputs, StringComparer.Ordinal) { ["name_prefix"] = new HclString(NamePrefix) };
        foreach (var (name, value) in overrides)
        {
            inputs[name] = value;
        }

        return new TerraformStack(Configuration, inputs);
    }

    /// <summary>Loads a configuration from HCL snippets written to a fresh temporary directory (file name to content).</summary>
    public static TerraformStack FromSnippets(IReadOnlyDictionary<string, string> files, IReadOnlyDictionary<string, HclValue>? inputs = null)
    {
        var directory = Directory.CreateTempSubdirectory("costnotifier-tf-");
        try
        {
            foreach (var (name, content) in files)
            {
                var path = Path.Combine(directory.FullName, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, content);
            }

            return new TerraformStack(TerraformConfiguration.Load(directory.FullName), inputs ?? new Dictionary<string, HclValue>());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static Dictionary<string, HclValue> LoadExampleInputs()
    {
        var document = Hcl2Json.Convert([ExampleTfvarsPath])[ExampleTfvarsPath];
        var scope = new BoundScope(new NoNames(), new Dictionary<string, HclValue>());
        return document.EnumerateObject().ToDictionary(p => p.Name, p => EvaluateLiteral(p.Value, scope), StringComparer.Ordinal);
    }

    private static HclValue EvaluateLiteral(System.Text.Json.JsonElement element, IHclScope scope) => element.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => HclEvaluator.Evaluate(HclParser.ParseTemplate(element.GetString()!), scope),
        System.Text.Json.JsonValueKind.Number => new HclNumber(element.GetDecimal()),
        System.Text.Json.JsonValueKind.True => new HclBool(true),
        System.Text.Json.JsonValueKind.False => new HclBool(false),
        System.Text.Json.JsonValueKind.Array => new HclList([.. element.EnumerateArray().Select(e => EvaluateLiteral(e, scope))]),
        System.Text.Json.JsonValueKind.Object => new HclObject(element.EnumerateObject().ToDictionary(p => p.Name, p => EvaluateLiteral(p.Value, scope), StringComparer.Ordinal)),
        _ => HclValue.Null,
    };

    private static string LongestNamePrefix()
    {
        var variable = Configuration.RootModule.Find("variable", "name_prefix")
            ?? throw new InvalidOperationException("terraform/variables.tf declares no name_prefix variable.");
        var limit = variable.Body.TryGetProperty("validation", out var validations)
            ? validations.EnumerateArray()
                .Select(v => MaxLengthCondition().Match(v.GetProperty("condition").GetString() ?? ""))
                .Where(m => m.Success)
                .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
                .DefaultIfEmpty(0)
                .Min()
            : 0;
        if (limit < 8)
        {
            throw new InvalidOperationException("name_prefix needs a validation 'length(var.name_prefix) <= N' (N >= 8) so derived names provably fit AWS's limits.");
        }

        // Lowercase letters only: passes the prefix's own format validation and is easy to spot in a name.
        return "zprobe" + new string('q', limit - "zprobe".Length);
    }

    [GeneratedRegex(@"length\(var\.name_prefix\)\s*<=\s*(\d+)")]
    private static partial Regex MaxLengthCondition();

    private sealed class NoNames : IHclScope
    {
        public HclValue Resolve(string name, IReadOnlyList<TraversalStep> steps, out int consumed) =>
            throw new InvalidOperationException($"A tfvars value cannot refer to '{name}'.");
    }
}
