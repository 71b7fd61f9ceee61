using Amazon.Runtime;
using CostNotifier.Aws;
using CostNotifier.Aws.Hosting;
using CostNotifier.EmailSending;
using CostNotifier.Notifier;
using CostNotifier.Notifier.Ses;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Email;

public sealed class RateLimitedEmailSenderTests
{
    private static readonly OutgoingEmail Email = new("costs@example.com", "sre@example.com", "AWS cost", "<p>x</p>", "x", new Dictionary<string, string>());

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task EachSend_WaitsForItsPermit_BeforeReachingTheProvider()
    {
        var inner = new CountingSender();
        var sender = new RateLimitedEmailSender(inner, new SendRateLimiter(1m, _time));

        Assert.Equal("m1", await sender.SendAsync(Email, CancellationToken.None));
        var second = sender.SendAsync(Email, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(999));

        Assert.False(second.IsCompleted);
        Assert.Equal(1, inner.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("m2", await second);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task ASendCancelledWhileWaiting_NeverReachesTheProvider()
    {
        var inner = new CountingSender();
        var sender = new RateLimitedEmailSender(inner, new SendRateLimiter(1m, _time));
        await sender.SendAsync(Email, CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = sender.SendAsync(Email, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task WhatTheProviderThrows_PassesThroughUnchanged()
    {
        var throttled = new AmazonServiceException("Maximum sending rate exceeded.", ErrorType.Sender, "TooManyRequestsException", "r", System.Net.HttpStatusCode.TooManyRequests);
        var sender = new RateLimitedEmailSender(new CountingSender { Failure = throttled }, new SendRateLimiter(14m, _time));

        var error = await Assert.ThrowsAsync<AmazonServiceException>(() => sender.SendAsync(Email, CancellationToken.None));

        Assert.Same(throttled, error);
    }

    /// <summary>The deployed notifier sends through SES v2 at its container's share of the account's quota.</summary>
    [Theory]
    [InlineData(null, null, 7)]
    [InlineData("14", "2", 7)]
    [InlineData("1", "2", 0.5)]
    [InlineData("50", "4", 12.5)]
    public void TheNotifierContainer_PacesSesSendsAtItsShareOfTheQuota(string? rate, string? concurrency, double perContainer)
    {
        using var services = (ServiceProvider)NotifierComposition.Build(Settings(rate, concurrency), Connection, _time, TextWriter.Null);

        var sender = Assert.IsType<RateLimitedEmailSender>(services.GetRequiredService<IEmailSender>());
        Assert.Equal((decimal)perContainer, sender.Limiter.PermitsPerSecond);
        Assert.NotNull(services.GetRequiredService<SesV2EmailSender>());
    }

    [Theory]
    [InlineData(EmailSendRate.MaxSendRateVariable, "0")]
    [InlineData(EmailSendRate.MaxSendRateVariable, "fourteen")]
    [InlineData(EmailSendRate.MaxConcurrencyVariable, "1")]
    [InlineData(EmailSendRate.MaxConcurrencyVariable, "2.5")]
    public void TheNotifierContainer_WithABadSendRateSetting_FailsAtStartNamingTheVariable(string variable, string value)
    {
        var settings = Settings(
            variable == EmailSendRate.MaxSendRateVariable ? value : null,
            variable == EmailSendRate.MaxConcurrencyVariable ? value : null);

        var error = Assert.Throws<InvalidOperationException>(() => NotifierComposition.Build(settings, Connection, _time, TextWriter.Null));

        Assert.Contains($"{variable} '{value}'", error.Message, StringComparison.Ordinal);
    }

    private static AwsConnection Connection => new(Region: "eu-west-1", Credentials: new BasicAWSCredentials("AKID", "SECRET"));

    private static FunctionSettings Settings(string? rate, string? concurrency) => FunctionSettings.From(new Dictionary<string, string?>
    {
        ["COSTNOTIFIER_REPORTS"] = """[{"id":"platform","name":"Platform","recipients":["sre@example.com"],"groupBy":"SERVICE"}]""",
        ["COSTNOTIFIER_EVENTS_TABLE"] = "costnotifier-events",
        ["COSTNOTIFIER_SENDER_ADDRESS"] = "costs@example.com",
        [EmailSendRate.MaxSendRateVariable] = rate,
        [EmailSendRate.MaxConcurrencyVariable] = concurrency,
    });

    private sealed class CountingSender : IEmailSender
    {
        public int Calls { get; private set; }

        public Exception? Failure { get; init; }

        public Task<string> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
        {
            Calls++;
            return Failure is null ? Task.FromResult($"m{Calls}") : Task.FromException<string>(Failure);
        }
    }
}
