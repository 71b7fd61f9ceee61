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
}
