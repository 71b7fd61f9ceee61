using CostNotifier.Aws.Hosting;

namespace CostNotifier.UnitTests.Hosting;

public sealed class FunctionSettingsTests
{
    private static FunctionSettings With(string name, string? value) =>
        new(variable => variable == name ? value : null);

    [Fact]
    public void MaxReceiveCount_IsTheQueuesLimitTerraformPasses()
    {
        Assert.Equal(5, With("COSTNOTIFIER_MAX_RECEIVE_COUNT", "5").MaxReceiveCount);
        Assert.Null(With("COSTNOTIFIER_MAX_RECEIVE_COUNT", null).MaxReceiveCount);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("five")]
    [InlineData("-3")]
    [InlineData("1001")]
    public void MaxReceiveCount_ThatIsNotACount_FailsNamingTheVariable(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => With("COSTNOTIFIER_MAX_RECEIVE_COUNT", value).MaxReceiveCount);

        Assert.Contains($"COSTNOTIFIER_MAX_RECEIVE_COUNT '{value}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://slack.example.com/api/")]
    [InlineData("http://127.0.0.1:8125/api/")]
    public void SlackApiUrl_IsAnHttpsUrlOrAPlainOneOnLoopback(string value) =>
        Assert.Equal(new Uri(value), With("COSTNOTIFIER_SLACK_API_URL", value).SlackApiUrl);

    [Fact]
    public void SlackApiUrl_WhenUnset_IsNullForSlacksOwn() =>
        Assert.Null(With("COSTNOTIFIER_SLACK_API_URL", null).SlackApiUrl);

    [Theory]
    [InlineData("http://slack.example.com/api/")]
    [InlineData("slack.com/api")]
    public void SlackApiUrl_ThatIsNotHttps_FailsNamingTheVariable(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => With("COSTNOTIFIER_SLACK_API_URL", value).SlackApiUrl);

        Assert.Contains($"COSTNOTIFIER_SLACK_API_URL '{value}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void ChatHttpToLoopback_IsOffUnlessSetToTrue(string? value, bool expected) =>
        Assert.Equal(expected, With("COSTNOTIFIER_CHAT_HTTP_TO_LOOPBACK", value).ChatHttpToLoopback);

    [Theory]
    [InlineData("yes")]
    [InlineData("1")]
    public void ChatHttpToLoopback_ThatIsNotABoolean_FailsNamingTheVariable(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => With("COSTNOTIFIER_CHAT_HTTP_TO_LOOPBACK", value).ChatHttpToLoopback);

        Assert.Contains($"COSTNOTIFIER_CHAT_HTTP_TO_LOOPBACK '{value}'", error.Message, StringComparison.Ordinal);
    }
}
