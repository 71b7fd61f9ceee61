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
    // Gmail hides everything after the first 102 KB of a message's HTML behind "[Message clipped]".
    private const int GmailClippingBytes = 102_000;

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

    [Fact]
    public void Render_ThreeHundredLongNamedGroupsWithTheLargestTop_StaysBelowGmailsClippingLimit()
    {
        // Arrange: the worst a valid configuration allows, 100 rows of 80-character names with HTML to escape.
        // Below 80 KB leaves a fifth of the limit for transfer encoding and for the clients that count it.
        var snapshot = ManyGroups(seed: 42, count: 300, nameLength: 80, hostile: true);

        // Act
        var email = _renderer.Render(CostSnapshotFaker.Report(top: 100), snapshot, 1, Trigger.Backfill);

        // Assert
        var bytes = Encoding.UTF8.GetByteCount(email.Html);
        output.WriteLine($"300 groups, top 100, 80-character names: HTML {bytes:N0} bytes");
        Assert.InRange(bytes, 1, 80_000);
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
