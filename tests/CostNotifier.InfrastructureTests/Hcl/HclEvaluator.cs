using System.Globalization;

namespace CostNotifier.InfrastructureTests.Hcl;

/// <summary>Resolves the names an expression starts with: var, local, module, each, a resource type, ...</summary>
public interface IHclScope
{
    /// <summary>
    /// Resolves <paramref name="name"/>, consuming as many of the following attribute steps as the name needs
    /// (one for <c>var.x</c>, two for <c>module.m.output</c>); the rest are applied to the result.
    /// </summary>
    HclValue Resolve(string name, IReadOnlyList<TraversalStep> steps, out int consumed);
}

/// <summary>A scope with extra names bound (for-expression and dynamic-block iterators).</summary>
public sealed class BoundScope(IHclScope parent, IReadOnlyDictionary<string, HclValue> bindings) : IHclScope
{
    public HclValue Resolve(string name, IReadOnlyList<TraversalStep> steps, out int consumed)
    {
        if (bindings.TryGetValue(name, out var value))
        {
            consumed = 0;
            return value;
        }

        return parent.Resolve(name, steps, out consumed);
    }
}

/// <summary>
/// Evaluates HCL expressions with Terraform's semantics where values are known (variables, locals,
/// arithmetic, conditionals, for expressions, the common functions) and yields <see cref="HclReference"/>
/// or <see cref="HclUnknown"/> where they are only known after apply.
/// </summary>
public static class HclEvaluator
{
    public static HclValue Evaluate(HclExpr expr, IHclScope scope) => expr switch
    {
        LiteralExpr literal => literal.Value,
        TemplateExpr template => EvaluateTemplate(template, scope),
        VariableExpr variable => scope.Resolve(variable.Name, [], out _),
        TraversalExpr traversal => EvaluateTraversal(traversal, scope),
        FunctionCallExpr call => CallFunction(call, scope),
        UnaryExpr unary => EvaluateUnary(unary, scope),
        BinaryExpr binary => EvaluateBinary(binary, scope),
        ConditionalExpr conditional => Evaluate(conditional.Condition, scope) switch
        {
            HclBool { Value: true } => Evaluate(conditional.Then, scope),
            HclBool { Value: false } => Evaluate(conditional.Else, scope),
            var other => new HclUnknown($"condition {other.Display()}"),
        },
        TupleExpr tuple => new HclList([.. tuple.Items.Select(i => Evaluate(i, scope))]),
        ObjectExpr obj => EvaluateObject(obj, scope),
        ForExpr forExpr => EvaluateFor(forExpr, scope),
        _ => throw new NotSupportedException(expr.GetType().Name),
    };

    private static HclValue EvaluateTemplate(TemplateExpr template, IHclScope scope)
    {
        if (template.Parts is [HclExpr single])
        {
            return Evaluate(single, scope);
        }

        var values = template.Parts.Select(p => p is HclExpr e ? Evaluate(e, scope) : new HclString((string)p)).ToList();
        var text = string.Concat(values.Select(v => v switch
        {
            HclString s => s.Value,
            HclNumber or HclBool => v.Display(),
            _ => v.Display(),
        }));
        return values.All(v => v is HclString or HclNumber or HclBool) ? new HclString(text) : new HclUnknown(text);
    }

    private static HclValue EvaluateTraversal(TraversalExpr traversal, IHclScope scope)
    {
        HclValue value;
        var consumed = 0;
        if (traversal.Source is VariableExpr root)
        {
            value = scope.Resolve(root.Name, traversal.Steps, out consumed);
        }
        else
        {
            value = Evaluate(traversal.Source, scope);
        }

        foreach (var step in traversal.Steps.Skip(consumed))
        {
            value = Apply(value, step, scope);
        }

        return value;
    }

    private static HclValue Apply(HclValue value, TraversalStep step, IHclScope scope)
    {
        switch (step)
        {
            case AttributeStep attribute:
                return value switch
                {
                    HclObject obj => obj.Fields.TryGetValue(attribute.Name, out var field)
                        ? field
                        : throw new KeyNotFoundException($"Object has no attribute '{attribute.Name}': {obj.Display()}"),
                    HclReference reference => reference.Then(attribute.Name),
                    _ => new HclUnknown($"{value.Display()}.{attribute.Name}"),
                };
            case IndexStep index:
                var key = Evaluate(index.Key, scope);
                return (value, key) switch
                {
                    (HclList list, HclNumber n) => list.Items[(int)n.Value],
                    (HclObject obj, HclString s) => obj[s.Value],
                    (HclReference reference, _) => reference with { Address = $"{reference.Address}[{key.Display()}]" },
                    _ => new HclUnknown($"{value.Display()}[{key.Display()}]"),
                };
            default:
                return value is HclReference r ? r with { Address = r.Address + "[*]" } : new HclUnknown($"{value.Display()}[*]");
        }
    }

