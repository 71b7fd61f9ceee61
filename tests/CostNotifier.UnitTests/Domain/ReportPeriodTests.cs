using CostNotifier.Domain;

namespace CostNotifier.UnitTests.Domain;

public sealed class ReportPeriodTests
{
    private static ReportPeriod Period(string text) => ReportPeriod.Parse(text);

    private static ReportDate Date(string text) => ReportDate.Parse(text);

    [Theory]
    [InlineData("2026-11-29", Cadence.Daily)]
    [InlineData("2024-02-29", Cadence.Daily)]
    [InlineData("2026-W48", Cadence.Weekly)]
    [InlineData("2026-W01", Cadence.Weekly)]
    [InlineData("2026-W53", Cadence.Weekly)]
    [InlineData("2020-W53", Cadence.Weekly)]
    [InlineData("2026-11", Cadence.Monthly)]
    [InlineData("2026-01", Cadence.Monthly)]
    [InlineData("2026-12", Cadence.Monthly)]
    public void Parse_WhenThePeriodExists_TellsItsCadenceAndPrintsBackTheSameText(string text, Cadence cadence)
    {
        var period = ReportPeriod.Parse(text);

        Assert.Equal(cadence, period.Cadence);
        Assert.Equal(text, period.ToString());
    }

    [Theory]
    [InlineData("2026-W48", "2026-11-23", "2026-11-29")]
    [InlineData("2026-W53", "2026-12-28", "2027-01-03")]
    [InlineData("2025-W01", "2024-12-30", "2025-01-05")]
    [InlineData("2026-W01", "2025-12-29", "2026-01-04")]
    [InlineData("2024-02", "2024-02-01", "2024-02-29")]
    [InlineData("2026-02", "2026-02-01", "2026-02-28")]
    [InlineData("2026-12", "2026-12-01", "2026-12-31")]
    [InlineData("2026-11-29", "2026-11-29", "2026-11-29")]
    public void Parse_GivesThePeriodItsFirstAndLastUsageDay(string text, string first, string last)
    {
        var period = ReportPeriod.Parse(text);

        Assert.Equal(Date(first), period.First);
        Assert.Equal(Date(last), period.Last);
        Assert.Equal(DateRange.Inclusive(Date(first), Date(last)), period.Days);
    }

    [Fact]
    public void Week_53Of2026_RunsFromMondayTheTwentyEighthOfDecemberToSundayTheThirdOfJanuary()
    {
        var week = ReportPeriod.Week(2026, 53);

        Assert.Equal(Date("2026-12-28"), week.First);
        Assert.Equal(Date("2027-01-03"), week.Last);
        Assert.Equal(DayOfWeek.Monday, week.First.DayOfWeek);
        Assert.Equal(DayOfWeek.Sunday, week.Last.DayOfWeek);
        Assert.Equal(7, week.Days.Days);
        Assert.Equal("2026-W53", week.ToString());
    }

    [Fact]
    public void Week_OneOf2025_StartsInDecember2024_AndIsNamedAfterItsIsoYear()
    {
        var week = ReportPeriod.Week(2025, 1);

        Assert.Equal(Date("2024-12-30"), week.First);
        Assert.Equal(Date("2025-01-05"), week.Last);
        Assert.Equal("2025-W01", week.ToString());
    }

