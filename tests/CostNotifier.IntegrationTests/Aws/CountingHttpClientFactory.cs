using System.Collections.Concurrent;
using Amazon.Runtime;

namespace CostNotifier.IntegrationTests.Aws;

/// <summary>Gives an SDK client an HttpClient that records the operation (<c>X-Amz-Target</c>) of every request it sends.</summary>
internal sealed class CountingHttpClientFactory : HttpClientFactory
{
    private readonly ConcurrentQueue<string> _operations = new();

    /// <summary>Operations sent, in order, e.g. <c>AmazonSQS.SendMessageBatch</c>.</summary>
    public IReadOnlyList<string> Operations => [.. _operations];

    public int Count(string operation) => _operations.Count(o => o == operation);

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new RecordingHandler(_operations) { InnerHandler = new HttpClientHandler() });

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    private sealed class RecordingHandler(ConcurrentQueue<string> operations) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            operations.Enqueue(request.Headers.TryGetValues("X-Amz-Target", out var target) ? string.Join(",", target) : request.Method.Method);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