    private static HclValue EvaluateUnary(UnaryExpr unary, IHclScope scope)
    {
        var operand = Evaluate(unary.Operand, scope);
        return (unary.Operator, operand) switch
        {
            ("!", HclBool b) => new HclBool(!b.Value),
            ("-", HclNumber n) => new HclNumber(-n.Value),
            _ => new HclUnknown($"{unary.Operator}{operand.Display()}"),
        };
    }

    private static HclValue EvaluateBinary(BinaryExpr binary, IHclScope scope)
    {
        var left = Evaluate(binary.Left, scope);
        var right = Evaluate(binary.Right, scope);
        if (binary.Operator is "==" or "!=" && left.IsKnown && right.IsKnown)
        {
            var equal = left.ToJson() == right.ToJson();
            return new HclBool(binary.Operator == "==" ? equal : !equal);
        }

        return (binary.Operator, left, right) switch
        {
            ("+", HclNumber a, HclNumber b) => new HclNumber(a.Value + b.Value),
            ("-", HclNumber a, HclNumber b) => new HclNumber(a.Value - b.Value),
            ("*", HclNumber a, HclNumber b) => new HclNumber(a.Value * b.Value),
            ("/", HclNumber a, HclNumber b) => new HclNumber(a.Value / b.Value),
            ("%", HclNumber a, HclNumber b) => new HclNumber(a.Value % b.Value),
            ("<", HclNumber a, HclNumber b) => new HclBool(a.Value < b.Value),
            (">", HclNumber a, HclNumber b) => new HclBool(a.Value > b.Value),
            ("<=", HclNumber a, HclNumber b) => new HclBool(a.Value <= b.Value),
            (">=", HclNumber a, HclNumber b) => new HclBool(a.Value >= b.Value),
            ("&&", HclBool a, HclBool b) => new HclBool(a.Value && b.Value),
            ("||", HclBool a, HclBool b) => new HclBool(a.Value || b.Value),
            _ => new HclUnknown($"{left.Display()} {binary.Operator} {right.Display()}"),
        };
    }

    private static HclValue EvaluateObject(ObjectExpr obj, IHclScope scope)
    {
        var fields = new Dictionary<string, HclValue>(StringComparer.Ordinal);
        foreach (var (keyExpr, valueExpr) in obj.Items)
        {
            var key = Evaluate(keyExpr, scope);
            if (key is not HclString s)
            {
                return new HclUnknown($"object with key {key.Display()}");
            }

            fields[s.Value] = Evaluate(valueExpr, scope);
        }

        return new HclObject(fields);
    }

    private static HclValue EvaluateFor(ForExpr forExpr, IHclScope scope)
    {
        var collection = Evaluate(forExpr.Collection, scope);
        IEnumerable<(HclValue Key, HclValue Value)> elements = collection switch
        {
            HclList list => list.Items.Select((v, i) => ((HclValue)new HclNumber(i), v)),
            HclObject obj => obj.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => ((HclValue)new HclString(f.Key), f.Value)),
            _ => [],
        };
        if (collection is not (HclList or HclObject))
        {
            return new HclUnknown($"for expression over {collection.Display()}");
        }

        var items = new List<HclValue>();
        var fields = new Dictionary<string, HclValue>(StringComparer.Ordinal);
        foreach (var (key, value) in elements)
        {
            var bindings = new Dictionary<string, HclValue>(StringComparer.Ordinal) { [forExpr.ValueVariable] = value };
            if (forExpr.KeyVariable is not null)
            {
                bindings[forExpr.KeyVariable] = key;
            }

            var inner = new BoundScope(scope, bindings);
            if (forExpr.Condition is not null && Evaluate(forExpr.Condition, inner) is not HclBool { Value: true })
            {
                continue;
            }

            if (forExpr.ProducesObject)
            {
                fields[Evaluate(forExpr.KeyResult!, inner).Display()] = Evaluate(forExpr.ValueResult, inner);
            }
            else
            {
                items.Add(Evaluate(forExpr.ValueResult, inner));
            }
        }

