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

    [Theory]
    [InlineData(null, null, "14", "2", "7")]
    [InlineData("1", null, "1", "2", "0.5")]
    [InlineData("0.5", "2", "0.5", "2", "0.25")]
    [InlineData(" 28 ", "4", "28", "4", "7")]
    [InlineData("1000", "1000", "1000", "1000", "1")]
    public void SesSendRate_IsTheAccountsQuotaSharedByTheNotifiersThatCanRunAtOnce(string? rate, string? concurrency, string expectedRate, string expectedConcurrency, string expectedPerContainer)
    {
        var settings = new FunctionSettings(name => name switch
        {
            "COSTNOTIFIER_SES_MAX_SEND_RATE" => rate,
            "COSTNOTIFIER_NOTIFIER_MAX_CONCURRENCY" => concurrency,
            _ => null,
        });

        Assert.Equal(decimal.Parse(expectedRate, System.Globalization.CultureInfo.InvariantCulture), settings.SesMaxSendRate);
        Assert.Equal(int.Parse(expectedConcurrency, System.Globalization.CultureInfo.InvariantCulture), settings.NotifierMaxConcurrency);
        Assert.Equal(decimal.Parse(expectedPerContainer, System.Globalization.CultureInfo.InvariantCulture), settings.EmailSendRatePerContainer);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1000.5")]
    [InlineData("fourteen")]
    [InlineData("14/s")]
    [InlineData("1e3")]
    [InlineData("14,5")]
    public void SesMaxSendRate_ThatIsNotAPositiveRate_FailsNamingTheVariable(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => With("COSTNOTIFIER_SES_MAX_SEND_RATE", value).SesMaxSendRate);

        Assert.Contains($"COSTNOTIFIER_SES_MAX_SEND_RATE '{value}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("2.5")]
    [InlineData("two")]
    public void NotifierMaxConcurrency_ThatIsNotAMappingsConcurrency_FailsNamingTheVariable(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => With("COSTNOTIFIER_NOTIFIER_MAX_CONCURRENCY", value).NotifierMaxConcurrency);

        Assert.Contains($"COSTNOTIFIER_NOTIFIER_MAX_CONCURRENCY '{value}'", error.Message, StringComparison.Ordinal);
    }
}
