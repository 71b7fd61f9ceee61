namespace CostNotifier.InfrastructureTests;

internal static class Violations
{
    /// <summary>Fails with every violation on its own line, so one run shows all that is wrong.</summary>
    public static void AssertNone(IReadOnlyList<string> violations) =>
        Assert.True(violations.Count == 0, $"{violations.Count} violation(s):{Environment.NewLine} - {string.Join($"{Environment.NewLine} - ", violations)}");
}