        return forExpr.ProducesObject ? new HclObject(fields) : new HclList(items);
    }

    private static HclValue CallFunction(FunctionCallExpr call, IHclScope scope)
    {
        if (call.Name == "can")
        {
            try
            {
                var value = Evaluate(call.Arguments[0], scope);
                return value.IsKnown ? new HclBool(true) : new HclUnknown("can(...)");
            }
            catch (Exception e) when (e is KeyNotFoundException or ArgumentException or InvalidOperationException or FormatException)
            {
                return new HclBool(false);
            }
        }

        var args = call.Arguments.Select(a => Evaluate(a, scope)).ToList();
        var unknown = new HclUnknown($"{call.Name}({string.Join(", ", args.Select(a => a.Display()))})");
        switch (call.Name)
        {
            case "jsonencode":
                return new HclString(args[0].ToJson());
            case "merge" when args.All(a => a is HclObject):
                var merged = new Dictionary<string, HclValue>(StringComparer.Ordinal);
                foreach (var fields in args.Cast<HclObject>())
                {
                    foreach (var (key, value) in fields.Fields)
                    {
                        merged[key] = value;
                    }
                }

                return new HclObject(merged);
            case "concat" when args.All(a => a is HclList):
                return new HclList([.. args.Cast<HclList>().SelectMany(l => l.Items)]);
            case "coalesce":
                foreach (var arg in args)
                {
                    if (!arg.IsKnown)
                    {
                        return unknown;
                    }

                    if (arg is not HclNull && arg is not HclString { Value: "" })
                    {
                        return arg;
                    }
                }

                return unknown;
            case "max" when args.All(a => a is HclNumber):
                return new HclNumber(args.Cast<HclNumber>().Max(n => n.Value));
            case "min" when args.All(a => a is HclNumber):
                return new HclNumber(args.Cast<HclNumber>().Min(n => n.Value));
            case "ceil" when args[0] is HclNumber n:
                return new HclNumber(Math.Ceiling(n.Value));
            case "floor" when args[0] is HclNumber n:
                return new HclNumber(Math.Floor(n.Value));
            case "length":
                return args[0] switch
                {
                    HclString s => new HclNumber(s.Value.Length),
                    HclList l => new HclNumber(l.Items.Count),
                    HclObject o => new HclNumber(o.Fields.Count),
                    _ => unknown,
                };
            case "lower" when args[0] is HclString s:
                return new HclString(s.Value.ToLowerInvariant());
            case "upper" when args[0] is HclString s:
                return new HclString(s.Value.ToUpperInvariant());
            case "tostring" when args[0] is HclString or HclNumber or HclBool:
                return new HclString(args[0].Display());
            case "tonumber" when args[0] is HclString s:
                return new HclNumber(decimal.Parse(s.Value, CultureInfo.InvariantCulture));
            case "tonumber" when args[0] is HclNumber:
                return args[0];
            case "keys" when args[0] is HclObject o:
                return new HclList([.. o.Fields.Keys.Order(StringComparer.Ordinal).Select(k => new HclString(k))]);
            case "values" when args[0] is HclObject o:
                return new HclList([.. o.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value)]);
            case "contains" when args[0] is HclList l && args[1].IsKnown:
                return new HclBool(l.Items.Any(i => i.ToJson() == args[1].ToJson()));
            case "startswith" when args is [HclString s, HclString prefix]:
                return new HclBool(s.Value.StartsWith(prefix.Value, StringComparison.Ordinal));
            case "endswith" when args is [HclString s, HclString suffix]:
                return new HclBool(s.Value.EndsWith(suffix.Value, StringComparison.Ordinal));
            case "trimprefix" when args is [HclString s, HclString prefix]:
                return new HclString(s.Value.StartsWith(prefix.Value, StringComparison.Ordinal) ? s.Value[prefix.Value.Length..] : s.Value);
            case "distinct" when args[0] is HclList l && l.IsKnown:
                return new HclList([.. l.Items.DistinctBy(i => i.ToJson(), StringComparer.Ordinal)]);
            case "flatten" when args[0] is HclList l:
                return Flatten(l) is { } flat ? new HclList(flat) : unknown;
            case "regex" when args is [HclString pattern, HclString text]:
                return Re2.Match(pattern.Value, text.Value);
            case "regex" when args.Any(a => a is HclNull):
                // Terraform refuses a null argument ("argument must not be null"), an error can() turns into false.
                throw new ArgumentException($"regex takes no null argument: regex({string.Join(", ", args.Select(a => a.Display()))}).");
            case "alltrue" when args[0] is HclList l && l.Items.All(i => i is HclBool):
                return new HclBool(l.Items.All(i => ((HclBool)i).Value));
            case "anytrue" when args[0] is HclList l && l.Items.All(i => i is HclBool):
                return new HclBool(l.Items.Any(i => ((HclBool)i).Value));
            default:
                return unknown;
        }
    }

    /// <summary>Every non-list element of nested lists, in order; null when a nested element is not known.</summary>
    private static List<HclValue>? Flatten(HclList list)
    {
        var items = new List<HclValue>();
        foreach (var item in list.Items)
        {
            switch (item)
            {
                case HclList inner when Flatten(inner) is { } flat:
                    items.AddRange(flat);
                    break;
                case HclList or HclUnknown or HclReference:
                    return null;
                default:
                    items.Add(item);
                    break;
            }
        }

        return items;
    }
}
