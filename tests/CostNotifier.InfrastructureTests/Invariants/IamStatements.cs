using CostNotifier.InfrastructureTests.Hcl;
using CostNotifier.InfrastructureTests.Terraform;

namespace CostNotifier.InfrastructureTests.Invariants;

public sealed record IamCondition(string Test, string Variable, IReadOnlyList<HclValue> Values);

/// <summary>A <c>principals</c> block of a resource policy or trust policy.</summary>
public sealed record IamPrincipal(string Type, IReadOnlyList<string> Identifiers);

/// <summary>One statement of an <c>aws_iam_policy_document</c>, evaluated.</summary>
public sealed record IamStatement(
    ResourceInstance Document,
    string Sid,
    IReadOnlyList<string> Actions,
    IReadOnlyList<HclValue> Resources,
    IReadOnlyList<IamCondition> Conditions,
    IReadOnlyList<IamPrincipal> Principals,
    bool UsesNotActionsOrNotResources)
{
    /// <summary>
    /// Whether the statement names principals: a role's trust policy or a resource's own policy (a topic's, a
    /// queue's), not what a role may do.
    /// </summary>
    public bool IsTrustPolicy => Principals.Count > 0;

    /// <summary>The values of the condition on <paramref name="variable"/> (case-insensitive, as IAM compares keys) with the given test, or null.</summary>
    public IReadOnlyList<HclValue>? ConditionValues(string test, string variable) =>
        Conditions.FirstOrDefault(c => c.Test == test && string.Equals(c.Variable, variable, StringComparison.OrdinalIgnoreCase))?.Values;

    public string Location => $"{Document.Declaration.File}: {Document.Address} statement \"{Sid}\"";

    public static IEnumerable<IamStatement> All(TerraformStack stack) =>
        stack.DataSources("aws_iam_policy_document").SelectMany(Of);

    public static IEnumerable<IamStatement> Of(ResourceInstance document) =>
        document.Body.Blocks("statement").Select((statement, index) => new IamStatement(
            document,
            statement["sid"].Text() ?? $"#{index + 1}",
            [.. statement["actions"].Texts()],
            statement["resources"].Items(),
            [.. statement.Blocks("condition").Select(c => new IamCondition(c["test"].Text() ?? "", c["variable"].Text() ?? "", c["values"].Items()))],
            [.. statement.Blocks("principals").Select(p => new IamPrincipal(p["type"].Text() ?? "", [.. p["identifiers"].Texts()]))],
            statement.Has("not_actions") || statement.Has("not_resources") || statement.Blocks("not_principals").Any()));

    /// <summary>The statements of the inline policies attached to the role a function runs as.</summary>
    public static IEnumerable<IamStatement> OfRole(TerraformStack stack, ResourceInstance role) =>
        stack.Resources("aws_iam_role_policy")
            .Where(p => p.Body["role"].Names(role, "id") || p.Body["role"].Names(role, "name"))
            .Select(p => stack.Find(ReferenceToDocument(p.Body["policy"])))
            .OfType<ResourceInstance>()
            .SelectMany(Of);

    public static HclValue ReferenceToDocument(HclValue policy) =>
        policy is HclReference { Attribute: "json" } r && r.Resource.StartsWith("data.aws_iam_policy_document.", StringComparison.Ordinal) ? r : HclValue.Null;
}
