using System.Text.Json;
using CostNotifier.InfrastructureTests.Hcl;

namespace CostNotifier.InfrastructureTests.Terraform;

/// <summary>
/// A root variable's validation blocks evaluated for one value, as <c>terraform plan</c> does before anything else:
/// the value is converted to the variable's type (optional attributes get their defaults), then every condition
/// must hold. A condition the evaluator cannot decide fails the test instead of passing by accident.
/// </summary>
public static class VariableValidation
{
    /// <summary>The error messages of the validations <paramref name="value"/> fails; empty when Terraform would accept it.</summary>
    public static IReadOnlyList<string> Failures(string variable, HclValue value)
    {
        var declaration = TerraformUnderTest.Configuration.RootModule.Find("variable", variable)
            ?? throw new InvalidOperationException($"terraform/variables.tf declares no variable {variable}.");
        if (declaration.Body.TryGetProperty("type", out var type) && type.GetString() is { } typeText && value is not HclNull)
        {
            value = HclTypes.ApplyDefaults(HclTypes.Parse(typeText), value);
        }

        var failures = new List<string>();
        if (!declaration.Body.TryGetProperty("validation", out var validations))
        {
            return failures;
        }

        foreach (var validation in validations.EnumerateArray())
        {
            var result = ModuleInstance.Evaluate(validation.GetProperty("condition"), new SingleVariable(variable, value));
            if (result is not HclBool holds)
            {
                throw new InvalidOperationException($"{declaration.Location}: a validation condition evaluates to {result.Display()}, not true or false.");
            }

            if (!holds.Value)
            {
                failures.Add(validation.GetProperty("error_message").GetString() ?? "");
            }
        }

        return failures;
    }

    /// <summary>A value written as JSON (strings stay literal text, not templates).</summary>
    public static HclValue FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Convert(document.RootElement);
    }

    private static HclValue Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => new HclString(element.GetString()!),
        JsonValueKind.Number => new HclNumber(element.GetDecimal()),
        JsonValueKind.True => new HclBool(true),
        JsonValueKind.False => new HclBool(false),
        JsonValueKind.Array => new HclList([.. element.EnumerateArray().Select(Convert)]),
        JsonValueKind.Object => new HclObject(element.EnumerateObject().ToDictionary(p => p.Name, p => Convert(p.Value), StringComparer.Ordinal)),
        _ => HclValue.Null,
    };

    /// <summary>Resolves the one variable a validation block may refer to.</summary>
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
