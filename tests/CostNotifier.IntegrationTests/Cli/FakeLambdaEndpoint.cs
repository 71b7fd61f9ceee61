using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CostNotifier.IntegrationTests.Cli;

/// <summary>
/// Answers Lambda's <c>GET /2015-03-31/functions/{name}/configuration</c> on a loopback port: the named functions
/// exist (Active), any other is <c>ResourceNotFoundException</c>, as Lambda answers.
/// </summary>
internal sealed class FakeLambdaEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HashSet<string> _functions;
    private readonly Task _serving;

    public FakeLambdaEndpoint(params string[] functions)
    {
        _functions = new HashSet<string>(functions, StringComparer.Ordinal);
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        probe.Stop();
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
            // Stopping the listener ends the pending accept this way.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }

            var segments = context.Request.Url!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var name = segments is ["2015-03-31", "functions", var n, "configuration"] ? Uri.UnescapeDataString(n) : null;
            string body;
            if (context.Request.HttpMethod == "GET" && name is not null && _functions.Contains(name))
            {
                context.Response.StatusCode = 200;
                body = $$"""{"FunctionName":"{{name}}","Runtime":"dotnet10","State":"Active","LastUpdateStatus":"Successful"}""";
            }
            else
            {
                context.Response.StatusCode = 404;
                context.Response.Headers["x-amzn-ErrorType"] = "ResourceNotFoundException";
                body = $$"""{"Type":"User","Message":"Function not found: arn:aws:lambda:us-east-1:000000000000:function:{{name}}"}""";
            }

            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
