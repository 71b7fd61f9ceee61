using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.EventStore;
using CostNotifier.Messaging;

namespace CostNotifier.UnitTests.Handlers;

/// <summary>
/// A per-account report: every account with someone to tell gets its share on its own stream, the organisation total
/// counts every account, and all of it comes from one request.
/// </summary>
public sealed class PerAccountCollectionTests : IDisposable
{
    private const string Owned = "111122223333";
    private const string Unowned = "444455556666";
    private const string Quiet = "777788889999";
    private static readonly ReportId Org = ReportId.Parse("org");
    private static readonly ReportDate Day = ReportDate.Parse("2026-11-24");
    private static readonly string[] Services = ["Amazon EC2", "Amazon S3", "AWS Lambda", "Amazon RDS"];

    private CollectorRig? _rig;

    public void Dispose() => _rig?.Dispose();

    [Fact]
    public async Task UnownedSkipped_SharesAreRecordedForTheOwnedAccountsOnly_AndTheTotalCountsEveryAccount()
    {
        var rig = Rig(UnownedAccounts.Skip);

        var result = await rig.Collect([Request()]);

        Assert.Equal(1, rig.Source.Calls);
        Assert.Equal(1, Assert.Single(result.Results).CostSourceRequests);
        Assert.Null(await rig.Latest(Org.ForAccount(Unowned), Day));
        var owned = await rig.Latest(Org.ForAccount(Owned), Day);
        Assert.Equal(rig.TotalOn(Share(Owned), Day), owned!.Figures.Total);
        Assert.Equal(0, owned.CostSourceRequests);
        var quiet = await rig.Latest(Org.ForAccount(Quiet), Day);
        Assert.Equal(0m, quiet!.Figures.Total);
        Assert.Empty(quiet.Figures.Groups);

        var total = await rig.Latest(Org, Day);
        Assert.Equal("LINKED_ACCOUNT", total!.Figures.GroupBy);
        Assert.Equal([Owned, Unowned], total.Figures.Groups.Select(g => g.Key).Order(StringComparer.Ordinal));
        Assert.Equal(rig.TotalOn(Share(Owned), Day) + rig.TotalOn(Share(Unowned), Day), total.Figures.Total);
        Assert.Equal(rig.TotalOn(Organisation(), Day), total.Figures.Total);
        Assert.Equal(rig.TotalOn(Share(Unowned), Day), total.Figures.Groups.Single(g => g.Key == Unowned).Amount);
        Assert.Equal(1, total.CostSourceRequests);

        var announced = rig.Announced();
        Assert.Equal([Org.ForAccount(Owned), Org.ForAccount(Quiet)], announced.Take(2).Select(a => a.ReportId).OrderBy(id => id.Value, StringComparer.Ordinal));
        Assert.Equal(Org, announced[^1].ReportId);
        Assert.Equal(3, announced.Count);
        Assert.Equal(3, rig.Events.Appended);
    }

    [Fact]
    public async Task UnownedToDefault_TheUnownedAccountsShareGoesToTheDefaultRecipients_NamedAsCostExplorerNamesIt()
    {
        var rig = Rig(UnownedAccounts.Default);

        await rig.Collect([Request()]);

        Assert.Equal(1, rig.Source.Calls);
        var unowned = await rig.Latest(Org.ForAccount(Unowned), Day);
        Assert.Equal(rig.TotalOn(Share(Unowned), Day), unowned!.Figures.Total);
        Assert.Equal("Sandbox (CE)", unowned.AccountName);
        Assert.Equal(["cloud@example.com"], rig.Catalog.Get(Org.ForAccount(Unowned)).Recipients);
        Assert.Equal(["pay@example.com"], rig.Catalog.Get(Org.ForAccount(Owned)).Recipients);
        Assert.Equal(["finance@example.com"], rig.Catalog.Get(Org).Recipients);
        Assert.Equal("Org costs: Sandbox (CE) (444455556666)", rig.Catalog.Get(Org.ForAccount(Unowned)).TitleFor(unowned.AccountName));

        var announced = rig.Announced().Select(a => a.ReportId).ToList();
        Assert.Equal([Org.ForAccount(Owned), Org.ForAccount(Unowned), Org.ForAccount(Quiet)], announced.Take(3).OrderBy(id => id.Value, StringComparer.Ordinal));
        Assert.Equal([Org], announced.Skip(3));
        Assert.Equal(4, rig.Events.Appended);
    }