    [Theory]
    [InlineData(2026, 54)]
    [InlineData(2025, 53)]
    [InlineData(2026, 0)]
    [InlineData(0, 1)]
    [InlineData(9999, 1)]
    public void Week_ThatDoesNotExist_Throws(int isoYear, int week)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReportPeriod.Week(isoYear, week));
    }

    [Theory]
    [InlineData(2024, 2, "2024-02-29", 29)]
    [InlineData(2026, 2, "2026-02-28", 28)]
    [InlineData(2100, 2, "2100-02-28", 28)]
    [InlineData(2000, 2, "2000-02-29", 29)]
    [InlineData(2026, 4, "2026-04-30", 30)]
    [InlineData(2026, 12, "2026-12-31", 31)]
    public void Month_EndsOnItsLastCalendarDay(int year, int month, string last, int days)
    {
        var period = ReportPeriod.Month(year, month);

        Assert.Equal(new ReportDate(year, month, 1), period.First);
        Assert.Equal(Date(last), period.Last);
        Assert.Equal(days, period.Days.Days);
    }

    [Fact]
    public void Month_OfTheLastYearADateCanHold_EndsOnItsLastDay()
    {
        var december = ReportPeriod.Month(9999, 12);

        Assert.Equal(Date("9999-12-31"), december.Last);
        Assert.Equal("9999-12", december.ToString());
    }

    [Theory]
    [InlineData(Cadence.Weekly, "2026-11-23", "2026-W48")]
    [InlineData(Cadence.Weekly, "2026-11-29", "2026-W48")]
    [InlineData(Cadence.Weekly, "2026-11-30", "2026-W49")]
    [InlineData(Cadence.Weekly, "2027-01-01", "2026-W53")]
    [InlineData(Cadence.Weekly, "2027-01-03", "2026-W53")]
    [InlineData(Cadence.Weekly, "2027-01-04", "2027-W01")]
    [InlineData(Cadence.Weekly, "2024-12-31", "2025-W01")]
    [InlineData(Cadence.Weekly, "2021-01-03", "2020-W53")]
    [InlineData(Cadence.Monthly, "2024-02-29", "2024-02")]
    [InlineData(Cadence.Monthly, "2026-11-01", "2026-11")]
    [InlineData(Cadence.Monthly, "2026-12-31", "2026-12")]
    [InlineData(Cadence.Daily, "2026-11-29", "2026-11-29")]
    public void Containing_IsThePeriodOfThatCadenceTheDayFallsIn(Cadence cadence, string day, string expected)
    {
        var period = ReportPeriod.Containing(cadence, Date(day));

        Assert.Equal(expected, period.ToString());
        Assert.Equal(cadence, period.Cadence);
        Assert.True(period.First <= Date(day) && Date(day) <= period.Last);
    }

    [Theory]
    [InlineData(Cadence.Daily, "2026-11-25", "2026-11-25")]
    [InlineData(Cadence.Weekly, "2026-11-29", "2026-W48")]
    [InlineData(Cadence.Weekly, "2027-01-03", "2026-W53")]
    [InlineData(Cadence.Weekly, "2025-01-05", "2025-W01")]
    [InlineData(Cadence.Monthly, "2026-10-31", "2026-10")]
    [InlineData(Cadence.Monthly, "2024-02-29", "2024-02")]
    [InlineData(Cadence.Monthly, "2026-02-28", "2026-02")]
    [InlineData(Cadence.Monthly, "2026-12-31", "2026-12")]
    public void TryEndingOn_TheLastDayOfAPeriod_GivesThatPeriod(Cadence cadence, string day, string expected)
    {
        var ends = ReportPeriod.TryEndingOn(cadence, Date(day), out var period);

        Assert.True(ends);
        Assert.Equal(expected, period.ToString());
        Assert.Equal(Date(day), period.Last);
    }

    [Theory]
    [InlineData(Cadence.Weekly, "2026-11-28")]
    [InlineData(Cadence.Weekly, "2026-11-30")]
    [InlineData(Cadence.Weekly, "2026-12-31")]
    [InlineData(Cadence.Monthly, "2024-02-28")]
    [InlineData(Cadence.Monthly, "2026-11-29")]
    [InlineData(Cadence.Monthly, "2026-12-01")]
    public void TryEndingOn_AnyOtherDay_SaysNoPeriodEnds(Cadence cadence, string day)
    {
        Assert.False(ReportPeriod.TryEndingOn(cadence, Date(day), out _));
    }

    [Fact]
    public void TryEndingOn_OverAYear_EndsAWeekEachSundayAndAMonthEachLastDay()
    {
        var days = DateRange.Inclusive(Date("2026-01-01"), Date("2026-12-31")).EachDay().ToList();

        var weeks = days.Where(d => ReportPeriod.TryEndingOn(Cadence.Weekly, d, out _)).ToList();
        var months = days.Where(d => ReportPeriod.TryEndingOn(Cadence.Monthly, d, out _)).ToList();

        Assert.Equal(52, weeks.Count);
        Assert.All(weeks, d => Assert.Equal(DayOfWeek.Sunday, d.DayOfWeek));
        Assert.Equal(12, months.Count);
        Assert.All(months, d => Assert.Equal(1, d.AddDays(1).Day.Day));
        Assert.All(days, d => Assert.True(ReportPeriod.TryEndingOn(Cadence.Daily, d, out _)));
    }

    [Theory]
    [InlineData("2026-11-29", 1, "2026-11-30")]
    [InlineData("2026-12-31", 1, "2027-01-01")]
    [InlineData("2024-03-01", -1, "2024-02-29")]
    [InlineData("2026-W52", 1, "2026-W53")]
    [InlineData("2026-W52", 2, "2027-W01")]
    [InlineData("2027-W01", -1, "2026-W53")]
    [InlineData("2025-W01", -1, "2024-W52")]
    [InlineData("2026-W48", -48, "2025-W52")]
    [InlineData("2026-W48", 0, "2026-W48")]
    [InlineData("2026-12", 1, "2027-01")]
    [InlineData("2026-01", -1, "2025-12")]
    [InlineData("2026-11", -13, "2025-10")]
    [InlineData("2024-01", 1, "2024-02")]
    public void Add_MovesByWholePeriodsOfTheSameCadence(string start, int count, string expected)
    {
        var period = Period(start).Add(count);

        Assert.Equal(expected, period.ToString());
        Assert.Equal(Period(start).Cadence, period.Cadence);
    }

    [Theory]
    [InlineData("2026-11-01", "2026-10-31")]
    [InlineData("2027-W01", "2026-W53")]
    [InlineData("2025-W01", "2024-W52")]
    [InlineData("2026-03", "2026-02")]
    [InlineData("2026-01", "2025-12")]
    public void Previous_IsThePeriodJustBefore_EndingTheDayBeforeItStarts(string text, string expected)
    {
        var period = Period(text);

        var previous = period.Previous;

        Assert.Equal(expected, previous.ToString());
        Assert.Equal(period.First.AddDays(-1), previous.Last);
    }

    [Fact]
    public void Through_AcrossNewYear_ListsWeek53()
    {
        var weeks = Period("2026-W52").Through(Period("2027-W02"));

        Assert.Equal(["2026-W52", "2026-W53", "2027-W01", "2027-W02"], weeks.Select(w => w.ToString()));
    }

    [Fact]
    public void Through_ListsEveryMonthAcrossAYearEnd()
    {
        var months = Period("2026-11").Through(Period("2027-02"));

        Assert.Equal(["2026-11", "2026-12", "2027-01", "2027-02"], months.Select(m => m.ToString()));
    }

    [Fact]
    public void Through_ItselfListsOnlyItself()
    {
        Assert.Equal([Period("2026-W48")], Period("2026-W48").Through(Period("2026-W48")));
    }

    [Fact]
    public void Through_AnEarlierPeriod_ListsNothing()
    {
        Assert.Empty(Period("2026-W48").Through(Period("2026-W47")));
    }

    [Fact]
    public void Through_APeriodOfAnotherCadence_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Period("2026-W40").Through(Period("2026-11")).ToList());

        Assert.Contains("2026-11 is not a weekly period like 2026-W40", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Through_OverSeveralYears_CoversEveryDayOnceWithoutGaps()
    {
        var weeks = Period("2019-W01").Through(Period("2031-W52")).ToList();

        for (var i = 1; i < weeks.Count; i++)
        {
            Assert.Equal(weeks[i - 1].Last.AddDays(1), weeks[i].First);
        }

        Assert.Equal(weeks.Count * 7, DateRange.Inclusive(weeks[0].First, weeks[^1].Last).Days);
    }

    [Fact]
    public void WeekText_SortsAsTheWeeksDoInTime()
    {
        var weeks = Period("2019-W50").Through(Period("2032-W02")).ToList();
        var shuffled = weeks.ToArray();
        new Random(48).Shuffle(shuffled);

        var byText = shuffled.OrderBy(w => w.ToString(), StringComparer.Ordinal).ToList();
        var byTime = shuffled.OrderBy(w => w).ToList();

        Assert.Equal(weeks, byText);
        Assert.Equal(weeks, byTime);
        Assert.Contains(weeks, w => w.ToString() == "2020-W53");
        Assert.Contains(weeks, w => w.ToString() == "2026-W53");
    }

    [Fact]
    public void MonthText_SortsAsTheMonthsDoInTime()
    {
        var months = Period("2024-01").Through(Period("2027-12")).ToList();
        var reversed = Enumerable.Reverse(months).ToList();

        var byText = reversed.OrderBy(m => m.ToString(), StringComparer.Ordinal).ToList();
        var byTime = reversed.OrderBy(m => m).ToList();

        Assert.Equal(months, byText);
        Assert.Equal(months, byTime);
        Assert.True(string.CompareOrdinal("2026-09", "2026-10") < 0);
    }

    [Theory]
    [InlineData("2026-W47", "2026-W48")]
    [InlineData("2026-W53", "2027-W01")]
    [InlineData("2024-W52", "2025-W01")]
    [InlineData("2026-09", "2026-10")]
    [InlineData("2026-12", "2027-01")]
    [InlineData("2026-11-29", "2026-11-30")]
    public void Comparison_OfOneCadence_FollowsTime(string earlier, string later)
    {
        var a = Period(earlier);
        var b = Period(later);

        Assert.True(a < b);
        Assert.True(a <= b);
        Assert.True(b > a);
        Assert.True(b >= a);
        Assert.True(a.CompareTo(b) < 0);
        Assert.Equal(0, a.CompareTo(Period(earlier)));
    }

    [Fact]
    public void Comparison_OfDifferentCadences_PutsDaysBeforeWeeksBeforeMonths()
    {
        var sorted = new[] { Period("2020-01"), Period("2030-W01"), Period("2026-11-29") }.Order().ToList();

        Assert.Equal(["2026-11-29", "2030-W01", "2020-01"], sorted.Select(p => p.ToString()));
    }

    [Fact]
    public void ADate_ConvertsToTheDailyPeriodOfThatDay()
    {
        var day = Date("2026-11-29");

        ReportPeriod period = day;

        Assert.Equal(Cadence.Daily, period.Cadence);
        Assert.Equal(day, period.First);
        Assert.Equal(day, period.Last);
        Assert.Equal(ReportPeriod.Day(day), period);
        Assert.Equal("2026-11-29", period.ToString());
    }

    [Fact]
    public void Equality_ComparesCadenceAndDays()
    {
        Assert.Equal(Period("2026-W48"), ReportPeriod.Week(2026, 48));
        Assert.Equal(Period("2026-W48"), ReportPeriod.Containing(Cadence.Weekly, Date("2026-11-26")));
        Assert.NotEqual(Period("2026-11-01"), ReportPeriod.Containing(Cadence.Monthly, Date("2026-11-01")));
    }

    [Theory]
    [InlineData("2026-W54", "'2026-W54' is not an ISO week: 2026 has weeks 01 to 53")]
    [InlineData("2025-W53", "'2025-W53' is not an ISO week: 2025 has weeks 01 to 52")]
    [InlineData("2026-W00", "'2026-W00' is not an ISO week: 2026 has weeks 01 to 53")]
    [InlineData("2026-13", "'2026-13' is not a month: use yyyy-MM with a month from 01 to 12")]
    [InlineData("2026-00", "'2026-00' is not a month: use yyyy-MM with a month from 01 to 12")]
    [InlineData("2026-02-30", "'2026-02-30' is not an existing day in yyyy-MM-dd form")]
    [InlineData("2025-02-29", "'2025-02-29' is not an existing day in yyyy-MM-dd form")]
    public void Parse_APeriodThatDoesNotExist_ThrowsNamingTheProblem(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ReportPeriod.Parse(text));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("2026")]
    [InlineData("2026-W4")]
    [InlineData("2026-W480")]
    [InlineData("2026-w48")]
    [InlineData("2026W48")]
    [InlineData("W48-2026")]
    [InlineData("2026-1")]
    [InlineData("2026/11")]
    [InlineData(" 2026-11")]
    [InlineData("2026-11 ")]
    [InlineData("2026-+1")]
    [InlineData("２０２６-11")]
    [InlineData("2026-W４8")]
    [InlineData(null)]
    public void Parse_TextThatIsNoPeriod_ThrowsListingTheThreeForms(string? text)
    {
        var error = Assert.Throws<FormatException>(() => ReportPeriod.Parse(text));

        Assert.Equal($"'{text}' is not a period: use a day (yyyy-MM-dd), an ISO week (yyyy-Www) or a month (yyyy-MM)", error.Message);
    }

    [Theory]
    [InlineData("2026-11-2x")]
    [InlineData("2026-W48-1")]
    [InlineData("0000-W01")]
    [InlineData("9999-W01")]
    [InlineData("0000-01")]
    [InlineData("2026-W54")]
    [InlineData("garbage")]
    [InlineData(null)]
    public void TryParse_OfAnythingThatIsNoPeriod_ReturnsFalseWithAProblemAndNeverThrows(string? text)
    {
        var parsed = ReportPeriod.TryParse(text, out _, out var problem);

        Assert.False(parsed);
        Assert.False(string.IsNullOrWhiteSpace(problem));
        Assert.False(ReportPeriod.TryParse(text, out _));
    }

    [Theory]
    [InlineData("0001-01")]
    [InlineData("0001-W01")]
    [InlineData("9998-W52")]
    [InlineData("9999-11")]
    [InlineData("9999-12")]
    [InlineData("9999-12-31")]
    public void TryParse_AtTheEdgesOfTheCalendar_ParsesWithoutThrowing(string text)
    {
        var parsed = ReportPeriod.TryParse(text, out var period, out var problem);

        Assert.True(parsed, problem);
        Assert.Equal(text, period.ToString());
    }

    [Fact]
    public void Parse_ThroughIParsable_ActsAsParse()
    {
        Assert.Equal(Period("2026-W48"), ParseAs<ReportPeriod>("2026-W48"));
        Assert.Throws<FormatException>(() => ParseAs<ReportPeriod>("2026-W54"));
    }

    private static T ParseAs<T>(string text)
        where T : IParsable<T> => T.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
