using System.Net;
using System.Text.Json;
using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.Runtime;

/// <summary>
/// A Cost Explorer on a loopback port that answers the first <c>GetCostAndUsage</c> normally (one page covering the
/// requested period) and never answers a later one: a dependency that hangs in the middle of a batch. A stalled
/// request's connection is cut when the stub is disposed. (<see cref="LoopbackHttpServer"/> answers one request at a
/// time and waits for the one in hand when it stops, so it cannot hold a request for ever; a
/// <see cref="ConcurrentHttpListener"/> can.)
/// </summary>
internal sealed class StallingCostExplorer : IAsyncDisposable
{
    private readonly ConcurrentHttpListener _http;
    private int _requests;

    public StallingCostExplorer() => _http = ConcurrentHttpListener.Start(AnswerAsync);

    public string Url => _http.Url;

    /// <summary>Requests received, the stalled ones included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public ValueTask DisposeAsync() => _http.DisposeAsync();

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken stopping)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body, stopping);
            if (Interlocked.Increment(ref _requests) > 1)
            {
                await Task.Delay(Timeout.Infinite, stopping);
            }

            using var document = JsonDocument.Parse(body.ToArray());
            var days = CostExplorerResponses.RequestedDays(document.RootElement);
            var results = days.Select(day => CostExplorerResponses.Day(
                day, estimated: day == days[^1], [("Amazon Elastic Compute Cloud - Compute", "12.34"), ("Amazon Simple Storage Service", "1.50")]));
            var answer = CostExplorerResponses.Answer(200, CostExplorerResponses.Page(results).ToJsonString());
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType;
            foreach (var (name, value) in answer.Headers)
            {
                context.Response.Headers[name] = value;
            }

            context.Response.ContentLength64 = answer.Body.Length;
            await context.Response.OutputStream.WriteAsync(answer.Body, stopping);
            context.Response.Close();
        }
        catch (InvalidOperationException)
        {
            // The response could no longer be written (the client gave up on it): cut the connection, as the listener
            // does for a cancelled or broken answer.
            ConcurrentHttpListener.Abort(context.Response);
        }
    }
}
