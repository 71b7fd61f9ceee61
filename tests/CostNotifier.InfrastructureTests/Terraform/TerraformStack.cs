using System.Text.Json;
using CostNotifier.InfrastructureTests.Hcl;

namespace CostNotifier.InfrastructureTests.Terraform;

/// <summary>
/// A configuration evaluated for one set of root inputs, as <c>terraform plan</c> would see it before
/// talking to AWS: variables take their inputs or defaults, module calls pass values down, for_each and
/// count expand, and everything AWS decides (ARNs, URLs) stays an <see cref="HclReference"/>.
/// </summary>
public sealed class TerraformStack
{
    private readonly Dictionary<string, ModuleInstance> _instances = new(StringComparer.Ordinal);

    public TerraformStack(TerraformConfiguration configuration, IReadOnlyDictionary<string, HclValue> rootInputs)
    {
        Configuration = configuration;
        Root = new ModuleInstance(this, "", configuration.RootModule, parent: null, call: null, rootInputs);
        Register(Root);
    }

    public TerraformConfiguration Configuration { get; }

    public ModuleInstance Root { get; }

    /// <summary>
    /// One re-entrant lock for the whole stack: test classes share a stack and run in parallel, and evaluating a
    /// variable can cross module instances in either direction, so per-instance locks could deadlock.
    /// </summary>
    internal object Gate { get; } = new();

    public IEnumerable<ModuleInstance> Instances => _instances.Values;

    public IEnumerable<ResourceInstance> Resources(string type) =>
        Instances.SelectMany(m => m.Module.OfKind("resource").Where(d => d.Type == type).SelectMany(m.Expand));

    public IEnumerable<ResourceInstance> DataSources(string type) =>
        Instances.SelectMany(m => m.Module.OfKind("data").Where(d => d.Type == type).SelectMany(m.Expand));

    public IEnumerable<ResourceInstance> AllResources =>
        Instances.SelectMany(m => m.Module.OfKind("resource").SelectMany(m.Expand));

    /// <summary>The resource or data source instance a reference points to, or null.</summary>
    public ResourceInstance? Find(HclValue value)
    {
        if (value is not HclReference reference || !_instances.TryGetValue(reference.Module, out var module))
        {
            return null;
        }

        var parts = reference.Resource.Split('.');
        var declaration = parts[0] == "data"
            ? module.Module.Find("data", parts[2], parts[1])
            : module.Module.Find("resource", parts[1], parts[0]);
        return declaration is null ? null : module.Expand(declaration).FirstOrDefault();
    }

    private void Register(ModuleInstance instance)
    {
        _instances[instance.Path] = instance;
        foreach (var call in instance.Module.OfKind("module"))
        {
            var source = call.Body.GetProperty("source").GetString()!;
            var directory = Path.GetRelativePath(
                Configuration.RootDirectory,
                Path.GetFullPath(Path.Combine(Configuration.RootDirectory, instance.Module.Directory, source))).Replace('\\', '/');
            if (!Configuration.Modules.TryGetValue(directory, out var module))
            {
                throw new InvalidOperationException($"{call.Location}: source {source} is not a local module directory with .tf files.");
            }

            var path = instance.Path.Length == 0 ? $"module.{call.Name}" : $"{instance.Path}.module.{call.Name}";
            Register(new ModuleInstance(this, path, module, instance, call, rootInputs: null));
        }
    }

    internal ModuleInstance Instance(string path) => _instances[path];
}

/// <summary>One instance of a module: the root, or one module call. Resolves var, local, module and resource names.</summary>
public sealed class ModuleInstance : IHclScope
{
    private readonly TerraformStack _stack;
    private readonly ModuleInstance? _parent;
    private readonly Declaration? _call;
    private readonly IReadOnlyDictionary<string, HclValue>? _rootInputs;
    private readonly Dictionary<string, HclValue> _variables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HclValue> _locals = new(StringComparer.Ordinal);
    private readonly HashSet<string> _evaluating = new(StringComparer.Ordinal);

    internal ModuleInstance(TerraformStack stack, string path, TerraformModule module, ModuleInstance? parent, Declaration? call, IReadOnlyDictionary<string, HclValue>? rootInputs)
    {
        _stack = stack;
        Path = path;
        Module = module;
        _parent = parent;
        _call = call;
        _rootInputs = rootInputs;
    }

    /// <summary>"" for the root module, <c>module.pipeline</c> for a call.</summary>
    public string Path { get; }

    public TerraformModule Module { get; }

    public HclValue Variable(string name)
    {
        lock (_stack.Gate)
        {
            return EvaluateVariable(name);
        }
    }

