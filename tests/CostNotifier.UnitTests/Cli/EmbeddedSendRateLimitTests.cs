using CostNotifier.Cli;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Cli;

/// <summary>The embedded outbox is paced only when the CLI's environment names a send rate.</summary>
public sealed class EmbeddedSendRateLimitTests
{
    private static CliContext Context(string? rate) => new(
        TextWriter.Null,
        TextWriter.Null,
        new FakeTimeProvider(),
        CliEnvironment.From(new Dictionary<string, string?> { ["COSTNOTIFIER_SES_MAX_SEND_RATE"] = rate }));

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("14", "14")]
    [InlineData("0.5", "0.5")]
    public void TheSendRate_IsReadFromTheCliEnvironment_AndAbsentByDefault(string? value, string? expected) =>
        Assert.Equal(expected is null ? null : decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Context(value).EmailSendRate());

    [Theory]
    [InlineData("0")]
    [InlineData("fast")]
    public void ASendRateThatIsNotAPositiveNumber_FailsNamingTheVariable(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Context(value).EmailSendRate());

        Assert.Contains($"COSTNOTIFIER_SES_MAX_SEND_RATE '{value}'", error.Message, StringComparison.Ordinal);
    }
}
