using System.Text;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Email;
using Xunit.Abstractions;

namespace CostNotifier.UnitTests.Email;

public sealed class DigestEmailSizeTests(ITestOutputHelper output)
{
    // The limit the daily worst case is held to (see ReportEmailSizeTests): Gmail clips HTML beyond 102,400 bytes,
    // and the margin covers transfer encoding and clients that count a little differently.
    private const int WorstCaseBytes = 90_000;
    private const string EscapedCurrency = "\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"";

    private readonly ReportEmailRenderer _renderer = new();

    [Theory]
    [InlineData(Cadence.Weekly, "USD")]
    [InlineData(Cadence.Weekly, EscapedCurrency)]
    [InlineData(Cadence.Monthly, "USD")]
    [InlineData(Cadence.Monthly, EscapedCurrency)]
    public void Render_DigestWorstCase_StaysWellBelowGmailsClippingLimit(Cadence cadence, string currency)
    {
        // Arrange: every section at its largest: the top 100 of 300 groups plus credits, ten movers, seven days, a
        // full "What changed", every notice, the longest trend, a forecast check or projection and a budget, every
        // name and label at its longest and made of the character whose escape is longest.
        var (report, snapshot) = WorstCase(cadence, currency);

        // Act
        var email = _renderer.Render(report, snapshot, 9, Trigger.Backfill);

        // Assert
        var bytes = Encoding.UTF8.GetByteCount(email.Html);
        output.WriteLine($"{cadence.ToWireName()} digest worst case ({currency.Length} character currency): HTML {bytes:N0} bytes, text {Encoding.UTF8.GetByteCount(email.Text):N0} bytes");
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal(100 + 1 + 1 + 5 + 1, page.GroupRows.Count);
        Assert.Equal(2 * GroupMovers.MaxPerDirection, page.Movers.Count);
        Assert.Equal(cadence == Cadence.Weekly ? 7 : 0, page.Days.Count);
        Assert.Equal(5 + 1 + 5 + 1 + (cadence == Cadence.Weekly ? 1 : 0), page.WhatChanged.Count);
        Assert.InRange(bytes, 1, WorstCaseBytes);
    }

    private static (ReportDefinition Report, CostSnapshot Snapshot) WorstCase(Cadence cadence, string currency)
    {
        // '"' is written as "&quot;", the longest escape: six bytes for one character.
        static string Quotes(int count) => new('"', count);
        var tagKey = Quotes(128);
        var groupBy = GroupBy.Parse("TAG:" + tagKey);
        var label = Quotes(ReportEmailModel.MaxLabelLength);
        var weekly = cadence == Cadence.Weekly;
        var period = ReportPeriod.Parse(weekly ? DigestSnapshots.Week : DigestSnapshots.Month);

        // Groups that rose, fell, appeared and vanished by eight-figure amounts, so every mover's cell is at its widest.
        var groups = Enumerable.Range(0, 300)
            .Select(i => new GroupLine(tagKey + "$" + label, i % 3 == 2 ? 0m : 99_999_999.99m - i, i % 3 == 1 ? null : 88_888_888.88m + (i % 2 == 0 ? -i : i), 0.01m))
            .Concat(Enumerable.Range(0, 10).Select(i => new GroupLine(tagKey + "$" + label, -99_999_999.99m + i, -0.01m, null)))
            .ToList();
        var total = groups.Sum(g => g.Amount);
        var trend = Enumerable.Range(0, weekly ? 12 : 13)
            .Select(i => period.Add(i - (weekly ? 11 : 12)))
            .Select(p => new DayTotal(p.ToString(), 9_999_999_999.99m, true))
            .ToList();
        var days = Enumerable.Range(0, 7).Select(i => new DayTotal(period.First.AddDays(i).ToString(), 9_999_999_999.99m - i, true)).ToList();
        var figures = new CostFigures(
            groupBy.ToString(),
            Quotes(100),
            currency,
            total,
            true,
            groups.Sum(g => g.PreviousDay ?? 0m) + 12_345_678.91m,
            null,
            999_999_999.99m,
            groups,
            trend)
        {
            Anomalies =
            [
                .. Enumerable.Range(0, 10).Select(i => new CostAnomaly(
                    tagKey + "$" + label,
                    i % 2 == 0 ? AnomalyKind.Spike : AnomalyKind.Drop,
                    99_999_999.99m,
                    -99_999_999.99m,
                    -99_999_999.98m,
                    -199_999_999.99m) { Date = period.First.AddDays(i % 7).ToString() }),
            ],
            Forecast = weekly ? new MonthForecast("2026-11", 9_999_999_999.99m, -9_999_999_999.99m, 9_999_999_999.99m, Quotes(500)) : null,
            Digest = new DigestFigures(
                period.Previous.ToString(),
                period.Add(weekly ? -4 : -12).ToString(),
                weekly ? days : [],
                weekly ? null : new ForecastCheck(Quotes(500), Quotes(500), -9_999_999_999.99m, -9_999_999_999.99m, 9_999_999_999.99m)),
        };
        var collected = new CostSnapshotCollected
        {
            ReportId = "production",
            Date = period.ToString(),
            RequestId = "backfill-" + period,
            Trigger = Trigger.Backfill,
            Figures = figures,
            Restated = [.. Enumerable.Range(1, 10).Select(i => new RestatedPeriod(period.Add(-i).ToString(), -99_999_999_999.99m, -99_999_999_999.98m, 2))],
            CostSourceRequests = 4,
            CollectedAt = new DateTimeOffset(2026, 12, 1, 6, 12, 0, TimeSpan.Zero),
        };
        var snapshot = new CostSnapshotRevised(collected, revisesVersion: 8, previousTotal: -99_999_999_999.99m);
        var report = CostSnapshotFaker.Report(top: ReportEmailModel.MaxTop, name: Quotes(500), groupBy: groupBy, budget: 0.01m) with { Cadence = cadence };
        return (report, snapshot);
    }
}
