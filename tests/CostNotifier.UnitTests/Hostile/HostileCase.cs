using System.Globalization;
using System.Text;
using System.Text.Json;
using CostNotifier.Domain;
using CostNotifier.UnitTests.Reliability;

namespace CostNotifier.UnitTests.Hostile;

/// <summary>One entry of <c>cases.json</c>: a hostile or malformed input and the outcome it must have.</summary>
internal sealed record HostileCase(string Id, string Kind, string Expect, JsonElement Json)
{
    private static readonly Lazy<IReadOnlyDictionary<string, HostileCase>> All = new(Load);

    public static readonly ReportDate Yesterday = ReportDate.FromInstant(FaultyEmbeddedStack.Start).AddDays(-1);

    public static IReadOnlyDictionary<string, HostileCase> Catalogue => All.Value;

    public string? Reason => Text("reason") is { } reason ? Fill(reason) : null;

    public string? Text(string property) =>
        Json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public int? Number(string property) =>
        Json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    public IReadOnlyList<string> Strings(string property) =>
        Json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(v => v.GetString()!)]
            : [];

    /// <summary>The message body with its tokens filled in and its padding repeated.</summary>
    public string Body()
    {
        var body = Fill(Text("body") ?? throw new InvalidOperationException($"Case {Id} has no body."));
        if (Number("padCount") is { } count)
        {
            body = body
                .Replace("{pad}", string.Concat(Enumerable.Repeat(Text("pad") ?? "x", count)), StringComparison.Ordinal)
                .Replace("{close}", string.Concat(Enumerable.Repeat(Text("close") ?? string.Empty, count)), StringComparison.Ordinal);
        }

        return body;
    }

    /// <summary>Replaces the date and report tokens of a message template.</summary>
    public static string Fill(string template) => template
        .Replace("{yesterday}", Yesterday.ToString(), StringComparison.Ordinal)
        .Replace("{today}", Yesterday.AddDays(1).ToString(), StringComparison.Ordinal)
        .Replace("{tomorrow}", Yesterday.AddDays(2).ToString(), StringComparison.Ordinal)
        .Replace("{old}", new ReportDate(Yesterday.Day.AddMonths(-14)).ToString(), StringComparison.Ordinal)
        .Replace("{report}", "by-service", StringComparison.Ordinal)
        .Replace("{now}", FaultyEmbeddedStack.Start.ToString("O", CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public override string ToString() => Id;

    private static Dictionary<string, HostileCase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Hostile", "cases.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path, Encoding.UTF8));
        var cases = new Dictionary<string, HostileCase>(StringComparer.Ordinal);
        foreach (var entry in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var id = entry.GetProperty("id").GetString()!;
            cases.Add(id, new HostileCase(id, entry.GetProperty("kind").GetString()!, entry.GetProperty("expect").GetString()!, entry.Clone()));
        }

        return cases;
    }
}
