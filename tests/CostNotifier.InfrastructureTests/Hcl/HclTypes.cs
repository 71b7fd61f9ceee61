namespace CostNotifier.InfrastructureTests.Hcl;

/// <summary>Applies a variable's type constraint the way Terraform converts inputs: optional attributes get their defaults.</summary>
public static class HclTypes
{
    public static HclExpr Parse(string typeTemplate) => HclParser.ParseTemplate(typeTemplate) switch
    {
        TemplateExpr { Parts: [HclExpr inner] } => inner,
        var other => other,
    };

    public static HclValue ApplyDefaults(HclExpr type, HclValue value)
    {
        switch (type)
        {
            case FunctionCallExpr { Name: "list" or "set", Arguments: [var element] } when value is HclList list:
                return new HclList([.. list.Items.Select(i => ApplyDefaults(element, i))]);
            case FunctionCallExpr { Name: "map", Arguments: [var element] } when value is HclObject map:
                return new HclObject(map.Fields.ToDictionary(f => f.Key, f => ApplyDefaults(element, f.Value), StringComparer.Ordinal));
            case FunctionCallExpr { Name: "object", Arguments: [ObjectExpr attributes] } when value is HclObject obj:
                var fields = new Dictionary<string, HclValue>(StringComparer.Ordinal);
                foreach (var (keyExpr, attributeType) in attributes.Items)
                {
                    var key = ((HclString)((LiteralExpr)keyExpr).Value).Value;
                    var present = obj.Fields.TryGetValue(key, out var field) && field is not HclNull;
                    if (attributeType is FunctionCallExpr { Name: "optional" } optional)
                    {
                        fields[key] = present
                            ? ApplyDefaults(optional.Arguments[0], field!)
                            : optional.Arguments.Count > 1
                                ? ApplyDefaults(optional.Arguments[0], HclEvaluator.Evaluate(optional.Arguments[1], EmptyScope.Instance))
                                : HclValue.Null;
                    }
                    else
                    {
                        fields[key] = present
                            ? ApplyDefaults(attributeType, field!)
                            : throw new ArgumentException($"Attribute '{key}' is required by the variable's type but missing in {obj.Display()}.");
                    }
                }

                return new HclObject(fields);
            default:
                return value;
        }
    }

    private sealed class EmptyScope : IHclScope
    {
        public static readonly EmptyScope Instance = new();

        public HclValue Resolve(string name, IReadOnlyList<TraversalStep> steps, out int consumed) =>
            throw new InvalidOperationException($"A type default cannot refer to '{name}'.");
    }
}
