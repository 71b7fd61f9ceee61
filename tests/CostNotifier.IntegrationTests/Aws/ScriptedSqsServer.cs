using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using CostNotifier.Aws;
using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.Aws;

/// <summary>One entry of a <c>SendMessageBatch</c> request as the server saw it.</summary>
internal sealed record ReceivedEntry(string Id, string Body);

/// <summary>What the scripted server answers for one entry.</summary>
internal abstract record EntryOutcome
{
    public static EntryOutcome Accepted { get; } = new AcceptedOutcome();

    public static EntryOutcome FailedBySqs(string code = "InternalError") => new FailedOutcome(code, SenderFault: false);

    public static EntryOutcome FailedBySender(string code = "InvalidMessageContents") => new FailedOutcome(code, SenderFault: true);

    internal sealed record AcceptedOutcome : EntryOutcome;

    internal sealed record FailedOutcome(string Code, bool SenderFault) : EntryOutcome;
}

/// <summary>
/// An SQS endpoint on a loopback port that answers <c>SendMessageBatch</c> (AWS JSON 1.0 protocol) as a script
/// says, so the real SDK client can be driven through partial failures fauxqs cannot produce on demand
/// (entries failed on SQS's side, a whole call refused).
/// </summary>
internal sealed class ScriptedSqsServer : IAsyncDisposable
{
    private readonly Func<int, IReadOnlyList<ReceivedEntry>, Func<ReceivedEntry, EntryOutcome>?> _script;
    private readonly List<IReadOnlyList<ReceivedEntry>> _calls = [];
    private readonly LoopbackHttpServer _server;
    private int _messageCounter;

    /// <param name="script">
    /// Given the call number (from 1) and its entries, how each entry fares; null refuses the whole call with
    /// <c>QueueDoesNotExist</c>.
    /// </param>
    public ScriptedSqsServer(Func<int, IReadOnlyList<ReceivedEntry>, Func<ReceivedEntry, EntryOutcome>?> script)
    {
        _script = script;
        _server = LoopbackHttpServer.Start(Answer);
    }

    public string Url => _server.Url + "/";

    public string QueueUrl => Url + "000000000000/scripted";

    /// <summary>The entries of every SendMessageBatch call received, in order.</summary>
    public IReadOnlyList<IReadOnlyList<ReceivedEntry>> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>A production-configured SQS client pointed at this server, without the SDK's own retries.</summary>
    public IAmazonSQS CreateClient()
    {
        var config = new AmazonSQSConfig();
        new AwsConnection(Region: "us-east-1", EndpointUrl: Url).Apply(config, AwsConnection.Services.Sqs);
        config.MaxErrorRetry = 0;
        return new AmazonSQSClient(Emulators.EmulatorFixture.Credentials, config);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static LoopbackResponse Json10(int status, JsonObject body) =>
        LoopbackResponse.Text(status, "application/x-amz-json-1.0", body.ToJsonString(new JsonSerializerOptions()));

    private LoopbackResponse Answer(LoopbackRequest received)
    {
        var request = JsonNode.Parse(received.Body)!;
        var target = received.Header("X-Amz-Target");
        if (target != "AmazonSQS.SendMessageBatch")
        {
            return Json10(400, new JsonObject { ["__type"] = "com.amazonaws.sqs#UnsupportedOperation", ["message"] = $"{target} is not scripted." });
        }

        var entries = request["Entries"]!.AsArray()
            .Select(e => new ReceivedEntry(e!["Id"]!.GetValue<string>(), e["MessageBody"]!.GetValue<string>()))
            .ToList();
        int callNumber;
        lock (_calls)
        {
            _calls.Add(entries);
            callNumber = _calls.Count;
        }

        var outcome = _script(callNumber, entries);
        if (outcome is null)
        {
            return Json10(400, new JsonObject
            {
                ["__type"] = "com.amazonaws.sqs#QueueDoesNotExist",
                ["message"] = "The specified queue does not exist.",
            }).WithHeader("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender");
        }

        var successful = new JsonArray();
        var failed = new JsonArray();
        foreach (var entry in entries)
        {
            switch (outcome(entry))
            {
                case EntryOutcome.FailedOutcome failure:
                    failed.Add(new JsonObject
                    {
                        ["Id"] = entry.Id,
                        ["SenderFault"] = failure.SenderFault,
                        ["Code"] = failure.Code,
                        ["Message"] = "Scripted failure.",
                    });
                    break;
                default:
                    successful.Add(new JsonObject
                    {
                        ["Id"] = entry.Id,
                        ["MessageId"] = $"scripted-{Interlocked.Increment(ref _messageCounter)}",
                        // The SDK checks each accepted body against this digest.
                        ["MD5OfMessageBody"] = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(entry.Body))),
                    });
                    break;
            }
        }

        return Json10(200, new JsonObject { ["Successful"] = successful, ["Failed"] = failed });
    }
}
