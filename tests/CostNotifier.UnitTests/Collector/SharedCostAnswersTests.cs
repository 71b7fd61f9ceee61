using System.Collections.Concurrent;
using CostNotifier.Collector.Snapshots;
using CostNotifier.CostData;
using CostNotifier.Domain;

namespace CostNotifier.UnitTests.Collector;

/// <summary>
/// What one message's shared answers may answer without a request, checked against what the source itself answers
/// for the same query: a slice, one account's share, the organisation by account; and what they must not.
/// </summary>
public sealed class SharedCostAnswersTests
{
    private const string Metric = "UnblendedCost";
    private const string Busy = "111122223333";
    private const string Resting = "444455556666";
    private const string Small = "777788889999";
    private const string Absent = "999900001111";
    private static readonly string[] Accounts = [Busy, Resting, Small];
    private static readonly string[] Services = ["Amazon EC2", "Amazon S3", "AWS Lambda", "Amazon RDS", "Tax"];
    private static readonly DateRange Days = DateRange.Inclusive(ReportDate.Parse("2025-10-01"), ReportDate.Parse("2026-11-24"));
    private static readonly DateRange Months = DateRange.Inclusive(ReportDate.Parse("2025-10-01"), ReportDate.Parse("2026-11-30"));
    private static readonly FilterClause NoTax = new("SERVICE", null, ["Tax"], Exclude: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASliceOfADailyAnswer_IsWhatTheSourceAnswersForTheSubPeriod_ForAnySubPeriod(bool byAccount)
    {
        var source = Source();
        var shared = new SharedCostAnswers(source);
        var whole = Query(Days, [NoTax]) with { ByAccount = byAccount };
        await shared.GetCostAsync(whole, CancellationToken.None);
        var random = new Random(20261125);

        for (var i = 0; i < 300; i++)
        {
            var first = Days.Start.AddDays(random.Next(Days.Days));
            var last = first.AddDays(random.Next(Days.End.DaysSince(first)));
            var sub = whole with { Period = DateRange.Inclusive(first, last) };

            var answer = await shared.GetCostAsync(sub, CancellationToken.None);

            Assert.Equal(0, answer.Requests);
            Assert.Equal(ScriptedCostSource.Rows(source.Expected(sub)), ScriptedCostSource.Rows(answer));
        }

        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task ASliceOfAMonthlyAnswer_IsWhatTheSourceAnswersForThoseMonths_ForAnyRunOfMonths()
    {
        var source = Source();
        var shared = new SharedCostAnswers(source);
        var whole = Query(Months, [NoTax]) with { Granularity = CostGranularity.Monthly };
        await shared.GetCostAsync(whole, CancellationToken.None);
        var starts = Months.EachDay().Where(d => d.Day.Day == 1).Append(Months.End).ToList();
        var random = new Random(202611);

        for (var i = 0; i < 200; i++)
        {
            var from = random.Next(starts.Count - 1);
            var to = random.Next(from + 1, starts.Count);
            var sub = whole with { Period = DateRange.Inclusive(starts[from], starts[to].AddDays(-1)) };

            var answer = await shared.GetCostAsync(sub, CancellationToken.None);

            Assert.Equal(0, answer.Requests);
            Assert.Equal(to - from, answer.Days.Count);
            Assert.Equal(ScriptedCostSource.Rows(source.Expected(sub)), ScriptedCostSource.Rows(answer));
        }

        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task PlannedQueries_AreAnsweredFromOneRequestOverTheirUnion_InWhateverOrderTheyAreAsked()
    {
        var source = Source();
        var shared = new SharedCostAnswers(source);
        var windows = Enumerable.Range(0, 25)
            .Select(i => ReportDate.Parse("2026-10-20").AddDays(i))
            .Select(day => Query(DateRange.Inclusive(day.AddDays(-35), day), [NoTax]))
            .ToList();
        shared.Plan(windows);

        foreach (var query in windows.OrderBy(q => q.Period.Start.Day.DayNumber * 7919 % 25))
        {
            var answer = await shared.GetCostAsync(query, CancellationToken.None);
            Assert.Equal(ScriptedCostSource.Rows(source.Expected(query)), ScriptedCostSource.Rows(answer));
        }

        var asked = Assert.Single(source.Asked);
        Assert.Equal(DateRange.Inclusive(ReportDate.Parse("2026-09-15"), ReportDate.Parse("2026-11-13")), asked.Period);
        Assert.Equal(1, shared.Requests);
    }

    [Fact]
    public async Task EachDistinctQuestionPlanned_IsFetchedOnceOverItsOwnUnion()
    {
        var source = Source();
        var shared = new SharedCostAnswers(source);
        var daily = Query(DateRange.Inclusive(ReportDate.Parse("2026-10-01"), ReportDate.Parse("2026-10-31")), []);
        var weekly = Query(DateRange.Inclusive(ReportDate.Parse("2026-08-24"), ReportDate.Parse("2026-11-22")), []);
        var monthly = Query(DateRange.Inclusive(ReportDate.Parse("2025-10-01"), ReportDate.Parse("2026-10-31")), []) with { Granularity = CostGranularity.Monthly };
        var olderMonth = monthly with { Period = DateRange.Inclusive(ReportDate.Parse("2025-10-01"), ReportDate.Parse("2026-09-30")) };
        shared.Plan([daily, monthly, weekly, olderMonth]);

        foreach (var query in new[] { olderMonth, daily, weekly, monthly })
        {
            Assert.Equal(ScriptedCostSource.Rows(source.Expected(query)), ScriptedCostSource.Rows(await shared.GetCostAsync(query, CancellationToken.None)));
        }

        Assert.Equal(
            [(CostGranularity.Monthly, monthly.Period), (CostGranularity.Daily, DateRange.Inclusive(ReportDate.Parse("2026-08-24"), ReportDate.Parse("2026-11-22")))],
            source.Asked.Select(q => (q.Granularity, q.Period)));
    }

    [Fact]
    public async Task AQueryNoPlanCovers_IsFetchedOnItsOwn_AndLeavesThePlanForTheQueriesItCovers()
    {
        var source = Source();
        var shared = new SharedCostAnswers(source);
        var planned = Query(DateRange.Inclusive(ReportDate.Parse("2026-10-01"), ReportDate.Parse("2026-10-31")), []);
        shared.Plan([planned]);
        var overhanging = planned with { Period = DateRange.Inclusive(ReportDate.Parse("2026-10-20"), ReportDate.Parse("2026-11-05")) };
        var unplannedShape = planned with { Filter = [NoTax] };

        var first = await shared.GetCostAsync(overhanging, CancellationToken.None);
        var second = await shared.GetCostAsync(unplannedShape, CancellationToken.None);
        var third = await shared.GetCostAsync(planned with { Period = DateRange.Single(ReportDate.Parse("2026-10-03")) }, CancellationToken.None);
        var fourth = await shared.GetCostAsync(planned with { Period = DateRange.Single(ReportDate.Parse("2026-10-04")) }, CancellationToken.None);

        Assert.Equal([overhanging, unplannedShape, planned], source.Asked);
        Assert.Equal(3, shared.TakeRequests());
        Assert.Equal(ScriptedCostSource.Rows(source.Expected(overhanging)), ScriptedCostSource.Rows(first));
        Assert.Equal(ScriptedCostSource.Rows(source.Expected(unplannedShape)), ScriptedCostSource.Rows(second));
        Assert.Equal(ReportDate.Parse("2026-10-03"), Assert.Single(third.Days).Date);
        Assert.Equal(ReportDate.Parse("2026-10-04"), Assert.Single(fourth.Days).Date);
    }

    [Theory]
    [InlineData(CostGranularity.Daily)]
    [InlineData(CostGranularity.Monthly)]
    public async Task AnAnswerByAccount_AnswersEachAccountsShare_AsTheSourceAnswersTheFilteredQuery(CostGranularity granularity)
    {
        var source = Source();
        source.Idle = (account, day) => account == Resting && day.Day.DayNumber % 4 == 0;
        var shared = new SharedCostAnswers(source);
        var period = granularity == CostGranularity.Daily ? Days : Months;
        var held = Query(period, [NoTax]) with { ByAccount = true, Granularity = granularity };
        await shared.GetCostAsync(held, CancellationToken.None);
        var random = new Random(42);

        foreach (var account in Accounts.Append(Absent))
        {
            for (var i = 0; i < 20; i++)
            {
                var share = new CostQuery(SubPeriod(random, period, granularity), GroupBy.Service, [NoTax, new FilterClause("LINKED_ACCOUNT", null, [account])], Metric)
                {
                    Granularity = granularity,
                };

                var answer = await shared.GetCostAsync(share, CancellationToken.None);

                Assert.Equal(0, answer.Requests);
                Assert.Equal(ScriptedCostSource.Rows(source.Expected(share)), ScriptedCostSource.Rows(answer));
                Assert.All(answer.Days.SelectMany(d => d.Groups), g => Assert.Null(g.Account));
                Assert.Equal(account == Absent ? Array.Empty<string>() : new[] { account }, answer.AccountNames.Keys);
            }
        }

        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task AShare_KeepsTheDaysTheAccountHadNoCost_AsEntriesWithoutGroups()
    {
        var source = Source();
        source.Idle = (account, day) => account == Resting && day.Day.DayNumber % 4 == 0;
        var shared = new SharedCostAnswers(source);
        await shared.GetCostAsync(Query(Days, []) with { ByAccount = true }, CancellationToken.None);
        var share = new CostQuery(Days, GroupBy.Service, [new FilterClause("LINKED_ACCOUNT", null, [Resting])], Metric);

        var answer = await shared.GetCostAsync(share, CancellationToken.None);
        var absent = await shared.GetCostAsync(share with { Filter = [new FilterClause("LINKED_ACCOUNT", null, [Absent])] }, CancellationToken.None);

        Assert.Equal(Days.Days, answer.Days.Count);
        Assert.Equal(Days.EachDay().Where(d => d.Day.DayNumber % 4 == 0), answer.Days.Where(d => d.Groups.Count == 0).Select(d => d.Date));
        Assert.Equal(Days.EachDay(), absent.Days.Select(d => d.Date));
        Assert.All(absent.Days, d => Assert.Empty(d.Groups));
        Assert.Equal(1, source.Calls);
    }

    [Theory]
    [InlineData(CostGranularity.Daily)]
    [InlineData(CostGranularity.Monthly)]
    public async Task AnAnswerByAccount_AnswersTheOrganisationByAccount_WithEachAccountsSumToTheCent(CostGranularity granularity)
    {
        var source = Source();
        source.Idle = (account, day) => account == Resting && day.Day.DayNumber % 3 == 0;
        var shared = new SharedCostAnswers(source);
        var period = granularity == CostGranularity.Daily ? Days : Months;
        var held = Query(period, [NoTax]) with { ByAccount = true, Granularity = granularity };
        var full = await shared.GetCostAsync(held, CancellationToken.None);
        var byAccount = new CostQuery(period, GroupBy.LinkedAccount, [NoTax], Metric) { Granularity = granularity };

        var answer = await shared.GetCostAsync(byAccount, CancellationToken.None);

        Assert.Equal(ScriptedCostSource.Rows(source.Expected(byAccount)), ScriptedCostSource.Rows(answer));
        foreach (var (day, whole) in answer.Days.Zip(full.Days))
        {
            Assert.Equal(whole.Groups.Sum(g => g.Amount), day.Groups.Sum(g => g.Amount));
            foreach (var group in day.Groups)
            {
                Assert.Equal(whole.Groups.Where(g => g.Account == group.Key).Sum(g => g.Amount), group.Amount);
            }
        }

        Assert.Equal(source.Names.Keys.Order(), answer.AccountNames.Keys.Order());
        Assert.Equal(1, source.Calls);
    }

    public static TheoryData<string> OtherQuestions => [.. Others().Select(o => o.Name)];

    [Theory]
    [MemberData(nameof(OtherQuestions))]
    public async Task AnotherQuestion_IsNeverAnsweredFromAHeldAnswer_ButAskedOfTheSource(string name)
    {
        var (_, held, other) = Others().Single(o => o.Name == name);
        var source = Source();
        var shared = new SharedCostAnswers(source);
        await shared.GetCostAsync(held, CancellationToken.None);

        var answer = await shared.GetCostAsync(other, CancellationToken.None);

        Assert.Equal([held, other], source.Asked);
        Assert.Equal(2, shared.TakeRequests());
        Assert.Equal(ScriptedCostSource.Rows(source.Expected(other)), ScriptedCostSource.Rows(answer));
    }

    [Fact]
    public async Task TakenRequests_AddUpToWhatTheSourceCharged_EachCountedOnce()
    {
        var source = Source();
        source.Pages = q => q.Period.Days > 60 ? 3 : 1;
        var shared = new SharedCostAnswers(source);
        var daily = Query(DateRange.Inclusive(ReportDate.Parse("2026-08-01"), ReportDate.Parse("2026-11-20")), []);
        var monthly = Query(Months, []) with { Granularity = CostGranularity.Monthly };
        shared.Plan([daily, monthly]);
        var taken = new List<int>();

        await shared.GetCostAsync(daily with { Period = DateRange.Single(ReportDate.Parse("2026-09-01")) }, CancellationToken.None);
        taken.Add(shared.TakeRequests());
        await shared.GetCostAsync(daily with { Period = DateRange.Single(ReportDate.Parse("2026-09-02")) }, CancellationToken.None);
        taken.Add(shared.TakeRequests());
        await shared.GetCostAsync(daily with { Filter = [NoTax], Period = DateRange.Single(ReportDate.Parse("2026-09-03")) }, CancellationToken.None);
        await shared.GetCostAsync(monthly, CancellationToken.None);
        taken.Add(shared.TakeRequests());
        taken.Add(shared.TakeRequests());

        Assert.Equal([3, 0, 4, 0], taken);
        Assert.Equal(source.Requests, taken.Sum());
        Assert.Equal(source.Requests, shared.Requests);
    }

    [Fact]
    public async Task ConcurrentReaders_GetTheSourcesAnswers_FromOneRequest()
    {
        var source = Source();
        source.Slow = true;
        var shared = new SharedCostAnswers(source);
        var windows = Enumerable.Range(0, 60)
            .Select(i => ReportDate.Parse("2026-10-01").AddDays(i % 20))
            .Select(day => Query(DateRange.Inclusive(day.AddDays(-35), day), []) with { ByAccount = true })
            .ToList();
        shared.Plan(windows);
        var derived = windows
            .SelectMany(w => Accounts.Select(a => new CostQuery(w.Period, GroupBy.Service, [new FilterClause("LINKED_ACCOUNT", null, [a])], Metric)))
            .Concat(windows.Select(w => new CostQuery(w.Period, GroupBy.LinkedAccount, [], Metric)))
            .ToList();
        var answers = new ConcurrentBag<(CostQuery Query, CostQueryResult Answer)>();
        var taken = 0;

        // First every reader of the planned question at once, then every reader of a question derived from it.
        foreach (var burst in new[] { windows, derived })
        {
            await Parallel.ForEachAsync(burst, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (query, token) =>
            {
                answers.Add((query, await shared.GetCostAsync(query, token)));
                Interlocked.Add(ref taken, shared.TakeRequests());
            });
        }

        Assert.Equal(1, source.Calls);
        Assert.Equal(1, taken);
        Assert.Equal(windows.Count + derived.Count, answers.Count);
        Assert.All(answers, a => Assert.Equal(ScriptedCostSource.Rows(source.Expected(a.Query)), ScriptedCostSource.Rows(a.Answer)));
    }

    private static IEnumerable<(string Name, CostQuery Held, CostQuery Other)> Others()
    {
        var byAccount = Query(Days, [NoTax]) with { ByAccount = true };
        var plain = Query(Days, [NoTax]);
        var week = DateRange.Inclusive(ReportDate.Parse("2026-11-16"), ReportDate.Parse("2026-11-22"));
        CostQuery Share(string account, bool exclude = false) =>
            new(week, GroupBy.Service, [NoTax, new FilterClause("LINKED_ACCOUNT", null, [account], exclude)], Metric);
        CostQuery Organisation() => new(week, GroupBy.LinkedAccount, [NoTax], Metric);

        yield return ("another metric", plain, plain with { Period = week, Metric = "AmortizedCost" });
        yield return ("monthly from daily", plain, plain with { Period = DateRange.Inclusive(ReportDate.Parse("2026-10-01"), ReportDate.Parse("2026-10-31")), Granularity = CostGranularity.Monthly });
        yield return ("no filter", plain, plain with { Period = week, Filter = [] });
        yield return ("an extra clause", plain, plain with { Period = week, Filter = [NoTax, new FilterClause("SERVICE", null, ["Amazon EC2"])] });
        yield return ("another grouping", plain, plain with { Period = week, GroupBy = new GroupBy(GroupingKind.Tag, "team") });
        yield return ("a longer period", plain, plain with { Period = DateRange.Inclusive(Days.Start, Days.Last.AddDays(1)) });
        yield return ("by account from a plain answer", plain, plain with { Period = week, ByAccount = true });
        yield return ("a share from a plain answer", plain, Share(Busy));
        yield return ("the organisation from a plain answer", plain, Organisation());
        yield return ("a share's other metric", byAccount, Share(Busy) with { Metric = "AmortizedCost" });
        yield return ("a share's other grouping", byAccount, Share(Busy) with { GroupBy = new GroupBy(GroupingKind.Tag, "team") });
        yield return ("every account but one", byAccount, Share(Busy, exclude: true));
        yield return ("two accounts", byAccount, Share(Busy) with { Filter = [NoTax, new FilterClause("LINKED_ACCOUNT", null, [Busy, Small])] });
        yield return ("a share without the filter", byAccount, Share(Busy) with { Filter = [new FilterClause("LINKED_ACCOUNT", null, [Busy])] });
        yield return ("a share monthly", byAccount, Share(Busy) with { Period = DateRange.Inclusive(ReportDate.Parse("2026-10-01"), ReportDate.Parse("2026-10-31")), Granularity = CostGranularity.Monthly });
        yield return ("the organisation without the filter", byAccount, Organisation() with { Filter = [] });
        yield return ("the organisation's other metric", byAccount, Organisation() with { Metric = "AmortizedCost" });
        yield return ("the organisation by account, split by account", byAccount, Organisation() with { ByAccount = true });
    }

    private static DateRange SubPeriod(Random random, DateRange period, CostGranularity granularity)
    {
        if (granularity == CostGranularity.Daily)
        {
            var first = period.Start.AddDays(random.Next(period.Days));
            return DateRange.Inclusive(first, first.AddDays(random.Next(period.End.DaysSince(first))));
        }

        var starts = period.EachDay().Where(d => d.Day.Day == 1).Append(period.End).ToList();
        var from = random.Next(starts.Count - 1);
        return DateRange.Inclusive(starts[from], starts[random.Next(from + 1, starts.Count)].AddDays(-1));
    }

    private static ScriptedCostSource Source()
    {
        var source = new ScriptedCostSource(Accounts, Services) { EstimatedFrom = ReportDate.Parse("2026-11-20") };
        source.Names[Busy] = "Payments";
        source.Names[Resting] = "Sandbox";
        source.Names[Small] = "Archive";
        return source;
    }

    private static CostQuery Query(DateRange period, IReadOnlyList<FilterClause> filter) => new(period, GroupBy.Service, filter, Metric);
}
