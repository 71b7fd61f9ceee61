using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using CostNotifier.Aws;
using CostNotifier.Aws.Protocol;
using CostNotifier.Collector.CostExplorer;
using CostNotifier.Notifier.Ses;

namespace CostNotifier.UnitTests.Aws;

public sealed class AwsProtocolEndpointTests
{
    [Theory]
    [InlineData("us-east-1", "https://ce.us-east-1.amazonaws.com", "us-east-1")]
    [InlineData("eu-west-1", "https://ce.us-east-1.amazonaws.com", "us-east-1")]
    [InlineData("ap-southeast-2", "https://ce.us-east-1.amazonaws.com", "us-east-1")]
    [InlineData("cn-north-1", "https://ce.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1")]
    public void CostExplorer_InAnyRegionOfAPartition_IsServedAndSignedFromThePartitionsCostExplorerRegion(
        string region, string expectedUrl, string expectedSigningRegion)
    {
        var endpoint = Resolve(CostExplorerClient.Service, region, endpointOverride: null);

        Assert.Equal(expectedUrl, endpoint.URL);
        var scheme = Assert.Single((System.Collections.IList)endpoint.Attributes["authSchemes"]);
        Assert.Equal(expectedSigningRegion, ((PropertyBag)scheme!)["signingRegion"]);
        Assert.Equal("ce", ((PropertyBag)scheme)["signingName"]);
        Assert.Equal(expectedSigningRegion, CostExplorerClient.Service.SigningRegionFor(region));
    }

    [Theory]
    [InlineData("eu-west-1", "https://email.eu-west-1.amazonaws.com")]
    [InlineData("us-east-1", "https://email.us-east-1.amazonaws.com")]
    [InlineData("cn-northwest-1", "https://email.cn-northwest-1.amazonaws.com.cn")]
    public void SesV2_InARegion_IsServedFromThatRegionsEmailEndpoint(string region, string expectedUrl)
    {
        var endpoint = Resolve(SesV2EmailSender.Service, region, endpointOverride: null);

        Assert.Equal(expectedUrl, endpoint.URL);
        Assert.Null(endpoint.Attributes);
        Assert.Equal(region, SesV2EmailSender.Service.SigningRegionFor(region));
    }

    [Fact]
    public void Resolve_WithAnEndpointOverride_UsesTheOverrideAsGiven()
    {
        var endpoint = Resolve(CostExplorerClient.Service, "eu-west-1", "http://127.0.0.1:4599");

        Assert.Equal("http://127.0.0.1:4599/", endpoint.URL);
    }

    [Fact]
    public void Resolve_WhenFipsIsAsked_RefusesNamingTheService()
    {
        var provider = new AwsProtocolEndpointProvider(CostExplorerClient.Service);
        var parameters = new EndpointParameters { ["Region"] = "us-east-1", ["UseFIPS"] = true, ["UseDualStack"] = false };

        var error = Assert.Throws<AmazonClientException>(() => provider.ResolveEndpoint(parameters));

        Assert.Contains("Cost Explorer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProtocolClient_WithAnEndpointOverride_SignsForThePartitionsCostExplorerRegion()
    {
        using var client = new AwsProtocolClient(
            new AwsConnection(Region: "eu-west-1", EndpointUrl: "http://127.0.0.1:4599", Credentials: new BasicAWSCredentials("AKID", "SECRET")),
            CostExplorerClient.Service);

        Assert.Equal("http://127.0.0.1:4599/", client.ProtocolConfig.ServiceURL);
        Assert.Equal("us-east-1", client.ProtocolConfig.AuthenticationRegion);
        Assert.Equal("ce", client.ProtocolConfig.AuthenticationServiceName);
    }

    [Fact]
    public void ProtocolClient_WithAnExplicitSigningRegion_SignsForThatRegion()
    {
        using var client = new AwsProtocolClient(
            new AwsConnection(Region: "eu-west-1", EndpointUrl: "http://127.0.0.1:4599", Credentials: new BasicAWSCredentials("AKID", "SECRET")),
            CostExplorerClient.Service,
            signingRegion: "eu-west-1");

        Assert.Equal("eu-west-1", client.ProtocolConfig.AuthenticationRegion);
    }

    private static Endpoint Resolve(AwsServiceSpec spec, string region, string? endpointOverride)
    {
        var config = new AwsProtocolConfig(spec);
        new AwsConnection(Region: region, EndpointUrl: endpointOverride).Apply(config, spec.EndpointOverrideKey);
        return config.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(new AwsJsonRequest(AwsOperation.Json11("X", "Y"), [])));
    }
}
