using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.Cli;

/// <summary>
/// Answers Lambda's <c>GET /2015-03-31/functions/{name}/configuration</c> on a loopback port: the named functions
/// exist (Active), any other is <c>ResourceNotFoundException</c>, as Lambda answers.
/// </summary>
internal sealed class FakeLambdaEndpoint : IAsyncDisposable
{
    private readonly HashSet<string> _functions;
    private readonly LoopbackHttpServer _server;

    public FakeLambdaEndpoint(params string[] functions)
    {
        _functions = new HashSet<string>(functions, StringComparer.Ordinal);
        _server = LoopbackHttpServer.Start(Answer);
    }

    public string Url => _server.Url;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private LoopbackResponse Answer(LoopbackRequest request)
    {
        var segments = request.PathAndQuery.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var name = segments is ["2015-03-31", "functions", var n, "configuration"] ? Uri.UnescapeDataString(n) : null;
        if (request.Method == "GET" && name is not null && _functions.Contains(name))
        {
            return LoopbackResponse.Text(
                200, "application/json", $$"""{"FunctionName":"{{name}}","Runtime":"dotnet10","State":"Active","LastUpdateStatus":"Successful"}""");
        }

        return LoopbackResponse.Text(
                404, "application/json", $$"""{"Type":"User","Message":"Function not found: arn:aws:lambda:us-east-1:000000000000:function:{{name}}"}""")
            .WithHeader("x-amzn-ErrorType", "ResourceNotFoundException");
    }
}
