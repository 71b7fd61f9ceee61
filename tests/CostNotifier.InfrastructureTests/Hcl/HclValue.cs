using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CostNotifier.InfrastructureTests.Hcl;

/// <summary>A value an HCL expression evaluates to, as far as it can be known without an AWS account.</summary>
public abstract record HclValue
{
    public static readonly HclValue Null = new HclNull();

    // Terraform's jsonencode escapes quotes as \" rather than \u0022.
    internal static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Whether the value (and everything inside it) is known at plan time.</summary>
    public virtual bool IsKnown => true;

    public abstract string Display();

    /// <summary>Renders the value the way <c>jsonencode</c> would; references render as <c>${address}</c>.</summary>
    public string ToJson()
    {
        var buffer = new StringBuilder();
        WriteJson(buffer);
        return buffer.ToString();
    }

    internal abstract void WriteJson(StringBuilder json);

    public override string ToString() => Display();
}

public sealed record HclNull : HclValue
{
    public override string Display() => "null";

    internal override void WriteJson(StringBuilder json) => json.Append("null");
}

public sealed record HclString(string Value) : HclValue
{
    public override string Display() => Value;

    internal override void WriteJson(StringBuilder json) => json.Append(JsonSerializer.Serialize(Value, JsonOptions));
}

public sealed record HclNumber(decimal Value) : HclValue
{
    public override string Display() => Value.ToString(CultureInfo.InvariantCulture);

    internal override void WriteJson(StringBuilder json) => json.Append(Display());
}

public sealed record HclBool(bool Value) : HclValue
{
    public override string Display() => Value ? "true" : "false";

    internal override void WriteJson(StringBuilder json) => json.Append(Display());
}

public sealed record HclList(IReadOnlyList<HclValue> Items) : HclValue
{
    public override bool IsKnown => Items.All(i => i.IsKnown);

    public override string Display() => "[" + string.Join(", ", Items.Select(i => i.Display())) + "]";

    internal override void WriteJson(StringBuilder json)
    {
        json.Append('[');
        for (var i = 0; i < Items.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            Items[i].WriteJson(json);
        }

        json.Append(']');
    }
}

public sealed record HclObject(IReadOnlyDictionary<string, HclValue> Fields) : HclValue
{
    public override bool IsKnown => Fields.Values.All(v => v.IsKnown);

    public HclValue this[string key] => Fields.TryGetValue(key, out var value) ? value : Null;

    public override string Display() => "{" + string.Join(", ", Fields.Select(f => $"{f.Key} = {f.Value.Display()}")) + "}";

    internal override void WriteJson(StringBuilder json)
    {
        json.Append('{');
        var first = true;
        foreach (var (key, value) in Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                json.Append(',');
            }

            first = false;
            json.Append(JsonSerializer.Serialize(key, JsonOptions)).Append(':');
            value.WriteJson(json);
        }

        json.Append('}');
    }
}

/// <summary>
/// An attribute of a resource or data source, known only after apply (an ARN, a URL, a name AWS returns).
/// <paramref name="Module"/> is the module instance path ("" for the root module).
/// </summary>
public sealed record HclReference(string Module, string Address) : HclValue
{
    public override bool IsKnown => false;

    /// <summary>Resource part of the address: <c>aws_sqs_queue.collector</c> of <c>aws_sqs_queue.collector.arn</c>.</summary>
    public string Resource => Address.StartsWith("data.", StringComparison.Ordinal)
        ? string.Join('.', Address.Split('.').Take(3))
        : string.Join('.', Address.Split('.').Take(2));

    public string Attribute => Address[Resource.Length..].TrimStart('.');

    public HclReference Then(string step) => this with { Address = $"{Address}.{step}" };

    public override string Display() => "${" + Address + "}";

    internal override void WriteJson(StringBuilder json) => json.Append(JsonSerializer.Serialize(Display(), JsonOptions));
}

/// <summary>A value the evaluator cannot know (a file hash, a template around a reference, an unsupported function).</summary>
public sealed record HclUnknown(string Description) : HclValue
{
    public override bool IsKnown => false;

    public override string Display() => Description;

    internal override void WriteJson(StringBuilder json) => json.Append(JsonSerializer.Serialize(Description, JsonOptions));
}
