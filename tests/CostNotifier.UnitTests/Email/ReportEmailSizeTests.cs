using System.Diagnostics;
using System.Text;
using Bogus;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Email;
using Xunit.Abstractions;

namespace CostNotifier.UnitTests.Email;

public sealed class ReportEmailSizeTests(ITestOutputHelper output)
{
    // Gmail hides everything after the first 102 KB of a message's HTML behind "[Message clipped]"; 102,400 bytes
    // is the hard limit. The worst case must leave a margin below it for transfer encoding and for clients that
    // count a little differently, so it is held to 90,000 bytes.
    private const int GmailClippingBytes = 102_400;
    private const int WorstCaseBytes = 90_000;
    private const string EscapedCurrency = "\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"";

    private readonly ReportEmailRenderer _renderer = new();

    [Fact]
    public void Render_ThreeHundredGroupsWithTheDefaultTop_StaysFarBelowGmailsClippingLimit()
    {
        // Arrange
        var snapshot = ManyGroups(seed: 41, count: 300, nameLength: 40);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(), snapshot, 1, Trigger.Scheduled);

        // Assert
        var bytes = Encoding.UTF8.GetByteCount(email.Html);
        output.WriteLine($"300 groups, top {ReportDefinition.DefaultTop}: HTML {bytes:N0} bytes, text {Encoding.UTF8.GetByteCount(email.Text):N0} bytes");
        Assert.InRange(bytes, 1, GmailClippingBytes / 4);
    }

    [Theory]
    [InlineData("USD")]
    [InlineData(EscapedCurrency)]
    public void Render_WorstCase_StaysWellBelowGmailsClippingLimit(string currency)
    {
        // Arrange: everything at its largest: the top 100 of 300 groups plus credits, every name, key and label at
        // its longest and made of characters that all need escaping, eight-figure amounts with absurd percentages,
        // every notice, a full "What changed", a projection, a budget already overrun and a full trend.
        var (report, snapshot) = WorstCase(currency);

        // Act
        var email = _renderer.Render(report, snapshot, 9, Trigger.Backfill);

        // Assert
        var bytes = Encoding.UTF8.GetByteCount(email.Html);
        output.WriteLine($"worst case ({currency.Length} character currency): HTML {bytes:N0} bytes, text {Encoding.UTF8.GetByteCount(email.Text):N0} bytes");
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal(100 + 1 + 1 + 5 + 1, page.GroupRows.Count);
        Assert.Equal(5 + 1 + 5 + 1 + 1, page.WhatChanged.Count);
        Assert.InRange(bytes, 1, WorstCaseBytes);
    }

    [Fact]
    public void Render_ThreeHundredGroups_TakesUnderTwentyMillisecondsPerEmail()
    {
        // Arrange
        var report = CostSnapshotFaker.Report();
        var snapshot = ManyGroups(seed: 43, count: 300, nameLength: 40);
        _renderer.Render(report, snapshot, 1, Trigger.Scheduled);
        const int emails = 200;

        // Act
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < emails; i++)
        {
            _renderer.Render(report, snapshot, 1, Trigger.Scheduled);
        }

        clock.Stop();

        // Assert: a generous bound that only a quadratic or template-engine renderer would break.
        var perEmail = clock.Elapsed.TotalMilliseconds / emails;
        output.WriteLine($"{perEmail:F3} ms per email of 300 groups");
        Assert.InRange(perEmail, 0, 20);
    }

    private static (ReportDefinition Report, CostSnapshot Snapshot) WorstCase(string currency)
    {
        // '"' is written as "&quot;", the longest escape: six bytes for one character.
        static string Quotes(int count) => new('"', count);
        var tagKey = Quotes(128);
        var groupBy = GroupBy.Parse("TAG:" + tagKey);
        var label = Quotes(ReportEmailModel.MaxLabelLength);
        var groups = Enumerable.Range(0, 300)
            .Select(i => new GroupLine(tagKey + "$" + label, 99_999_999.99m - i, 0.01m, 0.01m))
            .Concat(Enumerable.Range(0, 10).Select(i => new GroupLine(tagKey + "$" + label, -99_999_999.99m + i, -0.01m, null)))
            .ToList();
        var collected = CostSnapshotFaker.WithGroups(44, groups, estimated: true, groupBy: groupBy.ToString());
        var figures = collected.Figures with
        {
            Currency = currency,
            Metric = Quotes(100),
            PreviousDayTotal = collected.Figures.PreviousDayTotal + 12_345_678.91m,
            SameWeekdayLastWeekTotal = 0.01m,
            MonthToDate = 999_999_999.99m,
            Trend = [.. collected.Figures.Trend.Select(d => d with { Total = 9_999_999_999.99m, Estimated = true })],
            Anomalies =
            [
                .. Enumerable.Range(0, 10).Select(i => new CostAnomaly(
                    tagKey + "$" + label,
                    i % 2 == 0 ? AnomalyKind.Spike : AnomalyKind.Drop,
                    99_999_999.99m,
                    -99_999_999.99m,
                    -99_999_999.98m,
                    -199_999_999.99m)),
            ],
            Forecast = new MonthForecast("2026-11", 9_999_999_999.99m, -9_999_999_999.99m, 9_999_999_999.99m, Quotes(500)),
        };
        var snapshot = new CostSnapshotRevised(collected with { Figures = figures }, revisesVersion: 8, previousTotal: -99_999_999_999.99m)
        {
            Trigger = Trigger.Backfill,
            Restated = [.. Enumerable.Range(1, 10).Select(i => new RestatedPeriod($"2026-11-{i:00}", -99_999_999_999.99m, -99_999_999_999.98m, 2))],
        };
        var report = CostSnapshotFaker.Report(top: ReportEmailModel.MaxTop, name: Quotes(500), groupBy: groupBy, budget: 0.01m);
        return (report, snapshot);
    }

    private static CostSnapshotCollected ManyGroups(int seed, int count, int nameLength, bool hostile = false)
    {
        var faker = new Faker { Random = new Randomizer(seed) };
        var groups = Enumerable.Range(0, count)
            .Select(i =>
            {
                var name = i < CostSnapshotFaker.Services.Length ? CostSnapshotFaker.Services[i] : faker.Company.CompanyName() + " " + faker.Commerce.ProductName();
                name = (hostile ? "<&>\"' " : string.Empty) + name + new string('x', nameLength);
                var amount = Math.Round(faker.Random.Decimal(-5m, 2000m), 6);
                return new GroupLine(name[..nameLength] + i, amount, Math.Round(amount * 0.9m, 6), Math.Round(amount * 1.1m, 6));
            })
            .ToList();
        return CostSnapshotFaker.WithGroups(seed, groups);
    }
}
