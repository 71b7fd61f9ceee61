using System.Text.Json;
using CostNotifier.Domain;
using CostNotifier.Messaging;

namespace CostNotifier.UnitTests.Messaging;

/// <summary>The published schemas in docs/schemas must describe what the code writes and reads.</summary>
public sealed class MessageSchemaTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("ReportRequested.v2.schema.json", "ReportRequested")]
    [InlineData("CostSnapshotReady.v2.schema.json", "CostSnapshotReady")]
    public void Schema_RequiresExactlyTheFieldsTheCodecWrites(string file, string type)
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "schemas", file)));
        var body = type == "ReportRequested"
            ? MessageCodec.Encode(new ReportRequested(ReportId.Parse("daily"), ReportDate.Parse("2026-11-24"), Trigger.Replay, RequestId.Parse("r1")), "id", "corr", Now)
            : MessageCodec.Encode(new CostSnapshotReady(ReportId.Parse("daily"), ReportDate.Parse("2026-11-24"), 1, RequestId.Parse("r1"), Trigger.Replay), "id", "corr", Now);
        using var message = JsonDocument.Parse(body);

        Assert.Equal(type, schema.RootElement.GetProperty("properties").GetProperty("type").GetProperty("const").GetString());
        Assert.Equal(Names(message.RootElement), Required(schema.RootElement));
        Assert.Equal(
            Names(message.RootElement.GetProperty("payload")),
            Required(schema.RootElement.GetProperty("properties").GetProperty("payload")));
    }

    [Theory]
    [InlineData("ReportRequested.v2.schema.json", "weekly-by-service", "2026-W48")]
    [InlineData("ReportRequested.v1.schema.json", "daily-by-service", "2026-11-24")]
    public void SchemaExample_IsAMessageTheCollectorReads(string file, string report, string period)
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "schemas", file)));
        var example = schema.RootElement.GetProperty("examples")[0].GetRawText();

        var decoded = MessageCodec.DecodeReportRequested(example);

        Assert.Equal(report, decoded.Payload.ReportId.Value);
        Assert.Equal(period, decoded.Payload.Period.ToString());
    }

    [Fact]
    public void ReportsRequestedSchema_RequiresExactlyTheFieldsTheCodecWrites_AndItsExampleIsRead()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "schemas", "ReportsRequested.v2.schema.json")));
        var item = new ReportRequested(ReportId.Parse("daily"), ReportDate.Parse("2026-11-24"), Trigger.Replay, RequestId.Parse("r1"));
        using var message = JsonDocument.Parse(MessageCodec.Encode(new ReportsRequested([item, item with { Period = ReportDate.Parse("2026-11-25") }]), "id", "corr", Now));
        var payload = schema.RootElement.GetProperty("properties").GetProperty("payload");

        Assert.Equal(Names(message.RootElement), Required(schema.RootElement));
        Assert.Equal(Names(message.RootElement.GetProperty("payload")), Required(payload));
        Assert.Equal(
            Names(message.RootElement.GetProperty("payload").GetProperty("requests")[0]),
            Required(payload.GetProperty("properties").GetProperty("requests").GetProperty("items")));

        var example = MessageCodec.DecodeCollectorMessage(schema.RootElement.GetProperty("examples")[0].GetRawText());
        Assert.Equal(["2026-11-28", "2026-11-29", "2026-W48"], example.Payload.Select(r => r.Period.ToString()));
    }

    private static List<string> Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();

    private static List<string> Required(JsonElement schema) =>
        schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToList();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CostNotifier.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CostNotifier.sln not found above " + AppContext.BaseDirectory);
    }
}