    [Fact]
    public async Task AShareIsNamedFromTheConfigurationFirst_ThenFromCostExplorer()
    {
        var rig = Rig(UnownedAccounts.Default);

        await rig.Collect([Request()]);

        var owned = await rig.Latest(Org.ForAccount(Owned), Day);
        var quiet = await rig.Latest(Org.ForAccount(Quiet), Day);
        Assert.Equal("payments", owned!.AccountName);
        Assert.Equal("archive", quiet!.AccountName);
        Assert.Equal("Org costs: payments (111122223333)", rig.Catalog.Get(Org.ForAccount(Owned)).TitleFor(owned.AccountName));
        Assert.Equal("Org costs: payments (111122223333)", rig.Catalog.Get(Org.ForAccount(Owned)).TitleFor("Payments Prod (CE)"));
        Assert.Equal("Org costs", rig.Catalog.Get(Org).TitleFor("Payments Prod (CE)"));
    }

    [Fact]
    public async Task ARedeliveredPerAccountMessage_AsksForNothing_AndRecordsNoEventTwice()
    {
        var rig = Rig(UnownedAccounts.Default);
        await rig.Collect([Request()], "w1");
        var appended = rig.Events.Appended;

        var again = await rig.Collect([Request()], "w2");

        Assert.Equal(1, rig.Source.Calls);
        Assert.Equal(appended, rig.Events.Appended);
        Assert.Equal(0, again.CostSourceRequests);
        foreach (var account in new[] { Owned, Unowned, Quiet })
        {
            Assert.Single(await rig.Bed.Events.ReadStreamAsync(new StreamId(Org.ForAccount(account), Day), CancellationToken.None));
        }

        Assert.Single(await rig.Bed.Events.ReadStreamAsync(new StreamId(Org, Day), CancellationToken.None));
    }

    [Fact]
    public async Task SeveralDaysOfAPerAccountReport_CostOneRequest_AndTheirSnapshotsAddUpToIt()
    {
        var rig = Rig(UnownedAccounts.Skip);
        var days = DateRange.Inclusive(Day.AddDays(-6), Day).EachDay().ToList();

        var result = await rig.Collect([.. days.Select(d => Request(d))]);

        Assert.Equal(1, rig.Source.Calls);
        Assert.Equal(1, result.CostSourceRequests);
        var recorded = 0;
        foreach (var day in days)
        {
            var total = await rig.Latest(Org, day);
            Assert.Equal(rig.TotalOn(Organisation(), day), total!.Figures.Total);
            recorded += total.CostSourceRequests;
            recorded += (await rig.Latest(Org.ForAccount(Owned), day))!.CostSourceRequests;
            recorded += (await rig.Latest(Org.ForAccount(Quiet), day))!.CostSourceRequests;
        }

        Assert.Equal(1, recorded);
    }

    private static ReportRequested Request(ReportDate? day = null) =>
        new(Org, day ?? Day, Trigger.Scheduled, RequestId.Scheduled(day ?? Day));

    private static CostQuery Share(string account) =>
        new(DateRange.Single(Day), GroupBy.Service, [new FilterClause("LINKED_ACCOUNT", null, [account])], "UnblendedCost");

    private static CostQuery Organisation() => new(DateRange.Single(Day), GroupBy.LinkedAccount, [], "UnblendedCost");

    private CollectorRig Rig(UnownedAccounts unowned)
    {
        var report = new ReportDefinition(Org, "Org costs", ["finance@example.com"], GroupBy.LinkedAccount, 10, [])
        {
            PerAccount = new PerAccountSettings(
                new Dictionary<string, AccountSettings>(StringComparer.Ordinal)
                {
                    [Owned] = new("payments", ["pay@example.com"]),
                    [Quiet] = new("archive", ["archive@example.com"]),
                },
                unowned,
                unowned == UnownedAccounts.Default ? ["cloud@example.com"] : []),
        };
        _rig = new CollectorRig(new ReportCatalog([report]), [Owned, Unowned], Services);
        _rig.Source.Names[Owned] = "Payments Prod (CE)";
        _rig.Source.Names[Unowned] = "Sandbox (CE)";
        return _rig;
    }
}