    public HclValue Local(string name)
    {
        lock (_stack.Gate)
        {
            return EvaluateLocal(name);
        }
    }

    private HclValue EvaluateVariable(string name)
    {
        if (_variables.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var declaration = Module.Find("variable", name)
            ?? throw new KeyNotFoundException($"{Module.Directory}: var.{name} is used but not declared.");
        HclValue value;
        if (_rootInputs is not null && _rootInputs.TryGetValue(name, out var input))
        {
            value = input;
        }
        else if (_call is not null && _call.Body.TryGetProperty(name, out var argument))
        {
            value = _parent!.Evaluate(argument);
        }
        else if (declaration.Body.TryGetProperty("default", out var defaultValue))
        {
            value = Evaluate(defaultValue);
        }
        else
        {
            throw new InvalidOperationException(
                $"{declaration.Location} has no default and {(Path.Length == 0 ? "no test input" : $"{_call!.Location} does not set it")}.");
        }

        if (declaration.Body.TryGetProperty("type", out var type) && type.GetString() is { } typeText && value is not HclNull)
        {
            value = HclTypes.ApplyDefaults(HclTypes.Parse(typeText), value);
        }

        return _variables[name] = value;
    }

    private HclValue EvaluateLocal(string name)
    {
        if (_locals.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var declaration = Module.Find("local", name)
            ?? throw new KeyNotFoundException($"{Module.Directory}: local.{name} is used but not declared.");
        if (!_evaluating.Add(name))
        {
            throw new InvalidOperationException($"{declaration.Location} refers to itself.");
        }

        try
        {
            return _locals[name] = Evaluate(declaration.Body);
        }
        finally
        {
            _evaluating.Remove(name);
        }
    }

    public HclValue Output(string name)
    {
        var declaration = Module.Find("output", name)
            ?? throw new KeyNotFoundException($"{Module.Directory}: output {name} is used but not declared.");
        return Evaluate(declaration.Body.GetProperty("value"));
    }

    public ModuleInstance Child(string callName) =>
        _stack.Instance(Path.Length == 0 ? $"module.{callName}" : $"{Path}.module.{callName}");

    /// <summary>Evaluates a value as hcl2json emitted it (literals, templates, nested lists and objects).</summary>
    public HclValue Evaluate(JsonElement element) => Evaluate(element, this);

    internal static HclValue Evaluate(JsonElement element, IHclScope scope) => element.ValueKind switch
    {
        JsonValueKind.String => HclEvaluator.Evaluate(HclParser.ParseTemplate(element.GetString()!), scope),
        JsonValueKind.Number => new HclNumber(element.GetDecimal()),
        JsonValueKind.True => new HclBool(true),
        JsonValueKind.False => new HclBool(false),
        JsonValueKind.Null or JsonValueKind.Undefined => HclValue.Null,
        JsonValueKind.Array => new HclList([.. element.EnumerateArray().Select(e => Evaluate(e, scope))]),
        _ => new HclObject(element.EnumerateObject().ToDictionary(p => p.Name, p => Evaluate(p.Value, scope), StringComparer.Ordinal)),
    };

    /// <summary>The instances of a resource or data source: one, or one per for_each element or count index.</summary>
    public IEnumerable<ResourceInstance> Expand(Declaration declaration)
    {
        if (declaration.Body.TryGetProperty("for_each", out var forEach))
        {
            var collection = Evaluate(forEach);
            IEnumerable<(HclValue Key, HclValue Value)> elements = collection switch
            {
                HclObject map => map.Fields.Select(f => ((HclValue)new HclString(f.Key), f.Value)),
                HclList set => set.Items.Select(i => (i, i)),
                _ => throw new InvalidOperationException($"{declaration.Location}: for_each is not known before apply ({collection.Display()})."),
            };
            foreach (var (key, value) in elements)
            {
                var each = new HclObject(new Dictionary<string, HclValue> { ["key"] = key, ["value"] = value });
                yield return new ResourceInstance(this, declaration, $"[\"{key.Display()}\"]", new BoundScope(this, new Dictionary<string, HclValue> { ["each"] = each }));
            }
        }
        else if (declaration.Body.TryGetProperty("count", out var countElement))
        {
            var count = Evaluate(countElement) as HclNumber
                ?? throw new InvalidOperationException($"{declaration.Location}: count is not known before apply.");
            for (var i = 0; i < count.Value; i++)
            {
                var index = new HclObject(new Dictionary<string, HclValue> { ["index"] = new HclNumber(i) });
                yield return new ResourceInstance(this, declaration, $"[{i}]", new BoundScope(this, new Dictionary<string, HclValue> { ["count"] = index }));
            }
        }
        else
        {
            yield return new ResourceInstance(this, declaration, "", this);
        }
    }

    public HclValue Resolve(string name, IReadOnlyList<TraversalStep> steps, out int consumed)
    {
        string Step(int i) => i < steps.Count && steps[i] is AttributeStep a
            ? a.Name
            : throw new FormatException($"'{name}' must be followed by an attribute name.");

        switch (name)
        {
            case "var":
                consumed = 1;
                return Variable(Step(0));
            case "local":
                consumed = 1;
                return Local(Step(0));
            case "module":
                consumed = 2;
                return Child(Step(0)).Output(Step(1));
            case "data":
                consumed = 2;
                return new HclReference(Path, $"data.{Step(0)}.{Step(1)}");
            case "path":
                consumed = 1;
                return new HclString(Step(0) == "module" ? Module.Directory : ".");
            case "terraform":
                consumed = 1;
                return new HclString("default");
            default:
                consumed = 1;
                return new HclReference(Path, $"{name}.{Step(0)}");
        }
    }
}

/// <summary>One instance of a resource or data source, with its body evaluated in its module (and each/count).</summary>
public sealed class ResourceInstance(ModuleInstance module, Declaration declaration, string key, IHclScope scope)
{
    public ModuleInstance Module { get; } = module;

    public Declaration Declaration { get; } = declaration;

    public string Type => Declaration.Type;

    public string Name => Declaration.Name;

    /// <summary>Full address, e.g. <c>module.monitoring.aws_cloudwatch_metric_alarm.function_errors["collector"]</c>.</summary>
    public string Address => (Module.Path.Length == 0 ? "" : Module.Path + ".") + Declaration.Address + key;

    public TerraformBody Body { get; } = new(declaration.Body, scope);

    /// <summary>Whether <paramref name="value"/> is a reference to an attribute of this resource.</summary>
    public bool IsReferencedBy(HclValue value, string attribute) =>
        value is HclReference r && r.Module == Module.Path && r.Address == $"{Declaration.Address}.{attribute}";

    public override string ToString() => Address;
}

/// <summary>A block body: attributes evaluated on demand, nested and dynamic blocks as bodies.</summary>
public sealed class TerraformBody(JsonElement body, IHclScope scope)
{
    public JsonElement Json { get; } = body;

    public bool Has(string attribute) => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(attribute, out _);

    /// <summary>The attribute's value; <see cref="HclValue.Null"/> when it is not set.</summary>
    public HclValue this[string attribute] =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(attribute, out var value) ? ModuleInstance.Evaluate(value, scope) : HclValue.Null;

    /// <summary>Nested blocks of a type, static ones first, then the content of each dynamic block's elements.</summary>
    public IEnumerable<TerraformBody> Blocks(string type)
    {
        if (Json.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        if (Json.TryGetProperty(type, out var blocks))
        {
            foreach (var block in TerraformConfiguration.Bodies(blocks).Where(b => b.ValueKind == JsonValueKind.Object))
            {
                yield return new TerraformBody(block, scope);
            }
        }

        if (!Json.TryGetProperty("dynamic", out var dynamic) || !dynamic.TryGetProperty(type, out var generators))
        {
            yield break;
        }

        foreach (var generator in TerraformConfiguration.Bodies(generators))
        {
            var forEach = ModuleInstance.Evaluate(generator.GetProperty("for_each"), scope);
            var iterator = generator.TryGetProperty("iterator", out var name) ? name.GetString()! : type;
            IEnumerable<(HclValue Key, HclValue Value)> elements = forEach switch
            {
                HclList list => list.Items.Select((v, i) => ((HclValue)new HclNumber(i), v)),
                HclObject map => map.Fields.Select(f => ((HclValue)new HclString(f.Key), f.Value)),
                _ => throw new InvalidOperationException($"dynamic \"{type}\": for_each is not known before apply ({forEach.Display()})."),
            };
            foreach (var (key, value) in elements)
            {
                var bound = new BoundScope(scope, new Dictionary<string, HclValue>
                {
                    [iterator] = new HclObject(new Dictionary<string, HclValue> { ["key"] = key, ["value"] = value }),
                });
                foreach (var content in TerraformConfiguration.Bodies(generator.GetProperty("content")))
                {
                    yield return new TerraformBody(content, bound);
                }
            }
        }
    }

    public TerraformBody? Block(string type) => Blocks(type).FirstOrDefault();
}
