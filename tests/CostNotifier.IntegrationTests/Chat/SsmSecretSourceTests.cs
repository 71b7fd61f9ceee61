using Amazon.Runtime;
using CostNotifier.Aws;
using CostNotifier.Aws.Hosting;
using CostNotifier.Aws.Ssm;
using CostNotifier.IntegrationTests.CostExplorer;
using CostNotifier.Notifications;

namespace CostNotifier.IntegrationTests.Chat;

/// <summary>
/// The production SSM secret source over real HTTP against a Parameter Store stand-in: the signed, decrypting read,
/// the per-container cache, which refusals are final, and that the value never reaches a log line or an exception.
/// </summary>
public sealed class SsmSecretSourceTests : IAsyncLifetime
{
    private const string AccessKey = "AKID";
    private const string SecretKey = "SECRET";
    private const string Parameter = "/costnotifier/chat/platform-alerts";

    private readonly string _webhookUrl = "https://hooks.slack.com/services/T0001/B0002/" + Guid.NewGuid().ToString("N");
    private readonly SsmParameterServer _ssm = SsmParameterServer.Start();
    private readonly RecordingLogger<SsmSecretSource> _logger = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ssm.DisposeAsync();

    [Fact]
    public async Task Get_ReadsTheParameterWithDecryption_SignedForSsm()
    {
        _ssm.With(Parameter, _webhookUrl);
        using var client = CreateClient();
        var source = new SsmSecretSource(client, _logger);

        var value = await source.GetAsync(Parameter, CancellationToken.None);

        Assert.Equal(_webhookUrl, value);
        var request = Assert.Single(_ssm.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/", request.Path);
        Assert.Equal("AmazonSSM.GetParameter", request.Header("X-Amz-Target"));
        Assert.StartsWith("application/x-amz-json-1.1", request.Header("Content-Type"), StringComparison.Ordinal);
        using var body = request.Json();
        Assert.Equal(Parameter, body.RootElement.GetProperty("Name").GetString());
        Assert.True(body.RootElement.GetProperty("WithDecryption").GetBoolean());
        var signature = SigV4Check.Verify(request, AccessKey, SecretKey, "us-east-1", "ssm");
        Assert.Contains("x-amz-target", signature.SignedHeaders);
    }

    [Fact]
    public async Task Get_ManyTimes_ReadsTheParameterOnce()
    {
        _ssm.With(Parameter, _webhookUrl);
        using var client = CreateClient();
        var source = new SsmSecretSource(client, _logger);

        for (var read = 0; read < 5; read++)
        {
            Assert.Equal(_webhookUrl, await source.GetAsync(Parameter, CancellationToken.None));
        }

        Assert.Single(_ssm.Requests);
    }

    [Fact]
    public async Task Get_ByConcurrentCallers_SharesOneRequest_EvenWhenOneCallerGivesUp()
    {
        _ssm.With(Parameter, _webhookUrl);
        _ssm.Hold();
        using var client = CreateClient();
        var source = new SsmSecretSource(client, _logger);
        using var impatient = new CancellationTokenSource();

        var reads = Enumerable.Range(0, 8).Select(_ => source.GetAsync(Parameter, CancellationToken.None).AsTask()).ToList();
        var givingUp = source.GetAsync(Parameter, impatient.Token).AsTask();
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => givingUp);
        _ssm.Release();
        var values = await Task.WhenAll(reads);

        Assert.All(values, value => Assert.Equal(_webhookUrl, value));
        Assert.Equal(_webhookUrl, await source.GetAsync(Parameter, CancellationToken.None));
        Assert.Single(_ssm.Requests);
    }

    [Fact]
    public async Task Get_OfAMissingParameter_IsRefusedNamingIt_AndIsNotKept()
    {
        using var client = CreateClient();
        var source = new SsmSecretSource(client, _logger);

        var error = await Assert.ThrowsAsync<ChatRejectedException>(() => source.GetAsync(Parameter, CancellationToken.None).AsTask());

        Assert.Contains(Parameter, error.Message, StringComparison.Ordinal);
        Assert.Contains("ParameterNotFound", error.Message, StringComparison.Ordinal);
        Assert.Single(_ssm.Requests);

        // Once someone creates it, the next read finds it: the refusal was not kept.
        _ssm.With(Parameter, _webhookUrl);
        Assert.Equal(_webhookUrl, await source.GetAsync(Parameter, CancellationToken.None));
        Assert.Equal(2, _ssm.Requests.Count);
    }

