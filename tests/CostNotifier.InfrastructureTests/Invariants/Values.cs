using System.Text.Json;
using CostNotifier.InfrastructureTests.Hcl;
using CostNotifier.InfrastructureTests.Terraform;

namespace CostNotifier.InfrastructureTests.Invariants;

/// <summary>Small readers over evaluated values, so the checks read as the rules they state.</summary>
internal static class Values
{
    public static string? Text(this HclValue value) => value is HclString s ? s.Value : null;

    public static decimal? Number(this HclValue value) => value is HclNumber n ? n.Value : null;

    public static bool IsTrue(this HclValue value) => value is HclBool { Value: true };

    public static IReadOnlyList<HclValue> Items(this HclValue value) => value switch
    {
        HclList list => list.Items,
        HclNull => [],
        _ => [value],
    };

    public static IEnumerable<string> Texts(this HclValue value) => value.Items().Select(i => i.Text() ?? i.Display());

    /// <summary>
    /// Reads a <c>jsonencode(...)</c> attribute back. References inside it were rendered as <c>${address}</c>;
    /// <see cref="ReferenceIn"/> turns such a string back into a reference.
    /// </summary>
    public static JsonElement? DecodeJson(this HclValue value)
    {
        if (value.Text() is not { } text)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static HclReference? ReferenceIn(JsonElement element, ResourceInstance owner) =>
        element.ValueKind == JsonValueKind.String && element.GetString() is { } s && s.StartsWith("${", StringComparison.Ordinal) && s.EndsWith('}')
            ? new HclReference(owner.Module.Path, s[2..^1])
            : null;

    /// <summary>Whether an attribute value names the resource: a reference to its <paramref name="attribute"/> or the same literal.</summary>
    public static bool Names(this HclValue value, ResourceInstance resource, string attribute) =>
        resource.IsReferencedBy(value, attribute)
        || (value.Text() is { } text && resource.Body[attribute].Text() == text);
}
