using Amazon.Runtime;
using CostNotifier.Aws;
using CostNotifier.EmailSending;
using CostNotifier.IntegrationTests.CostExplorer;
using CostNotifier.Notifier.Ses;

namespace CostNotifier.IntegrationTests.Ses;

/// <summary>
/// The production SES v2 sender over real HTTP against a server answering with SES v2's documented REST-JSON
/// shapes: request body and signing, and which errors are retried and which are final.
/// </summary>
public sealed class SesV2EmailSenderTests : IAsyncLifetime
{
    private const string AccessKey = "AKID";
    private const string SecretKey = "SECRET";

    private static readonly OutgoingEmail Email = new(
        "costs@example.com",
        "sre@example.com",
        "AWS cost 2026-11-24: $1,234.56",
        "<table><tr><td>Amazon EC2 &amp; friends</td><td>$1,234.56</td></tr></table>",
        "Amazon EC2 & friends  $1,234.56\n",
        new Dictionary<string, string> { ["report"] = "platform team", ["date"] = "2026-11-24" });

    private readonly ScriptedAwsServer _server = ScriptedAwsServer.Start();
    private readonly RecordingLogger<SesV2EmailSender> _logger = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Send_AnEmail_PostsSimpleContentSignedForSesAndReturnsTheMessageId()
    {
        _server.Then(ScriptedResponse.Json("""{"MessageId":"0100018c-abc-000000"}"""));
        using var sender = CreateSender(new SesV2Options("cost-reports"));

        var messageId = await sender.SendAsync(Email, CancellationToken.None);

        Assert.Equal("0100018c-abc-000000", messageId);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v2/email/outbound-emails", request.Path);
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        SigV4Check.Verify(request, AccessKey, SecretKey, "eu-west-1", "ses");
        using var body = request.Json();
        var root = body.RootElement;
        Assert.Equal("costs@example.com", root.GetProperty("FromEmailAddress").GetString());
        Assert.Equal("sre@example.com", root.GetProperty("Destination").GetProperty("ToAddresses")[0].GetString());
        var simple = root.GetProperty("Content").GetProperty("Simple");
        Assert.Equal(Email.Subject, simple.GetProperty("Subject").GetProperty("Data").GetString());
        Assert.Equal(Email.Html, simple.GetProperty("Body").GetProperty("Html").GetProperty("Data").GetString());
        Assert.Equal(Email.Text, simple.GetProperty("Body").GetProperty("Text").GetProperty("Data").GetString());
        Assert.Equal("cost-reports", root.GetProperty("ConfigurationSetName").GetString());
        Assert.Equal(
            [("date", "2026-11-24"), ("report", "platform_team")],
            root.GetProperty("EmailTags").EnumerateArray().Select(t => (t.GetProperty("Name").GetString(), t.GetProperty("Value").GetString())));
    }

    [Theory]
    [InlineData("MessageRejected", 400)]
    [InlineData("SendingPausedException", 400)]
    [InlineData("MailFromDomainNotVerifiedException", 400)]
    [InlineData("AccountSuspendedException", 400)]
    [InlineData("NotFoundException", 404)]
    [InlineData("BadRequestException", 400)]
    public async Task Send_WhenSesRefusesForGood_ThrowsEmailRejectedNamingTheCodeWithoutRetrying(string code, int status)
    {
        _server.Then(ScriptedResponse.RestJsonError(code, "Email address is not verified.", status));
        using var sender = CreateSender(new SesV2Options(null));

        var error = await Assert.ThrowsAsync<EmailRejectedException>(() => sender.SendAsync(Email, CancellationToken.None));

        Assert.Contains(code, error.Message, StringComparison.Ordinal);
        Assert.Contains("Email address is not verified.", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData("TooManyRequestsException", 429)]
    [InlineData("LimitExceededException", 400)]
    [InlineData("InternalFailure", 500)]
    public async Task Send_WhenThrottledOrFailingOnce_IsRetriedByTheSdkAndSucceeds(string code, int status)
    {
        _server.Then(
            ScriptedResponse.RestJsonError(code, "slow down", status),
            ScriptedResponse.Json("""{"MessageId":"after-retry"}"""));
        using var sender = CreateSender(new SesV2Options(null));

        var messageId = await sender.SendAsync(Email, CancellationToken.None);

        Assert.Equal("after-retry", messageId);
        Assert.Equal(2, _server.Requests.Count);
        Assert.All(_server.Requests, r => SigV4Check.Verify(r, AccessKey, SecretKey, "eu-west-1", "ses"));
    }

    [Theory]
    [InlineData("AccessDenied")]
    [InlineData("AccessDeniedException")]
    public async Task Send_WhenAccessIsDenied_ThrowsEmailRejectedNamingTheSandboxAndTheRecipientWithoutRetrying(string code)
    {
        _server.Then(ScriptedResponse.RestJsonError(code, "User is not authorized to perform ses:SendEmail", 403));
        using var sender = CreateSender(new SesV2Options(null));

        var error = await Assert.ThrowsAsync<EmailRejectedException>(() => sender.SendAsync(Email, CancellationToken.None));

        Assert.Contains(code, error.Message, StringComparison.Ordinal);
        Assert.Contains("sandbox", error.Message, StringComparison.Ordinal);
        Assert.Contains("verify sre@example.com", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData("Subject", "Costs\r\nBcc: attacker@example.com")]
    [InlineData("To", "sre@example.com\nBcc: attacker@example.com")]
    [InlineData("From", "costs@example.com\r")]
    public async Task Send_WithALineBreakInAHeaderField_IsRefusedBeforeAnythingIsSent(string field, string value)
    {
        var email = field switch
        {
            "Subject" => Email with { Subject = value },
            "To" => Email with { To = value },
            _ => Email with { From = value },
        };
        using var sender = CreateSender(new SesV2Options(null));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sender.SendAsync(email, CancellationToken.None));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    private SesV2EmailSender CreateSender(SesV2Options options) =>
        new(
            new AwsConnection(Region: "eu-west-1", EndpointUrl: _server.Url, Credentials: new BasicAWSCredentials(AccessKey, SecretKey)),
            options,
            _logger);
}