    [Theory]
    [InlineData("AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/notifier/fn is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter/costnotifier/chat/platform-alerts")]
    [InlineData("AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/notifier/fn is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:123456789012:key/1234abcd because no identity-based policy allows the kms:Decrypt action (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException)")]
    [InlineData("InvalidKeyId", "The key id is not valid.")]
    public async Task Get_WhenAccessOrDecryptionIsDenied_IsRefusedAtOnce(string code, string message)
    {
        _ssm.With(Parameter, _webhookUrl).Failing(Parameter, code, message);
        using var client = CreateClient();
        var source = new SsmSecretSource(client, _logger);

        var error = await Assert.ThrowsAsync<ChatRejectedException>(() => source.GetAsync(Parameter, CancellationToken.None).AsTask());

        Assert.Contains(Parameter, error.Message, StringComparison.Ordinal);
        Assert.Contains(code, error.Message, StringComparison.Ordinal);
        Assert.Single(_ssm.Requests);
        AssertNeverShown(_webhookUrl, error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Get_OfAnEmptyParameter_IsRefusedNamingIt(string value)
    {
        _ssm.With(Parameter, value);
        using var client = CreateClient();
        var source = new SsmSecretSource(client, _logger);

        var error = await Assert.ThrowsAsync<ChatRejectedException>(() => source.GetAsync(Parameter, CancellationToken.None).AsTask());

        Assert.Contains(Parameter, error.Message, StringComparison.Ordinal);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WhileThrottled_FailsAsTransient_AndTheNextReadTriesAgain()
    {
        _ssm.With(Parameter, _webhookUrl).Failing(Parameter, "ThrottlingException", "Rate exceeded");
        using var client = CreateClient();
        var source = new SsmSecretSource(client, _logger);

        var error = await Assert.ThrowsAsync<SecretUnavailableException>(() => source.GetAsync(Parameter, CancellationToken.None).AsTask());

        Assert.Contains(Parameter, error.Message, StringComparison.Ordinal);
        Assert.Contains("ThrottlingException", error.Message, StringComparison.Ordinal);
        var throttled = _ssm.Requests.Count;
        Assert.True(throttled > 1, "the SDK retries throttling itself before giving up");

        _ssm.Heal(Parameter);
        Assert.Equal(_webhookUrl, await source.GetAsync(Parameter, CancellationToken.None));
        Assert.Equal(throttled + 1, _ssm.Requests.Count);
    }

    [Fact]
    public async Task Get_OnAServerError_FailsAsTransient()
    {
        _ssm.With(Parameter, _webhookUrl).Failing(Parameter, "InternalServerError", "An internal error occurred.");
        using var client = CreateClient();
        var source = new SsmSecretSource(client, _logger);

        var error = await Assert.ThrowsAsync<SecretUnavailableException>(() => source.GetAsync(Parameter, CancellationToken.None).AsTask());

        Assert.Contains("InternalServerError", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forget_MakesTheNextReadAskAgain_SoARotatedValueIsPickedUp()
    {
        _ssm.With(Parameter, _webhookUrl);
        using var client = CreateClient();
        var source = new SsmSecretSource(client, _logger);
        await source.GetAsync(Parameter, CancellationToken.None);
        var rotated = _webhookUrl + "-rotated";
        _ssm.With(Parameter, rotated);

        source.Forget(Parameter);

        Assert.Equal(rotated, await source.GetAsync(Parameter, CancellationToken.None));
        Assert.Equal(2, _ssm.Requests.Count);
    }

    [Fact]
    public async Task TheValue_NeverAppearsInALogLineOrException()
    {
        // A plain String parameter (logged as a warning), a read, a denial, a throttle, an empty one: every path logs.
        _ssm.With(Parameter, _webhookUrl, type: "String");
        using var client = CreateClient();
        var source = new SsmSecretSource(client, _logger);
        var errors = new List<Exception>();

        await source.GetAsync(Parameter, CancellationToken.None);
        source.Forget(Parameter);
        _ssm.Failing(Parameter, "AccessDeniedException", "not authorized to perform: kms:Decrypt");
        errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => source.GetAsync(Parameter, CancellationToken.None).AsTask()));
        _ssm.Failing(Parameter, "ThrottlingException", "Rate exceeded");
        errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => source.GetAsync(Parameter, CancellationToken.None).AsTask()));

        Assert.Contains(_logger.Entries, e => e.Message.Contains("not a SecureString", StringComparison.Ordinal));
        Assert.NotEmpty(_logger.Entries);
        foreach (var entry in _logger.Entries)
        {
            Assert.DoesNotContain(_webhookUrl, entry.Message, StringComparison.Ordinal);
            Assert.All(entry.Properties.Values, value => Assert.DoesNotContain(_webhookUrl, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, StringComparison.Ordinal));
        }

        Assert.All(errors, error => AssertNeverShown(_webhookUrl, error));
        Assert.DoesNotContain(_webhookUrl, source.ToString()!, StringComparison.Ordinal);
    }

    internal static void AssertNeverShown(string secret, Exception error) =>
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);

    private Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient CreateClient() =>
        AwsPipelineServices.CreateSsmClient(new AwsConnection(
            Region: "us-east-1",
            Credentials: new BasicAWSCredentials(AccessKey, SecretKey),
            ServiceEndpoints: new Dictionary<string, string> { [AwsConnection.Services.Ssm] = _ssm.Url }));
}
