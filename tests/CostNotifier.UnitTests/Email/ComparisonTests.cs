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

    [Theory]
    [InlineData("USD", "9420.4", "$9,420", "+$9,420")]
    [InlineData("USD", "99.994", "$99.99", "+$99.99")]
    [InlineData("USD", "-224.5", "-$225", "-$225")]
    [InlineData("USD", "42.1", "$42.10", "+$42.10")]
    [InlineData("EUR", "1500", "1,500 EUR", "+1,500 EUR")]
    public void FormatRough_EstimatesFromAHundredUp_AreWholeUnits(string currency, string amount, string rough, string change)
    {
        // Arrange
        var formatter = new AmountFormatter(currency);

        // Act
        var (formatted, formattedChange) = (formatter.FormatRough(Parse(amount)), formatter.FormatRoughChange(Parse(amount)));

        // Assert
        Assert.Equal(rough, formatted);
        Assert.Equal(change, formattedChange);
    }

    [Theory]
    [InlineData("USD", "160", "190", "$160\u2013190")]
    [InlineData("USD", "9100.4", "9800.5", "$9,100\u20139,801")]
    [InlineData("USD", "40", "60", "$40.00\u201360.00")]
    [InlineData("USD", "50", "150", "$50\u2013150")]
    [InlineData("USD", "-20", "5", "-$20.00\u2013$5.00")]
    [InlineData("EUR", "160", "190", "160\u2013190 EUR")]
    public void FormatRange_WritesTheCurrencyOnceAndBothEndsAlike(string currency, string low, string high, string expected)
    {
        // Act
        var range = new AmountFormatter(currency).FormatRange(Parse(low), Parse(high));

        // Assert
        Assert.Equal(expected, range);
    }

    [Theory]
    [InlineData("USD", "$1,234.50", "Amount")]
    [InlineData("EUR", "1,234.50", "Amount (EUR)")]
    public void ForTable_LeavesACodeAfterTheNumberToTheHeading(string currency, string cell, string heading)
    {
        // Act
        var table = new AmountFormatter(currency).ForTable();

        // Assert
        Assert.Equal((cell, heading), (table.Format(1234.5m), table.AmountHeading));
    }

    private static decimal Parse(string text) => decimal.Parse(text, NumberStyles.Number | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
