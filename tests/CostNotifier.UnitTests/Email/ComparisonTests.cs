using System.Globalization;
using CostNotifier.Notifier.Email;

namespace CostNotifier.UnitTests.Email;

public sealed class ComparisonTests
{
    [Theory]
    [InlineData("103.2", "100", "3.20", "3.2")]
    [InlineData("96.8", "100", "-3.20", "-3.2")]
    [InlineData("100", "100", "0.00", "0.0")]
    [InlineData("1234.56", "1196.28", "38.28", "3.2")]
    [InlineData("-12", "-10", "-2.00", "-20.0")]
    [InlineData("-8", "-10", "2.00", "20.0")]
    [InlineData("50", "-50", "100.00", "200.0")]
    [InlineData("2", "3", "-1.00", "-33.3")]
    [InlineData("0.015", "0.01", "0.01", "100.0")]
    [InlineData("100.05", "100", "0.05", "0.1")]
    public void Between_TwoAmounts_GivesCentRoundedDifferenceAndPercentOfTheBaseline(string current, string baseline, string difference, string percent)
    {
        // Act
        var comparison = Comparison.Between(Parse(current), Parse(baseline));

        // Assert
        Assert.NotNull(comparison);
        Assert.Equal(Parse(difference), comparison.Difference);
        Assert.Equal(Parse(percent), comparison.Percent);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("0")]
    [InlineData("-5")]
    public void Between_ZeroBaseline_HasADifferenceButNoPercent(string current)
    {
        // Act
        var comparison = Comparison.Between(Parse(current), 0m);

        // Assert
        Assert.NotNull(comparison);
        Assert.Equal(Parse(current), comparison.Difference);
        Assert.Null(comparison.Percent);
    }

    [Fact]
    public void Between_BaselineThatRoundsToZeroCents_HasNoPercent()
    {
        // Act: the reader sees $0.00 the day before; a percentage of that would be meaningless.
        var comparison = Comparison.Between(5m, 0.004m);

        // Assert
        Assert.NotNull(comparison);
        Assert.Equal(5.00m, comparison.Difference);
        Assert.Null(comparison.Percent);
    }

    [Fact]
    public void Between_NoBaseline_IsNull()
    {
        // Act
        var comparison = Comparison.Between(5m, null);

        // Assert
        Assert.Null(comparison);
    }

    [Fact]
    public void PercentOf_RatioTooLargeForDecimal_IsNullInsteadOfThrowing()
    {
        // Act
        var percent = Comparison.PercentOf(decimal.MaxValue, 0.01m);

        // Assert
        Assert.Null(percent);
    }

    [Theory]
    [InlineData("3.2", true, "+3.2%")]
    [InlineData("-3.2", true, "-3.2%")]
    [InlineData("0", true, "0.0%")]
    [InlineData("12345.6", true, "+12,345.6%")]
    [InlineData("41.5", false, "41.5%")]
    public void FormatPercent_SignsOnlyChanges(string percent, bool signed, string expected)
    {
        // Act
        var text = AmountFormatter.FormatPercent(Parse(percent), signed);

        // Assert
        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData("USD", "1234.5", "$1,234.50", "+$1,234.50")]
    [InlineData("USD", "-0.125", "-$0.13", "-$0.13")]
    [InlineData("USD", "0", "$0.00", "$0.00")]
    [InlineData("EUR", "-1234567.891", "-1,234,567.89 EUR", "-1,234,567.89 EUR")]
    public void Format_Amount_RoundsToCentsWithSeparatorsAndCurrency(string currency, string amount, string plain, string change)
    {
        // Arrange
        var formatter = new AmountFormatter(currency);

        // Act
        var (formatted, formattedChange) = (formatter.Format(Parse(amount)), formatter.FormatChange(Parse(amount)));

        // Assert
        Assert.Equal(plain, formatted);
        Assert.Equal(change, formattedChange);
    }

    private static decimal Parse(string text) => decimal.Parse(text, NumberStyles.Number | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
