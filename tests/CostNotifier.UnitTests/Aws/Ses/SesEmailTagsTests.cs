using CostNotifier.Notifier.Ses;

namespace CostNotifier.UnitTests.Aws.Ses;

public sealed class SesEmailTagsTests
{
    [Theory]
    [InlineData("report-id_1", "report-id_1")]
    [InlineData("team$payments", "team_payments")]
    [InlineData("2026-11-24", "2026-11-24")]
    [InlineData("a b.c/d:é", "a_b_c_d__")]
    [InlineData("<script>", "_script_")]
    public void Clean_ReplacesEveryCharacterSesForbids(string text, string expected)
    {
        Assert.Equal(expected, SesEmailTags.Clean(text));
    }

    [Fact]
    public void Clean_ALongValue_IsCutTo256Characters()
    {
        var cleaned = SesEmailTags.Clean(new string('x', 300));

        Assert.Equal(SesEmailTags.MaxLength, cleaned.Length);
    }

    [Fact]
    public void Sanitize_DropsTagsLeftEmptyAndKeepsTheFirstOfNamesThatClash()
    {
        var tags = SesEmailTags.Sanitize(new Dictionary<string, string>
        {
            ["report id"] = "first",
            ["report_id"] = "second",
            ["empty"] = "",
            [""] = "nameless",
        });

        Assert.Equal([new KeyValuePair<string, string>("report_id", "first")], tags);
    }
}
