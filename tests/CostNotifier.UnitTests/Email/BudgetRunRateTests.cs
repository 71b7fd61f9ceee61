using CostNotifier.Notifier.Email;

namespace CostNotifier.UnitTests.Email;

public sealed class BudgetRunRateTests
{
    private static readonly DateOnly Day = new(2026, 11, 24);

    [Fact]
    public void Project_ProjectionAboveTheBudget_CrossesOnTheFirstDayTheRunningTotalReachesIt()
    {
        // Act: $7,000 by the 24th, $9,420 projected: $2,420 over 6 days is $403.33 a day, $8,210 by the 27th.
        var outlook = BudgetRunRate.Project(Day, 7_000m, "2026-11", 9_420m, 9_800m, 8_000m);

        // Assert
        Assert.NotNull(outlook);
        Assert.True(outlook.ProjectedOver);
        Assert.False(outlook.AlreadyOver);
        Assert.Equal(1_420m, outlook.ProjectedOverrun);
        Assert.Equal(new DateOnly(2026, 11, 27), outlook.CrossingDay);
    }

    [Fact]
    public void Project_BudgetReachedExactlyOnADay_GoesOverTheDayAfter()
    {
        // Act: $100 a day from $7,000 on the 20th reaches $7,400 on the 24th exactly and exceeds it on the 25th.
        var outlook = BudgetRunRate.Project(new DateOnly(2026, 11, 20), 7_000m, "2026-11", 8_000m, 8_000m, 7_400m);

        // Assert
        Assert.Equal(new DateOnly(2026, 11, 25), outlook!.CrossingDay);
    }

    [Fact]
    public void Project_ProjectionWithinTheBudget_NeverCrosses()
    {
        // Act
        var outlook = BudgetRunRate.Project(Day, 7_000m, "2026-11", 7_900m, 8_100m, 8_000m);

        // Assert
        Assert.NotNull(outlook);
        Assert.False(outlook.ProjectedOver);
        Assert.Null(outlook.CrossingDay);
        Assert.Equal(-100m, outlook.ProjectedOverrun);
    }

    [Fact]
    public void Project_MonthToDateAlreadyOver_SaysSoWithoutACrossingDay()
    {
        // Act
        var outlook = BudgetRunRate.Project(Day, 8_100m, "2026-11", 9_420m, 9_800m, 8_000m);

        // Assert
        Assert.True(outlook!.AlreadyOver);
        Assert.Null(outlook.CrossingDay);
    }

    [Fact]
    public void Project_LastDayOfTheMonth_HasNoDaysLeftToCross()
    {
        // Act
        var outlook = BudgetRunRate.Project(new DateOnly(2026, 11, 30), 7_900m, "2026-11", 7_900m, 7_900m, 8_000m);

        // Assert
        Assert.False(outlook!.ProjectedOver);
        Assert.Null(outlook.CrossingDay);
    }

    [Theory]
    [InlineData(null, "2026-11")]
    [InlineData(0, "2026-11")]
    [InlineData(-5, "2026-11")]
    [InlineData(8000, "2026-10")]
    [InlineData(8000, null)]
    public void Project_NoBudgetOrAProjectionOfAnotherMonth_IsNull(int? budget, string? month)
    {
        // Act
        var outlook = BudgetRunRate.Project(Day, 7_000m, month, 9_420m, 9_800m, budget);

        // Assert
        Assert.Null(outlook);
    }
}
