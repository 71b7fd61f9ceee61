using CostNotifier.Aws.Hosting;

namespace CostNotifier.UnitTests.Hosting;

public sealed class FunctionSettingsTests
{
    private static FunctionSettings With(string name, string? value) =>
        new(variable => variable == name ? value : null);

    [Theory]
    [InlineData(null, ReportsSource.Variable)]
    [InlineData("variable", ReportsSource.Variable)]
    [InlineData("table", ReportsSource.Table)]
    public void ReportsSource_IsTheVariableUnlessTheTableIsAskedFor(string? value, ReportsSource expected) =>
        Assert.Equal(expected, With("COSTNOTIFIER_REPORTS_SOURCE", value).ReportsSource);

    [Theory]
    [InlineData("s3")]
    [InlineData("Table")]
    [InlineData("dynamodb")]
    public void ReportsSource_ThatIsNeitherVariableNorTable_FailsNamingTheVariable(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => With("COSTNOTIFIER_REPORTS_SOURCE", value).ReportsSource);

        Assert.StartsWith($"COSTNOTIFIER_REPORTS_SOURCE '{value}' must be variable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_WhenTheVariableIsUnset_SayWhereElseTheyCanComeFrom()
    {
        var error = Assert.Throws<InvalidOperationException>(() => With("COSTNOTIFIER_STACK", "x").Reports());

        Assert.Contains("Environment variable COSTNOTIFIER_REPORTS is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("COSTNOTIFIER_REPORTS_SOURCE=table", error.Message, StringComparison.Ordinal);
    }

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
