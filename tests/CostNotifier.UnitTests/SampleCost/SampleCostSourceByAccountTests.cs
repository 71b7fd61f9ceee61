using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Embedded.SampleCost;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.SampleCost;

/// <summary>
/// The sample source read by account: whichever way a day's cost is asked for (by service, by account, by account and
/// service or tag, filtered to some accounts), the figures agree to the last digit of the decimal.
/// </summary>
public sealed class SampleCostSourceByAccountTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    private static readonly string[] DefaultAccounts = ["111122223333", "444455556666", "777788889999", "123456789012", "210987654321"];

    // A thousand twelve-digit ids, spread out so that their last four digits repeat now and then.
    private static readonly string[] ThousandAccounts =
        [.. Enumerable.Range(0, 1000).Select(i => (100000000000L + (i * 7919L * 1000003L % 899999999999L)).ToString(System.Globalization.CultureInfo.InvariantCulture))];

    // Every day of most of a year, month starts (support, tax) and credits included.
    private static readonly DateRange Year = DateRange.Inclusive(ReportDate.Parse("2026-01-01"), ReportDate.Parse("2026-11-24"));

    // Fewer days for the thousand accounts: every table is a thousand columns wide.
    private static readonly DateRange Month = DateRange.Inclusive(ReportDate.Parse("2026-10-25"), ReportDate.Parse("2026-11-24"));

    public static TheoryData<string> Organisations => ["default", "seven", "thousand"];

    [Theory]
    [MemberData(nameof(Organisations))]
    public async Task ByAccountAndService_SummedOverAccounts_IsThePlainServiceAnswerToTheLastDigit(string organisation)
    {
        var (source, period) = Organisation(organisation);

        var plain = await Query(source, period, GroupBy.Service);
        var byAccount = await Query(source, period, GroupBy.Service, byAccount: true);

        AssertSameDays(plain, byAccount);
        for (var i = 0; i < plain.Days.Count; i++)
        {
            Assert.Equal(Totals(plain.Days[i].Groups, g => g.Key), Totals(byAccount.Days[i].Groups, g => g.Key));
        }
    }

    [Theory]
    [MemberData(nameof(Organisations))]
    public async Task ByAccountAndTag_SummedOverAccounts_IsThePlainTagAnswerToTheLastDigit(string organisation)
    {
        var (source, period) = Organisation(organisation);
        var team = GroupBy.Parse("TAG:team");

        var plain = await Query(source, period, team);
        var byAccount = await Query(source, period, team, byAccount: true);

        AssertSameDays(plain, byAccount);
        for (var i = 0; i < plain.Days.Count; i++)
        {
            Assert.Equal(Totals(plain.Days[i].Groups, g => g.Key), Totals(byAccount.Days[i].Groups, g => g.Key));
        }
    }

    [Theory]
    [MemberData(nameof(Organisations))]
    public async Task ThePlainLinkedAccountAnswer_IsTheByAccountAnswerSummedOverServices(string organisation)
    {
        var (source, period) = Organisation(organisation);

        var plain = await Query(source, period, GroupBy.LinkedAccount);
        var byAccount = await Query(source, period, GroupBy.Service, byAccount: true);
        var byAccountAndTag = await Query(source, period, GroupBy.Parse("TAG:team"), byAccount: true);

        AssertSameDays(plain, byAccount);
        for (var i = 0; i < plain.Days.Count; i++)
        {
            var accounts = Totals(plain.Days[i].Groups, g => g.Key);
            Assert.Equal(accounts, Totals(byAccount.Days[i].Groups, g => g.Account!));
            Assert.Equal(accounts, Totals(byAccountAndTag.Days[i].Groups, g => g.Account!));
        }
    }

    [Theory]
    [MemberData(nameof(Organisations))]
    public async Task EveryGroupOfAnAnswerByAccount_NamesAKnownAccount_AndEveryAccountHasEveryService(string organisation)
    {
        var (source, _) = Organisation(organisation);
        var day = DateRange.Single(ReportDate.Parse("2026-11-01"));

        var plain = await Query(source, day, GroupBy.Service);
        var byAccount = await Query(source, day, GroupBy.Service, byAccount: true);

        var accounts = AccountsOf(organisation);
        var services = plain.Days[0].Groups.Select(g => g.Key).ToList();
        Assert.Equal(accounts.Count * services.Count, byAccount.Days[0].Groups.Count);
        Assert.Equal(
            accounts.SelectMany(a => services.Select(s => (a, s))),
            byAccount.Days[0].Groups.Select(g => (g.Account!, g.Key)));
        Assert.All(byAccount.Days[0].Groups, g => Assert.Equal("USD", g.Currency));
    }

    [Fact]
    public async Task AQueryFilteredToOneAccount_IsThatAccountsGroupsOfTheAnswerByAccount_ForEveryDefaultAccount()
    {
        var source = new SampleCostSource(Time);
        var byAccount = await Query(source, Year, GroupBy.Service, byAccount: true);

        foreach (var account in DefaultAccounts)
        {
            var filtered = await Query(source, Year, GroupBy.Service, [new FilterClause("LINKED_ACCOUNT", null, [account])]);

            AssertSameDays(byAccount, filtered);
            for (var i = 0; i < filtered.Days.Count; i++)
            {
                Assert.Equal(
                    byAccount.Days[i].Groups.Where(g => g.Account == account).Select(g => (g.Key, g.Amount)),
                    filtered.Days[i].Groups.Select(g => (g.Key, g.Amount)));
                Assert.All(filtered.Days[i].Groups, g => Assert.Null(g.Account));
            }
        }
    }

    [Fact]
    public async Task AQueryFilteredToOneOfAThousandAccounts_IsThatAccountsGroupsOfTheAnswerByAccount_ForServiceAndTag()
    {
        var source = new SampleCostSource(Time, ThousandAccounts);
        var period = DateRange.Inclusive(ReportDate.Parse("2026-10-25"), ReportDate.Parse("2026-11-24"));
        foreach (var groupBy in new[] { GroupBy.Service, GroupBy.Parse("TAG:team") })
        {
            var byAccount = await Query(source, period, groupBy, byAccount: true);
            foreach (var account in ThousandAccounts.Where((_, i) => i % 199 == 0))
            {
                var filtered = await Query(source, period, groupBy, [new FilterClause("LINKED_ACCOUNT", null, [account])]);

                for (var i = 0; i < filtered.Days.Count; i++)
                {
                    Assert.Equal(
                        byAccount.Days[i].Groups.Where(g => g.Account == account).Select(g => (g.Key, g.Amount)),
                        filtered.Days[i].Groups.Select(g => (g.Key, g.Amount)));
                }
            }
        }
    }

    [Fact]
    public async Task AQueryByAccountFilteredToSomeAccounts_KeepsExactlyTheirGroups()
    {
        var source = new SampleCostSource(Time);
        var kept = new[] { "444455556666", "210987654321" };
        var byAccount = await Query(source, Year, GroupBy.Service, byAccount: true);

        var filtered = await Query(source, Year, GroupBy.Service, [new FilterClause("LINKED_ACCOUNT", null, kept)], byAccount: true);

        for (var i = 0; i < filtered.Days.Count; i++)
        {
            Assert.Equal(byAccount.Days[i].Groups.Where(g => kept.Contains(g.Account)), filtered.Days[i].Groups);
        }
    }

    [Fact]
    public async Task ExcludingAnAccount_LeavesThePlainAnswerOfTheOthers_AndTheirAccountTotalsUnchanged()
    {
        var source = new SampleCostSource(Time);
        const string excluded = "111122223333";
        var byAccount = await Query(source, Year, GroupBy.Service, byAccount: true);
        var accounts = await Query(source, Year, GroupBy.LinkedAccount);
        var exclusion = new[] { new FilterClause("LINKED_ACCOUNT", null, [excluded], Exclude: true) };

        var services = await Query(source, Year, GroupBy.Service, exclusion);
        var others = await Query(source, Year, GroupBy.LinkedAccount, exclusion);

        for (var i = 0; i < services.Days.Count; i++)
        {
            Assert.Equal(Totals(byAccount.Days[i].Groups.Where(g => g.Account != excluded), g => g.Key), Totals(services.Days[i].Groups, g => g.Key));
            Assert.Equal(accounts.Days[i].Groups.Where(g => g.Key != excluded), others.Days[i].Groups);
        }
    }

    [Fact]
    public async Task AServiceAndAnAccountFilter_BothHold()
    {
        var source = new SampleCostSource(Time);
        var filter = new[]
        {
            new FilterClause("SERVICE", null, ["AWS Lambda", "Amazon DynamoDB"]),
            new FilterClause("LINKED_ACCOUNT", null, ["777788889999"]),
        };

        var day = (await Query(source, Year, GroupBy.Service, filter, byAccount: true)).Days[^1];

        Assert.Equal(
            [("777788889999", "Amazon DynamoDB"), ("777788889999", "AWS Lambda")],
            day.Groups.Select(g => (g.Account!, g.Key)));
    }

    [Fact]
    public async Task AFilterOnAnAccountOutsideTheOrganisation_LeavesEveryDayWithoutGroups()
    {
        var source = new SampleCostSource(Time);

        var result = await Query(source, Year, GroupBy.Service, [new FilterClause("LINKED_ACCOUNT", null, ["999999999999"])]);

        Assert.Equal(Year.EachDay().Count(), result.Days.Count);
        Assert.All(result.Days, d => Assert.Empty(d.Groups));
    }

    [Theory]
    [InlineData("SERVICE")]
    [InlineData("TAG:team")]
    public async Task AMonthlyAnswerByAccount_IsTheSumOfTheDailyOnesPerAccountAndKey(string groupBy)
    {
        var source = new SampleCostSource(Time);
        var months = DateRange.Inclusive(ReportDate.Parse("2026-09-01"), ReportDate.Parse("2026-11-30"));
        var daily = await Query(source, months, GroupBy.Parse(groupBy), byAccount: true);

        var monthly = await source.GetCostAsync(
            new CostQuery(months, GroupBy.Parse(groupBy), [], "UnblendedCost") { Granularity = CostGranularity.Monthly, ByAccount = true },
            CancellationToken.None);

        Assert.Equal(["2026-09-01", "2026-10-01", "2026-11-01"], monthly.Days.Select(m => m.Date.ToString()));
        Assert.Equal([false, false, true], monthly.Days.Select(m => m.Estimated));
        foreach (var month in monthly.Days)
        {
            var expected = Totals(daily.Days.Where(d => d.Date.MonthStart == month.Date).SelectMany(d => d.Groups), g => (g.Account, g.Key));
            Assert.Equal(expected, Totals(month.Groups, g => (g.Account, g.Key)));
            Assert.Equal(expected.Count, month.Groups.Count);
        }
    }

    [Theory]
    [InlineData("SERVICE", true)]
    [InlineData("TAG:team", true)]
    [InlineData("LINKED_ACCOUNT", false)]
    public async Task AnAnswerByOrGroupedByAccount_NamesEveryAccountInIt(string groupBy, bool byAccount)
    {
        var source = new SampleCostSource(Time);

        var result = await Query(source, DateRange.Single(ReportDate.Parse("2026-11-24")), GroupBy.Parse(groupBy), byAccount: byAccount);

        Assert.Equal(1, result.Requests);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["111122223333"] = "payments-prod",
                ["444455556666"] = "search-prod",
                ["777788889999"] = "platform-shared",
                ["123456789012"] = "data-lake",
                ["210987654321"] = "sandbox",
            },
            result.AccountNames);
    }

    [Fact]
    public async Task AnAnswerFilteredToSomeAccounts_NamesOnlyThem()
    {
        var source = new SampleCostSource(Time);

        var result = await Query(source, DateRange.Single(ReportDate.Parse("2026-11-24")), GroupBy.LinkedAccount, [new FilterClause("LINKED_ACCOUNT", null, ["123456789012"])]);

        Assert.Equal(new Dictionary<string, string> { ["123456789012"] = "data-lake" }, result.AccountNames);
        Assert.Equal(["123456789012"], result.Days[0].Groups.Select(g => g.Key));
    }

    [Theory]
    [InlineData("SERVICE")]
    [InlineData("TAG:team")]
    public async Task AnAnswerNeitherByNorGroupedByAccount_NamesNoAccount(string groupBy)
    {
        var result = await Query(new SampleCostSource(Time), DateRange.Single(ReportDate.Parse("2026-11-24")), GroupBy.Parse(groupBy));

        Assert.Empty(result.AccountNames);
    }

    [Fact]
    public async Task AThousandAccounts_AreEachNamedOnce_FromTheirLastFourDigitsOrWholeIdWhenTaken()
    {
        var source = new SampleCostSource(Time, ThousandAccounts);

        var names = (await Query(source, DateRange.Single(ReportDate.Parse("2026-11-24")), GroupBy.LinkedAccount)).AccountNames;

        Assert.Equal(ThousandAccounts.Order(StringComparer.Ordinal), names.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(names.Count, names.Values.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.True(n.Value == $"sample-{n.Key[^4..]}" || n.Value == $"sample-{n.Key}", n.Value));
        Assert.Equal("sample-" + ThousandAccounts[0][^4..], names[ThousandAccounts[0]]);
    }

    [Fact]
    public async Task AGivenOrganisation_HasTheSameFiguresInEveryInstance_AndSharesThatDifferByAccount()
    {
        var period = DateRange.Inclusive(ReportDate.Parse("2026-11-01"), ReportDate.Parse("2026-11-24"));

        var first = await Query(new SampleCostSource(Time, ThousandAccounts), period, GroupBy.LinkedAccount);
        var second = await Query(new SampleCostSource(Time, [.. ThousandAccounts]), period, GroupBy.LinkedAccount);

        Assert.Equal(first.Days.SelectMany(d => d.Groups), second.Days.SelectMany(d => d.Groups));
        var shares = first.Days[0].Groups.Select(g => g.Amount).Distinct().Count();
        Assert.True(shares >= 10, $"only {shares} different account totals");
    }

    [Fact]
    public async Task TheDefaultOrganisation_KeepsItsFiguresAsTheyWere()
    {
        var day = DateRange.Single(ReportDate.Parse("2026-11-10"));

        var accounts = await Query(new SampleCostSource(Time), day, GroupBy.LinkedAccount);
        var sameAccounts = await Query(new SampleCostSource(Time, null), day, GroupBy.LinkedAccount);

        // The figures the default organisation has always shown for this day.
        Assert.Equal(
            [
                ("111122223333", 159.47013687m),
                ("444455556666", 93.60203686m),
                ("777788889999", 52.00113159m),
                ("123456789012", 27.73393685m),
                ("210987654321", 13.86696842m),
            ],
            accounts.Days[0].Groups.Select(g => (g.Key, g.Amount)));
        Assert.Equal(accounts.Days[0].Groups, sameAccounts.Days[0].Groups);
        Assert.All(accounts.Days[0].Groups, g => Assert.Null(g.Account));
    }

    [Fact]
    public async Task AQueryByAccountGroupedByAccount_IsRefusedForGood()
    {
        var error = await Assert.ThrowsAsync<CostSourceException>(
            () => Query(new SampleCostSource(Time), DateRange.Single(ReportDate.Parse("2026-11-24")), GroupBy.LinkedAccount, byAccount: true));

        Assert.False(error.IsTransient);
        Assert.Contains("LINKED_ACCOUNT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOrganisationWithoutAccountsOrWithOneTwice_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new SampleCostSource(Time, []));
        Assert.Throws<ArgumentException>(() => new SampleCostSource(Time, [" "]));
        var twice = Assert.Throws<ArgumentException>(() => new SampleCostSource(Time, ["111122223333", "444455556666", "111122223333"]));
        Assert.Contains("111122223333", twice.Message, StringComparison.Ordinal);
    }

    private static (SampleCostSource Source, DateRange Period) Organisation(string name) => name switch
    {
        "default" => (new SampleCostSource(Time), Year),
        "seven" => (new SampleCostSource(Time, AccountsOf(name)), Year),
        _ => (new SampleCostSource(Time, ThousandAccounts), Month),
    };

    private static IReadOnlyList<string> AccountsOf(string organisation) => organisation switch
    {
        "default" => DefaultAccounts,
        "seven" => ["000000000001", "000000000022", "000000000333", "000000004444", "000000055555", "000000666666", "000007777777"],
        _ => ThousandAccounts,
    };

    private static Task<CostQueryResult> Query(
        SampleCostSource source,
        DateRange period,
        GroupBy groupBy,
        IReadOnlyList<FilterClause>? filter = null,
        bool byAccount = false) =>
        source.GetCostAsync(new CostQuery(period, groupBy, filter ?? [], "UnblendedCost") { ByAccount = byAccount }, CancellationToken.None);

    private static void AssertSameDays(CostQueryResult expected, CostQueryResult actual)
    {
        Assert.Equal(expected.Days.Select(d => (d.Date, d.Estimated)), actual.Days.Select(d => (d.Date, d.Estimated)));
        Assert.Contains(expected.Days, d => d.Groups.Count > 0);
    }

    // Each id's exact total; ids that are not in a day are not zero, they are absent.
    private static Dictionary<TId, decimal> Totals<TId>(IEnumerable<GroupCost> groups, Func<GroupCost, TId> id)
        where TId : notnull =>
        groups.GroupBy(id).ToDictionary(g => g.Key, g => g.Sum(x => x.Amount));
}
