using System.Net;
using Amazon.Runtime;
using CostNotifier.Collector.CostExplorer;
using CostNotifier.Domain;

namespace CostNotifier.UnitTests.Aws.CostExplorer;

public sealed class CostExplorerErrorTranslationTests
{
    private static readonly DateRange Period = DateRange.Single(new ReportDate(2026, 11, 24));

    [Theory]
    [InlineData("AccessDeniedException", HttpStatusCode.BadRequest, false)]
    [InlineData("ValidationException", HttpStatusCode.BadRequest, false)]
    [InlineData("BillExpirationException", HttpStatusCode.BadRequest, false)]
    [InlineData("DataUnavailableException", HttpStatusCode.BadRequest, true)]
    [InlineData("InvalidNextTokenException", HttpStatusCode.BadRequest, true)]
    [InlineData("RequestChangedException", HttpStatusCode.BadRequest, true)]
    [InlineData("LimitExceededException", HttpStatusCode.BadRequest, true)]
    [InlineData("ThrottlingException", HttpStatusCode.BadRequest, true)]
    [InlineData("InternalServerException", HttpStatusCode.InternalServerError, true)]
    [InlineData("SomethingNewException", HttpStatusCode.BadRequest, false)]
    public void Translate_AServiceError_SaysWhetherARetryMayHelpAndNamesTheCode(string code, HttpStatusCode status, bool transient)
    {
        var error = new AmazonServiceException("details from AWS", null, ErrorType.Sender, code, "req-1", status);

        var translated = CostExplorerClient.Translate(error, Period);

        Assert.Equal(transient, translated.IsTransient);
        Assert.Contains(code, translated.Message, StringComparison.Ordinal);
        Assert.Contains("details from AWS", translated.Message, StringComparison.Ordinal);
        Assert.Contains("[2026-11-24, 2026-11-25)", translated.Message, StringComparison.Ordinal);
        Assert.Same(error, translated.InnerException);
    }

    [Fact]
    public void Translate_ANetworkFailure_IsTransient()
    {
        var translated = CostExplorerClient.Translate(new HttpRequestException("Connection refused"), Period);

        Assert.True(translated.IsTransient);
        Assert.Contains("could not reach Cost Explorer", translated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_MissingCredentials_IsNotTransient()
    {
        var translated = CostExplorerClient.Translate(new AmazonClientException("Failed to resolve AWS credentials."), Period);

        Assert.False(translated.IsTransient);
        Assert.Contains("credentials or client configuration", translated.Message, StringComparison.Ordinal);
    }
}
