using CostNotifier.LambdaRuntime;

namespace CostNotifier.UnitTests.LambdaRuntime;

public sealed class RuntimeSettingsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_WithoutTheVariable_UsesTheDefaultMarginOfTwoSeconds() =>
        Assert.Equal(TimeSpan.FromSeconds(2), RuntimeSettings.From(_ => null).DeadlineMargin);

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("60001")]
    [InlineData("two")]
    public void From_AnInvalidMargin_ThrowsNamingTheVariable(string text)
    {
        var error = Assert.Throws<InvalidOperationException>(() => RuntimeSettings.From(_ => text));

        Assert.StartsWith($"COSTNOTIFIER_DEADLINE_MARGIN_MS '{text}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkingTime_IsTheTimeLeftLessTheMargin() =>
        Assert.Equal(TimeSpan.FromSeconds(58), new RuntimeSettings(TimeSpan.FromSeconds(2)).WorkingTime(Now.AddMinutes(1), Now));

    [Fact]
    public void WorkingTime_NeverTakesMoreThanHalfTheTimeLeftAsMargin() =>
        Assert.Equal(TimeSpan.FromSeconds(1.5), new RuntimeSettings(TimeSpan.FromSeconds(2)).WorkingTime(Now.AddSeconds(3), Now));

    [Fact]
    public void WorkingTime_PastTheDeadline_IsZero() =>
        Assert.Equal(TimeSpan.Zero, new RuntimeSettings(TimeSpan.FromSeconds(2)).WorkingTime(Now.AddSeconds(-1), Now));
}
