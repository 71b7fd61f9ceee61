namespace CostNotifier.Domain;

/// <summary>How often a report is sent, and so how long the period each email covers is.</summary>
public enum Cadence
{
    /// <summary>One UTC usage day; sent every morning.</summary>
    Daily,

    /// <summary>An ISO week of UTC usage days, Monday to Sunday; sent after its Sunday.</summary>
    Weekly,

    /// <summary>A calendar month of UTC usage days; sent after its last day.</summary>
    Monthly,
}

/// <summary>Configuration names of <see cref="Cadence"/>.</summary>
public static class Cadences
{
    /// <summary>Every cadence.</summary>
    public static IReadOnlyList<Cadence> All { get; } = [Cadence.Daily, Cadence.Weekly, Cadence.Monthly];

    /// <summary>The name a cadence is configured and shown as.</summary>
    public static string ToWireName(this Cadence cadence) => cadence switch
    {
        Cadence.Daily => "daily",
        Cadence.Weekly => "weekly",
        Cadence.Monthly => "monthly",
        _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, "Not a cadence."),
    };

    /// <summary>Parses a configured name or throws <see cref="FormatException"/> naming the choices.</summary>
    public static Cadence Parse(string? text) => text switch
    {
        "daily" => Cadence.Daily,
        "weekly" => Cadence.Weekly,
        "monthly" => Cadence.Monthly,
        _ => throw new FormatException($"'{text}' must be one of {string.Join(", ", All.Select(c => c.ToWireName()))}"),
    };
}
