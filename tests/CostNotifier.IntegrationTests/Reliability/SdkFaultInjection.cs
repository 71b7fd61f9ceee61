using System.Net;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.SQS.Model;
using CostNotifier.Aws.DynamoDb;
using CostNotifier.Aws.Protocol;
using CostNotifier.Testing.Faults;

namespace CostNotifier.IntegrationTests.Reliability;

/// <summary>
/// Fault seams inside the AWS SDK itself, so the functions run exactly as composed for Lambda
/// (<c>*Composition.Build</c>) and still meet faults at every external call. A handler at the top of every SDK
/// client's pipeline — outside the SDK's own retries, so an injected fault is what is left after them — asks the
/// current <see cref="WorkerContext"/> what to do. Calls made outside a worker (the test's own clients, other test
/// classes) pass straight through.
/// </summary>
internal static class SdkFaultInjection
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        RuntimePipelineCustomizerRegistry.Instance.Register(new Customizer());
        return true;
    });

    /// <summary>Adds the handler to every SDK client created from now on in this process.</summary>
    public static void EnsureRegistered() => _ = Registered.Value;

    /// <summary>What the SDK would throw after its retries gave up: a 5xx, or a throttling error.</summary>
    public static Exception SdkException(Seam seam, FaultKind kind, string operation) => kind == FaultKind.Throttling
        ? new AmazonServiceException($"Rate exceeded (injected at {seam}: {operation})", ErrorType.Sender, seam == Seam.StoreAppend || seam == Seam.StoreRead ? "ProvisionedThroughputExceededException" : "ThrottlingException", "injected", HttpStatusCode.BadRequest)
        : new AmazonServiceException($"We encountered an internal error (injected at {seam}: {operation})", ErrorType.Receiver, "InternalFailure", "injected", HttpStatusCode.InternalServerError);

    /// <summary>The seam an SDK request belongs to, or null for calls that are not faulted (receives, deletes).</summary>
    public static (Seam Seam, string Operation)? Classify(AmazonWebServiceRequest request, Func<string, bool> isDeadLetterQueue) => request switch
    {
        PutItemRequest put when put.Item[EventTableSchema.PartitionKey].S.StartsWith("lease#", StringComparison.Ordinal) =>
            (Seam.ClaimAcquire, "claim " + put.Item[EventTableSchema.PartitionKey].S),
        PutItemRequest put => (Seam.StoreAppend, $"append {put.Item[EventTableSchema.Type].S} to {put.Item[EventTableSchema.PartitionKey].S} as {put.Item[EventTableSchema.SortKey].N}"),
        DeleteItemRequest delete => (Seam.ClaimRelease, "release " + delete.Key[EventTableSchema.PartitionKey].S),
        QueryRequest or GetItemRequest => (Seam.StoreRead, request.GetType().Name),
        SendMessageRequest send when isDeadLetterQueue(send.QueueUrl) => (Seam.DeadLetter, "dead-letter to " + send.QueueUrl),
        SendMessageBatchRequest batch => (Seam.Publish, $"send {batch.Entries.Count} to {batch.QueueUrl}"),
        SendMessageRequest send => (Seam.Publish, "send 1 to " + send.QueueUrl),
        AwsJsonRequest { Operation.Name: "GetCostAndUsage" } => (Seam.CostSource, "GetCostAndUsage"),
        AwsJsonRequest { Operation.Name: "SendEmail" } => (Seam.EmailSend, "SendEmail"),
        _ => null,
    };

    /// <summary>The ledger key of a SES v2 SendEmail request, from its destination and email tags.</summary>
    public static EmailKey EmailKeyOf(AwsJsonRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        var tags = root.TryGetProperty("EmailTags", out var list)
            ? list.EnumerateArray().ToDictionary(t => t.GetProperty("Name").GetString()!, t => t.GetProperty("Value").GetString()!, StringComparer.Ordinal)
            : [];
        string Tag(string name) => tags.TryGetValue(name, out var value) ? value : "?";
        return new EmailKey(Tag("report"), Tag("period"), Tag("request"), root.GetProperty("Destination").GetProperty("ToAddresses")[0].GetString()!);
    }

    private sealed class Customizer : IRuntimePipelineCustomizer
    {
        public string UniqueName => "CostNotifier.Reliability.FaultInjection";

        public void Customize(Type type, RuntimePipeline pipeline) => pipeline.AddHandler(new FaultHandler());
    }

    private sealed class FaultHandler : PipelineHandler
    {
        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            var worker = WorkerContext.Current;
            var request = executionContext.RequestContext.OriginalRequest;
            if (worker?.Session is not { } session
                || session.Tag is not SdkSeams seams
                || Classify(request, seams.IsDeadLetterQueue) is not { } call)
            {
                return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            }

            return await SeamCall.RunAsync(
                call.Seam,
                call.Operation,
                () => base.InvokeAsync<T>(executionContext),
                (current, _) => seams.Observe(current, request)).ConfigureAwait(false);
        }
    }
}

/// <summary>What the SDK handler needs from a simulation: which queues are dead-letter queues, and what to record.</summary>
internal sealed class SdkSeams(Func<string, bool> isDeadLetterQueue, Action<WorkerContext, AmazonWebServiceRequest> observe)
{
    public Func<string, bool> IsDeadLetterQueue { get; } = isDeadLetterQueue;

    public void Observe(WorkerContext worker, AmazonWebServiceRequest request) => observe(worker, request);
}
