using System.Globalization;
using CostNotifier.Domain;
using CostNotifier.Notifier.Email;

namespace CostNotifier.UnitTests.Email;

public sealed class CentApportionmentTests
{
    [Theory]
    [InlineData("0.335 0.335 0.335", "1.01", "0.34 0.34 0.33")]
    [InlineData("0.335 0.335 0.335", "1.00", "0.34 0.33 0.33")]
    [InlineData("1.004 2.004 3.004", "6.01", "1.00 2.00 3.01")]
    [InlineData("100 -75.255 40", "64.75", "100.00 -75.25 40.00")]
    [InlineData("0.001 0.001 0.001", "0.00", "0.00 0.00 0.00")]
    [InlineData("10 0 5", "15.00", "10.00 0.00 5.00")]
    [InlineData("0.5 0.25", "0.75", "0.50 0.25")]
    public void Apportion_RoundsEveryLineByAtMostACentSoTheyAddUpToTheTarget(string amounts, string target, string expected)
    {
        // Act
        var result = CentApportionment.Apportion(Parse(amounts), decimal.Parse(target, CultureInfo.InvariantCulture));

        // Assert
        Assert.Equal(Parse(expected), result);
    }

    [Fact]
    public void Apportion_ZeroAmounts_NeverGetAStrayCent()
    {
        // Act: a target a cent above the rounded sum (as when a total disagrees with its groups).
        var result = CentApportionment.Apportion([0m, 1.001m, 0m], 1.01m);

        // Assert
        Assert.Equal([0m, 1.01m, 0m], result);
    }

    [Fact]
    public void Apportion_TargetFarFromTheSum_SpreadsTheDifferenceEvenly()
    {
        // Act
        var result = CentApportionment.Apportion([1m, 1m, 1m], 4.00m);

        // Assert
        Assert.Equal(4.00m, result.Sum());
        Assert.All(result, r => Assert.InRange(r, 1.33m, 1.34m));
    }

    [Fact]
    public void Apportion_NoAmounts_IsEmpty()
    {
        // Act
        var result = CentApportionment.Apportion([], 0m);

        // Assert
        Assert.Empty(result);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Apportion_RandomLines_AddUpAndStayWithinACentOfTheirOwnRounding(int seed)
    {
        // Arrange
        var random = new Random(seed);
        var amounts = Enumerable.Range(0, 200).Select(_ => Math.Round((decimal)(random.NextDouble() * 200 - 50), 4)).ToList();
        var target = Money.RoundToCents(amounts.Sum());

        // Act
        var result = CentApportionment.Apportion(amounts, target);

        // Assert
        Assert.Equal(target, result.Sum());
        Assert.All(result.Zip(amounts), pair => Assert.InRange(Math.Abs(pair.First - pair.Second), 0m, 0.01m));
        Assert.All(result, r => Assert.Equal(Math.Round(r, 2), r));
    }

    private static decimal[] Parse(string amounts) =>
        [.. amounts.Split(' ').Select(a => decimal.Parse(a, NumberStyles.Number | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture))];
}
