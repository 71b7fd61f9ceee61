using System.Security.Cryptography;
using System.Text;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Email;
using Xunit.Abstractions;

namespace CostNotifier.UnitTests.Email;

/// <summary>
/// The daily email, byte for byte, as it was before the renderer learned to write weekly and monthly digests: the
/// digests share its writers, and a change meant for them must not leak into the email people get every morning.
/// When the daily email is changed on purpose, run these tests, check the new renderings by eye and paste the hashes
/// they print.
/// </summary>
public sealed class DailyEmailBaselineTests(ITestOutputHelper output)
{
    private readonly ReportEmailRenderer _renderer = new();

    public static TheoryData<string, string> Baselines => new()
    {
        { "insights-and-budget", "B3D20B8534064D3BE9CE4791D99C88412908913931415E15F21EC0B6A246195D" },
        { "estimated-revised-replay", "5BDFEC9619E4841FAA75EFDDADA73D5B7E54FAED5E0ED62FDA8742C2A0F6E42C" },
        { "tag-euro-credits-new-and-gone", "361779665132447A70AD175F9D3F2D088F291BA5E43F497C2EA123A1F485777C" },
        { "hostile-hundred-rows", "8253E59D4D7D0B4773A3D8D535BD1997919B331E9BBAE8A2C8A3D6A8979EC391" },
        { "no-comparisons-no-trend", "5BDC7FAFA02BAD129017803F834D0C778202B76A49109F3607A7BFAC2ACDB220" },
    };

    [Theory]
    [MemberData(nameof(Baselines))]
    public void Render_DailySnapshot_IsByteForByteTheEmailItWasBeforeDigests(string name, string expectedHash)
    {
        // Arrange
        var (report, snapshot, version, trigger) = Case(name);

        // Act
        var email = _renderer.Render(report, snapshot, version, trigger);

        // Assert
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(email.Subject + "\0" + email.Html + "\0" + email.Text)));
        output.WriteLine($"{name}: {hash} (HTML {Encoding.UTF8.GetByteCount(email.Html):N0} bytes)");
        Assert.Equal(expectedHash, hash);
    }

    private static (ReportDefinition Report, CostSnapshot Snapshot, long Version, Trigger Trigger) Case(string name) => name switch
    {
        "insights-and-budget" => (CostSnapshotFaker.Report(budget: 9_000m), CostSnapshotFaker.Snapshot(101, groupCount: 22).WithInsights(), 1, Trigger.Scheduled),
        "estimated-revised-replay" => (
            CostSnapshotFaker.Report(top: 5),
            new CostSnapshotRevised(CostSnapshotFaker.Snapshot(102, estimated: true).WithInsights(), revisesVersion: 2, previousTotal: 1_234.5m),
            3,
            Trigger.Replay),
        "tag-euro-credits-new-and-gone" => (
            CostSnapshotFaker.Report(top: 2, groupBy: GroupBy.Parse("TAG:team")),
            CostSnapshotFaker.WithGroups(
                103,
                [
                    new GroupLine("team$payments", 500m, 400m, 450m),
                    new GroupLine("team$search", 0m, 50m, 40m),
                    new GroupLine("team$ml", 20.125m, null, null),
                    new GroupLine("team$", 7.5m, 7m, 8m),
                    new GroupLine("team$credits", -5m, -3m, null),
                ],
                groupBy: "TAG:team").WithFigures(f => f with { Currency = "EUR" }),
            1,
            Trigger.Backfill),
        "hostile-hundred-rows" => (
            CostSnapshotFaker.Report(top: ReportEmailModel.MaxTop, name: "<b>\"Prod\" & 'co'</b>"),
            CostSnapshotFaker.WithGroups(
                104,
                [.. Enumerable.Range(0, 150).Select(i => new GroupLine($"<&>\"' {CostSnapshotFaker.Services[i % CostSnapshotFaker.Services.Length]} {i}", 2_000m - (i * 13.37m), 1_900m - (i * 11.1m), null))]),
            7,
            Trigger.Scheduled),
        _ => (
            CostSnapshotFaker.Report(),
            CostSnapshotFaker.WithGroups(105, [new GroupLine("AWS Lambda", 12.345m, null, null)]).WithFigures(f => f with
            {
                PreviousDayTotal = null,
                SameWeekdayLastWeekTotal = null,
                Trend = [],
            }),
            1,
            Trigger.Scheduled),
    };
}
