using CostNotifier.Notifier.Email;

namespace CostNotifier.UnitTests.Email;

public sealed class DisplayTextTests
{
    [Fact]
    public void Clean_CharactersWithManyCombiningMarks_AreCutToTheLimitInCodeUnits()
    {
        // Arrange: 80 visible characters of 31 code units each; cut by visible characters alone it would be 2,480 units.
        var heavy = string.Concat(Enumerable.Repeat("a" + new string('\u0301', 30), 80));

        // Act
        var cleaned = DisplayText.Clean(heavy, 64);

        // Assert: two whole characters (62 units) and the ellipsis.
        Assert.Equal(string.Concat(Enumerable.Repeat("a" + new string('\u0301', 30), 2)) + "\u2026", cleaned);
    }

    [Fact]
    public void Clean_OneCharacterLongerThanTheLimit_KeepsItsFirstCodePoint()
    {
        // Act
        var cleaned = DisplayText.Clean("e" + new string('\u0301', 100), 10);

        // Assert
        Assert.Equal("e\u2026", cleaned);
    }

    [Fact]
    public void Clean_LongRunOfEmoji_IsCutBetweenWholeCharacters()
    {
        // Act
        var cleaned = DisplayText.Clean(string.Concat(Enumerable.Repeat("\uD83D\uDE80", 50)), 64);

        // Assert
        Assert.Equal(string.Concat(Enumerable.Repeat("\uD83D\uDE80", 31)) + "\u2026", cleaned);
    }

    [Theory]
    [InlineData("Amazon Simple Storage Service", 64, "Amazon Simple Storage Service")]
    [InlineData("abcdefghij", 10, "abcdefghij")]
    [InlineData("abcdefghijk", 10, "abcdefghi\u2026")]
    [InlineData("abcdefgh jk", 10, "abcdefgh\u2026")]
    public void Clean_PlainText_IsKeptUpToTheLimitAndCutWithAnEllipsis(string value, int limit, string expected)
    {
        // Act
        var cleaned = DisplayText.Clean(value, limit);

        // Assert
        Assert.Equal(expected, cleaned);
    }
}
